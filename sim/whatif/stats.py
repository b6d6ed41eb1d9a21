"""Means and 95% confidence intervals over replications (Student's t, two-sided), and the
results table: one row per cell and replication."""

from __future__ import annotations

import math
import statistics
from typing import Any

from .metrics import SCALARS
from .spec import SweepSpec

__all__ = ["ci95", "columns", "result_rows", "summary_rows"]

# two-sided 95% quantiles of Student's t by degrees of freedom (standard tables); a df
# between entries uses the next smaller one, which errs on the wide side
_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
        16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074,
        23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045,
        30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


def t95(df: int) -> float:
    if df in _T95:
        return _T95[df]
    return _T95[max(k for k in _T95 if k <= df)]


def ci95(values: list[float]) -> tuple[float, float | None, float | None]:
    """(mean, standard deviation, half-width of the 95% CI); the last two None for n < 2."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, None, None
    sd = statistics.stdev(values)
    return mean, sd, t95(len(values) - 1) * sd / math.sqrt(len(values))


def metric_names(results: list[dict[str, Any]]) -> list[str]:
    """The scalar metrics, then the per-registry ones every run produced, sorted."""
    extra = sorted({k for r in results for k in r["scalars"] if k not in SCALARS})
    return [*SCALARS, *extra]


def columns(spec: SweepSpec) -> list[str]:
    """The columns naming a cell: its number and label, its point, its factors."""
    cols = ["cell", "label"]
    if spec.points:
        cols.append("point")
    return cols + list(spec.factors)


def _cell_values(spec: SweepSpec) -> dict[int, dict[str, Any]]:
    out = {}
    for cell in spec.cells():
        params = dict(cell.params)
        row: dict[str, Any] = {"cell": cell.index, "label": cell.label}
        if spec.points:
            row["point"] = cell.point
        row.update({path: params[path] for path in spec.factors})
        out[cell.index] = row
    return out


def result_rows(spec: SweepSpec, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cells = _cell_values(spec)
    names = metric_names(results)
    return [{**cells[r["cell"]], "rep": r["rep"], "seed": r["seed"],
             **{m: r["scalars"].get(m) for m in names}} for r in results]


def summary_rows(spec: SweepSpec, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per cell and metric: n, mean, sd, 95% CI. Missing values (a run with no
    container has no time to running) are left out of n."""
    cells = _cell_values(spec)
    rows = []
    for cell in spec.cells():
        runs = [r for r in results if r["cell"] == cell.index]
        for metric in metric_names(results):
            values = [r["scalars"].get(metric) for r in runs]
            values = [float(v) for v in values if v is not None]
            row = {**cells[cell.index], "metric": metric, "n": len(values), "mean": None,
                   "sd": None, "ci95_low": None, "ci95_high": None}
            if values:
                mean, sd, half = ci95(values)
                row.update(mean=mean, sd=sd)
                if half is not None:
                    row.update(ci95_low=mean - half, ci95_high=mean + half)
            rows.append(row)
    return rows
