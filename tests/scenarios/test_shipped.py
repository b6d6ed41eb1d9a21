"""Every shipped scenario runs, its transcript and summary match a golden file, and its
trace is byte-identical across two runs (a run is a pure function of scenario and seed).

Regenerate after an intended change with ``UPDATE_GOLDEN=1 make test`` and review the diff.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from sim.cli.run_cmd import summary_text, transcript
from sim.scenario.build import build_world
from sim.scenario.load import load_scenario
from sim.scenario.run import run_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p for p in (ROOT / "scenarios").rglob("*.toml")
                   if p.relative_to(ROOT / "scenarios").parts[0] != "lessons")  # tests/lesson
GOLDEN = ROOT / "tests" / "golden" / "scenarios"


def play(path: Path):
    scenario = load_scenario(path)
    world = build_world(scenario)
    return run_scenario(scenario, world)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: str(p.relative_to(ROOT)))
def test_scenario_matches_golden(path: Path):
    report = play(path)
    text = transcript(report, "all") + "\n" + summary_text(report.summary())
    assert "internal error" not in text
    golden = GOLDEN / (str(path.relative_to(ROOT / "scenarios")).replace("/", "__") + ".txt")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert golden.exists(), f"{golden.name} is missing: run UPDATE_GOLDEN=1 make test"
    assert text == golden.read_text(), f"{golden.name} differs"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: str(p.relative_to(ROOT)))
def test_trace_is_byte_identical_across_runs(path: Path):
    dumps = []
    for _ in range(2):
        buf = io.StringIO()
        play(path).world.trace.write_jsonl(buf)
        dumps.append(buf.getvalue())
    assert dumps[0] == dumps[1]
    assert dumps[0]


def test_there_are_shipped_scenarios():
    names = {p.name for p in SCENARIOS}
    assert {"pull-three-images.toml", "fleet-deploy.toml", "mirror-none.toml",
            "mirror-pull-through.toml", "push-small-change.toml", "crash-loop.toml"} <= names
