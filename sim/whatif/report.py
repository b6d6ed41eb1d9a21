"""The run folder of a what-if: parameters, results, summary, plots and report.md, written
into a temporary folder and renamed into place at the end, so a failure leaves nothing
half-written; and the summary table for the terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

from .spec import SweepSpec
from .stats import ci95, result_rows, summary_rows

__all__ = ["MARKER", "TABLE_METRICS", "check_out_dir", "table", "write_folder"]

MARKER = "sweep.json"  # a folder holding this is a what-if run folder we may replace
# (metric, heading, kind): the columns of the terminal and report table, when not all empty
TABLE_METRICS = (
    ("bytes_pulled", "pulled", "size"),
    ("registry_egress_bytes", "registry egress", "size"),
    ("bytes_from_mirror", "from mirror", "size"),
    ("bytes_from_peer", "from peers", "size"),
    ("disk_unique_bytes", "layers on disk", "size"),
    ("dedup_ratio", "dedup", "ratio"),
    ("disk_used_bytes", "disk used", "size"),
    ("ttr_p50", "ttr p50", "s"),
    ("ttr_p95", "ttr p95", "s"),
    ("all_running_s", "all running", "s"),
    ("egress_peak_util", "egress peak", "pct"),
    ("build_seconds", "build", "s"),
    ("bytes_pushed", "pushed", "size"),
    ("copy_up_bytes", "copy-up", "size"),
)


def check_out_dir(out: Path) -> None:
    """Refuse, before anything runs, a folder we would have to overwrite but did not make."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and
                                              not (out / MARKER).exists())):
        raise SystemExit(f"dockersim whatif: --out {out}: exists and is not a what-if run "
                         "folder; choose another folder")
    for parent in out.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise SystemExit(f"dockersim whatif: --out {out}: {parent} is a file, not a "
                                 "folder")
            break


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as the scenario file spells it
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def _csv(rows: list[dict[str, Any]], cols: list[str] | None = None) -> str:
    buf = io.StringIO()
    cols = cols or (list(rows[0]) if rows else [])
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in cols])
    return buf.getvalue()


def _tagged(results: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [{"cell": r["cell"], "rep": r["rep"], **row} for r in results for row in r[key]]


def _fmt(value: float | None, kind: str) -> str:
    from ..cli.units import human_size
    if value is None:
        return "-"
    if kind == "size":
        return human_size(value)
    if kind == "pct":
        return f"{100 * value:.0f}%"
    if kind == "ratio":
        return f"{value:.2f}x"
    return f"{value:.2f}s"


def table_rows(spec: SweepSpec, results: list[dict[str, Any]]) -> tuple[list[str],
                                                                          list[list[str]]]:
    """The summary as text cells: one row per cell, mean (± CI half-width) per metric,
    leaving out metrics no run produced."""
    shown = [(m, h, k) for m, h, k in TABLE_METRICS
             if any(r["scalars"].get(m) not in (None, 0) for r in results)]
    if all(r["scalars"].get("disk_used_bytes") == r["scalars"].get("disk_unique_bytes")
           for r in results):  # nothing but layers on disk: one column says it
        shown = [x for x in shown if x[0] != "disk_used_bytes"]
    head = ["cell", "n"] + [h for _m, h, _k in shown]
    rows = []
    for cell in spec.cells():
        runs = [r for r in results if r["cell"] == cell.index]
        row = [cell.label, str(len(runs))]
        for metric, _h, kind in shown:
            values = [float(r["scalars"][metric]) for r in runs
                      if r["scalars"].get(metric) is not None]
            if not values:
                row.append("-")
                continue
            mean, _sd, half = ci95(values)
            text = _fmt(mean, kind)
            if half:
                text += f" ±{_fmt(half, kind)}"
            row.append(text)
        rows.append(row)
    return head, rows


def table(spec: SweepSpec, results: list[dict[str, Any]], width: int | None = None) -> str:
    """The rich table printed on the terminal (plain text when piped)."""
    from rich.console import Console
    from rich.table import Table
    head, rows = table_rows(spec, results)
    t = Table(title=f"what-if {spec.stem}: mean ± 95% CI over {spec.repeat} replication"
              f"{'s' if spec.repeat != 1 else ''}", show_edge=False)
    for i, h in enumerate(head):
        t.add_column(h, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for row in rows:
        t.add_row(*row)
    console = Console(file=io.StringIO(), width=width or 400, force_terminal=False,
                      color_system=None)  # a table only takes the width it needs
    with console.capture() as cap:
        console.print(t)
    return cap.get()


def _markdown_table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(
        ":--" if i == 0 else "--:" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def report_md(spec: SweepSpec, results: list[dict[str, Any]], command: str,
              plots: list[tuple[str, str]]) -> str:
    head, rows = table_rows(spec, results)
    n_cells = len(spec.cells())
    out = [f"# What-if: {spec.stem}", "",
           f"Scenario `{spec.name}`: {n_cells} cell{'s' if n_cells != 1 else ''} x "
           f"{spec.repeat} replication{'s' if spec.repeat != 1 else ''}, root seed "
           f"{spec.root_seed}. Made with:", "", f"    {command}", "",
           "## Summary", "",
           "Mean over the replications, ± the half-width of the 95% confidence interval "
           "(Student's t) when there are several. Every metric is defined in docs/whatif.md.",
           "", _markdown_table(head, rows), ""]
    if plots:
        out += ["## Plots", ""]
        for file, sentence in plots:
            out += [f"![{Path(file).stem}]({file})", "", sentence, ""]
    out += ["## Files", "",
            "- `results.csv`: one row per cell and replication, every metric.",
            "- `summary.csv`: per cell and metric: n, mean, sd, 95% CI.",
            "- `hosts.csv`, `layers.csv`, `egress.csv`: per host, per layer and egress over "
            "time, per run.",
            "- `sweep.json`: the factors, points, cells and each run's seed; "
            "`resolved.json`: the base scenario with every default filled in; "
            "`scenario.toml`: the file as given.", "",
            "## Re-running one cell alone", "",
            "Every run is a pure function of its scenario and seed (in `results.csv`):", "",
            f"    {_rerun(spec)}", ""]
    return "\n".join(out)


def _rerun(spec: SweepSpec) -> str:
    """The ``dockersim run`` line that replays the last cell's first replication."""
    import shlex
    job = next(j for j in reversed(spec.jobs()) if j.rep == 0)
    words = ["dockersim", "run", spec.name]
    for s in job.sets():
        words += ["--set", s]
    return f"{shlex.join(words)}   # cell {job.cell.index}, replication 0"


def write_folder(out: Path, spec: SweepSpec, results: list[dict[str, Any]],
                 command: str, with_plots: bool = True) -> Path:
    """Write the whole run folder at once; returns it."""
    from ..scenario.load import dump_resolved
    check_out_dir(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        files = {
            "scenario.toml": spec.text,
            "resolved.json": json.dumps(dump_resolved(spec.base), indent=2) + "\n",
            MARKER: json.dumps({**spec.describe(), "command": command,
                                "runs": [{"cell": j.cell.index, "rep": j.rep, "seed": j.seed,
                                          "set": j.sets()} for j in spec.jobs()]},
                               indent=2) + "\n",
            "results.csv": _csv(result_rows(spec, results)),
            "summary.csv": _csv(summary_rows(spec, results)),
            "hosts.csv": _csv(_tagged(results, "hosts")),
            "layers.csv": _csv(_tagged(results, "layers")),
            "egress.csv": _csv(_tagged(results, "egress")),
        }
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        plots: list[tuple[str, str]] = []
        if with_plots:
            from .plots import render_all
            plots = render_all(spec, results, tmp / "plots")
        (tmp / "report.md").write_text(report_md(spec, results, command, plots),
                                       encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _swap(tmp: Path, out: Path) -> None:
    """Put the new folder in place; an old run folder there is replaced only once the new
    one is complete."""
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)
