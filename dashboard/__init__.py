"""Programme board dashboard for integrated housing-support and adaptation services."""

import logging as _logging


def _quiet_streamlit_outside_the_app() -> None:
    """The command lines use the same cached queries as the pages; outside ``streamlit run``
    Streamlit warns on each ("No runtime found", "missing ScriptRunContext"), which would bury
    a command's own messages. In the running app nothing is silenced."""
    from streamlit import runtime
    from streamlit.logger import get_logger

    if runtime.exists():
        return
    for name in ("streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.caching.cache_resource_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        get_logger(name).setLevel(_logging.ERROR)


_quiet_streamlit_outside_the_app()
