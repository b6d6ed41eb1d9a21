"""Where imported catalog records live: ``<data dir>/catalog/*.jsonl``, the data dir being
``$DOCKERSIM_DATA_DIR`` or platformdirs' ``user_data_dir("dockersim")``.

Files are written whole and renamed into place (never half-written), and read in name
order, so the catalog a run sees is a function of these files' bytes: ``fingerprint()``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from ..userdata import ENV as ENV  # re-exported: tests and docs name store.ENV
from ..userdata import data_dir
from .schema import domain_of

IMPORT_FILE = "imported.jsonl"


class CatalogFileError(SystemExit):
    """An imported catalog file the loader cannot use. A SystemExit, so whichever command
    touched the catalog stops with this one line instead of a traceback."""


def catalog_dir() -> Path:
    return data_dir() / "catalog"


def files() -> list[Path]:
    """The imported files, in the order the loader reads them."""
    folder = catalog_dir()
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def read_imported() -> list[tuple[Path, int, dict[str, Any]]]:
    """(file, line number, record) of every imported record, each validated again."""
    from .importer import ImportRefused, parse
    out: list[tuple[Path, int, dict[str, Any]]] = []
    seen: dict[tuple[str, str, str], str] = {}
    for path in files():
        try:
            rows = parse(path.read_bytes(), str(path))
        except ImportRefused as exc:
            raise CatalogFileError(f"dockersim: imported catalog file {exc} (fix the file, or "
                                   "delete it to drop its records)") from None
        except OSError as exc:
            raise CatalogFileError(f"dockersim: cannot read {path}: {exc.strerror}") from None
        for line, record in rows:
            k = (domain_of(record), record["image"], record["tag"])
            if k in seen:
                raise CatalogFileError(f"dockersim: {path}:{line}: {record['image']}:"
                                       f"{record['tag']} is also in {seen[k]}; keep one")
            seen[k] = f"{path}:{line}"
            out.append((path, line, record))
    return out


def fingerprint() -> str | None:
    """sha256 over each imported file's name and bytes, in read order; None if none."""
    paths = files()
    if not paths:
        return None
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return "sha256:" + h.hexdigest()


def write_atomic(path: Path, lines: list[str], make_parent: bool = True) -> None:
    """Replace ``path`` with these lines in one rename; no lines removes the file."""
    if not lines:
        path.unlink(missing_ok=True)
        return
    if make_parent:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("".join(line + "\n" for line in lines))
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as open() would have made it, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
