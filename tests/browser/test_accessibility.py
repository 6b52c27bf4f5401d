"""An axe-core audit (WCAG 2.0-2.2 A and AA rules) of every page a visitor who is not signed in can
open, in Chromium against ``streamlit run`` with sign-in configured: no serious or critical failure
in the product's own content. Failures inside Streamlit's markup must be the ones the accessibility
statement lists (``dashboard.ui.accessibility``), and each listed one must still occur, so the
statement stays true.

axe-core comes from the npm registry (the README's test command installs it; ``AXE_CORE_JS`` names
the file), injected into each page by Playwright.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dashboard.ui.accessibility import AXE_TAGS, STREAMLIT_ISSUES
from tests.browser.conftest import ARTIFACTS, _unavailable
from tests.browser.test_sign_in import (  # noqa: F401 - fixtures: a signed-in-capable app
    PUBLIC_PAGES,
    app,
    database,
    drawn,
    navigation,
    person,
    provider,
    visit,
)

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("AXE_CORE_JS",
                          ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        _unavailable(f"axe-core is not installed at {AXE} (the README's test command installs it)")
    return AXE.read_text(encoding="utf-8")


def _audit(page, axe_source: str) -> list[dict]:  # noqa: ANN001
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],"
        " ancestry: true})",  # full paths: a bare 'ul' could name another list than the one failing
        list(AXE_TAGS))
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [" ".join(n["target"]) if isinstance(n["target"], list) else n["target"]
                         for n in v["nodes"]],
             "html": [n["html"][:200] for n in v["nodes"]]}
            for v in result["violations"] if v["impact"] in SERIOUS]


def _listed(page, violation: dict) -> bool:  # noqa: ANN001
    """Every failing element of ``violation`` lies inside Streamlit markup the statement lists."""
    issues = [i for i in STREAMLIT_ISSUES if i.rule == violation["rule"]]
    for target in violation["targets"]:
        inside = [page.evaluate("([t, w]) => !!document.querySelector(t)?.closest(w)", [target, i.within])
                  for i in issues]
        if not any(inside):
            return False
    return bool(issues)


def test_every_public_page_passes_axe_core(app: str, person, axe_source: str) -> None:  # noqa: ANN001, F811
    page = person  # a browser context of its own, not signed in
    visit(page, f"{app}/?programme=Lightbulb&grain=Quarter&period_quarter=2019%2F20+Q1")
    titles = navigation(page)
    assert titles == PUBLIC_PAGES and "Accessibility statement" in titles  # linked from every page
    report, own, seen_listed = {}, [], set()
    for title in titles:
        page.locator('[data-testid="stSidebarNavLink"]', has_text=title).first.click()
        page.wait_for_timeout(500)
        drawn(page)
        violations = _audit(page, axe_source)
        report[title] = violations
        for violation in violations:
            if _listed(page, violation):
                seen_listed.add(violation["rule"])
            else:
                own.append((title, violation))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe-public-pages.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    assert own == [], own
    # The statement must not list a failure that no longer happens.
    assert {i.rule for i in STREAMLIT_ISSUES} <= seen_listed, seen_listed
