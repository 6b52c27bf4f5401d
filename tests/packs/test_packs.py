"""Both packs rendered to PDF on each backend and read back with a PDF text extractor.

The board pack for a meeting of the sample programme shows the headings, the headline figures as
the board summary formats them, commentary and actions; the scrutiny pack shows no district count
from 1 to 7 and no case reference. Figures the pack adds (the DFG year-end forecast) are checked
against values worked out by hand from the Testshire fixture.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import Engine, select

from dashboard.access.roles import Role, User
from dashboard.db import schema as s
from dashboard.figures.format import format_value
from dashboard.meetings.actions import add_action
from dashboard.meetings.commentary import write_commentary
from dashboard.meetings.meetings import create_meeting
from dashboard.packs.make import build_pack, pack_for_view, pack_pdf
from dashboard.queries.board import HEADLINE_KPIS, kpi_history
from data_loaders.seed import seed
from tests.packs.chromium import require_chromium
from tests.queries.conftest import testshire  # noqa: F401,F811 - fixture

pypdf = pytest.importorskip("pypdf", reason="pypdf reads packs back: pip install -r requirements-dev.txt")

OFFICER = User(name="Olive Officer", email="olive@council.gov.uk", role=Role.OFFICER)
PERIOD = "2019/20-Q3"
BOARD_HEADINGS = ("What has changed since the last meeting", "Making Data Count summary",
                  "Headline KPIs", "District comparison",
                  "Disabled Facilities Grants against the 20-week target", "Finance", "Actions",
                  "Appendix: KPI definitions")
SCRUTINY_HEADINGS = ("What does success look like?", "How does the service compare with before?",
                     "How do the districts compare with each other?",
                     "What happens once the money is spent?")
REASON = "Two surveyors left in May; agency cover from July."
ACTION = "Recruit two surveyors for the northern districts"


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """Extracted text with line breaks and repeated spaces folded, so wrapped phrases match."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def sample(filled) -> Engine:  # noqa: ANN001
    return filled("sample", seed)


def test_board_pack_for_a_meeting(sample: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    require_chromium()
    monkeypatch.setenv("DATABASE_URL", sample.url.render_as_string(hide_password=False))
    meeting = create_meeting(OFFICER, "Lightbulb", date(2020, 1, 15), "board", PERIOD,
                             "Lightbulb Programme Board, 15 January 2020", engine=sample)
    write_commentary(OFFICER, "Lightbulb", "avg_days_to_complete", None, PERIOD, REASON,
                     "Keep agency cover to March.", engine=sample)
    write_commentary(OFFICER, "Lightbulb", "dfg_within_20_weeks", "Melton", PERIOD,
                     "Melton cleared its backlog.", engine=sample)  # a district: no action given
    add_action(OFFICER, "Lightbulb", ACTION, "Head of Housing", date(2020, 2, 28),
               kpi="avg_days_to_complete", meeting_id=meeting, engine=sample)
    pdf = pack_pdf(build_pack("board", "Lightbulb", meeting_id=meeting, engine=sample,
                              today=date(2020, 1, 10)))
    text = _flat(_text(pdf))
    for heading in BOARD_HEADINGS:
        assert heading in text
    assert "Lightbulb Programme Board, 15 January 2020" in text
    assert REASON in text and "Keep agency cover to March." in text and ACTION in text
    assert "nan" not in text.split() and "Melton cleared its backlog." in text
    tiles = text[text.index("Change on the previous period"):]  # past the contents and the MDC table
    block = tiles[tiles.index("Average days to complete a case"):]
    assert block.index(REASON) < block.index("DFG: valid application to completion")  # beside its KPI
    # Each headline figure as the board summary page formats it (the page's own query).
    page = kpi_history("Lightbulb", PERIOD, 0, HEADLINE_KPIS)
    for row in page.itertuples():
        shown = format_value(row.value, row.unit)
        assert shown in text, (row.kpi, shown)
    assert re.search(r"\d+\.\d days", text) and re.search(r"\d+\.\d%", text)
    assert re.search(r"£\d{1,3}(,\d{3})+", text)  # money to the pound with separators
    assert re.search(r"Page 2 of \d+", text)


def _district_lines(text: str, districts: list[str]) -> list[str]:
    return [line for line in text.splitlines() if any(d in line for d in districts)]


def test_scrutiny_pack_is_safe_to_publish(sample: Engine) -> None:
    require_chromium()
    said: list[tuple[float, str]] = []
    pdf = pack_pdf(build_pack("scrutiny", "Lightbulb", PERIOD, engine=sample, today=date(2020, 1, 10)),
                   progress=lambda share, doing: said.append((share, doing)))
    shares = [share for share, _ in said]  # the progress bar moves forward, chart by chart, to done
    assert shares == sorted(shares) and shares[0] == 0 and said[-1] == (1.0, "Done")
    charts = int(re.match(r"Drawing (\d+) charts", said[0][1])[1])  # type: ignore[index]
    assert charts and f"Drew chart {charts} of {charts}" in [doing for _, doing in said]
    text = _text(pdf)
    flat = _flat(text)
    for heading in SCRUTINY_HEADINGS:
        assert heading in flat
    with sample.connect() as conn:
        districts = list(conn.execute(select(s.districts.c.name)).scalars())
        references = set(conn.execute(select(s.cases.c.case_ref)).scalars())
        references |= {r for r in conn.execute(select(s.dfg.c.dfg_ref)).scalars() if r}
    small_count = re.compile(r"(?<![\w.,£/%-])[1-7](?![\w.,%/])")
    lines = _district_lines(text, districts)
    assert lines, "the pack compares districts"
    for line in lines:
        assert not small_count.search(line), line
    words = set(re.findall(r"[\w/-]+", text))
    assert not words & references


def test_board_pack_finance_worked_by_hand(testshire: Engine) -> None:  # noqa: F811
    # Q1 2019/20 (tests/fixtures/kpis/finance.csv, months 1-3): Alpha staffing 1,000 + 1,000
    # budgeted, 1,100 + 900 spent; county running costs 2,000 budgeted, 2,300 spent: spending
    # £4,300 against £4,000, £300 adverse. Fee income 500 budgeted, 400 received: £100 short,
    # adverse. Net £400 adverse, although budget − actual is only −£200.
    pack = build_pack("board", "Testshire", "2019/20-Q1", engine=testshire, today=date(2019, 7, 10))
    finance = pack.context["finance"]
    assert finance["reconciliation"] == (
        "Spending lines: actual £4,300 against a budget of £4,000, a variance of £300. Income "
        "lines: £400 received against £500 budgeted, a variance of £100 (for income, a shortfall "
        "is adverse). Net variance to date: £400 (adverse).")
    # DFG spend (tests/queries/test_dfg_forecast.py): £18,000.50 in 3 months → £72,002 a year
    # against £37,000 allocated.
    assert finance["forecast_sentence"].endswith(
        "would spend £72,002 of its £37,000 allocation by 31 March: £35,002 more than the allocation.")
    assert finance["forecast"].rows[-1] == ["Programme", "£18,000", "£72,002", "£37,000", "£35,002"]
    assert [t.title for t in pack.tables][:3] == ["Making Data Count summary", "Every KPI for the period",
                                                  "League table: cases"]


def test_a_pack_viewed_again_is_kept_until_something_is_written(testshire: Engine) -> None:  # noqa: F811
    """The Papers page keeps the pack it built while nothing is written: the same pack for a
    second click, a new one as soon as a comment is added (the comment in it)."""
    first = pack_for_view("board", "Testshire", "2019/20-Q1", engine=testshire)
    assert pack_for_view("board", "Testshire", "2019/20-Q1", engine=testshire) is first
    write_commentary(OFFICER, "Testshire", "avg_days_to_complete", None, "2019/20-Q1",
                     "Agency cover ended in June.", engine=testshire)
    again = pack_for_view("board", "Testshire", "2019/20-Q1", engine=testshire)
    assert again is not first
    assert "Agency cover ended in June." in str(again.context) and \
        "Agency cover ended in June." not in str(first.context)
