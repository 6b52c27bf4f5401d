"""The whole database schema, in one SQLAlchemy Core ``MetaData``.

Raw tables hold partner returns row by row and stay the source of truth. ``summary_*`` tables hold
per programme, district and month counts and sums, rebuilt by the loader in the same transaction as
the raw rows, so that pages read a few hundred summary rows instead of scanning a million cases.

Migrations: the schema is created with ``create_all`` and stamped with ``SCHEMA_VERSION`` in the
``meta`` table. Versions that only add tables are upgraded in place by ``create_all`` (see
``ADDITIVE_UPGRADES``); the first change that alters an existing table should bring in Alembic,
starting from the current version.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from dashboard.db.append_only import protect

SCHEMA_VERSION = "12"
# Older versions whose upgrade is only new tables: create_all adds them and the stamp moves on.
# 1 -> 2: role_assignments and audit_log (sign-in, roles and the audit trail); meetings,
# commentary, actions and the snapshots frozen when a meeting's papers are issued.
# 2 -> 3: meeting_papers (the exact PDF issued to a meeting, with its SHA-256).
# 3 -> 4: summary_checks (records to check, kept by the loader) and an index on each reference
# column; the upgrade creates the indexes and fills summary_checks from the rows once.
# 4 -> 5: the reference indexes also hold the district, so the check finds a reference sent by
# another district from the index alone (SQLite chose a scan of the programme otherwise); the
# upgrade builds them again.
# 5 -> 6: sign_outs (a signed-out identity's old sign-in cookies no longer open a session).
# 6 -> 7: meeting_commentary (the meeting a comment was written for).
# 7 -> 8: LOAD_INDEXES (a load finds the rows it wrote, and their records to check, without a scan);
# the upgrade builds them on the tables that exist.
# 8 -> 9: councils and the programmes they hold; CQC's care directory and ratings snapshots, their
# rating-mix summary, and the council's contracts and population files.
# 9 -> 10: savings programmes: their workstreams (the plan) and each month's delivery return.
# 10 -> 11: care at home: providers, monthly hours, requests; the Care Inspectorate's datastore files.
# 11 -> 12: the care requests' monthly summaries (the waiting list and days to service without
# reading every request) and their import index; the upgrade builds both from the rows once.
ADDITIVE_UPGRADES = frozenset({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"})

metadata = MetaData()

Money = Numeric(14, 2, asdecimal=False)  # floats on both dialects: pages format, never do pence arithmetic


def _fk_programme() -> Column:
    return Column("programme_id", Integer, ForeignKey("programmes.id"), nullable=False)


def _fk_district(nullable: bool = False) -> Column:
    return Column("district_id", Integer, ForeignKey("districts.id"), nullable=nullable)


def _import_id() -> Column:
    """Which load last wrote the row: lets the import log answer 'where did this figure come from'."""
    return Column("import_id", Integer, ForeignKey("import_log.id"), nullable=True)


meta = Table(
    "meta",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", String(200), nullable=False),
)

programmes = Table(
    "programmes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

# The level above programmes: a local authority (or a Scottish integration joint board), named as
# the regulator spells it, with the councils it compares itself with. A programme given no council
# still works on its own; council_programmes says which council holds it.
councils = Table(
    "councils",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),  # "Local authority" or "Integration joint board"
    Column("comparators", Text, nullable=False),  # council names, one per line
    Column("created_at", DateTime, nullable=False),
)

council_programmes = Table(
    "council_programmes",
    metadata,
    Column("programme_id", Integer, ForeignKey("programmes.id"), primary_key=True),
    Column("council_id", Integer, ForeignKey("councils.id"), nullable=False, index=True),
)

districts = Table(
    "districts",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("name", String(100), nullable=False),
    Column("code", String(20), nullable=False),
    Column("aliases", Text, nullable=True),
    UniqueConstraint("programme_id", "name"),
    UniqueConstraint("programme_id", "code"),
)

import_log = Table(
    "import_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("programme_id", Integer, ForeignKey("programmes.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("file_name", String(260), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows_inserted", Integer, nullable=False),
    Column("rows_updated", Integer, nullable=False),
    Column("rows_unchanged", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    Column("warnings", Text, nullable=True),
    Column("loaded_at", DateTime, nullable=False),
    Column("loaded_by", String(100), nullable=False),
)

# Which partners a load covered: rows and date span per district, for the submission tracker
# and for listing loads by partner and period.
import_districts = Table(
    "import_districts",
    metadata,
    Column("import_id", Integer, ForeignKey("import_log.id"), primary_key=True),
    Column("district_id", Integer, ForeignKey("districts.id"), primary_key=True),
    Column("rows", Integer, nullable=False),
    Column("first_date", Date),
    Column("last_date", Date),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    _fk_district(),
    Column("case_ref", String(60), nullable=False),
    Column("referral_date", Date, nullable=False),
    Column("referral_source", String(60)),
    Column("referral_reason", String(60)),
    Column("case_type", String(60), nullable=False),
    Column("worker_role", String(40)),
    Column("assessment_date", Date),
    Column("closed_date", Date),
    Column("outcome", String(20), nullable=False),
    Column("interventions", Text),
    Column("referrals_out", Text),
    Column("care_act_outcomes", Text),
    _import_id(),
    UniqueConstraint("programme_id", "district_id", "case_ref"),
)

dfg = Table(
    "dfg",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    _fk_district(),
    Column("dfg_ref", String(60), nullable=False),
    Column("case_ref", String(60)),
    Column("client_group", String(20)),
    Column("tenure", String(40)),
    Column("work_type", String(60)),
    Column("enquiry_date", Date, nullable=False),
    Column("valid_application_date", Date),
    Column("approval_date", Date),
    Column("completion_date", Date),
    Column("grant_amount", Money),
    Column("status", String(20), nullable=False),
    Column("withdrawn_date", Date),
    Column("withdrawn_reason", String(200)),
    _import_id(),
    UniqueConstraint("programme_id", "district_id", "dfg_ref"),
)

satisfaction = Table(
    "satisfaction",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    _fk_district(),
    Column("response_ref", String(60), nullable=False),
    Column("response_date", Date, nullable=False),
    Column("theme", String(40), nullable=False),
    Column("score", Integer, nullable=False),
    _import_id(),
    # One answer per theme: a survey reference may carry all six themes of one response.
    UniqueConstraint("programme_id", "district_id", "response_ref", "theme"),
)

case_list_items = Table(
    "case_list_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False,
           index=True),
    _fk_programme(),
    _fk_district(),
    Column("list", String(30), nullable=False),  # interventions, referrals_out, care_act_outcomes
    Column("item", String(120), nullable=False),
)
# case_list_items: one row per item of a case's list fields, written by the loader, so lists can
# be counted in SQL on both databases (SQLite has no way to split a string in a query).

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    _fk_district(),
    Column("feedback_ref", String(60), nullable=False),
    Column("received_date", Date, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("resolved_date", Date),
    Column("upheld", Boolean),
    Column("summary", Text),
    _import_id(),
    UniqueConstraint("programme_id", "district_id", "feedback_ref"),
)

# A reference looked up across districts (the "same reference in two districts" check) without a
# scan: the unique keys above start with the district. The district is in the index too, so the
# lookup never reads the table: without it SQLite preferred the unique key, which covers the
# query, and scanned the whole programme once per row checked.
REFERENCE_INDEXES = (
    Index("ix_cases_reference", cases.c.programme_id, cases.c.case_ref, cases.c.district_id),
    Index("ix_dfg_reference", dfg.c.programme_id, dfg.c.dfg_ref, dfg.c.district_id),
    Index("ix_feedback_reference", feedback.c.programme_id, feedback.c.feedback_ref,
          feedback.c.district_id),
)

finance = Table(
    "finance",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("partner", String(100), nullable=False),
    _fk_district(nullable=True),  # set when the partner is one of the programme's districts
    Column("fy", Integer, nullable=False),  # start year: 2019 means 2019/20
    Column("month", Integer, nullable=False),  # 1 = April
    Column("cost_line", String(40), nullable=False),
    Column("budget", Money, nullable=False),
    Column("actual", Money, nullable=False),
    Column("forecast", Money),
    _import_id(),
    UniqueConstraint("programme_id", "partner", "fy", "month", "cost_line"),
)

allocations = Table(
    "allocations",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    _fk_district(),
    Column("fy", Integer, nullable=False),
    Column("dfg_capital_grant", Money, nullable=False),
    Column("local_capital", Money),
    Column("social_care_capital", Money),
    _import_id(),
    UniqueConstraint("programme_id", "district_id", "fy"),
)

targets = Table(
    "targets",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("kpi", String(80), nullable=False),
    Column("target", Float, nullable=False),
    _fk_district(nullable=True),  # NULL: every district
    Column("fy", Integer),  # NULL: every year
    Column("amber_tolerance", Float),  # NULL: 5% of the target
    _import_id(),
)

case_studies = Table(
    "case_studies",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    _fk_district(),
    Column("title", String(200), nullable=False),
    Column("date_submitted", Date, nullable=False),
    Column("referral_source", String(60)),
    Column("referral_reason", String(60)),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("main_issues", Text),
    Column("actions_taken", Text),
    Column("referrals_made", Text),
    Column("benefits", Text),
    Column("others_involved", Text),
    Column("ongoing_support", Text),
    Column("quote", Text),
    Column("consent_to_publish", Boolean, nullable=False),
    _import_id(),
    UniqueConstraint("programme_id", "district_id", "title"),
)


def _summary(name: str, *columns: Column) -> Table:
    """A per programme, district and month table of counts and sums (``ym`` = year * 100 + month)."""
    table = Table(
        name,
        metadata,
        Column("programme_id", Integer, ForeignKey("programmes.id"), primary_key=True),
        Column("district_id", Integer, ForeignKey("districts.id"), primary_key=True),
        Column("ym", Integer, primary_key=True),
        Column("fy", Integer, nullable=False),
        Column("quarter", Integer, nullable=False),
        Column("latest", Date, nullable=False),  # newest record date in the month: "data as at"
        *columns,
    )
    Index(f"ix_{name}_period", table.c.programme_id, table.c.ym)
    return table


summary_cases = _summary(
    "summary_cases",
    Column("worker_role", String(40), primary_key=True),  # '' when the return left it blank
    Column("referred", Integer, nullable=False),
    Column("closed", Integer, nullable=False),
    Column("completed", Integer, nullable=False),
    Column("completed_days_sum", Integer, nullable=False),
)

summary_dfg = _summary(
    "summary_dfg",
    Column("completed", Integer, nullable=False),
    Column("with_application", Integer, nullable=False),
    Column("application_days_sum", Integer, nullable=False),
    Column("within_20_weeks", Integer, nullable=False),
    Column("end_to_end_days_sum", Integer, nullable=False),
    Column("with_grant", Integer, nullable=False),
    Column("grant_sum", Money, nullable=False),
    Column("withdrawn", Integer, nullable=False),
)

summary_satisfaction = _summary(
    "summary_satisfaction",
    Column("theme", String(40), primary_key=True),
    Column("responses", Integer, nullable=False),
    Column("score_sum", Integer, nullable=False),
)

summary_feedback = _summary(
    "summary_feedback",
    Column("complaints", Integer, nullable=False),
    Column("compliments", Integer, nullable=False),
    Column("complaints_resolved", Integer, nullable=False),
    Column("complaint_response_days_sum", Integer, nullable=False),
    Column("complaints_upheld", Integer, nullable=False),
    # Resolved complaints answered within 20, 35 and 65 days (the markers scrutiny asked for).
    Column("resolved_within_20", Integer, nullable=False),
    Column("resolved_within_35", Integer, nullable=False),
    Column("resolved_within_65", Integer, nullable=False),
)

summary_case_mix = _summary(
    "summary_case_mix",
    Column("dimension", String(30), primary_key=True),
    Column("category", String(120), primary_key=True),  # '' when the return left it blank
    Column("cases", Integer, nullable=False),
)
# summary_case_mix: cases referred in the month by referral source, reason, case type and worker
# role, and by list item (referrals out, interventions, Care Act outcomes); and cases completed in
# the month by days-to-complete band (dimension "days_band").

summary_dfg_mix = _summary(
    "summary_dfg_mix",
    Column("dimension", String(30), primary_key=True),  # work_type, tenure, client_group
    Column("category", String(120), primary_key=True),
    Column("completed", Integer, nullable=False),
    Column("grant_sum", Money, nullable=False),
)
# summary_dfg_mix: grants completed in the month by work type, tenure and client group.

# Completeness of optional columns per district, rebuilt with the other summaries on each load.
summary_quality = Table(
    "summary_quality",
    metadata,
    Column("programme_id", Integer, ForeignKey("programmes.id"), primary_key=True),
    Column("district_id", Integer, ForeignKey("districts.id"), primary_key=True),
    Column("kind", String(30), primary_key=True),
    Column("column", String(60), primary_key=True),
    Column("rows", Integer, nullable=False),
    Column("filled", Integer, nullable=False),
)

# Records a person should look at (the data quality page), kept per district by the loader with the
# other summaries, so the page never scans raw rows: one row per record and check that fails.
summary_checks = Table(
    "summary_checks",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("district_id", Integer, ForeignKey("districts.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("check", String(80), nullable=False),
    Column("reference", String(60), nullable=False),
    Column("date", Date),  # the date that made it fail, if a date did
    Index("ix_summary_checks_check", "programme_id", "check"),
)

# What a load reads back: the rows it wrote (by its import id), to add them to the summaries, and
# the records to check of their references, to replace them.
LOAD_INDEXES = (
    *(Index(f"ix_{table.name}_import", table.c.import_id) for table in (cases, dfg, satisfaction,
                                                                         feedback)),
    Index("ix_summary_checks_reference", summary_checks.c.programme_id, summary_checks.c.kind,
          summary_checks.c.check, summary_checks.c.reference),
)

# Who may do what: an e-mail address or a group/role claim ("group:Board members") and its role.
# Edited by administrators on the Roles page; bootstrap administrators come from configuration.
role_assignments = Table(
    "role_assignments",
    metadata,
    Column("principal", String(200), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("assigned_by", String(200), nullable=False),
    Column("assigned_at", DateTime, nullable=False),
)

# The meeting a comment was written for: the comment still belongs to its KPI, area and period (and
# shows in that KPI's history); this says which meeting's papers it was written for.
meeting_commentary = Table(
    "meeting_commentary",
    metadata,
    Column("commentary_id", Integer, ForeignKey("commentary.id"), primary_key=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id"), nullable=False, index=True),
)

# When each identity (issuer and subject) last signed out: a sign-in cookie issued before then no
# longer opens a session, even copied into another browser (the cookie itself cannot be recalled).
sign_outs = Table(
    "sign_outs",
    metadata,
    Column("subject", String(400), primary_key=True),
    Column("signed_out_at", Integer, nullable=False),  # seconds since 1970, as an ID token's iat
)

# Append-only record of who did what. Each row carries the hash of the row before it, so an edit
# or deletion made directly in the database breaks the chain (``python -m dashboard.audit verify``).
# ``prev_hash`` is unique: two writers racing for the same place in the chain cannot both win.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("action", String(40), nullable=False),
    Column("programme", String(100), nullable=True),
    Column("detail", Text, nullable=True),
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
)
Index("ix_audit_log_at", audit_log.c.at)

# ---- The meeting cycle: meetings, commentary, actions and the figures frozen when papers issue.
# Only dashboard.meetings writes these tables. An "area" is 0 for the programme as a whole or a
# district's id, so a key with "the programme" in it can be unique on both databases (NULLs
# never compare equal in a unique constraint).

meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("meeting_date", Date, nullable=False),
    Column("title", String(200), nullable=False),
    Column("kind", String(20), nullable=False),  # board or scrutiny
    Column("period", String(20), nullable=False),  # the period its papers report on: 2019/20-Q1
    Column("status", String(10), nullable=False),  # draft, then issued (never changes after)
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("issued_by", String(200)),
    Column("issued_at", DateTime),
    Column("data_version", Integer),  # newest import-log id when issued
)

# Every version of every comment; an edit adds a version, nothing is overwritten.
commentary = Table(
    "commentary",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("kpi", String(60), nullable=False),
    Column("area", Integer, nullable=False),  # 0: the programme; else districts.id
    Column("period", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("reason", Text, nullable=False),  # the reason for the variance
    Column("recommended_action", Text),
    Column("author", String(200), nullable=False),
    Column("written_at", DateTime, nullable=False),
    Column("drafted", Boolean, nullable=False),  # accepted (perhaps edited) from the product's draft
    UniqueConstraint("programme_id", "kpi", "area", "period", "version"),
)

actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("description", Text, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("status", String(10), nullable=False),  # open or done; "overdue" is computed, never stored
    Column("kpi", String(60)),
    Column("meeting_id", Integer, ForeignKey("meetings.id")),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("done_by", String(200)),
    Column("done_at", DateTime),
)

# Issuing a meeting freezes, per KPI, area and period its papers show: value, target, RAG and
# the Making Data Count labels. Written once when the meeting is issued, never changed.
snapshot_kpis = Table(
    "snapshot_kpis",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id"), primary_key=True),
    Column("kpi", String(60), primary_key=True),
    Column("area", Integer, primary_key=True),  # 0: the programme
    Column("period", String(20), primary_key=True),
    Column("value", Float),
    Column("target", Float),
    Column("rag", String(10), nullable=False),
    Column("base", Float),
    Column("variation", String(40)),  # only on the meeting's own period
    Column("assurance", String(40)),
)

# The commentary versions and actions as they stood at issue, as compact JSON (they are read
# whole, for the papers and for "what changed"), and the data version the figures came from.
snapshot_documents = Table(
    "snapshot_documents",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id"), primary_key=True),
    Column("commentary", Text, nullable=False),
    Column("actions", Text, nullable=False),
)

# The papers as issued: the exact PDF and its SHA-256, so anyone can later show which document the
# board or committee was given. Written once, after the meeting's figures are frozen.
meeting_papers = Table(
    "meeting_papers",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meetings.id"), primary_key=True),
    Column("pack", String(20), nullable=False),  # board or scrutiny
    Column("pdf", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("pages", Integer, nullable=False),
    Column("made_by", String(200), nullable=False),
    Column("made_at", DateTime, nullable=False),
)

# CQC's published files, one snapshot per file date, every snapshot kept so two can be compared.
# "locations": the HSCA Active Locations directory; "ratings": the Latest ratings file.
cqc_snapshots = Table(
    "cqc_snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("as_at", Date, nullable=False),
    Column("file_name", String(260), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("loaded_at", DateTime, nullable=False),
    Column("loaded_by", String(100), nullable=False),
    UniqueConstraint("kind", "as_at"),
)

cqc_locations = Table(
    "cqc_locations",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("cqc_snapshots.id"), primary_key=True),
    Column("location_id", String(30), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("care_home", Boolean, nullable=False),
    Column("beds", Integer),
    Column("type_sector", String(100)),
    Column("directorate", String(100)),
    Column("category", String(200)),
    Column("local_authority", String(100), nullable=False),
    Column("region", String(100)),
    Column("directory_rating", String(40), nullable=False),  # as the directory shows it
    Column("rating", String(40), nullable=False),  # the one counted: see dashboard/queries/providers
    Column("publication_date", Date),
    Column("inherited", Boolean, nullable=False),
    Column("dormant", Boolean, nullable=False),
    Column("provider_id", String(30)),
    Column("provider_name", String(300)),
    Column("brand_name", String(300)),
    # "care_home", "community", or NULL for a row the council's adult social care does not count
    Column("service", String(20)),
    Index("ix_cqc_locations_authority", "snapshot_id", "local_authority"),
)

cqc_ratings = Table(
    "cqc_ratings",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("cqc_snapshots.id"), nullable=False),
    Column("location_id", String(30), nullable=False),
    Column("service_group", String(200), nullable=False),
    Column("domain", String(30), nullable=False),
    Column("rating", String(40), nullable=False),
    Column("publication_date", Date),
    Column("report_type", String(60)),
    Column("inherited", Boolean, nullable=False),
    Column("provider_id", String(30)),
    Index("ix_cqc_ratings_location", "snapshot_id", "location_id", "domain"),
)

# The rating mix per local authority, kept as each directory snapshot loads, so England and a
# comparator group are a few hundred summary rows, never a scan of the national file.
cqc_mix = Table(
    "cqc_mix",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("cqc_snapshots.id"), primary_key=True),
    Column("local_authority", String(100), primary_key=True),
    Column("service", String(20), primary_key=True),
    Column("rating", String(40), primary_key=True),
    Column("locations", Integer, nullable=False),
    Column("beds", Integer, nullable=False),
)

# The council's own files: which services it contracts with (and for how much), and its people.
council_contracts = Table(
    "council_contracts",
    metadata,
    Column("council_id", Integer, ForeignKey("councils.id"), primary_key=True),
    Column("location_id", String(30), primary_key=True),
    Column("contracted", Boolean, nullable=False),
    Column("funded_beds", Integer),
    Column("funded_hours_weekly", Float),
)

# Keyed by the area's name as the regulator spells it, so comparators and England need no set-up.
council_population = Table(
    "council_population",
    metadata,
    Column("area", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("aged_65_plus", Integer, nullable=False),
)

# A savings programme: its plan, one row per workstream (estimates of the full annual benefit,
# when it starts and how it builds up), and each month's delivery return per workstream. A few
# hundred rows a programme, so pages read them directly. The plan-wide figures (the guarantee
# threshold, the budget the savings come from) are given on the workstream rows, the same on each.
savings_workstreams = Table(
    "savings_workstreams",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("workstream_code", String(20), nullable=False),
    Column("workstream", String(200), nullable=False),
    Column("cohort", String(100), nullable=False),
    Column("benefit_type", String(30), nullable=False),
    Column("lower_bound", Money, nullable=False),
    Column("upper_bound", Money, nullable=False),
    Column("already_in_mtfs", Money),
    Column("first_fy", Integer, nullable=False),  # 2019 for 2019/20
    Column("profile", String(300)),  # as sent, checked: "2019/20: 40%; 2020/21: 100%"
    Column("lead_kpi", String(80)),
    Column("owner", String(200)),
    Column("guarantee_threshold", Money),
    Column("baseline_budget", Money),
    _import_id(),
    UniqueConstraint("programme_id", "workstream_code"),
)

savings_delivery = Table(
    "savings_delivery",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("workstream_code", String(20), nullable=False),
    Column("fy", Integer, nullable=False),
    Column("month", Integer, nullable=False),  # 1 = April
    Column("delivered_to_date", Money, nullable=False),
    Column("forecast_year", Money, nullable=False),
    Column("confidence", String(10)),
    Column("note", Text),
    _import_id(),
    UniqueConstraint("programme_id", "workstream_code", "fy", "month"),
)

# A care-at-home programme: the providers it buys from (each on a framework, or "Off framework"),
# each provider's monthly hours and spend by client group, and each request for care at home.
care_providers = Table(
    "care_providers",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("provider", String(200), nullable=False),
    Column("framework", String(100), nullable=False),
    Column("lot", String(100)),
    Column("regulator_id", String(30)),  # CQC Location ID (England) or Care Inspectorate CSNumber
    _import_id(),
    UniqueConstraint("programme_id", "provider"),
)

care_hours = Table(
    "care_hours",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("provider", String(200), nullable=False),  # as the providers file spells it
    Column("ym", Integer, nullable=False),  # 201608 for August 2016
    Column("client_group", String(40), nullable=False),
    Column("hours_commissioned_weekly", Float, nullable=False),
    Column("hours_delivered_weekly", Float, nullable=False),
    Column("spend", Money, nullable=False),  # £ in the month
    Column("model", String(40)),
    _import_id(),
    UniqueConstraint("programme_id", "ym", "provider", "client_group"),
)

care_requests = Table(
    "care_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk_programme(),
    Column("request_ref", String(60), nullable=False),
    Column("client_group", String(40), nullable=False),
    Column("request_date", Date, nullable=False),
    Column("hours_weekly", Float, nullable=False),
    Column("service_start_date", Date),
    Column("ended_date", Date),
    Column("reason", Text),
    _import_id(),
    UniqueConstraint("programme_id", "request_ref"),
    Index("ix_care_requests_dates", "programme_id", "request_date"),
    Index("ix_care_requests_import", "import_id"),
)

# A care-at-home programme's requests by month and client group: how many arrived on the list (by
# request date) and how many left it (by the earlier of service start and end), with their weekly
# hours. The list at a month's end is everything that arrived by then less everything that left.
summary_care_requests = Table(
    "summary_care_requests",
    metadata,
    Column("programme_id", Integer, ForeignKey("programmes.id"), primary_key=True),
    Column("ym", Integer, primary_key=True),
    Column("client_group", String(40), primary_key=True),
    Column("arrived", Integer, nullable=False),
    Column("arrived_hours", Float, nullable=False),
    Column("departed", Integer, nullable=False),
    Column("departed_hours", Float, nullable=False),
)

# Services started in each month by whole days from request to start: any median, for any period.
summary_care_starts = Table(
    "summary_care_starts",
    metadata,
    Column("programme_id", Integer, ForeignKey("programmes.id"), primary_key=True),
    Column("ym", Integer, primary_key=True),
    Column("days", Integer, primary_key=True),
    Column("starts", Integer, nullable=False),
)

# The Care Inspectorate's datastore (MDSF_data_<date>.csv), one snapshot per file date, every one
# kept: a service's grades at its last two inspections come from the snapshots' publication dates.
ci_snapshots = Table(
    "ci_snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("as_at", Date, nullable=False, unique=True),
    Column("file_name", String(260), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("loaded_at", DateTime, nullable=False),
    Column("loaded_by", String(100), nullable=False),
)

ci_services = Table(
    "ci_services",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("ci_snapshots.id"), primary_key=True),
    Column("cs_number", String(30), primary_key=True),
    Column("service_name", String(300)),
    Column("provider", String(300)),
    Column("council_area", String(100)),
    Column("published", Date),  # Publication_of_Latest_Grading
    Column("min_grade", Integer),  # the lowest of the latest grades (MinGrade), 1-6
    Column("max_grade", Integer),
    Column("grades", Text),  # every grade column as published, "name=value" per line
    Index("ix_ci_services_area", "snapshot_id", "council_area"),
)

SUMMARY_TABLES = (summary_cases, summary_dfg, summary_satisfaction, summary_feedback,
                  summary_case_mix, summary_dfg_mix)

# What the product issues or records is never changed afterwards, by it or by anyone else.
protect(audit_log, snapshot_kpis, snapshot_documents, meeting_papers)
