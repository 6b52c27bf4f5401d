"""KPI figures per period and district, computed from summary sums with the registry's formulas.

This is the only place a KPI's value is worked out; pages, the CLI, exports and packs all call it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from dashboard.periods import Period
from dashboard.queries import summary_sums as sums
from dashboard.queries.programmes import districts_frame, programme_id
from dashboard.queries.registry import KPI_IDS, Kpi, get_kpi
from dashboard.queries.targets import TargetBook, rag_status, target_book

KPI_COLUMNS = [
    "kpi", "name", "unit", "good", "period", "district_id", "district", "code",
    "value", "target", "amber_tolerance", "rag", "base",
]
PROGRAMME = -1  # district_id of the programme-wide row while computing; None in the output


def _grid(periods: Sequence[Period], district_ids: Sequence[int]) -> pd.MultiIndex:
    return pd.MultiIndex.from_product(
        [[PROGRAMME, *district_ids], [p.label for p in periods]], names=["district_id", "period"]
    )


def _with_programme_rows(frame: pd.DataFrame, value_columns: list[str]) -> pd.DataFrame:
    """Add the programme total (sum over every row, partners outside districts included)."""
    total = frame.groupby("period", as_index=False)[value_columns].sum()
    total["district_id"] = PROGRAMME
    return pd.concat([frame.dropna(subset=["district_id"]), total], ignore_index=True)


def _on_grid(frame: pd.DataFrame, columns: list[str], grid: pd.MultiIndex) -> pd.DataFrame:
    frame = frame.astype({"district_id": int}).groupby(["district_id", "period"])[columns].sum()
    return frame.reindex(grid, fill_value=0.0)


class _Inputs:
    """Fetches each summary's sums once per call, however many KPIs share them."""

    def __init__(self, engine: Engine, pid: int, periods: Sequence[Period],
                 district_ids: Sequence[int] | None, worker_role: str | None) -> None:
        self.engine, self.pid, self.periods = engine, pid, periods
        self.district_ids, self.worker_role = district_ids, worker_role
        self._cache: dict[str, pd.DataFrame] = {}

    def table(self, name: str, columns: list[str]) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = sums.period_sums(
                self.engine, name, columns, self.pid, self.periods, self.district_ids,
                self.worker_role,
            )
        return self._cache[name]


def _ratio(kpi: Kpi, inputs: _Inputs, needed: dict[str, list[str]],
           grid: pd.MultiIndex) -> pd.DataFrame:
    parts = []
    for table_name in dict.fromkeys(c.split(".")[0] for c in kpi.columns):
        frame = inputs.table(table_name, needed[table_name])
        if kpi.theme is not None and "theme" in frame:
            frame = frame[frame["theme"] == kpi.theme]
        columns = needed[table_name]
        frame = _with_programme_rows(frame[["district_id", "period", *columns]], columns)
        parts.append(_on_grid(frame, columns, grid).add_prefix(f"{table_name}."))
    data = pd.concat(parts, axis=1)
    numerator = data[list(kpi.numerator)].sum(axis=1)
    base = data[list(kpi.base)].sum(axis=1)
    if kpi.denominator is None:
        value = numerator
    else:
        denominator = data[list(kpi.denominator)].sum(axis=1)
        value = (kpi.scale * numerator / denominator.where(denominator > 0)).astype(float)
    return pd.DataFrame({"value": value, "base": base})


def _cumulative(frame: pd.DataFrame, value: str, position: str, ends: dict[str, int],
                grid: pd.MultiIndex, fy_of_period: dict[str, int] | None = None) -> pd.Series:
    """Per grid cell, the sum of ``value`` over rows whose ``position`` is up to the period's end
    (and, with ``fy_of_period``, in the period's financial year). The programme row takes every
    row, including finance lines of partners that are not districts."""
    totals = []
    for district_id, period in grid:
        mine = frame if district_id == PROGRAMME else frame[frame["district_id"] == district_id]
        mine = mine[mine[position] <= ends[period]]
        if fy_of_period is not None:
            mine = mine[mine["fy"] == fy_of_period[period]]
        totals.append(float(mine[value].sum()))
    return pd.Series(totals, index=grid, dtype=float)


def _open_cases(inputs: _Inputs, periods: Sequence[Period], grid: pd.MultiIndex) -> pd.DataFrame:
    net = sums.net_open_by_month(inputs.engine, inputs.pid, periods[-1].last_ym,
                                 inputs.district_ids, inputs.worker_role)
    value = _cumulative(net.astype({"net": float}), "net", "ym",
                        {p.label: p.last_ym for p in periods}, grid)
    return pd.DataFrame({"value": value, "base": value})


def _spend_vs_allocation(inputs: _Inputs, periods: Sequence[Period],
                         grid: pd.MultiIndex) -> pd.DataFrame:
    fys = sorted({p.fy for p in periods})
    fy_of_period = {p.label: p.fy for p in periods}
    spend = sums.spend_by_month(inputs.engine, inputs.pid, fys, inputs.district_ids)
    spent = _cumulative(spend, "spend", "ym", {p.label: p.last_ym for p in periods}, grid,
                        fy_of_period)
    allocation = sums.allocation_totals(inputs.engine, inputs.pid, fys, inputs.district_ids)
    whole_year = {p.label: 9999_12 for p in periods}
    allocated = _cumulative(allocation.assign(ym=0), "allocation", "ym", whole_year, grid,
                            fy_of_period)
    # Spend to date against the allocation to date: a straight-line profile by month, so a
    # quarter is judged on its share of the year (the whole year for a year).
    share = pd.Series([p.last_fy_month / 12 for p in periods], index=[p.label for p in periods])
    profiled = allocated * share.reindex(grid.get_level_values("period")).to_numpy()
    value = 100.0 * spent / profiled.where(profiled > 0)
    return pd.DataFrame({"value": value, "base": allocated})


def _budget_variance(inputs: _Inputs, periods: Sequence[Period],
                     grid: pd.MultiIndex) -> pd.DataFrame:
    fys = sorted({p.fy for p in periods})
    fy_of_period = {p.label: p.fy for p in periods}
    ends = {p.label: p.last_fy_month for p in periods}
    variance = sums.variance_by_month(inputs.engine, inputs.pid, fys, inputs.district_ids)
    value = _cumulative(variance, "variance", "month", ends, grid, fy_of_period)
    lines = _cumulative(variance.astype({"lines": float}), "lines", "month", ends, grid,
                        fy_of_period)
    return pd.DataFrame({"value": value.where(lines > 0), "base": lines})


def compute_kpis(
    engine: Engine,
    programme: str,
    periods: Sequence[Period],
    kpi_ids: Sequence[str] | None = None,
    districts: Sequence[str] | None = None,
    by_district: bool = False,
    worker_role: str | None = None,
) -> pd.DataFrame:
    """One row per KPI, period and area (the programme, then each district when ``by_district``).

    ``districts`` (names or codes) narrows the programme row to those districts combined.
    Columns: see ``KPI_COLUMNS``; ``value`` is NaN where the figure has no data (a mean over no
    cases), ``rag`` is green/amber/red/grey.
    """
    pid = programme_id(engine, programme)
    all_districts = districts_frame(engine, programme)
    chosen = _choose_districts(all_districts, districts)
    district_ids = None if districts is None else list(chosen["district_id"])
    grid = _grid(periods, list(chosen["district_id"]))
    kpis = [get_kpi(k) for k in (kpi_ids or KPI_IDS)]
    needed: dict[str, list[str]] = {}
    for kpi in kpis:
        for qualified in kpi.columns:
            table, column = qualified.split(".")
            needed.setdefault(table, [])
            if column not in needed[table]:
                needed[table].append(column)
    inputs = _Inputs(engine, pid, periods, district_ids, worker_role)
    targets = target_book(engine, pid)
    frames = []
    for kpi in kpis:
        if kpi.kind == "ratio":
            result = _ratio(kpi, inputs, needed, grid)
        elif kpi.kind == "open_cases":
            result = _open_cases(inputs, periods, grid)
        elif kpi.kind == "spend_vs_allocation":
            result = _spend_vs_allocation(inputs, periods, grid)
        else:
            result = _budget_variance(inputs, periods, grid)
        frames.append(_finish(kpi, result, periods, chosen, targets, by_district))
    return pd.concat(frames, ignore_index=True)[KPI_COLUMNS]


def _choose_districts(all_districts: pd.DataFrame, wanted: Sequence[str] | None) -> pd.DataFrame:
    if wanted is None:
        return all_districts
    names = set(all_districts["district"].str.lower()) | set(all_districts["code"].str.lower())
    unknown = [w for w in wanted if w.strip().lower() not in names]
    if unknown:
        raise ValueError(
            f"Unknown district(s): {', '.join(unknown)}. "
            f"Districts: {', '.join(all_districts['district'])}."
        )
    keys = {w.strip().lower() for w in wanted}
    mask = (all_districts["district"].str.lower().isin(keys)
            | all_districts["code"].str.lower().isin(keys))
    return all_districts[mask]


def _finish(kpi: Kpi, result: pd.DataFrame, periods: Sequence[Period], chosen: pd.DataFrame,
            targets: TargetBook, by_district: bool) -> pd.DataFrame:
    names = dict(zip(chosen["district_id"], chosen["district"], strict=True))
    codes = dict(zip(chosen["district_id"], chosen["code"], strict=True))
    fy_of = {p.label: p.fy for p in periods}
    rows = []
    for (district_id, period), row in result.iterrows():
        if district_id != PROGRAMME and not by_district:
            continue
        area = None if district_id == PROGRAMME else int(district_id)
        value = None if pd.isna(row["value"]) else float(np.round(row["value"], 10))
        target = targets.target(kpi, area, fy_of[period])
        rows.append({
            "kpi": kpi.id, "name": kpi.name, "unit": kpi.unit, "good": kpi.good,
            "period": period, "district_id": area, "district": names.get(area),
            "code": codes.get(area), "value": value,
            "target": None if target is None else target.value,
            "amber_tolerance": None if target is None else target.amber_tolerance,
            "rag": rag_status(value, target, kpi.good, row["base"]),
            "base": float(row["base"]),
        })
    return pd.DataFrame(rows, columns=KPI_COLUMNS).astype(
        {"value": float, "target": float, "amber_tolerance": float}
    )


def kpi_table(engine: Engine, programme: str, period: Period, **options: object) -> pd.DataFrame:
    """Every KPI (or ``kpi_ids``) for one period."""
    return compute_kpis(engine, programme, [period], **options)  # type: ignore[arg-type]
