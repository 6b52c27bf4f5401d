"""The allowed values of the returns' category columns, as the data contract spells them.

Shared by the loader (to validate and canonicalise) and the pages (to offer as filters).
"""

SURVEY_THEMES = ("Respect and Dignity", "Communication", "Responsiveness", "Reliability",
                 "Contractors", "Overall Experience")
OVERALL_THEME = "Overall Experience"  # its KPI is satisfaction_overall, never a second theme KPI
INCOME_COST_LINES = ("Fee income",)  # budget − actual is the adverse variance on these lines
THEME_WILDCARD = "satisfaction_theme_*"  # a targets row for every survey theme at once


def theme_kpi_id(theme: str) -> str:
    """``satisfaction_theme_respect_and_dignity``; the Overall Experience theme is
    ``satisfaction_overall`` (the data contract's one id for it)."""
    if theme == OVERALL_THEME:
        return "satisfaction_overall"
    return "satisfaction_theme_" + theme.lower().replace(" ", "_")


# Every KPI id in the data contract, in the order pages list them. The registry defines each one
# and refuses to start if its ids differ; the loader checks a targets file against this list.
KPI_IDS: tuple[str, ...] = (
    "cases_completed", "avg_days_to_complete", "open_cases", "dfg_days_application_to_completion",
    "dfg_within_20_weeks", "dfg_end_to_end_days", "dfg_drop_out_rate", "dfg_average_cost",
    "dfg_spend_vs_allocation",
    *(theme_kpi_id(theme) for theme in SURVEY_THEMES if theme != OVERALL_THEME),
    theme_kpi_id(OVERALL_THEME), "complaints_per_100_cases", "budget_variance",
)

REFERRAL_SOURCES = ("Customer Service Centre", "First Contact Plus", "GP", "Hospital", "Self",
                    "Family or carer", "Other")
REFERRAL_REASONS = ("Stairs", "Bathing", "Toileting", "Access", "Falls", "Warmth", "Security",
                    "Housing options", "Other")
CASE_TYPES = ("Housing MOT", "Minor adaptation", "Equipment", "OT assessment", "DFG")
WORKER_ROLES = ("HSC", "OT", "Technical Officer")
CASE_OUTCOMES = ("Open", "Completed", "Withdrawn", "Transferred")
REFERRALS_OUT = ("Assistive Technology", "Adaptations", "First Contact Plus", "OT",
                 "Adult Social Care", "Local Area Coordinator", "Voluntary Sector",
                 "NRS/Equipment", "Other")
CLIENT_GROUPS = ("Adult", "Child")
# Care at home: who the hours are for, and how the care is arranged.
CARE_CLIENT_GROUPS = ("Older people", "Learning disability", "Physical disability", "Mental health",
                      "Children")
CARE_MODELS = ("Time and task", "Personal budget")
OFF_FRAMEWORK = "Off framework"
TENURES = ("Owner occupier", "Private rented", "Housing association", "Council")
WORK_TYPES = ("Level access shower", "Stairlift", "Ramp", "Extension", "Through-floor lift", "Other")
DFG_STATUSES = ("Open", "Completed", "Withdrawn")
FEEDBACK_KINDS = ("Compliment", "Complaint")
COST_LINES = ("Staffing", "Running costs", "Support costs", "DFG capital", "Fee income", "Other")

# CQC's ratings, best first, and the one word for a service without one (blank, "Not rated",
# "Insufficient evidence to rate" in CQC's files).
CQC_RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
NOT_YET_RATED = "Not yet rated"
CQC_RATING_GROUPS = (*CQC_RATINGS, NOT_YET_RATED)
CQC_SERVICES = {"all": "All services", "care_home": "Care homes", "community": "Community-based"}

__all__ = [
    "CQC_RATINGS",
    "NOT_YET_RATED",
    "CQC_RATING_GROUPS",
    "CQC_SERVICES",
    "REFERRAL_SOURCES",
    "REFERRAL_REASONS",
    "CASE_TYPES",
    "WORKER_ROLES",
    "CASE_OUTCOMES",
    "REFERRALS_OUT",
    "CARE_CLIENT_GROUPS",
    "CARE_MODELS",
    "CLIENT_GROUPS",
    "OFF_FRAMEWORK",
    "TENURES",
    "WORK_TYPES",
    "DFG_STATUSES",
    "FEEDBACK_KINDS",
    "COST_LINES",
    "SURVEY_THEMES",
    "OVERALL_THEME",
    "INCOME_COST_LINES",
    "THEME_WILDCARD",
    "theme_kpi_id",
]
