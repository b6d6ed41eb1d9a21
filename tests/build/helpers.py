"""What the builder tests share: a world, a context written into tmp_path, a build."""

from __future__ import annotations

import re
from pathlib import Path

from sim.cli.runner import execute

BASE = "alpine:3.22"  # one 3.8MB layer, history: ADD alpine-minirootfs…, CMD ["/bin/sh"]
VERTEX = re.compile(r"#(\d+) (.*)")


def sh(world, line: str):
    return execute(world, "host1", line)


def ctx(root: Path, dockerfile: str, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Dockerfile").write_text(dockerfile)
    for name, text in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def build(world, path: Path, tag: str = "app:1", flags: str = "", ok: bool = False):
    """Build; never a traceback, and with ``ok`` the build must succeed."""
    r = sh(world, f"docker build {flags} -t {tag} {path}")
    assert "internal error" not in r.text and "Traceback" not in r.text
    if ok:
        assert r.exit_code == 0, r.text
    return r


def vertices(text: str) -> dict[str, str]:
    """{vertex name: CACHED | DONE | ERROR} from BuildKit's plain progress."""
    names: dict[str, str] = {}
    status: dict[str, str] = {}
    for line in text.splitlines():
        m = VERTEX.fullmatch(line)
        if not m:
            continue
        n, rest = m.groups()
        if n not in names:
            names[n] = rest
        elif rest == "CACHED" or rest.startswith(("DONE ", "ERROR")):
            status[n] = rest.split()[0].rstrip(":")
    return {names[n]: status.get(n, "") for n in names}
