"""Import log and data quality pages show the query layer's rows."""

from __future__ import annotations

from sqlalchemy import Engine


def test_import_log_page(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("import_log", programme="Testshire")
    log = at.dataframe[0].value
    assert len(log) == 8 and log["By"].unique().tolist() == ["test"]
    assert log["File fingerprint"].str.len().eq(12).all()
    assert "last_loaded" not in log.columns and "sha256" not in log.columns
    assert log["When"].str.match(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$").all()  # day first
    at.selectbox(key="log_partner").select("Beta").run()
    assert "finance" not in set(at.dataframe[0].value["Return"])


def test_data_quality_page(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("data_quality", programme="Testshire")
    completeness = at.dataframe[0].value
    assert completeness.loc["Cases: worker role", "Alpha"] == "80%"  # 4 of 5, in plain words
    assert not any("_" in field for field in completeness.index)
    assert any("No suspicious records" in s.value for s in at.success)
    fresh = at.dataframe[1].value
    assert fresh.loc["Alpha", "Cases"] == "31 July 2019"
    assert list(fresh.columns) == ["Cases", "DFG", "Satisfaction", "Feedback"]


def test_data_quality_for_a_programme_with_only_cases(app, engine: Engine) -> None:  # noqa: ANN001
    from tests.loaders.conftest import load_text
    from tests.queries.conftest import KPI_FIXTURE

    for kind in ("districts", "cases"):
        load_text(engine, (KPI_FIXTURE / f"{kind}.csv").read_text(), name=f"{kind}.csv",
                  programme="Casesonly")
    at = app("data_quality", programme="Casesonly")
    fresh = at.dataframe[-1].value
    assert fresh.loc["Alpha", "Cases"] == "31 July 2019"
    assert fresh.loc["Alpha", "DFG"] == "–" and fresh.loc["Beta", "Feedback"] == "–"
