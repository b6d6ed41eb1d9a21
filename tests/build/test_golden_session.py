"""A build session compared with a golden transcript (tests/golden/build-session.txt): build,
rebuild (all CACHED, same ID, docker-facts §3.3), edit one copied file and rebuild (that COPY
and everything after it run again, the old image dangles), then ``docker images`` and
``docker history`` (§3.2, §3.6).

The context is written afresh in a tmp dir with fixed contents and built by a path relative
to it, so nothing printed depends on where pytest put it. Regenerate after an intended
change with ``UPDATE_GOLDEN=1 make test`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from sim.cli.runner import execute
from sim.world.world import World, WorldConfig

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "build-session.txt"

DOCKERFILE = """\
FROM alpine:3.22
LABEL org.example.team=shop
WORKDIR /app
COPY requirements.txt .
# sim: writes /usr/lib/deps 2MB, takes 3s
RUN install-deps -r requirements.txt
COPY app.sh .
RUN echo built > /app/build-info
ENV MODE=prod
CMD ["cat", "/app/app.sh"]
"""
FILES = {
    "Dockerfile": DOCKERFILE,
    "requirements.txt": "flask==3.1\n",
    "app.sh": "echo hello v1\n",
    "README.md": "not sent: ignored\n",
    ".dockerignore": "*.md\n",
}


def session(tmp_path: Path) -> str:
    root = tmp_path / "ctx"
    root.mkdir()
    for name, text in FILES.items():
        (root / name).write_text(text)
    world = World(WorldConfig(seed=1))
    out: list[str] = []

    def sh(line: str) -> None:
        result = execute(world, "host1", line)
        out.append(f"$ {line}\n{result.text}")
        if result.exit_code:
            out.append(f"[exit {result.exit_code}]\n")

    sh("docker build -t app:1 ctx")
    sh("docker build -t app:1 ctx")
    out.append("# edit ctx/app.sh\n")
    (root / "app.sh").write_text("echo hello v2\n")
    sh("docker build -t app:1 ctx")
    sh("docker images")
    sh("docker history app:1")
    sh("docker run --rm app:1")
    return "".join(out)


def test_build_session_matches_golden(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = session(tmp_path)
    assert "internal error" not in text and "Traceback" not in text
    assert str(tmp_path) not in text
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert GOLDEN.exists(), f"{GOLDEN.name} is missing: run UPDATE_GOLDEN=1 make test"
    assert text == GOLDEN.read_text(), f"{GOLDEN.name} differs"


def test_session_is_reproducible(tmp_path, monkeypatch):
    """The same fixed context in another directory gives the same transcript."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    first = session(tmp_path / "a")
    monkeypatch.chdir(tmp_path / "b")
    assert session(tmp_path / "b") == first
