"""The public view through the real entry file: a visitor who is not signed in gets the figures
under the public-figures rules, a signed-in viewer the exact ones."""

from __future__ import annotations

import re

from sqlalchemy import Engine

from dashboard.access import Role, User, role_store
from dashboard.access.public_figures import footnote
from tests.pages.conftest import VISITOR, captions, signed_in

QUARTER = {"programme": "Testshire", "grain": "Quarter", "period_quarter": "2019/20 Q1"}
COUNT_KPIS = ("Cases completed", "Open cases")
SETUP = User(name="setup", email="setup@council.gov.uk", role=Role.ADMIN, signed_in=True)


def number(cell: str) -> str:
    return cell.split(" ")[0]  # "12 ✔" -> "12"


def league(app, user: dict):  # noqa: ANN001, ANN201
    return app("district_comparison", user=user, **QUARTER).dataframe[0].value


def test_visitor_gets_no_small_district_count_and_no_lone_suppression(app, testshire: Engine) -> None:  # noqa: ANN001
    table = league(app, VISITOR)
    for kpi in COUNT_KPIS:
        for area, cell in table[kpi].items():
            shown = number(cell)
            if area.startswith("Programme"):
                continue
            assert shown == "*" or int(shown.replace(",", "")) % 5 == 0, (kpi, area, cell)
    for kpi in table.columns:  # a single hidden district could be worked out from the total
        districts = table.drop(index=[a for a in table.index if a.startswith("Programme")])[kpi]
        programme_hidden = number(table.loc["Programme (all selected)", kpi]) == "*"
        assert (districts.map(number) == "*").sum() != 1 or programme_hidden, kpi


def test_viewer_gets_exact_figures_and_the_visitor_a_footnote(app, testshire: Engine) -> None:  # noqa: ANN001
    role_store.assign_role(SETUP, "vic@council.gov.uk", Role.VIEWER, engine=testshire)
    exact = league(app, signed_in("vic@council.gov.uk"))
    public = league(app, VISITOR)
    small = [(kpi, area) for kpi in COUNT_KPIS for area, cell in exact[kpi].items()
             if not area.startswith("Programme") and number(cell) not in {"0", "–"}
             and 1 <= int(number(cell)) <= 7]
    assert small, "the fixture should have a small district count to protect"
    for kpi, area in small:
        assert number(public.loc[area, kpi]) == "*"
    at = app("district_comparison", user=VISITOR, **QUARTER)
    assert footnote() in captions(at)


def test_visitor_board_summary_for_one_district(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app(user=VISITOR, district="Alpha", **QUARTER)
    tiles = {m.label: m.value for m in at.metric}
    for kpi in COUNT_KPIS:
        assert tiles[kpi] == "*" or int(tiles[kpi].replace(",", "")) % 5 == 0, tiles[kpi]
    assert footnote() in captions(at)
    text = "\n".join(m.value for m in at.markdown)
    assert not re.search(r"\b[1-7] cases\b", text)


def test_visitor_picks_one_district_at_a_time(app, testshire: Engine) -> None:  # noqa: ANN001
    # A link naming two districts: a group's figure less the programme's would give one back.
    at = app("district_comparison", user=VISITOR, district=["Alpha", "Beta"], **QUARTER)
    picker = at.sidebar.multiselect(key="district")
    assert picker.value == ["Alpha"] and picker.max_selections == 1
    assert "one district at a time: showing Alpha" in captions(at)
    assert at.query_params["district"] == "Alpha"  # one value comes back as a string
    # A signed-in viewer may still choose a group.
    role_store.assign_role(SETUP, "vic@council.gov.uk", Role.VIEWER, engine=testshire)
    at = app("district_comparison", user=signed_in("vic@council.gov.uk"), district=["Alpha", "Beta"],
             **QUARTER)
    assert at.sidebar.multiselect(key="district").value == ["Alpha", "Beta"]
