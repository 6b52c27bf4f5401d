"""Percentages of a whole, written once: a zero or missing whole gives no figure, never a
division error or an infinite percentage."""

from __future__ import annotations

import pandas as pd


def percent_of(part: pd.Series | float, whole: pd.Series | float) -> pd.Series | float:
    """``100 × part ÷ whole``, missing (NaN) where the whole is zero or missing."""
    if isinstance(whole, pd.Series):
        return 100 * part / whole.where(whole > 0)
    return 100 * part / whole if whole and whole > 0 else float("nan")
