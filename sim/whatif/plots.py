"""The plots of a what-if (matplotlib, Agg backend, imported only here). Each function draws
one PNG and returns the sentence report.md puts under it, saying what it shows and what the
numbers say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .spec import SweepSpec
from .stats import ci95

__all__ = ["render_all"]

# Okabe-Ito, the project's colour-blind safe palette
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
SOURCE_COLOURS = {"registry": "#0072B2", "mirror": "#E69F00", "peer": "#009E73"}


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _mean(results: list[dict[str, Any]], cell: int, metric: str) -> tuple[float | None, float]:
    values = [float(r["scalars"][metric]) for r in results
              if r["cell"] == cell and r["scalars"].get(metric) is not None]
    if not values:
        return None, 0.0
    mean, _sd, half = ci95(values)
    return mean, half or 0.0


def _labels(spec: SweepSpec) -> list[str]:
    """Short tick labels: the point and the factor values, one per line (the x-axis title
    names what they are)."""
    out = []
    for c in spec.cells():
        params = dict(c.params)
        parts = ([c.point] if c.point else []) + [str(params[p]) for p in spec.factors]
        out.append("\n".join(parts) or "base")
    return out


def _axis(spec: SweepSpec) -> str:
    return " / ".join((["point"] if spec.points else []) + list(spec.factors))


def _ticks(ax, spec: SweepSpec) -> None:
    labels = _labels(spec)
    ax.set_xticks(list(range(len(labels))), labels,
                  rotation=30 if len(labels) > 8 else 0, fontsize=8 if len(labels) > 8 else 10)
    ax.set_xlabel(_axis(spec))


def _gb(x: float) -> str:
    return f"{x / 1e9:.2f} GB" if x >= 1e8 else f"{x / 1e6:.1f} MB"


def _legend_room(ax) -> None:
    """Raise the top of a bar chart so the legend sits above the tallest bar, not on it."""
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi * 1.3)
    ax.legend(loc="upper left")


def _save(plt, fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=100, metadata={"Software": None})  # no version: same bytes
    plt.close(fig)


def bytes_by_source(spec, results, path: Path) -> str | None:
    plt = _pyplot()
    cells = spec.cells()
    xs = list(range(len(cells)))
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(cells) + 2), 4.5))
    bottom = [0.0] * len(cells)
    totals = [0.0] * len(cells)
    for source, colour in SOURCE_COLOURS.items():
        values = [(_mean(results, c.index, f"bytes_from_{source}")[0] or 0.0) / 1e6
                  for c in cells]
        if any(values):
            ax.bar(xs, values, bottom=bottom, color=colour, label=source)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for i, c in enumerate(cells):
        totals[i] = _mean(results, c.index, "bytes_pulled")[0] or 0.0
    if not any(totals):
        plt.close(fig)
        return None
    origin = [(_mean(results, c.index, "registry_egress_bytes")[0] or 0.0) / 1e6 for c in cells]
    ax.scatter(xs, origin, marker="_", s=900, linewidths=2.5, color="#000000", zorder=3,
               label="left the origin registry")
    _ticks(ax, spec)
    ax.set_ylabel("MB pulled (compressed, all hosts)")
    ax.set_title("Bytes pulled, by where they came from")
    _legend_room(ax)
    _save(plt, fig, path)
    hi, lo = max(range(len(cells)), key=totals.__getitem__), min(range(len(cells)),
                                                                 key=totals.__getitem__)
    return (f"Bytes pulled by all hosts per cell, stacked by source (registry, mirror, peer), "
            f"with a black mark at the bytes that left the origin registry: the most pulled is "
            f"{_gb(totals[hi])} in cell '{cells[hi].label}', the least {_gb(totals[lo])} in "
            f"cell '{cells[lo].label}'.")


def disk(spec, results, path: Path) -> str | None:
    plt = _pyplot()
    cells = spec.cells()
    logical = [_mean(results, c.index, "disk_logical_bytes")[0] or 0.0 for c in cells]
    unique = [_mean(results, c.index, "disk_unique_bytes")[0] or 0.0 for c in cells]
    if not any(unique):
        return None
    used = [_mean(results, c.index, "disk_used_bytes")[0] or 0.0 for c in cells]
    bars = [(logical, COLOURS[1], "logical (each image counted whole)"),
            (unique, COLOURS[0], "unique (each layer once per host)")]
    if used != unique:  # writable layers (a VM's disk) or volumes hold bytes too
        bars.append((used, COLOURS[2], "all on disk (layers, writable layers, volumes)"))
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(cells) + 2), 4.5))
    xs = range(len(cells))
    width = 0.8 / len(bars)
    for k, (values, colour, label) in enumerate(bars):
        ax.bar([x - 0.4 + width * (k + 0.5) for x in xs], [v / 1e6 for v in values], width,
               color=colour, label=label)
    for x, lg, un in zip(xs, logical, unique, strict=True):
        if un:
            ax.annotate(f"{lg / un:.2f}x", (x - 0.4 + width * 1.5, un / 1e6), ha="center",
                        va="bottom")
    _ticks(ax, spec)
    ax.set_ylabel("MB on disk, all hosts (uncompressed)")
    ax.set_title("Disk: logical vs unique bytes (dedup ratio on top)")
    _legend_room(ax)
    _save(plt, fig, path)
    ratios = [lg / un if un else 0.0 for lg, un in zip(logical, unique, strict=True)]
    best = max(range(len(cells)), key=ratios.__getitem__)
    extra = (", and everything on disk including writable layers and volumes"
             if len(bars) == 3 else "")
    return (f"Disk used by image layers over all hosts, if every image were stored whole "
            f"(logical) and as the layer store keeps it, each layer once per host (unique)"
            f"{extra}; the best sharing is {ratios[best]:.2f}x in cell "
            f"'{cells[best].label}'.")


def time_to_running(spec, results, path: Path) -> str | None:
    plt = _pyplot()
    cells = spec.cells()
    metrics = (("ttr_p50", "p50"), ("ttr_p95", "p95"), ("ttr_max", "max"))
    if all(_mean(results, c.index, "ttr_max")[0] is None for c in cells):
        return None
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(cells) + 2), 4.5))
    width = 0.8 / len(metrics)
    for k, (metric, name) in enumerate(metrics):
        pairs = [_mean(results, c.index, metric) for c in cells]
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(cells))]
        ax.bar(xs, [m or 0.0 for m, _h in pairs], width, yerr=[h for _m, h in pairs],
               color=COLOURS[k], label=name, capsize=3)
    _ticks(ax, spec)
    ax.set_ylabel("seconds from the step's start")
    ax.set_title("Time to running, per container")
    ax.legend()
    _save(plt, fig, path)
    p95 = [_mean(results, c.index, "ttr_p95")[0] or 0.0 for c in cells]
    hi = max(range(len(cells)), key=p95.__getitem__)
    lo = min(range(len(cells)), key=p95.__getitem__)
    return (f"Seconds from a step's start until its container first runs (p50, p95, max over "
            f"containers; error bars are 95% CIs over replications): p95 ranges from "
            f"{p95[lo]:.2f}s ('{cells[lo].label}') to {p95[hi]:.2f}s ('{cells[hi].label}').")


def egress(spec, results, path: Path) -> str | None:
    """Replication 0 of each cell: the busiest registry's egress over time."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    drawn = 0
    capped = True
    for c, colour in zip(spec.cells(), COLOURS * 100, strict=False):
        run = next(r for r in results if r["cell"] == c.index and r["rep"] == 0)
        by_reg: dict[str, list[dict[str, Any]]] = {}
        for row in run["egress"]:
            by_reg.setdefault(row["registry"], []).append(row)
        if not by_reg:
            continue
        reg, rows = max(by_reg.items(), key=lambda kv: sum(r["bytes_per_s"] for r in kv[1]))
        capped = capped and rows[0]["utilisation"] is not None
        ys = [100 * r["utilisation"] if capped else r["bytes_per_s"] / 1e6 for r in rows]
        ax.step([r["t"] for r in rows], ys, where="post", color=colour,
                label=f"{c.label} ({reg})")
        drawn += 1
    if not drawn:
        plt.close(fig)
        return None
    ax.set_xlabel("simulated seconds")
    ax.set_ylabel("% of egress in use" if capped else "MB/s out")
    ax.set_title("Registry egress over time (replication 0)")
    ax.legend(fontsize=8)
    _save(plt, fig, path)
    return ("The busiest registry's outbound traffic over time in each cell (replication 0), "
            "as a share of its egress link" + ("" if capped else " (in MB/s: no egress cap)") +
            "; each transfer's bytes are spread evenly over its duration.")


def factor_lines(spec, results, path: Path) -> str | None:
    """Bytes pulled and time to all running against the first factor, a line per point or
    combination of the other factors."""
    paths = list(spec.factors)
    if not paths or len(spec.factors[paths[0]]) < 2:
        return None
    plt = _pyplot()
    x_path = paths[0]
    xs = [str(v) for v in spec.factors[x_path]]
    series: dict[str, list] = {}
    for c in spec.cells():
        params = dict(c.params)
        rest = [c.point] if c.point else []
        rest += [f"{p}={params[p]}" for p in paths[1:]]
        series.setdefault(" ".join(rest) or "all", []).append(c)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for (name, cells), colour in zip(series.items(), COLOURS * 100, strict=False):
        for ax, metric, scale in ((axes[0], "registry_egress_bytes", 1e6),
                                  (axes[1], "all_running_s", 1.0)):
            pairs = [_mean(results, c.index, metric) for c in cells]
            ax.errorbar(xs, [(m or 0.0) / scale for m, _h in pairs],
                        yerr=[h / scale for _m, h in pairs], marker="o", color=colour,
                        label=name, capsize=3)
    axes[0].set_ylabel("MB out of the origin registry")
    axes[1].set_ylabel("seconds until every container runs")
    for ax in axes:
        ax.set_xlabel(x_path)
        values = [y for line in ax.get_lines() for y in line.get_ydata() if y > 0]
        if values and max(values) / min(values) > 100:  # a fleet from 10 to 1,000 hosts
            ax.set_yscale("log")
    axes[0].legend(fontsize=8)
    fig.suptitle(f"Against {x_path}")
    _save(plt, fig, path)
    return (f"Bytes out of the origin registry (left) and the time until the last container "
            f"runs (right) against "
            f"{x_path}, one line per {'point and ' if spec.points else ''}combination of the "
            "other factors, with 95% CIs over replications.")


PLOTS = (("bytes-by-source.png", bytes_by_source), ("disk.png", disk),
         ("time-to-running.png", time_to_running), ("egress.png", egress),
         ("factor.png", factor_lines))


def render_all(spec: SweepSpec, results: list[dict[str, Any]], folder: Path
               ) -> list[tuple[str, str]]:
    """Every plot that has data; returns (relative file, sentence) pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, draw in PLOTS:
        sentence = draw(spec, results, folder / name)
        if sentence is not None:
            out.append((f"{folder.name}/{name}", sentence))
    return out
