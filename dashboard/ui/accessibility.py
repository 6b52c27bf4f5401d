"""What the accessibility statement says about the product's own pages, in one place: the page
shows it and the browser test's axe-core audit checks the pages against it.

Every serious or critical failure axe-core finds on a public page must be either fixed or listed
here: only failures in Streamlit's own markup (which the product cannot change) may be listed, each
with what it means for a visitor, what the product offers instead, and the issue that tracks it
upstream.
"""

from __future__ import annotations

from dataclasses import dataclass

STANDARD = "Web Content Accessibility Guidelines (WCAG) version 2.2, level AA"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
TESTED = "the axe-core 4.14 rules for WCAG 2.0, 2.1 and 2.2 A and AA, in Chromium, on every page a " \
         "visitor who is not signed in can open, on every run of the product's tests"


@dataclass(frozen=True)
class KnownIssue:
    rule: str  # axe-core rule id
    within: str  # CSS selector of Streamlit's element the failure is inside
    what: str  # what it means for a visitor, in plain English
    instead: str  # what the product offers in its place
    upstream: str  # where Streamlit tracks it


STREAMLIT_ISSUES: tuple[KnownIssue, ...] = (
    KnownIssue(
        "list", '[data-testid="stSidebarNav"]',
        "The page list in the sidebar is marked up as a list holding items that are not list "
        "items, so a screen reader may not announce how many pages there are.",
        "Every page is still a link with its name, reached in order with the Tab key.",
        "https://github.com/streamlit/streamlit/issues/8399"),
    KnownIssue(
        "listitem", '[data-testid="stSidebarNav"]',
        "Items of the sidebar's page list are not inside a list element, for the same reason.",
        "As above: each page is a named link.",
        "https://github.com/streamlit/streamlit/issues/8399"),
    KnownIssue(
        "svg-img-alt", '[data-testid="stMetricChart"]',
        "The small trend lines on the board summary's tiles are images without a text alternative.",
        "Each tile gives the figure, the change on the previous period and the status in words, and "
        "'Show as table' under the tiles lists every figure; the Trends page gives each KPI's whole "
        "history as a table.",
        "https://github.com/streamlit/streamlit/issues/8399"),
)
