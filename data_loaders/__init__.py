"""Import and validation of partner returns (CSV or XLSX), for the CLI and the app.

The public entry points: ``plan_load`` (check a file and preview its effect, writing nothing),
``apply_plan`` (write it in one transaction), ``load_file`` (both), ``seed`` (sample data);
for the Returns page ``preview_upload``, ``confirm_upload``, the templates and ``KINDS``, and for
council-level files (CQC's, contracts, population, councils) ``check_council_upload`` and
``confirm_council_upload``.
"""

from dashboard.db.errors import LoadBusy  # a load waited too long for another: say so
from data_loaders.apply import LoadRejected, LoadResult, apply_plan, load_file
from data_loaders.kinds import KINDS, kinds_of  # each return kind's columns, for templates and pickers
from data_loaders.limits import max_upload_mb
from data_loaders.plan import LoadPlan, plan_load, problems_frame
from data_loaders.seed import is_empty, seed
from data_loaders.templates import example_csv, template_csv
from data_loaders.uploads import check_council_upload, confirm_council_upload, confirm_upload, preview_upload
from data_loaders.validate import Problem

__all__ = [
    "KINDS", "LoadBusy", "LoadPlan", "LoadRejected", "LoadResult", "Problem", "apply_plan",
    "check_council_upload", "confirm_council_upload", "confirm_upload",
    "example_csv", "is_empty", "kinds_of", "load_file", "max_upload_mb", "plan_load", "preview_upload",
    "problems_frame", "seed", "template_csv",
]
