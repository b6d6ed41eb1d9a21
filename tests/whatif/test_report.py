"""The run folder: every file, in place only once complete; an old run folder replaced, a
folder we did not make refused; the terminal table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sim.whatif import report
from sim.whatif.metrics import SCALARS
from sim.whatif.spec import load_sweep
from sim.whatif.sweep import run_jobs

ROOT = Path(__file__).resolve().parents[2]
FLEET = str(ROOT / "scenarios" / "whatif" / "fleet-deploy.toml")
COMMAND = "dockersim whatif fleet-deploy.toml --sweep hosts.web.count=2,4"


@pytest.fixture(scope="module")
def study():
    spec = load_sweep(FLEET, [], ["hosts.web.count=2,4"], repeat=2, root_seed=1)
    return spec, run_jobs(spec.jobs())


def test_folder_has_every_file(tmp_path, study):
    spec, results = study
    out = report.write_folder(tmp_path / "run", spec, results, COMMAND, with_plots=False)
    names = {p.name for p in out.iterdir()}
    assert names == {"scenario.toml", "resolved.json", "sweep.json", "results.csv",
                     "summary.csv", "hosts.csv", "layers.csv", "egress.csv", "report.md"}
    rows = list(csv.DictReader((out / "results.csv").open()))
    assert [(r["cell"], r["rep"]) for r in rows] == [("0", "0"), ("0", "1"), ("1", "0"),
                                                    ("1", "1")]
    assert set(SCALARS) <= set(rows[0]) and rows[2]["hosts.web.count"] == "4"
    summary = list(csv.DictReader((out / "summary.csv").open()))
    pulled = [r for r in summary if r["metric"] == "bytes_pulled"]
    assert [r["n"] for r in pulled] == ["2", "2"]
    # identical replications (this model has no randomness in timing): a zero-width CI
    assert pulled[1]["ci95_low"] == pulled[1]["mean"] == pulled[1]["ci95_high"]
    assert float(pulled[1]["mean"]) == 2 * float(pulled[0]["mean"])
    sweep = json.loads((out / "sweep.json").read_text())
    assert sweep["command"] == COMMAND and len(sweep["runs"]) == 4
    assert sweep["runs"][3]["set"][-1] == f"seed={sweep['runs'][3]['seed']}"
    text = (out / "report.md").read_text()
    assert COMMAND in text and "| hosts.web.count=4 | 2 |" in text
    assert len(list(csv.DictReader((out / "hosts.csv").open()))) == 2 * (2 + 4)


def test_a_failure_leaves_nothing(tmp_path, study, monkeypatch):
    spec, results = study

    def broken(*_args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("sim.whatif.report.report_md", broken)
    with pytest.raises(OSError):
        report.write_folder(tmp_path / "run", spec, results, COMMAND, with_plots=False)
    assert list(tmp_path.iterdir()) == []


def test_an_old_run_folder_is_replaced_a_foreign_one_refused(tmp_path, study):
    spec, results = study
    out = tmp_path / "run"
    report.write_folder(out, spec, results, COMMAND, with_plots=False)
    (out / "stale.txt").write_text("old")
    report.write_folder(out, spec, results, COMMAND, with_plots=False)
    assert not (out / "stale.txt").exists() and (out / "results.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="exists and is not a what-if run folder"):
        report.write_folder(mine, spec, results, COMMAND, with_plots=False)
    assert (mine / "notes.txt").read_text() == "keep me"


def test_terminal_table(study):
    spec, results = study
    text = report.table(spec, results)
    assert "what-if fleet-deploy: mean ± 95% CI over 2 replications" in text
    assert "hosts.web.count=2" in text and "hosts.web.count=4" in text
    assert "pulled" in text and "from mirror" not in text  # all-zero columns are left out


def test_an_out_folder_under_a_file_is_refused(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(SystemExit, match="afile is a file, not a folder"):
        report.check_out_dir(tmp_path / "afile" / "run")
