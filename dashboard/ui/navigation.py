"""Every page, who may open it, and the navigation built for one person's role.

A page the role may not see is never handed to ``st.navigation``: its address opens a "not
permitted" page instead, so hiding a link is never the only protection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from dashboard.access.roles import Role, User
from dashboard.access.signin import sign_in_button
from dashboard.figures.safe_text import md_text


@dataclass(frozen=True)
class PageSpec:
    file: str  # module in dashboard/pages/
    title: str
    icon: str
    url_path: str
    group: str
    least: Role  # the least role that may open it
    default: bool = False
    # "programme": about one programme; "council": about the council chosen; "any": neither
    scope: str = "programme"
    # The families of programme a "programme" page serves: "housing" (districts), "savings".
    families: tuple[str, ...] = ("housing",)


EVERY_FAMILY = ("housing", "savings", "care")
FAMILY_NAMES = {"housing": "a programme of districts", "savings": "a savings programme",
                "care": "a care-at-home programme"}
# The page a programme of another family opens on, from the app's root address (the board summary,
# the default page, is a programme of districts').
LANDING = {"savings": "savings", "care": "care-at-home"}

PAGES: tuple[PageSpec, ...] = (
    PageSpec("council_overview", "Council overview", ":material/account_balance:", "council", "Council",
             Role.PUBLIC, scope="council"),
    PageSpec("provider_quality", "Provider quality", ":material/verified:", "provider-quality", "Council",
             Role.PUBLIC, scope="council"),
    PageSpec("board_summary", "Board summary", ":material/dashboard:", "board-summary",
             "Programme board", Role.PUBLIC, default=True),
    PageSpec("savings", "Savings tracker", ":material/savings:", "savings", "Programme board", Role.PUBLIC,
             families=("savings",)),
    PageSpec("care_at_home", "Care at home", ":material/home_health:", "care-at-home", "Programme board",
             Role.PUBLIC, families=("care",)),
    PageSpec("trends", "Trends", ":material/monitoring:", "trends", "Programme board", Role.PUBLIC),
    PageSpec("district_comparison", "District comparison", ":material/compare:", "districts",
             "Programme board", Role.PUBLIC),
    PageSpec("finance", "Finance", ":material/payments:", "finance", "Programme board", Role.VIEWER),
    PageSpec("meetings", "Meetings", ":material/event:", "meetings", "Programme board", Role.VIEWER,
             families=EVERY_FAMILY),
    PageSpec("actions", "Actions", ":material/checklist:", "actions", "Programme board", Role.VIEWER,
             families=EVERY_FAMILY),
    PageSpec("papers", "Papers", ":material/picture_as_pdf:", "papers", "Programme board", Role.PUBLIC,
             families=EVERY_FAMILY),
    PageSpec("cases", "Cases and customer journey", ":material/home_health:", "cases", "Services",
             Role.VIEWER),
    PageSpec("dfg", "Disabled Facilities Grants", ":material/construction:", "dfg", "Services",
             Role.VIEWER),
    PageSpec("satisfaction", "Satisfaction and feedback", ":material/reviews:", "satisfaction",
             "Services", Role.VIEWER),
    PageSpec("returns", "Returns", ":material/upload_file:", "returns", "Returns and data",
             Role.OFFICER, families=EVERY_FAMILY),
    PageSpec("import_log", "Import log", ":material/history:", "import-log", "Returns and data",
             Role.OFFICER, families=EVERY_FAMILY),
    PageSpec("data_quality", "Data quality", ":material/fact_check:", "data-quality",
             "Returns and data", Role.OFFICER),
    PageSpec("case_studies", "Case studies", ":material/menu_book:", "case-studies", "Scrutiny",
             Role.PUBLIC),
    PageSpec("about_figures", "About the figures", ":material/info:", "about", "Scrutiny",
             Role.PUBLIC, scope="any"),
    PageSpec("accessibility", "Accessibility statement", ":material/accessibility:",
             "accessibility", "Scrutiny", Role.PUBLIC, scope="any"),
    PageSpec("roles", "Roles", ":material/admin_panel_settings:", "roles", "Administration",
             Role.ADMIN, scope="any"),
    PageSpec("audit_log", "Audit log", ":material/policy:", "audit-log", "Administration", Role.ADMIN,
             scope="any"),
)


def permitted(role: Role) -> list[PageSpec]:
    return [spec for spec in PAGES if role >= spec.least]


def _not_permitted(spec: PageSpec, user: User) -> Callable[[], None]:
    def show() -> None:
        st.title(spec.title)
        if not user.signed_in and not user.local:
            st.error(f"**Not permitted.** The public view does not include this page; it needs "
                     f"the {spec.least.label} role or above. Sign in with your council account if "
                     "you have one.", icon=":material/block:")
            sign_in_button("sign_in_not_permitted")
            return
        st.error(f"**Not permitted.** You are signed in as {md_text(user.name)}, with the {user.role.label} "
                 f"role; this page needs the {spec.least.label} role or above. Ask an "
                 "administrator if you need it.", icon=":material/block:")

    show.__name__ = f"not_permitted_{spec.file}"
    return show


def _not_shown(spec: PageSpec, why: str) -> Callable[[], None]:
    """At the address of a page the current choice of council and programme cannot fill."""
    def show() -> None:
        st.title(spec.title)
        st.info(why, icon=":material/info:")

    show.__name__ = f"not_shown_{spec.file}"
    return show


def _unavailable(spec: PageSpec, has_council: bool, has_programme: bool, family: str) -> str | None:
    if spec.scope == "council" and not has_council:
        return ("No council is set up, so there is no council page to show. An administrator sets "
                "councils up with a councils file, or a load names one with --council.")
    if spec.scope == "programme" and not has_programme:
        return "The council chosen in the sidebar holds no programme yet: this page is about one."
    if spec.scope == "programme" and family not in spec.families:
        wanted = " or ".join(FAMILY_NAMES[f] for f in spec.families)
        return (f"This page is about {wanted}; the programme chosen in the sidebar is "
                f"{FAMILY_NAMES.get(family, family)}.")
    return None


def offered(role: Role, has_council: bool, has_programme: bool, family: str) -> list[PageSpec]:
    """The pages the sidebar lists for this role and choice of council and programme."""
    return [spec for spec in PAGES
            if role >= spec.least and _unavailable(spec, has_council, has_programme, family) is None]


def navigation_for(user: User, has_council: bool = False, has_programme: bool = True,
                   family: str = "housing") -> dict[str, list[st.Page]]:
    """Pages grouped for the sidebar: the role's own pages that the chosen council and programme
    can fill, and hidden stand-ins at the other pages' addresses."""
    groups: dict[str, list[st.Page]] = {}
    hidden = []
    default_here = has_programme  # the programme's own first page; with none, the council overview
    for spec in PAGES:
        why = _unavailable(spec, has_council, has_programme, family)
        if user.role >= spec.least and why is None:
            default = spec.default if default_here else spec.file == "council_overview"
            groups.setdefault(spec.group, []).append(st.Page(
                f"dashboard/pages/{spec.file}.py", title=spec.title, icon=spec.icon,
                url_path=None if default else spec.url_path, default=default))
        elif user.role >= spec.least and why is not None:
            hidden.append(st.Page(_not_shown(spec, why), title=spec.title, icon=spec.icon,
                                  url_path=spec.url_path, visibility="hidden"))
        else:
            hidden.append(st.Page(_not_permitted(spec, user), title=spec.title, icon=spec.icon,
                                  url_path=spec.url_path, visibility="hidden"))
    first = next(iter(groups))  # a group every role sees: council pages or the programme board
    landing = LANDING.get(family) if has_programme else None
    if landing is not None and any(p.url_path == landing for pages in groups.values() for p in pages):
        file = next(spec.file for spec in PAGES if spec.url_path == landing)
        hidden.append(st.Page(_opens(f"dashboard/pages/{file}.py"), title="Home", url_path="home",
                              default=True, visibility="hidden"))
    groups[first].extend(hidden)
    return groups


def _opens(page: str) -> Callable[[], None]:
    """At the app's root address for a programme whose first page is not the board summary."""
    def show() -> None:
        st.switch_page(page)

    show.__name__ = "open_programme_landing"
    return show
