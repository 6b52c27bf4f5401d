"""The product is MIT: every dependency's licence must allow that (scripts/check_licences.py runs
in CI on what is installed; here its rule, and the installed set, are checked)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("check_licences", ROOT / "scripts" / "check_licences.py")
check_licences = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_licences)


@pytest.mark.parametrize(("licence", "ok"), [
    ("MIT License", True),
    ("BSD-3-Clause", True),
    ("Apache Software License", True),
    ("GNU Library or Lesser General Public License (LGPL)", True),  # psycopg2
    ("Mozilla Public License 2.0 (MPL 2.0)", True),
    ("GNU General Public License v2 or later (GPLv2+); GNU Lesser General Public License v2 or later "
     "(LGPLv2+); Mozilla Public License 1.1 (MPL 1.1)", True),  # pyphen: any one of the three
    ("GPLv3", False),  # gender-guesser, which the screening used to need
    ("GNU General Public License v3 (GPLv3)", False),
    ("GNU Affero General Public License v3", False),
    ("GPL-3.0-or-later", False),
    ("", False),  # no licence stated: not ours to use
])
def test_which_licences_an_mit_product_may_depend_on(licence: str, ok: bool) -> None:
    assert check_licences.allowed(licence) is ok


def test_everything_installed_for_the_product_allows_mit() -> None:
    assert check_licences.main([str(ROOT / "requirements-dev.txt")]) == 0


def test_the_project_is_mit_licensed() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "Faker" in text  # the name list's source is credited
