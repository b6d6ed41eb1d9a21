"""Checks on an output file named on the command line, made before any work starts, so that a
bad path costs the user one line at once rather than a whole run (or a whole shell session)
and a traceback-free error at the end."""

from __future__ import annotations

import os
from pathlib import Path


def check_writable_file(path: str, prog: str, flag: str) -> None:
    """Raise ``SystemExit("<prog>: <flag> <path>: ...")`` unless ``path`` can be written as
    a file: not a directory, in a folder that exists and that we may write into."""
    target = Path(path)
    where = f"{prog}: {flag} {path}"
    if not path.strip():
        raise SystemExit(f"{where}: expected a file name")
    if target.is_dir():
        raise SystemExit(f"{where}: is a directory, expected a file name")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise SystemExit(f"{where}: the folder {parent} does not exist")
    if target.exists() and not os.access(target, os.W_OK):
        raise SystemExit(f"{where}: the file is not writable")
    if not target.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise SystemExit(f"{where}: cannot create files in {parent}")
