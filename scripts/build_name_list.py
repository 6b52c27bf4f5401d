"""Build ``dashboard/access/first_names.txt``, the screening's list of first names, once, offline.

Sources, both MIT: Faker's person lists for every locale (the Latin-script names of 86 locales,
from the package's own source) and ``scripts/name_supplement.txt`` (names usual in the UK's
communities that Faker lacks). Each name is marked ``u`` when usual in Britain or Ireland (Faker's
lists for ``USUAL_LOCALES``, and the supplement) and ``w`` when it is also an ordinary English word
(Debian's British word list, ``wbritish``, read here only, never at run time).

    apt-get install wbritish && pip install faker && python scripts/build_name_list.py
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "dashboard" / "access" / "first_names.txt"
WORDS = Path("/usr/share/dict/british-english")
# Lists of names people in Britain and Ireland are usually given: English, Irish, and the UK's
# largest South Asian, Polish and West African communities.
USUAL_LOCALES = ("en_GB", "en_IE", "ga_IE", "en_IN", "en_PK", "en_NG", "pl_PL", "yo_NG", "ig_NG", "tw_GH")


def _latin(name: str) -> bool:
    return name.isalpha() and all("LATIN" in unicodedata.name(c, "") for c in name)


def _names(module_name: str) -> set[str]:
    provider = getattr(importlib.import_module(module_name), "Provider", None)
    found: set[str] = set()
    for attribute in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
        value = None if provider is None else provider.__dict__.get(attribute)
        if isinstance(value, dict | list | tuple):
            found |= {str(n).strip().lower() for n in value}
    return {n for n in found if len(n) > 1 and _latin(n)}


def main() -> None:
    import faker.providers.person as person

    every, usual = set(), set()
    for module in pkgutil.iter_modules(person.__path__):
        names = _names(f"faker.providers.person.{module.name}")
        every |= names
        if module.name in USUAL_LOCALES:
            usual |= names
    supplement = {w.lower() for line in (ROOT / "scripts" / "name_supplement.txt").read_text().splitlines()
                  if not line.startswith("#") for w in line.split()}
    every |= supplement
    usual |= supplement
    words = {w.strip() for w in WORDS.read_text(encoding="utf-8").splitlines() if w.strip().islower()}
    lines = [f"{n}\t{'u' if n in usual else ''}{'w' if n in words else ''}" for n in sorted(every)]
    header = ("# First names for personal-data screening, built by scripts/build_name_list.py from "
              "Faker's person lists\n# (MIT, (c) joke2k and contributors) and "
              "scripts/name_supplement.txt (this project, MIT).\n# name TAB flags: u usual in "
              "Britain or Ireland; w also an English word.\n")
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} names ({len(usual)} usual in Britain or Ireland) -> {OUT}")


if __name__ == "__main__":
    main()
