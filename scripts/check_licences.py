"""Fail when any package the product installs (requirements-dev.txt and everything it pulls in) has
a licence that does not allow an MIT-licensed product to use it: GPL or AGPL of any version, or no
licence stated at all. LGPL and MPL libraries, used unmodified as separate packages, are allowed
(psycopg2 is LGPL); a package offered under several licences passes if one of them is allowed.
Reads each installed package's own metadata: run it after installing.

    python scripts/check_licences.py [requirements files...]
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = re.compile(r"\b(MIT|BSD|Apache|ISC|PSF|Python Software Foundation|MPL|Mozilla|LGPL|Lesser "
                     r"General Public|Library or Lesser|Unlicense|CC0|Public Domain|Zlib|HPND|"
                     r"Historical Permission|0BSD|Artistic|UPL)", re.IGNORECASE)


def _names(files: list[Path]) -> list[str]:
    names = []
    for path in files:
        for line in path.read_text().splitlines():
            line = line.split("#")[0].strip()
            if line.startswith("-r "):
                names += _names([path.parent / line[3:].strip()])
            elif line:
                names.append(Requirement(line).name)
    return names


def _closure(names: list[str]) -> dict[str, metadata.Distribution]:
    found: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency that is not installed is not shipped either
        found[key] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return found


def licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    parts = [meta.get("License-Expression") or ""]
    parts += [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
              if c.startswith("License ::")]
    if not any(parts):
        parts.append((meta.get("License") or "").splitlines()[0] if meta.get("License") else "")
    return "; ".join(p for p in parts if p)


def allowed(licence: str) -> bool:
    """A package offered under several licences (pyphen: GPL, LGPL or MPL) may be used under any
    one of them: it passes if one allows an MIT product."""
    return any(ALLOWED.search(option) for option in re.split(r";| OR ", licence))


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or [ROOT / "requirements-dev.txt"]
    problems = []
    for _key, dist in sorted(_closure(_names(files)).items()):
        licence = licence_of(dist)
        if not allowed(licence):
            problems.append(f"{dist.metadata['Name']} {dist.version}: {licence or 'no licence stated'}")
    if problems:
        print("Licences an MIT product cannot depend on:\n  " + "\n  ".join(problems))
        return 1
    print("Every dependency's licence allows an MIT product.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
