"""The safe-text helpers alone: free text stays literal in Markdown and Plotly, and no export
cell can run as a spreadsheet formula. What the browser draws is checked in
tests/browser/test_hostile_text.py."""

from __future__ import annotations

import csv
import html
import io
import re
import string

import pandas as pd
import pytest

from dashboard.figures.safe_text import (
    WORD_JOINER,
    csv_bytes,
    csv_cell,
    csv_safe_frame,
    md_text,
    plotly_labels,
    plotly_text,
    safe_csv_bytes,
)
from data_loaders import example_csv, template_csv
from data_loaders.kinds import KINDS
from tests.pages.conftest import as_read

MARKDOWN_PAYLOADS = [
    "![x](http://evil.example/pixel.png)", "![](x)", "[login here](http://evil.example/login)",
    "\\[x](y)", "\\\\[x](http://evil.example)", "[x]( http://a )", "[x][1]\n\n[1]: http://evil.example",
    '<a href="javascript:alert(1)">x</a>', "<img src=http://evil.example/p.png>", "<b>bold</b>",
    "<!-- hidden -->", "<http://evil.example>", ":red[x]", ":red[**Call now**]", ":blue-badge[x]",
    ':color[x]{foreground="red"}', ":material/home:", ":smile: :+1:", "$x$", "$$x^2$$", "**x**",
    "__x__", "*x* _y_", "~~x~~", "`code`", "```\ncode\n```", "https://evil.example/",
    "http://evil.example", "HTTP://EVIL.EXAMPLE", "www.evil.example", "WWW.Evil.Example",
    "a@b.com", "mailto:a@b.com", "xmpp:a@b.com", "# x", "### x", "x\n===", "x\n---", "- x",
    "+ x", "* x", "1. x", "1) x", "> quoted", "|x|y|\n|-|-|\n|1|2|", "[^1]\n\n[^1]: note",
    "    indented code", "line one\n\n\n    line two", "&lt;b&gt; &amp; &#60;", "trailing \\",
    "a\\\nb", "two  spaces  \nbreak", "{{x}} %{x}", "\x00nul\x07bell\x1b[31mred",
]
# The Markdown a renderer acts on: a punctuation character that no backslash escapes.
UNESCAPED = re.compile(r"(?<!\\)(?:\\\\)*[" + re.escape(string.punctuation.replace("\\", "")) + "]")
# remark-gfm's autolink literals and remark-emoji's shortcodes, run on text after escapes resolve.
AUTOLINK = re.compile(r"(https?://|www(?=\.))[-.\w]+|[-.\w+]+@[-\w]+(?:\.[-\w]+)+|:[\w+-]+:", re.I)


def _resolved(markdown: str) -> str:
    """Text as the renderer's text nodes hold it: escapes resolved, word joiners still there."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_markdown_payloads_are_literal(payload: str) -> None:
    safe = md_text(payload)
    assert not UNESCAPED.search(safe.replace(WORD_JOINER, "")), safe
    assert "\n" not in safe and not safe.startswith(" ")  # no line can open a block
    assert not AUTOLINK.search(_resolved(safe)), safe
    expected = " ".join(re.sub(r"[\x00-\x08\x0e-\x1f]", "", payload).split())
    assert as_read(safe) == expected  # the reader sees exactly the words that were sent


def test_autolinks_are_broken_only_by_invisible_joiners() -> None:
    assert md_text("see www.evil.example") == f"see www{WORD_JOINER}\\.evil\\.example"
    assert md_text("a@b.com") == f"a\\@{WORD_JOINER}b\\.com"
    assert md_text("https://x") == f"https\\:{WORD_JOINER}\\/\\/x"
    assert md_text("Alpha Borough") == "Alpha Borough"  # ordinary words unchanged


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_text_is_empty(missing: object) -> None:
    assert md_text(missing) == "" and plotly_text(missing) == ""


PLOTLY_PAYLOADS = [
    '<a href="http://evil.example">Evil</a>', "<b>x</b><br>y", "B&T", "&lt;a&gt;", "x < y > z",
    "<sup>2</sup>", "%{x} $y$", '<span style="color:red">x</span>',
]


@pytest.mark.parametrize("payload", PLOTLY_PAYLOADS)
def test_plotly_payloads_are_literal(payload: str) -> None:
    safe = plotly_text(payload)
    assert "<" not in safe and ">" not in safe
    assert not re.search(r"&(?!amp;|lt;|gt;)", safe)  # every & starts one of our three entities
    assert html.unescape(safe) == payload  # Plotly decodes the entities: the reader sees the payload


def test_plotly_labels_escape_strings_and_keep_numbers_and_dates() -> None:
    day = pd.Timestamp("2019-04-01")
    assert plotly_labels(["<b>x</b>", 3, 2.5, day]) == ["&lt;b&gt;x&lt;/b&gt;", 3, 2.5, day]


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "-2+3", "\t=1+1", "\r=1+1", "=1", "-", "+44 20 7946 0000", "-1+cmd|' /C calc'!A0"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_cells_are_prefixed(formula: str) -> None:
    assert csv_cell(formula) == "'" + formula
    assert csv_cell(csv_cell(formula)) == "'" + formula  # once only


@pytest.mark.parametrize("number", ["-12", "-12.5", "-£1,234", "£3,919,000", "-3.5%", "+2.0 pts",
                                    "-4 days", "97.9%"])
def test_numbers_written_as_text_stay_as_written(number: str) -> None:
    assert csv_cell(number) == number


def test_only_text_cells_change_and_numbers_stay_numeric() -> None:
    frame = pd.DataFrame({"value": ["=1+1", "ok", None, "-2+3"], "amount": [-5, 3, -7, 0],
                          "rate": [-1.5, 2.0, None, 0.5], "when": pd.to_datetime(["2019-04-01"] * 4)},
                         index=pd.Index(["@x", "b", "c", "d"], name="=idx"))
    frame.columns = ["value", "amount", "=rate", "when"]
    safe = csv_safe_frame(frame)
    assert safe["value"].tolist()[:2] == ["'=1+1", "ok"] and safe["value"].tolist()[3] == "'-2+3"
    assert pd.isna(safe["value"].iloc[2])
    assert safe["amount"].tolist() == [-5, 3, -7, 0] and safe["amount"].dtype == frame["amount"].dtype
    assert safe["'=rate"].dtype == frame["=rate"].dtype and safe["when"].dtype == frame["when"].dtype
    assert list(safe.index) == ["'@x", "b", "c", "d"]
    assert frame["value"].iloc[0] == "=1+1"  # the caller's frame is untouched


def test_repeated_column_names_and_pivots() -> None:
    frame = pd.DataFrame([["=1", "@2"], ["ok", "-1"]], columns=["=x", "=x"])
    safe = csv_safe_frame(frame)
    assert safe.to_numpy().tolist() == [["'=1", "'@2"], ["ok", "-1"]]
    assert list(safe.columns) == ["'=x", "'=x"]
    pivot = pd.DataFrame({"district": ["=evil", "Alpha"], "field": ["a", "a"], "pct": [1.0, 2.0]}).pivot(
        index="field", columns="district", values="pct")
    assert list(csv_safe_frame(pivot).columns) == ["'=evil", "Alpha"]


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_bytes_has_no_formula_cells() -> None:
    frame = pd.DataFrame({"row": [2, 3], "value": FORMULAS[:2], "amount": [-120, 5]})
    rows = _cells(csv_bytes(frame))
    assert rows[0] == ["row", "value", "amount"] and rows[2][2] == "5" and rows[1][2] == "-120"
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row)
    assert [row[1] for row in rows[1:]] == ["'" + f for f in FORMULAS[:2]]


@pytest.mark.parametrize("kind", list(KINDS))
def test_templates_and_examples_pass_through_unchanged_but_safe(kind: str) -> None:
    for built in (template_csv(kind), example_csv(kind, "Lightbulb", [])):
        safe = safe_csv_bytes(built)
        assert _cells(safe) == [[csv_cell(c) for c in row] for row in _cells(built)]
        assert safe.startswith(b"\xef\xbb\xbf")


def test_safe_csv_bytes_neutralises_a_formula_in_a_built_file() -> None:
    built = b"district,code\r\nAlpha,=HYPERLINK(\"http://evil.example\")\r\nBeta,-5\r\n"
    assert _cells(safe_csv_bytes(built)) == [["district", "code"],
                                             ["Alpha", "'=HYPERLINK(\"http://evil.example\")"],
                                             ["Beta", "-5"]]
