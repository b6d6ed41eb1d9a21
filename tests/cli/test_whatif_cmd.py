"""``dockersim whatif`` and ``dockersim catalog``: the shipped what-ifs at small sizes, bad
specs refused before anything runs (one line, exit 2, nothing written), the catalog's JSON."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli.app import main

ROOT = Path(__file__).resolve().parents[2]
WHATIF = ROOT / "scenarios" / "whatif"
SHIPPED = {  # each shipped what-if, made small: (--set, --sweep) arguments
    "shared-base.toml": ["--set", "hosts.node.count=1"],
    "fleet-scale.toml": ["--sweep", "hosts.web.count=2,3"],
    "download-concurrency.toml": ["--sweep", "hosts.node.max_concurrent_downloads=1,6",
                                  "--sweep", "hosts.node.downlink=1Gbit/s",
                                  "--set", "steps.0.run=docker run -d --name app "
                                  "python:3.13-slim sleep infinity"],
    "layer-order.toml": ["--set", "hosts.node.count=1"],
    "lazy-pull.toml": ["--set", "hosts.node.count=2"],
    "p2p.toml": ["--set", "hosts.web.count=2"],
    "vm-vs-container.toml": [],
}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """Each shipped what-if, run once at its small size: name -> (stdout, run folder)."""
    done: dict[str, tuple[str, Path]] = {}

    def run(name: str) -> tuple[str, Path]:
        if name not in done:
            out = tmp_path_factory.mktemp("whatif") / name.removesuffix(".toml")
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                code = main(["whatif", str(WHATIF / name), "--jobs", "1", "--no-plots",
                             "--out", str(out), *SHIPPED[name]])
            assert code == 0
            done[name] = buf.getvalue(), out
        return done[name]
    return run


def rows(path: Path) -> list[dict[str, str]]:
    with path.open() as fh:
        return list(csv.DictReader(fh))


def test_every_shipped_whatif_is_tested():
    files = {p.name for p in WHATIF.glob("*.toml") if "[sweep]" in p.read_text()}
    assert files == set(SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_whatif_runs_small(shipped, name):
    out, folder = shipped(name)
    assert f"what-if {name.removesuffix('.toml')}" in out and "run folder" in out
    results = rows(folder / "results.csv")
    assert len(results) >= 2 and all(r["failed_steps"] == "0" for r in results)
    assert (folder / "report.md").read_text().startswith("# What-if:")


def test_shared_base_pulls_less_than_distinct_bases(shipped):
    shared, distinct = rows(shipped("shared-base.toml")[1] / "results.csv")
    assert (shared["point"], distinct["point"]) == ("shared-base", "distinct-bases")
    assert int(shared["bytes_pulled"]) * 5 < int(distinct["bytes_pulled"])
    assert float(shared["dedup_ratio"]) > 2 * float(distinct["dedup_ratio"])


def test_layer_order_moves_the_dependencies_every_release(shipped):
    deps, code_first = rows(shipped("layer-order.toml")[1] / "results.csv")
    assert int(code_first["bytes_pushed"]) > 5 * int(deps["bytes_pushed"])
    assert float(code_first["build_seconds"]) > 10 * float(deps["build_seconds"])
    assert deps["builds"] == code_first["builds"] == "30"


def test_peers_serve_what_the_registry_does_not(shipped):
    off, on = rows(shipped("p2p.toml")[1] / "results.csv")
    assert int(off["bytes_from_peer"]) == 0 and int(on["bytes_from_peer"]) > 0
    assert int(on["bytes_from_peer"]) + int(on["registry_egress_bytes"]) == \
        int(off["registry_egress_bytes"]) == int(on["bytes_pulled"])


def test_vms_move_and_store_a_disk_each(shipped):
    containers, vms = rows(shipped("vm-vs-container.toml")[1] / "results.csv")
    assert int(vms["bytes_pulled"]) > 6 * int(containers["bytes_pulled"])
    assert int(vms["disk_used_bytes"]) > 6 * int(containers["disk_used_bytes"])
    assert float(vms["ttr_p50"]) > 30 > float(containers["ttr_p50"])


def test_the_mirror_saves_hub_egress(shipped):
    results = rows(shipped("fleet-scale.toml")[1] / "results.csv")
    hub_only, mirror = (next(r for r in results if r["point"] == p and
                             r["hosts.web.count"] == "3") for p in ("hub-only", "mirror"))
    assert int(hub_only["registry_egress_bytes"]) == 3 * int(mirror["registry_egress_bytes"])
    assert int(mirror["bytes_from_mirror"]) == int(hub_only["bytes_pulled"])


@pytest.mark.parametrize(("args", "expected"), [
    (["--sweep", "hosts.web.cuont=1,2"],
     "sweep.factors.hosts.web.cuont: unknown parameter: hosts.web has no 'cuont'"),
    (["--sweep", "registries.hub.egress=1GB"],
     "sweep registries.hub.egress=1GB: registries.hub.egress: expected a rate like"),
    (["--sweep", "hosts.web.count=1"],
     "sweep hosts.web.count=1: steps.1.host: no host named 'web-1' (hosts: web)"),
    ([], "empty sweep"),
    (["--sweep", "hosts.web.count=2", "--repeat", "0"],
     "--repeat 0: expected a whole number of at least 1"),
    (["--sweep", "hosts.web.count=2", "--jobs", "0"], "--jobs 0: expected at least 1"),
])
def test_bad_specs_refused_before_anything_runs(tmp_path, args, expected):
    with pytest.raises(SystemExit) as info:
        main(["whatif", str(WHATIF / "fleet-deploy.toml"), "--out", str(tmp_path / "run"),
              *args])
    message = str(info.value.code)
    assert message.startswith("dockersim whatif: ") and expected in message, message
    assert "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_a_bad_spec_is_one_line_on_stderr_without_traceback(tmp_path):
    p = subprocess.run([sys.executable, "-m", "sim", "whatif",
                        str(WHATIF / "fleet-deploy.toml"), "--sweep", "hosts.web.cuont=1"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert p.returncode != 0 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("dockersim whatif: ")
    assert list(tmp_path.iterdir()) == []


def test_a_foreign_out_folder_is_refused_before_running(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(SystemExit, match="exists and is not a what-if run folder"):
        main(["whatif", str(WHATIF / "fleet-deploy.toml"), "--sweep", "hosts.web.count=2",
              "--out", str(mine)])
    assert (mine / "notes.txt").read_text() == "keep"


def test_json_output_and_plots(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["whatif", str(WHATIF / "fleet-deploy.toml"), "--sweep", "hosts.web.count=2,3",
                 "--jobs", "1", "--json", "--out", str(out)])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["out"] == str(out)
    assert [r["hosts.web.count"] for r in data["results"]] == [2, 3]
    assert sorted(p.name for p in (out / "plots").iterdir()) == [
        "bytes-by-source.png", "disk.png", "egress.png", "factor.png", "time-to-running.png"]


def test_catalog_sharing_json(capsys):
    assert main(["catalog", "sharing", "python:3.12", "python:3.13", "node:24", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [i["ref"] for i in data["images"]] == ["python:3.12", "python:3.13", "node:24"]
    assert data["pulled_in_order_bytes"] < data["pulled_separately_bytes"]
    assert data["disk_bytes"] > 0


def test_catalog_sharing_text_and_errors(capsys):
    assert main(["catalog", "sharing", "python:3.12", "python:3.13"]) == 0
    out = capsys.readouterr().out
    assert "SHARED LAYER" in out and "pulled in this order onto one host" in out
    with pytest.raises(SystemExit, match="dockersim catalog sharing: python:2: not in the "
                       "catalog"):
        main(["catalog", "sharing", "python:2"])


def test_catalog_list(capsys):
    assert main(["catalog", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 84 and {"image", "tag", "aliases", "layers"} <= set(data[0])
    assert main(["catalog", "list"]) == 0
    assert "python:3.13" in capsys.readouterr().out


def test_catalog_show_matches_the_record(capsys):
    from sim.catalog import loader
    record = next(r for r in loader.records() if (r["image"], r["tag"]) == ("python", "3.13"))
    assert main(["catalog", "show", "python:3.13", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["image_id"], data["manifest_digest"]) == (record["image_id"],
                                                         record["manifest_digest"])
    assert data["compressed_bytes"] == record["total_compressed_bytes"]
    assert [h["created_by"] for h in data["history"]] == record["history"]
    assert [h["layer"]["digest"] for h in data["history"] if h["layer"]] == \
        [x["digest"] for x in record["layers"]]
    assert main(["catalog", "show", "python:3.13"]) == 0
    assert "7 layers, 412.7MB compressed" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="dockersim catalog show: nope:1: not in the catalog"):
        main(["catalog", "show", "nope:1"])
