"""Colours and labels that meet WCAG 2.2 AA and survive black-and-white printing.

Categorical colours are the Government Analysis Function palette (colour-blind safe, in this order;
at most four series where possible). RAG colours are dark enough for 4.5:1 text contrast on white,
and every status also has a symbol and words, so colour is never the only carrier of meaning.
"""

from __future__ import annotations

CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
NEUTRAL = "#505A5F"
TARGET_LINE = "#3D3D3D"

RAG_COLOURS = {"green": "#00703C", "amber": "#8A4B08", "red": "#B10E1E", "grey": "#505A5F"}
RAG_SYMBOLS = {"green": "✔", "amber": "▲", "red": "✖", "grey": "–"}
# The same statuses in Streamlit's named colours: badges, and st.metric's delta and sparkline.
RAG_STREAMLIT_COLOURS = {"green": "green", "amber": "orange", "red": "red", "grey": "gray"}
RAG_WORDS = {"green": "On target", "amber": "Close to target", "red": "Off target",
             "grey": "No target or no data"}


CHANGE_COLOURS = {"better": "green", "worse": "red", "same": "gray"}


def change_verdict(good: str, value: float | None, previous: float | None,
                   target: float | None = None) -> str:
    """Whether the change since the previous period is "better", "worse" or the "same" (or
    unknown), by the KPI's direction of good: a board member reads a change's colour that way,
    whatever the status. A "closest" KPI is better when nearer its target."""
    if value is None or previous is None or value != value or previous != previous:
        return "same"
    if good == "closest":
        if target is None or target != target:
            return "same"
        step = abs(previous - target) - abs(value - target)
    else:
        step = value - previous if good == "higher" else previous - value
    return "better" if step > 1e-9 else ("worse" if step < -1e-9 else "same")


def rag_label(rag: str) -> str:
    """``✔ On target``: symbol and words, readable without colour."""
    return f"{RAG_SYMBOLS[rag]} {RAG_WORDS[rag]}"


def rag_legend() -> str:
    """Every status in one line, for a caption under a table: ``✔ On target · ▲ Close to target…``."""
    return " · ".join(rag_label(rag) for rag in RAG_WORDS)
