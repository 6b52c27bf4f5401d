"""``python -m dashboard.packs``: files written for a period, and clear one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.packs.__main__ import main
from tests.packs.chromium import require_chromium
from tests.queries.conftest import testshire  # noqa: F401 - fixture


@pytest.fixture
def configured(testshire: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:  # noqa: F811
    monkeypatch.setenv("DATABASE_URL", testshire.url.render_as_string(hide_password=False))
    return testshire


def test_writes_the_pdf_and_workbook(configured: Engine, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    require_chromium()
    pdf, xlsx = tmp_path / "board.pdf", tmp_path / "board.xlsx"
    assert main(["board", "--programme", "Testshire", "--period", "2019/20-Q1", "--out", str(pdf),
                 "--xlsx", str(xlsx)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-") and xlsx.read_bytes().startswith(b"PK")
    assert "Programme board pack written to" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["board", "--programme", "Testshire", "--period", "2019/20-Q5"], "Q5"),
    (["board", "--programme", "Nowhere", "--period", "2019/20-Q1"], "Nowhere"),
    (["board", "--programme", "Testshire"], "Give --period or --meeting"),
    (["scrutiny", "--programme", "Testshire", "--issue", "--period", "2019/20"], "--issue needs --meeting"),
])
def test_bad_input_is_one_clear_line(configured: Engine, tmp_path: Path, argv: list[str], message: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.pdf"
    assert main([*argv, "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and message in error and error.count("\n") == 1
    assert not out.exists()
