"""``dockersim catalog``: the real image data (list, show, sharing), more of it (import,
remove) and its layer graph for networkx and Graphviz (graph). ``--json`` everywhere."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from ..userdata import data_dir

__all__ = ["register"]


def register(sub) -> dict[str, Callable[[argparse.Namespace], int]]:
    c = sub.add_parser("catalog", help="the real image data: list, show, sharing, import, "
                       "remove, graph")
    csub = c.add_subparsers(dest="catalog_command", metavar="COMMAND")
    cl = csub.add_parser("list", help="every image:tag in the catalog (imported ones marked)")
    cw = csub.add_parser("show", help="one image: digests, layers, sizes, history")
    cw.add_argument("image", metavar="IMAGE:TAG")
    cs = csub.add_parser("sharing", help="what images share: layers, bytes pulled, disk")
    cs.add_argument("images", nargs="+", metavar="IMAGE:TAG")
    ci = csub.add_parser("import", help="add records (JSON Lines, the catalog's format)",
                         description="Validate every line of FILE, then add its records to "
                         "the catalog in the user data directory ($DOCKERSIM_DATA_DIR). "
                         "Nothing is written when any line is refused.")
    ci.add_argument("file", metavar="FILE.jsonl")
    ci.add_argument("--replace", action="store_true",
                    help="replace records the catalog already has under the same image:tag")
    cr = csub.add_parser("remove", help="undo the import of IMAGE:TAG")
    cr.add_argument("image", metavar="IMAGE:TAG")
    cg = csub.add_parser("graph", help="the layer graph as GraphML or DOT (networkx)",
                         description="Layers keyed by chainID, images pointing at their top "
                         "layer; every record unless images are named.")
    cg.add_argument("images", nargs="*", metavar="IMAGE:TAG")
    cg.add_argument("-o", "--output", required=True, metavar="FILE",
                    help="layers.graphml or layers.dot (the suffix picks the format)")
    for p, what in ((cl, "one JSON array"), (cw, "the image as JSON"),
                    (cs, "the report as JSON"), (ci, "what was imported, as JSON"),
                    (cr, "what was removed, as JSON"), (cg, "the graph's counts as JSON")):
        p.add_argument("--json", action="store_true", help=what)
    return {"catalog": lambda a: catalog(a, c)}


def catalog(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    handlers = {"list": lambda: _list(args.json), "show": lambda: _show(args.image, args.json),
                "sharing": lambda: _sharing(args.images, args.json),
                "import": lambda: _import(args.file, args.replace, args.json),
                "remove": lambda: _remove(args.image, args.json),
                "graph": lambda: _graph(args.images, args.output, args.json)}
    if args.catalog_command not in handlers:
        parser.print_help()
        return 0
    from ..catalog.store import CatalogFileError
    try:
        return handlers[args.catalog_command]()
    except CatalogFileError as exc:  # a hand-edited imported file the loader refuses
        print(exc.code, file=sys.stderr)
        return 2


def _refuse(command: str, message: str) -> int:
    """Bad input: one line on stderr, exit 2, nothing written."""
    print(f"dockersim catalog {command}: {message}", file=sys.stderr)
    return 2


def _list(as_json: bool) -> int:
    from ..catalog import loader
    from ..catalog.schema import domain_of, familiar
    rows = [{"ref": familiar(r), "registry": domain_of(r), "image": r["image"], "tag": r["tag"],
             "aliases": list(r.get("aliases") or []), "layers": len(r["layers"]),
             "compressed_bytes": sum(x["compressed_bytes"] for x in r["layers"]),
             "image_id": r["image_id"], "imported": loader.is_imported(r)}
            for r in sorted(loader.records(), key=lambda r: (familiar(r), r["tag"]))]
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    from .units import human_size
    t = _table(["IMAGE:TAG", "ALIASES", "LAYERS", "COMPRESSED", "IMAGE ID", "ORIGIN"],
               left=(0, 1, 5))
    for r in rows:
        t.add_row(r["ref"], ", ".join(r["aliases"]), str(r["layers"]),
                  human_size(r["compressed_bytes"]), r["image_id"][7:19],
                  "imported" if r["imported"] else "shipped")
    _print(t)
    return 0


def _show(name: str, as_json: bool) -> int:
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
          f"index    {data['index_digest'] or '-'}\n{len(item.blob.layers)} "
          f"layer{'s' * (len(item.blob.layers) != 1)}, "
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


def _sharing(images: list[str], as_json: bool) -> int:
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
                  f"{i['already_exists']} layer{'s' * (i['already_exists'] != 1)}",
                  human_size(i["pulled_bytes"]))
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


def _cannot_write(verb: str, exc: OSError) -> int:
    return _refuse(verb, f"cannot write the catalog in {exc.filename or data_dir()}: "
                   f"{exc.strerror or exc} (set DOCKERSIM_DATA_DIR to a folder you can write)")


def _import(path: str, replace: bool, as_json: bool) -> int:
    from ..catalog.importer import ImportRefused, import_file
    try:
        result = import_file(path, replace)
    except ImportRefused as exc:
        return _refuse("import", str(exc))
    except OSError as exc:
        return _cannot_write("import", exc)
    if as_json:
        print(json.dumps({"file": path, "imported": result.imported,
                          "replaced": result.replaced, "stored_in": str(result.stored_in)},
                         indent=2))
        return 0
    print(f"imported {len(result.imported)} record(s) from {path}: "
          f"{', '.join(result.imported)}")
    if result.replaced:
        print(f"replaced: {', '.join(result.replaced)}")
    print(f"stored in {result.stored_in} (undo: dockersim catalog remove IMAGE:TAG)")
    return 0


def _remove(name: str, as_json: bool) -> int:
    from ..catalog.importer import ImportRefused, remove
    try:
        removed = remove(name)
    except ImportRefused as exc:
        return _refuse("remove", str(exc))
    except OSError as exc:
        return _cannot_write("remove", exc)
    print(json.dumps({"removed": removed}) if as_json else f"removed {removed}")
    return 0


def _graph(images: list[str], output: str, as_json: bool) -> int:
    from pathlib import Path

    from ..catalog.graph import FORMATS, build, summary, write
    from ..catalog.sharing import SharingError
    if Path(output).suffix.lower() not in FORMATS:
        return _refuse("graph", f"-o {output}: expected a .graphml, .dot or .gv file name")
    try:
        g = build(images)
    except SharingError as exc:
        return _refuse("graph", str(exc))
    try:
        fmt = write(g, output)
    except OSError as exc:
        return _refuse("graph", f"cannot write {output}: {exc.strerror or exc}")
    counts = summary(g)
    if as_json:
        print(json.dumps({"out": output, "format": fmt, **counts}, indent=2))
    else:
        print(f"{output}: {fmt}, {counts['images']} images, {counts['layers']} layers "
              f"({counts['shared_layers']} shared), {counts['edges']} edges")
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
