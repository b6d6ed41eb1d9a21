"""``dockersim catalog import FILE.jsonl`` and ``catalog remove``: more records in the shipped
format (other tags, other registries), checked whole before anything is written.

Every line is validated (``schema.Record``), then the file against the catalog: one name
(tag or alias) per record within an image, one size per blob digest, and no image:tag the
catalog already has unless ``replace`` is given. The first problem is refused with
``FILE:LINE: field: what was expected``; only then is ``imported.jsonl`` rewritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import loader, store
from .schema import HUB, Record, domain_of, familiar, first_error

MAX_FILE_BYTES = 64 * 2**20
MAX_RECORDS = 10_000
MAX_INT_DIGITS = 19  # larger than any byte count; Python would parse 4300 digits


class ImportRefused(ValueError):
    """Bad input; the message is one line that names the file, the line and the field."""


@dataclass(frozen=True)
class ImportResult:
    imported: list[str]
    replaced: list[str]
    stored_in: Path


class _BadValue(ValueError):
    pass


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _BadValue(f"number too large ({len(text)} digits: {text[:12]}...)")
    return int(text)


def _constant(text: str) -> Any:
    raise _BadValue(f"{text} is not a number JSON allows")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _BadValue(f"field {k!r} is given twice")
        out[k] = v
    return out


def parse(data: bytes, name: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, normalized record) of every non-blank line; ImportRefused otherwise."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(f"{name}: larger than {MAX_FILE_BYTES // 2**20} MiB; split it")
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        where = f"{name}:{number}"
        if len(rows) == MAX_RECORDS:
            raise ImportRefused(f"{where}: more than {MAX_RECORDS} records; split the file")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportRefused(f"{where}: not UTF-8 (byte {raw[exc.start]:#04x} at column "
                                f"{exc.start + 1})") from None
        try:
            obj = json.loads(text, parse_int=_int, parse_constant=_constant,
                             object_pairs_hook=_pairs)
        except _BadValue as exc:
            raise ImportRefused(f"{where}: {exc}") from None
        except json.JSONDecodeError as exc:
            raise ImportRefused(f"{where}: not JSON: {exc.msg} at column {exc.colno}") from None
        except (RecursionError, ValueError) as exc:  # nesting, or a float Python refuses
            raise ImportRefused(f"{where}: not usable JSON ({type(exc).__name__})") from None
        if not isinstance(obj, dict):
            raise ImportRefused(f"{where}: expected one JSON object per line, got "
                                f"{type(obj).__name__}")
        try:
            record = Record.model_validate(obj)
        except ValidationError as exc:
            raise ImportRefused(f"{where}: {first_error(exc)}") from None
        rows.append((number, _normalized(record)))
    if not rows:
        raise ImportRefused(f"{name}: no records (expected one JSON object per line)")
    return rows


def _normalized(record: Record) -> dict[str, Any]:
    """The record with defaults filled in, as the loader reads it."""
    out = record.model_dump()
    if out["registry"] is None:
        del out["registry"]
    out["total_compressed_bytes"] = sum(x["compressed_bytes"] for x in out["layers"])
    return out


def read(path: str | Path) -> bytes:
    """A file's bytes, refusing before reading what is too big to be a catalog."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportRefused(f"{path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB; split it")
    return data


def _names(record: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(domain_of(record), record["image"], n)
            for n in [record["tag"], *(record.get("aliases") or [])]]


def check(rows: list[tuple[int, dict[str, Any]]], name: str,
          replace: bool = False) -> list[dict[str, Any]]:
    """The catalog records this file replaces; ImportRefused when it clashes."""
    current = {loader.key(r): r for r in loader.records()}
    replaced: list[dict[str, Any]] = []
    in_file: dict[tuple[str, str, str], int] = {}
    for number, r in rows:
        for k in _names(r):
            if k in in_file:
                raise ImportRefused(f"{name}:{number}: {familiar(r, k[2])} is already named "
                                    f"on line {in_file[k]} of this file")
            in_file[k] = number
        old = current.get(loader.key(r))
        if old is not None:
            if not replace:
                origin = "imported" if loader.is_imported(old) else "shipped with dockersim"
                raise ImportRefused(f"{name}:{number}: {familiar(r)} is already in the catalog "
                                    f"({origin}); use --replace to replace it")
            replaced.append(old)
    gone = {loader.key(r) for r in replaced}
    kept = [r for k, r in current.items() if k not in gone]
    owner = {k: r for r in kept for k in _names(r)}
    sizes: dict[str, tuple[int, str]] = {}
    for r in kept:
        for x in r["layers"]:
            sizes.setdefault(x["digest"], (x["compressed_bytes"], familiar(r)))
    for number, r in rows:
        for k in _names(r):
            if k in owner:
                raise ImportRefused(f"{name}:{number}: aliases: {familiar(r, k[2])} already "
                                    f"names {familiar(owner[k])}; one name, one image")
        for i, layer in enumerate(r["layers"]):
            size, where = sizes.setdefault(layer["digest"],
                                           (layer["compressed_bytes"], f"line {number}"))
            if size != layer["compressed_bytes"]:
                raise ImportRefused(f"{name}:{number}: layers.{i}.compressed_bytes: blob "
                                    f"{layer['digest'][:19]}... is {size} bytes in {where}, "
                                    f"not {layer['compressed_bytes']} (a digest names its bytes)")
    return replaced


def import_file(path: str | Path, replace: bool = False) -> ImportResult:
    """Validate ``path`` whole, then store its records; nothing is written on refusal."""
    rows = parse(read(path), str(path))
    replaced = check(rows, str(path), replace)
    gone = {loader.key(r) for r in replaced}
    target = store.catalog_dir() / store.IMPORT_FILE
    _rewrite(gone, target, [r for _n, r in rows])
    loader.reload()
    return ImportResult([familiar(r) for _n, r in rows], [familiar(r) for r in replaced], target)


def _rewrite(gone: set[tuple[str, str, str]], target: Path | None = None,
             added: list[dict[str, Any]] = ()) -> None:
    """Drop ``gone`` from every imported file (each rewritten in one rename) and append
    ``added`` to ``target``."""
    kept: dict[Path, list[str]] = {}
    touched: set[Path] = set()
    for path, _line, r in store.read_imported():
        if loader.key(r) in gone:
            touched.add(path)
        else:
            kept.setdefault(path, []).append(json.dumps(r, ensure_ascii=False))
    for path in sorted(touched - {target}):
        store.write_atomic(path, kept.get(path, []))
    if target is not None:
        store.write_atomic(target, kept.get(target, []) +
                           [json.dumps(r, ensure_ascii=False) for r in added])


def split_name(name: str) -> tuple[str, str, str]:
    """``python:3.12``, ``ghcr.io/acme/api:1`` to (registry, image, tag); tag ``latest``
    when none is given."""
    from ..model.reference import InvalidReference, parse_normalized_named
    try:
        ref = parse_normalized_named(name)
    except (InvalidReference, ValueError) as exc:
        raise ImportRefused(f"{name}: {exc}") from None
    if ref.digest:
        raise ImportRefused(f"{name}: the catalog names images by tag, like python:3.12")
    image = ref.path.removeprefix("library/") if ref.domain == HUB and \
        ref.path.count("/") == 1 else ref.path
    return ref.domain, image, ref.tag or "latest"


def remove(name: str) -> str:
    """Undo the import of ``IMAGE:TAG`` (by its tag or an alias); returns its name."""
    domain, image, tag = split_name(name)
    found = [r for r in loader.records() if (domain_of(r), r["image"]) == (domain, image)
             and tag in [r["tag"], *(r.get("aliases") or [])]]
    if not found:
        raise ImportRefused(f"{name}: not in the catalog")
    record = found[0]
    if not loader.is_imported(record):
        raise ImportRefused(f"{name}: {familiar(record)} is shipped with dockersim, not "
                            "imported; there is nothing to remove")
    _rewrite({loader.key(record)})
    loader.reload()
    return familiar(record)
