"""The period a page opens on is the latest with data up to today: one future-dated record (a
typing slip, accepted with a warning) must not move everyone's board to an empty future quarter."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine

from tests.loaders.conftest import load_text
from tests.pages.conftest import captions


def _future_case(engine: Engine) -> date:
    """A case referred about two years from today; the loader warns but accepts it."""
    day = date.today() + timedelta(days=700)
    load_text(engine, "case_ref,district,referral_date,case_type,outcome\n"
              f"F1,Alpha,{day:%d/%m/%Y},Housing MOT,Open\n", programme="Testshire")
    return day


def test_a_future_dated_record_does_not_move_the_default_period(app, testshire: Engine) -> None:  # noqa: ANN001
    day = _future_case(testshire)
    at = app(programme="Testshire")
    quarter = at.sidebar.selectbox(key="period_quarter").value
    # Testshire's newest record before the slip: a grant completed on 5 August 2019 (dfg.csv).
    assert quarter == "2019/20 Q2"
    assert "Data as at **5 August 2019**" in "\n".join(c.value for c in at.sidebar.caption)
    assert f"{day:%B %Y}" not in captions(at)
    assert at.metric  # figures, not an empty future quarter


def test_future_dated_records_are_listed_for_checking(app, testshire: Engine) -> None:  # noqa: ANN001
    day = _future_case(testshire)
    at = app("data_quality", programme="Testshire")
    checks = at.dataframe[1].value
    future = checks[checks["Check"].str.contains("future")]
    assert future["Reference"].tolist() == ["F1"]
    assert future["Date"].tolist() == [f"{day.day} {day:%B %Y}"]
