"""``dockersim run``: transcript and summary, JSON, --set, bad files, run folders."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli.run_cmd import run, summary_text

ROOT = Path(__file__).resolve().parents[2]
PULL3 = ROOT / "scenarios" / "classroom" / "pull-three-images.toml"


def dockersim(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_run_prints_timestamped_transcript_and_summary():
    p = dockersim("run", str(PULL3))
    assert p.returncode == 0, p.stderr
    assert "[    0.000s] $ docker pull python:3.14-slim" in p.stdout
    assert "26c307b5e35a: Already exists" in p.stdout
    assert "simulated time:" in p.stdout


def test_json_summary_contract():
    p = dockersim("run", str(PULL3), "--json")
    data = json.loads(p.stdout)
    assert data["seed"] == 7
    assert set(data["hosts"]["node"]) >= {"bytes_pulled", "disk_used"}
    assert "bytes_served" in data["registries"]["hub"]
    step = data["steps"][0]
    assert set(step) >= {"host", "run", "started_at", "finished_at", "exit_code", "stdout",
                         "stderr"}


def test_set_overrides_a_dotted_parameter():
    slow = json.loads(dockersim("run", str(PULL3), "--json").stdout)
    fast = json.loads(dockersim("run", str(PULL3), "--json",
                                "--set", "hosts.node.downlink=1Gbit/s").stdout)
    assert fast["simulated_seconds"] < slow["simulated_seconds"]


def test_bad_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[hosts.node]\ndownlink = "fast"\n')
    p = dockersim("run", str(bad))
    assert p.returncode == 2
    assert p.stderr.strip().count("\n") == 0
    assert "hosts.node.downlink" in p.stderr and "Traceback" not in p.stderr
    p = dockersim("run", str(tmp_path / "nosuch.toml"))
    assert p.returncode == 2 and "no such file" in p.stderr


def test_run_folder_holds_config_summary_transcript_trace(tmp_path):
    out = tmp_path / "run1"
    p = dockersim("run", str(PULL3), "--out", str(out), "--transcript", "none")
    assert p.returncode == 0, p.stderr
    assert {f.name for f in out.iterdir()} == {"config.json", "summary.json",
                                               "transcript.txt", "trace.jsonl"}
    config = json.loads((out / "config.json").read_text())
    assert config["seed"] == 7


def test_shell_starts_in_a_scenario_world():
    p = subprocess.run([sys.executable, "-m", "sim", "shell", "--scenario", str(PULL3),
                        "--set", "hosts.node.downlink=1Gbit/s"], input="docker info\n",
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0
    assert " Name: node" in p.stdout


def test_an_unwritable_trace_is_refused_before_the_run(tmp_path):
    out = io.StringIO()
    with pytest.raises(SystemExit, match=r"^dockersim run: --trace .*: the folder .* does not "
                                         r"exist$"):
        run(str(PULL3), [], str(tmp_path / "no" / "t.jsonl"), False, None, "some", out)
    assert out.getvalue() == ""  # nothing ran, nothing printed


def test_one_container_is_singular():
    text = summary_text({"hosts": {}, "bytes_pulled_total": 0, "registries": {},
                         "time_to_running_stats": {"count": 1, "p50": 1, "p95": 1, "max": 1},
                         "simulated_seconds": 1, "failed_steps": 0, "seed": 7})
    assert "time to running (1 container): p50" in text


def test_out_never_overwrites_a_folder_that_is_not_a_run_folder(tmp_path):
    mine = tmp_path / "project"
    mine.mkdir()
    (mine / "config.json").write_text('{"mine": true}')
    with pytest.raises(SystemExit, match=r"--out .*: exists and is not a run folder"):
        run(str(PULL3), [], None, True, str(mine), "none", io.StringIO())
    assert (mine / "config.json").read_text() == '{"mine": true}'
    again = tmp_path / "run1"
    for _ in range(2):  # an earlier run folder is replaced
        assert run(str(PULL3), [], None, True, str(again), "none", io.StringIO()) == 0
    assert {p.name for p in again.iterdir()} == {"config.json", "summary.json",
                                                 "transcript.txt", "trace.jsonl"}
