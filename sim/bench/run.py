"""``dockersim bench``: run the benchmarks and print a table (or JSON rows).

Every row is ``{"name", "value", "unit", "goal", "met"}``; a row without a goal is context
for the one above it. Ratios are measured in the same run as what they compare, because the
machines are shared and absolute seconds move from run to run."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

Row = dict


def row(name: str, value, unit: str = "", goal: str = "", met: bool = True) -> Row:
    return {"name": name, "value": value, "unit": unit, "goal": goal, "met": bool(met)}


def fleet_rows(quick: bool) -> list[Row]:
    """The 1,000-host fleet in this process (the same events in bare SimPy beside it), then
    a larger fleet in a child process for its time, peak memory and cost per layer."""
    from .fleet import run_fleet, run_fleet_child
    small = run_fleet(hosts=1000, yardsticks=True)
    rows = small.as_rows()
    rows.append(row("event throughput vs bare SimPy", round(100 * small.throughput, 1), "%",
                    ">= 35%", small.throughput >= 0.35))
    big_hosts = 3000 if quick else 10000
    ref = run_fleet_child(1000)  # same conditions as the big one: a fresh process
    big = run_fleet_child(big_hosts)
    rows += big.as_rows()
    rows.append(row(f"  peak memory, {big_hosts} hosts", round(big.peak_rss_mib, 1), "MiB",
                    "< 256 MiB" if big_hosts == 10000 else "", big.peak_rss_mib < 256 or
                    big_hosts != 10000))
    rows.append(row("fleet 1000 hosts, fresh process: cost per layer, CPU",
                    round(ref.per_layer_cpu_us, 1), "us"))
    growth = big.per_layer_cpu_us / ref.per_layer_cpu_us if ref.per_layer_cpu_us else 0.0
    full = big_hosts == 10000  # the goal is stated for 10,000 hosts
    rows.append(row(f"cost per layer (CPU), 1000 -> {big_hosts} hosts", round(growth, 2), "x",
                    "<= 1.3x" if full else "", growth <= 1.3 or not full))
    return rows


def container_rows(quick: bool) -> list[Row]:
    from .containers import run_containers
    result = run_containers(10_000 if quick else 100_000)
    kib = result.per_container / 1024
    return [row(f"memory per container, {result.containers} running", round(kib, 2), "KiB",
                "< 1.5 KiB", kib < 1.5),
            row("  create + start each", round(result.wall_seconds / result.containers * 1e6,
                                                  1), "us", "", True)]


def startup_rows(quick: bool) -> list[Row]:
    from .startup import heavy_imports, startup
    times = startup(3 if quick else 5)
    heavy = heavy_imports()
    return [
        row("python -c pass (reference)", round(times["python"] * 1000), "ms"),
        row("dockersim --help", round(times["help"] * 1000), "ms", "< 150 ms",
            times["help"] < 0.150),
        row("  heavy imports in --help", " ".join(heavy) or "none", "", "none", not heavy),
        row("dockersim run (one-step scenario)", round(times["run"] * 1000), "ms", "< 150 ms",
            times["run"] < 0.150),
    ]


def view_rows(quick: bool) -> list[Row]:
    """The window's frame time (sim.bench.view, when the view is installed)."""
    try:
        from .view import frame_time
    except ImportError as exc:
        return [row(f"view frame time (skipped: {exc})", "skipped")]
    try:
        result = frame_time(frames=30 if quick else 120)
    except ImportError as exc:  # pygame missing: the view is an optional extra
        return [row(f"view frame time (skipped: {exc})", "skipped")]
    return [row(f"view frame, {result['containers']} containers {result['layers']} layers "
                f"{result['hosts']} hosts", result["median_frame_ms"], "ms", "< 8 ms",
                result["median_frame_ms"] < 8.0),
            row("  empty frame", result["empty_frame_ms"], "ms")]


def sweep_rows(quick: bool) -> list[Row]:
    """A 20-cell what-if sweep on 2 worker processes, and on 1 for the speed-up."""
    import time
    from pathlib import Path
    try:
        from ..whatif.spec import load_sweep
        from ..whatif.sweep import run_jobs
    except ImportError as exc:
        return [row(f"20-cell sweep on 2 cores (skipped: {exc})", "skipped")]
    base = Path(__file__).resolve().parents[2] / "scenarios" / "whatif" / "fleet-deploy.toml"
    step = 25 if quick else 50  # cells big enough to be worth a process each
    counts = ",".join(str(n) for n in range(step, 21 * step, step))
    # the fleet as a lockstep rollout (no spreads, no jitter): the bench measures how cells
    # spread over processes, and keeps the figures comparable from one release to the next
    steady = ["steps.0.jitter=0s", "hosts.web.downlink_spread=0%",
              "hosts.web.extract_rate_spread=0%", "registries.hub.latency_spread=0%"]
    spec = load_sweep(str(base), sets=steady, sweeps=[f"hosts.web.count={counts}"])
    jobs = spec.jobs()
    walls = {}
    for workers in (2, 1):
        start = time.perf_counter()
        run_jobs(jobs, workers=workers)
        walls[workers] = time.perf_counter() - start
    speedup = walls[1] / walls[2] if walls[2] else 0.0
    return [row(f"{len(jobs)}-cell sweep on 2 cores", round(walls[2], 2), "s wall"),
            row("  speed-up over 1 core", round(speedup, 2), "x", "", True)]


SECTIONS: dict[str, Callable[[bool], list[Row]]] = {
    "fleet": fleet_rows, "containers": container_rows, "startup": startup_rows,
    "view": view_rows, "sweep": sweep_rows,
}


def print_table(rows: list[Row], out=None) -> None:
    out = out or sys.stdout
    width = max(len(r["name"]) for r in rows)
    print(f"{'benchmark':<{width}}  {'value':>10}  {'unit':<6}  {'goal':<10}  met", file=out)
    for r in rows:
        met = "" if not r["goal"] else ("yes" if r["met"] else "NO")
        print(f"{r['name']:<{width}}  {r['value']!s:>10}  {r['unit']:<6}  {r['goal']:<10}  "
              f"{met}", file=out)


def main(hosts: int | None, as_json: bool, egress: float | None, quick: bool = False,
         only: list[str] | None = None) -> int:
    """The whole suite, or (``hosts``/``egress`` given) one fleet of that shape."""
    if hosts is not None or egress is not None:
        from .fleet import run_fleet
        result = run_fleet(hosts=hosts or 1000, egress=egress, yardsticks=True)
        rows = result.as_rows()
        rows.append(row("event throughput vs bare SimPy", round(100 * result.throughput, 1),
                        "%", ">= 35%", result.throughput >= 0.35))
    else:
        rows = []
        for name in only or list(SECTIONS):
            if not as_json:
                print(f"... {name}", file=sys.stderr, flush=True)
            try:
                rows += SECTIONS[name](quick)
            except Exception as exc:  # noqa: BLE001 - one broken section must not hide the rest
                rows.append(row(f"{name} (failed: {type(exc).__name__}: {exc})", "error", "",
                                "runs", False))
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    print_table(rows)
    print(f"(python {sys.version.split()[0]}; {'--quick' if quick else 'full'} run)")
    return 0
