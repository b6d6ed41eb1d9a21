"""``dockersim whatif FILE``: a sweep over a scenario's parameters, run locally or on Dask,
summarised on the terminal and written to a run folder; ``dockersim catalog list|sharing``:
the real image data and what images share."""

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
    c = sub.add_parser("catalog", help="the real official-image data: list, show, sharing")
    csub = c.add_subparsers(dest="catalog_command", metavar="COMMAND")
    cl = csub.add_parser("list", help="every image:tag in the catalog")
    cl.add_argument("--json", action="store_true", help="one JSON array")
    cw = csub.add_parser("show", help="one image: digests, layers, sizes, history")
    cw.add_argument("image", metavar="IMAGE:TAG")
    cw.add_argument("--json", action="store_true", help="the image as JSON")
    cs = csub.add_parser("sharing", help="what images share: layers, bytes pulled, disk")
    cs.add_argument("images", nargs="+", metavar="IMAGE:TAG")
    cs.add_argument("--json", action="store_true", help="the report as JSON")
    return {"whatif": whatif, "catalog": lambda a: catalog(a, c)}


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


# ---- catalog ---------------------------------------------------------------------------
def catalog(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.catalog_command == "list":
        return _catalog_list(args.json)
    if args.catalog_command == "sharing":
        return _catalog_sharing(args.images, args.json)
    if args.catalog_command == "show":
        return _catalog_show(args.image, args.json)
    parser.print_help()
    return 0


def _catalog_list(as_json: bool) -> int:
    from ..catalog import loader
    rows = [{"image": r["image"], "tag": r["tag"], "aliases": list(r.get("aliases") or []),
             "layers": len(r["layers"]),
             "compressed_bytes": sum(x["compressed_bytes"] for x in r["layers"]),
             "image_id": r["image_id"]}
            for r in sorted(loader.records(), key=lambda r: (r["image"], r["tag"]))]
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    from .units import human_size
    t = _table(["IMAGE:TAG", "ALIASES", "LAYERS", "COMPRESSED", "IMAGE ID"])
    for r in rows:
        t.add_row(f"{r['image']}:{r['tag']}", ", ".join(r["aliases"]), str(r["layers"]),
                  human_size(r["compressed_bytes"]), r["image_id"][7:19])
    _print(t)
    return 0


def _catalog_show(name: str, as_json: bool) -> int:
    from ..catalog.sharing import SharingError, resolve
    try:
        ref, item = resolve(name)
    except SharingError as exc:
        raise SystemExit(f"dockersim catalog show: {exc}") from None
    layers = iter(item.blob.layers)
    history = []
    for row in item.blob.config["history"]:
        layer = None if row.get("empty_layer") else next(layers, None)
        history.append({"created": row["created"], "created_by": row["created_by"],
                        "layer": None if layer is None else {
                            "digest": layer.digest, "compressed_bytes": layer.compressed_size,
                            "size": layer.size}})
    data = {"ref": ref, "aliases": list(item.aliases), "image_id": item.blob.image_id,
            "manifest_digest": item.manifest.digest, "index_digest": item.manifest.index_digest,
            "compressed_bytes": sum(x.compressed_size for x in item.blob.layers),
            "size": sum(x.size for x in item.blob.layers), "history": history}
    if as_json:
        print(json.dumps(data, indent=2))
        return 0
    from .units import human_size
    print(f"{ref}  (aliases: {', '.join(data['aliases']) or 'none'})\n"
          f"image ID {data['image_id']}\nmanifest {data['manifest_digest']}\n"
          f"index    {data['index_digest']}\n{len(item.blob.layers)} layers, "
          f"{human_size(data['compressed_bytes'])} compressed, {human_size(data['size'])} "
          "uncompressed (derived)")
    t = _table(["LAYER", "COMPRESSED", "SIZE", "CREATED", "CREATED BY"], left=(0, 3, 4))
    for row in history:
        layer = row["layer"]
        t.add_row(layer["digest"][7:19] if layer else "-",
                  human_size(layer["compressed_bytes"]) if layer else "",
                  human_size(layer["size"]) if layer else "", row["created"],
                  " ".join(row["created_by"].split())[:70])
    _print(t)
    return 0


def _catalog_sharing(images: list[str], as_json: bool) -> int:
    from ..catalog.sharing import SharingError, sharing
    try:
        report = sharing(images)
    except SharingError as exc:
        raise SystemExit(f"dockersim catalog sharing: {exc}") from None
    if as_json:
        print(json.dumps(report, indent=2))
        return 0
    from .units import human_size
    t = _table(["IMAGE", "LAYERS", "COMPRESSED", "SIZE", "ONLY ITS OWN", "ALREADY EXISTS",
                "PULLED IN ORDER"])
    for i in report["images"]:
        t.add_row(i["ref"], str(i["layers"]), human_size(i["compressed_bytes"]),
                  human_size(i["size"]), human_size(i["own_bytes"]),
                  f"{i['already_exists']} layers", human_size(i["pulled_bytes"]))
    s = _table(["SHARED LAYER", "COMPRESSED", "SIZE", "IMAGES"])
    for x in report["shared_layers"]:
        s.add_row(x["digest"][7:19], human_size(x["compressed_bytes"]), human_size(x["size"]),
                  ", ".join(x["images"]))
    _print(t)
    if report["shared_layers"]:
        _print(s)
    else:
        print("no layer is shared (no common chainID)")
    ratio = report["dedup_ratio"]
    print(f"pulled in this order onto one host: {human_size(report['pulled_in_order_bytes'])}"
          f"   pulled separately: {human_size(report['pulled_separately_bytes'])}\n"
          f"disk after pulling all: {human_size(report['disk_bytes'])}   each image whole: "
          f"{human_size(report['disk_separately_bytes'])}   dedup ratio: "
          f"{ratio:.2f}x" if ratio else "")
    return 0


def _table(cols: list[str], left: tuple[int, ...] = (0,)):
    from rich.table import Table
    t = Table(show_edge=False, box=None, pad_edge=False)
    for i, col in enumerate(cols):
        t.add_column(col, justify="left" if i in left else "right", no_wrap=True)
    return t


def _print(t) -> None:
    from rich.console import Console
    Console(width=160, force_terminal=False, color_system=None).print(t)
