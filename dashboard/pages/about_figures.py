"""About the figures: the KPI definitions, RAG rules and periods, from the project's own docs."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

DEFINITIONS = Path(__file__).resolve().parents[2] / "docs" / "kpi-definitions.md"

st.markdown(DEFINITIONS.read_text(encoding="utf-8"))
st.caption("The same definitions drive every tile, chart, table and export in this dashboard.")
