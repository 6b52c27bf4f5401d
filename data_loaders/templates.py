"""Templates for partners: an empty return of each kind, and a filled example that loads as it is
on the programme it was made for."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from data_loaders.kinds import KINDS
from data_loaders.seed import CARE, SAMPLE_DATA, SAVINGS

EXAMPLE_PROGRAMME = "Lightbulb"  # whose sample rows a programme without its own sample borrows
EXAMPLE_ROWS = 5
# Where the examples of programmes without districts come from: (sample folder, programme).
EXAMPLES = {"savings": (SAVINGS, "Target Operating Model"), "care": (CARE, "East Lothian care at home")}


def _csv(rows: Sequence[Sequence[object]]) -> bytes:
    """CSV with CR LF line ends and a BOM, so Excel opens £ and accents as written."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def template_csv(kind: str) -> bytes:
    """The header row only, in the contract's column order."""
    return _csv([[c.name for c in KINDS[kind].columns]])


def _sample_rows(programme: str, kind: str, rows: int | None = EXAMPLE_ROWS) -> list[list[str]] | None:
    """Header and first ``rows`` rows (None: all) of the programme's own built-in sample, if any."""
    folders = {p.name.lower(): p for p in SAMPLE_DATA.iterdir() if p.is_dir()}
    folder = folders.get(programme.strip().lower())
    if folder is None:
        return None
    with (folder / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        found = list(csv.reader(handle))
    return found if rows is None else found[: rows + 1]


def _moved(header: list[str], rows: list[list[str]], districts: Sequence[str]) -> list[list[str]]:
    """The first rows moved onto ``districts``: each sample district stands for one of them, in
    order of appearance, so rows that were distinct stay distinct (no duplicate keys)."""
    if "district" not in header:
        return rows[:EXAMPLE_ROWS]
    column, standing_for, moved = header.index("district"), {}, []
    for row in rows:
        original = row[column]
        if original and original not in standing_for:
            if len(standing_for) == len(districts):
                continue  # more sample districts than this programme has
            standing_for[original] = districts[len(standing_for)]
        moved.append([standing_for.get(cell, cell) if i == column else cell for i, cell in enumerate(row)])
        if len(moved) == EXAMPLE_ROWS:
            break
    return moved


def _family_example(kind: str, programme: str) -> bytes:
    """The sample savings (or care-at-home) programme's first rows; a savings return named for
    ``programme``, whose own column says which programme it is."""
    folder, sample = EXAMPLES[KINDS[kind].family]
    with (SAMPLE_DATA / folder / sample / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))[: EXAMPLE_ROWS + 1]
    if "programme" in header:
        at = header.index("programme")
        rows = [[programme if i == at else cell for i, cell in enumerate(row)] for row in rows]
    return _csv(_new_references(kind, [header, *rows]))


def example_csv(kind: str, programme: str, districts: Sequence[tuple[str, str, str]]) -> bytes:
    """A filled example of ``kind`` for ``programme``, whose districts are ``districts`` as
    (name, code, aliases): its own sample rows where the product ships one, else the example
    programme's rows moved onto this programme's districts, so it passes the checks here. A
    savings or care-at-home return: the sample programme's rows of that family."""
    if KINDS[kind].family in EXAMPLES:
        return _family_example(kind, programme)
    own = _sample_rows(programme, kind)
    if own is not None:
        return _csv(_new_references(kind, own))
    if kind == "districts":  # the programme's own districts: loading it changes nothing
        return _csv([["district", "code", "aliases"], *(list(d) for d in districts)])
    header, *rows = _sample_rows(EXAMPLE_PROGRAMME, kind, rows=None) or [[]]
    return _csv(_new_references(kind, [header, *_moved(header, rows, [n for n, _c, _a in districts])]))


EXAMPLE_PREFIX = "EXAMPLE-"


def _new_references(kind: str, rows: list[list[str]]) -> list[list[str]]:
    """The example's rows under references of their own (``EXAMPLE-C0001``), so its preview shows
    rows to insert, as a partner's new return would, instead of the sample rows already loaded
    ("0 to insert, 0 to update" teaches nothing); the prefix makes them easy to find again."""
    header, *body = rows
    reference = next((c for c in KINDS[kind].key if c.endswith("_ref")), None)
    if reference is None or reference not in header:
        return rows
    at = header.index(reference)
    return [header, *([EXAMPLE_PREFIX + cell if i == at and cell else cell for i, cell in enumerate(row)]
                      for row in body)]
