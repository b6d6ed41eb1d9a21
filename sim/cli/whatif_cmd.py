"""``dockersim whatif FILE``: a sweep over a scenario's parameters, run locally or on Dask,
summarised on the terminal and written to a run folder (``dockersim catalog`` is in
``catalog_cmd.py``)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["register"]


def register(sub) -> dict[str, Callable[[argparse.Namespace], int]]:
    p = sub.add_parser("whatif", help="sweep a scenario's parameters: table, plots, report",
                       description="Run a scenario once per cell of a sweep (its [sweep] "
                       "table and/or --sweep), with replications, and write a run folder.")
    p.add_argument("scenario", metavar="FILE", help="a scenario TOML file, usually with [sweep]")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a dotted parameter in every cell")
    p.add_argument("--sweep", action="append", default=[], metavar="KEY=V1,V2",
                   help="a factor of the grid, e.g. hosts.web.count=10,100 (repeatable)")
    p.add_argument("--repeat", type=int, default=None, metavar="N",
                   help="replications of every cell (default: sweep.repeat or 1)")
    p.add_argument("--seed", type=int, default=None, metavar="N",
                   help="the root seed every run's seed is spawned from")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: the number of CPUs)")
    p.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="run the cells on a Dask cluster, e.g. tcp://scheduler:8786")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="the run folder (default: runs/<name>-seed<root seed>)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    return {"whatif": whatif}


# ---- whatif ----------------------------------------------------------------------------
def _command(args: argparse.Namespace) -> str:
    """The command line that gives these results (jobs, cluster and folder do not change
    them, so they are left out and the report is the same wherever it ran)."""
    words = ["dockersim", "whatif", args.scenario]
    for s in args.set:
        words += ["--set", s]
    for s in args.sweep:
        words += ["--sweep", s]
    if args.repeat is not None:
        words += ["--repeat", str(args.repeat)]
    if args.seed is not None:
        words += ["--seed", str(args.seed)]
    return shlex.join(words)


def whatif(args: argparse.Namespace) -> int:
    from ..scenario.load import ScenarioError
    from ..whatif.report import check_out_dir, table, write_folder
    from ..whatif.spec import load_sweep
    from ..whatif.sweep import SweepFailed, run_jobs
    if args.jobs is not None and args.jobs < 1:
        raise SystemExit(f"dockersim whatif: --jobs {args.jobs}: expected at least 1")
    try:
        spec = load_sweep(args.scenario, args.set, args.sweep, args.repeat, args.seed)
    except ScenarioError as exc:  # SweepError too
        raise SystemExit(f"dockersim whatif: {exc.message}") from None
    out = Path(args.out) if args.out else Path("runs") / f"{spec.stem}-seed{spec.root_seed}"
    check_out_dir(out)
    jobs = spec.jobs()
    workers = args.jobs or os.cpu_count() or 1
    try:
        results = _with_progress(jobs, lambda tick: run_jobs(jobs, workers, args.dask, tick))
    except SweepFailed as exc:
        raise SystemExit(f"dockersim whatif: {args.scenario}: {exc}") from None
    try:
        write_folder(out, spec, results, _command(args), with_plots=not args.no_plots)
    except OSError as exc:
        raise SystemExit(f"dockersim whatif: cannot write {out}: {exc.strerror or exc}") \
            from None
    if args.json:
        from ..whatif.stats import result_rows
        print(json.dumps({"out": str(out), "results": result_rows(spec, results)}, indent=2))
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        sys.stdout.write(table(spec, results, width))
        print(f"{len(jobs)} runs; run folder: {out} (report.md, results.csv, summary.csv, "
              "plots/)")
    return 0


def _with_progress(jobs, run):
    """A progress bar over runs on stderr, when a person is watching."""
    if not sys.stderr.isatty() or len(jobs) < 2:
        return run(None)
    from rich.console import Console
    from rich.progress import Progress
    with Progress(console=Console(file=sys.stderr), transient=True) as progress:
        task = progress.add_task("runs", total=len(jobs))
        return run(lambda: progress.advance(task))
