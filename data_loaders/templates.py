"""Templates for partners: an empty return of each kind, and a filled example from the sample."""

from __future__ import annotations

import csv
import io

from data_loaders.kinds import KINDS
from data_loaders.seed import SAMPLE_DATA

EXAMPLE_PROGRAMME = "Lightbulb"
EXAMPLE_ROWS = 5


def template_csv(kind: str) -> bytes:
    """The header row only, in the contract's column order (UTF-8 with a BOM, so Excel opens £)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([c.name for c in KINDS[kind].columns])
    return buffer.getvalue().encode("utf-8-sig")


def example_csv(kind: str) -> bytes:
    """The first rows of the built-in sample return of this kind."""
    lines = (SAMPLE_DATA / EXAMPLE_PROGRAMME / f"{kind}.csv").read_text(encoding="utf-8").splitlines()
    return ("\r\n".join(lines[: EXAMPLE_ROWS + 1]) + "\r\n").encode("utf-8-sig")
