"""``dockersim run FILE``: play a scenario headless; print the transcript with simulated
timestamps and a summary; optionally a JSON summary, the trace and a run folder."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO

from .outfile import check_writable_file
from .units import human_size

SHOWN_HOSTS = 4  # a fleet's transcript shows this many hosts unless --transcript all


def transcript(report, which: str = "some") -> str:
    """Per host, in host order: each command and the lines it printed, stamped with the
    simulated time they appeared."""
    if which == "none":
        return ""
    hosts = list(report.world.hosts)
    shown = hosts if which == "all" or len(hosts) <= SHOWN_HOSTS + 1 else hosts[:SHOWN_HOSTS]
    out = []
    for host in shown:
        steps = sorted((s for s in report.steps if s.host == host),
                       key=lambda s: (s.started_at, s.index))
        if not steps:
            continue
        if len(hosts) > 1:
            out.append(f"== {host} ==")
        for s in steps:
            out.append(f"[{s.started_at:9.3f}s] $ {s.run}")
            r = s.result
            if r is None:
                continue
            for t, (_stream, text) in zip(r.times, r.chunks, strict=False):
                for line in text.splitlines():
                    out.append(f"[{t:9.3f}s] {line}")
    if len(shown) < len(hosts):
        out.append(f"... {len(hosts) - len(shown)} more hosts (--transcript all shows them)")
    return "\n".join(out) + ("\n" if out else "")


def summary_text(summary: dict) -> str:
    """The simulator's own summary (not Docker output): rich tables, plain when piped."""
    from rich.console import Console
    from rich.table import Table
    console = Console(file=None, record=True, width=100, force_terminal=False,
                      color_system=None)
    hosts = summary["hosts"]
    t = Table(title=f"hosts ({len(hosts)})", show_edge=False)
    for col in ("host", "pulled", "disk used", "images", "containers"):
        t.add_column(col, justify="right" if col != "host" else "left")
    items = list(hosts.items())
    for name, h in items[:10]:
        t.add_row(name, human_size(h["bytes_pulled"]), human_size(h["disk_used"]),
                  str(h["images"]), str(h["containers"]))
    if len(items) > 10:
        t.add_row(f"... {len(items) - 10} more", "", "", "", "")
    t.add_row("total", human_size(summary["bytes_pulled_total"]),
              human_size(sum(h["disk_used"] for h in hosts.values())), "", "")
    r = Table(title="registries", show_edge=False)
    for col in ("registry", "hostname", "served", "received", "requests"):
        r.add_column(col)
    for name, reg in summary["registries"].items():
        r.add_row(name, reg["hostname"], human_size(reg["bytes_served"]),
                  human_size(reg["bytes_received"]), str(reg["requests"]))
    with console.capture() as cap:
        console.print(t)
        console.print(r)
        stats = summary["time_to_running_stats"]
        if stats:
            n = stats["count"]
            console.print(f"time to running ({n} container{'s' * (n != 1)}): p50 "
                          f"{stats['p50']:.3f}s  p95 {stats['p95']:.3f}s  max {stats['max']:.3f}s")
        console.print(f"simulated time: {summary['simulated_seconds']:.3f}s   failed steps: "
                      f"{summary['failed_steps']}   seed: {summary['seed']}")
    return cap.get()


def run(path: str, sets: list[str], trace: str | None, as_json: bool, out_dir: str | None,
        which: str, stdout: IO[str] = sys.stdout) -> int:
    from ..scenario.build import build_world
    from ..scenario.load import ScenarioError, dump_resolved, load_scenario
    if trace:
        check_writable_file(trace, "dockersim run", "--trace")
    try:
        scenario = load_scenario(path, sets)
        world = build_world(scenario, Path(path).resolve().parent)
        # waypoints are for a view drawing the trace: none when no trace is kept
        world.network.record_trails = bool(trace or out_dir)
    except ScenarioError as exc:
        print(f"dockersim: {exc}", file=sys.stderr)
        return exc.exit_code
    except ValueError as exc:
        print(f"dockersim: {path}: {exc}", file=sys.stderr)
        return 2
    if out_dir:
        _check_out(out_dir)
    report = _play(scenario, world)
    folder = _prepare(out_dir) if out_dir else None  # made once there is a run to put in it
    summary = report.summary()
    text = transcript(report, which)
    if as_json:
        stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        stdout.write(text)
        if text:
            stdout.write("\n")
        stdout.write(summary_text(summary))
    if trace:
        _write(Path(trace), lambda fh: world.trace.write_jsonl(fh))
    if folder is not None:
        _write(folder / "config.json", lambda fh: json.dump(dump_resolved(scenario), fh,
                                                            indent=2))
        _write(folder / "summary.json", lambda fh: json.dump(summary, fh, indent=2))
        _write(folder / "transcript.txt", lambda fh: fh.write(transcript(report, "all")))
        _write(folder / "trace.jsonl", lambda fh: world.trace.write_jsonl(fh))
    return 0


def _play(scenario, world):
    """Run with a progress bar on stderr when a person is watching a long run."""
    from ..scenario.run import run_scenario
    total = sum(len(scenario.step_hosts(s)) for s in scenario.steps)
    if not sys.stderr.isatty() or total < 20:
        return run_scenario(scenario, world)
    from rich.progress import Progress
    with Progress(transient=True) as progress:
        task = progress.add_task("simulating", total=total)
        return run_scenario(scenario, world, on_step=lambda _s: progress.advance(task))


RUN_FILES = frozenset({"config.json", "summary.json", "transcript.txt", "trace.jsonl"})


def _check_out(out_dir: str) -> None:
    """Before the run: a new or empty folder, or an earlier run folder (replaced); never a
    folder that holds anything else, whose files a run would overwrite."""
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise SystemExit(f"dockersim run: --out {out_dir}: exists and is not a folder")
    if folder.is_dir():
        held = {p.name for p in folder.iterdir()}
        if held and not (held <= RUN_FILES and "summary.json" in held):
            raise SystemExit(f"dockersim run: --out {out_dir}: exists and is not a run folder "
                             "(it holds other files); give a new or empty folder")
        return
    base = folder.parent
    while not base.exists() and base != base.parent:
        base = base.parent
    if not base.is_dir() or not os.access(base, os.W_OK | os.X_OK):
        raise SystemExit(f"dockersim run: --out {out_dir}: cannot create it in {base}")


def _prepare(out_dir: str) -> Path:
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SystemExit(f"dockersim: cannot create {out_dir}: {exc.strerror}") from None
    return folder


def _write(path: Path, writer) -> None:
    """Write through a temporary file so a failure leaves nothing half-written."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            writer(fh)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SystemExit(f"dockersim: cannot write {path}: {exc.strerror}") from None
    except BaseException:  # Ctrl-C while writing: no half-written file either
        tmp.unlink(missing_ok=True)
        raise
