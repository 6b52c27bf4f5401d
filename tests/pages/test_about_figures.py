"""About the figures: every KPI the dashboard computes, in a reader's words: statuses in the words
every other page uses, no file paths, and code ids only in the collapsed part for analysts."""

from __future__ import annotations

import re

from sqlalchemy import Engine

from dashboard.figures.style import RAG_WORDS, rag_label
from dashboard.queries.registry import KPIS


def _texts(at) -> tuple[str, str]:  # noqa: ANN001
    """(everything a reader sees without opening the analysts' expander, what that expander holds)"""
    analysts = [e for e in at.expander if "analysts" in e.label]
    hidden = "\n".join(m.value for e in analysts for m in e.markdown)
    hidden += "\n".join(str(d.value.to_dict()) for e in analysts for d in e.dataframe)
    shown = [m.value for m in at.main.markdown if m.value not in hidden]
    shown += [c.value for c in at.main.caption] + [t.value for t in at.title]
    shown += [str(d.value.to_dict()) for d in at.main.dataframe
              if not any(d is x for e in analysts for x in e.dataframe)]
    return "\n".join(shown), hidden


def test_every_kpi_is_explained_without_code(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("about_figures", programme="Testshire")
    assert [t.value for t in at.title] == ["About the figures"]
    shown, analysts = _texts(at)
    for kpi in KPIS:
        assert kpi.name in shown, kpi.name
        assert not re.search(rf"\b{kpi.id}\b", shown), kpi.id
        assert kpi.id in analysts, kpi.id  # still findable by someone writing a targets return
    assert not re.search(r"\w+/\w+\.(py|md)|\.py\b|python -m|DASHBOARD_", shown)


def test_statuses_in_the_dashboards_own_words(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("about_figures", programme="Testshire")
    shown, _ = _texts(at)
    for rag in RAG_WORDS:
        assert rag_label(rag) in shown, rag
    for other in ("Red", "Amber", "Green", "RAG"):
        assert not re.search(rf"\b{other}\b", shown), other
