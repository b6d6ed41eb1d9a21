"""Scripted shell sessions compared with golden transcripts (tests/golden/*.txt).

Regenerate after an intended change with ``UPDATE_GOLDEN=1 make test`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from sim.cli.app import DEMO
from sim.cli.shell import run_batch
from sim.world.world import World, WorldConfig

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
SESSIONS = {"demo": DEMO}
SESSIONS.update({p.stem: p.read_text() for p in sorted(GOLDEN.glob("*.session"))})


def transcript(script: str, seed: int = 0) -> tuple[str, str]:
    """The batch transcript, and each command's exit code (``json`` mode) one per line."""
    out, codes = io.StringIO(), io.StringIO()
    for stream, as_json in ((out, False), (codes, True)):
        world = World(WorldConfig(seed=seed))
        assert run_batch(world, "host1", io.StringIO(script), stream, as_json) == 0
    exits = "".join(f"{json.loads(line)['exit_code']}  {json.loads(line)['cmd']}\n"
                    for line in codes.getvalue().splitlines()
                    if json.loads(line)["cmd"].strip()
                    and not json.loads(line)["cmd"].startswith("#"))
    return out.getvalue(), exits


@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_session_matches_golden(name):
    text, exits = transcript(SESSIONS[name])
    assert "internal error" not in text
    for suffix, value in ((".txt", text), (".exit", exits)):
        golden = GOLDEN / f"{name}{suffix}"
        if os.environ.get("UPDATE_GOLDEN"):
            golden.write_text(value)
        assert golden.exists(), f"{golden.name} is missing: run UPDATE_GOLDEN=1 make test"
        assert value == golden.read_text(), f"{golden.name} differs"


def test_same_seed_same_transcript_and_trace():
    a, b = World(WorldConfig(seed=7)), World(WorldConfig(seed=7))
    for w in (a, b):
        run_batch(w, "host1", io.StringIO(DEMO), io.StringIO(), False)
    ja, jb = io.StringIO(), io.StringIO()
    a.trace.write_jsonl(ja)
    b.trace.write_jsonl(jb)
    assert ja.getvalue() == jb.getvalue()
    assert len(a.trace) > 50
