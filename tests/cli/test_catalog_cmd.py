"""``dockersim catalog``: every subcommand with and without --json, as a user types them,
and an import used end to end (shell pull, scenario pull from another registry, sharing)."""

from __future__ import annotations

import io
import json

from sim.catalog import loader, store
from sim.cli.app import main
from tests.catalog import records
from tests.catalog.records import ACME, acme, shipped, variant, write

data_dir = records.data_dir  # the catalog tests' own data directory, for every test here


def _json(capsys, argv: list[str]):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_import_list_show_remove(capsys):
    out = _json(capsys, ["catalog", "import", str(ACME)])
    assert out["imported"] == ["ghcr.io/acme/api:1.0", "acme/worker:1.0"] and not out["replaced"]
    rows = {r["ref"]: r for r in _json(capsys, ["catalog", "list"])}
    assert rows["ghcr.io/acme/api:1.0"]["imported"] and not rows["python:3.12"]["imported"]
    assert rows["ghcr.io/acme/api:1.0"]["registry"] == "ghcr.io"
    assert len(rows) == len(shipped()) + 2
    assert main(["catalog", "list"]) == 0
    text = capsys.readouterr().out
    assert "ORIGIN" in text and any(line.startswith("ghcr.io/acme/api:1.0") and
                                    line.rstrip().endswith("imported")
                                    for line in text.splitlines())
    show = _json(capsys, ["catalog", "show", "ghcr.io/acme/api:latest"])
    assert show["image_id"] == acme()[0]["image_id"]
    assert show["compressed_bytes"] == acme()[0]["total_compressed_bytes"]
    assert _json(capsys, ["catalog", "remove", "acme/worker:1.0"]) == {
        "removed": "acme/worker:1.0"}
    assert main(["catalog", "remove", "acme/worker:1.0"]) == 2
    assert capsys.readouterr().err == \
        "dockersim catalog remove: acme/worker:1.0: not in the catalog\n"


def test_bad_import_is_one_line_exit_2_nothing_written(tmp_path, capsys, data_dir):
    bad = variant("2")
    bad["layers"][0]["digest"] = "abc"
    path = write(tmp_path / "my.jsonl", [variant("1"), variant("3"), bad])
    assert main(["catalog", "import", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"dockersim catalog import: {path}:3: layers.0.digest: expected "
                            "sha256:<64 hex>, got 'abc'\n")
    assert not data_dir.exists()
    assert main(["catalog", "import", str(ACME)]) == 0
    capsys.readouterr()
    assert main(["catalog", "import", str(ACME)]) == 2
    assert "use --replace" in capsys.readouterr().err
    assert _json(capsys, ["catalog", "import", str(ACME), "--replace"])["replaced"] == [
        "ghcr.io/acme/api:1.0", "acme/worker:1.0"]


def test_graph_command(tmp_path, capsys):
    out = _json(capsys, ["catalog", "graph", "python:3.12", "python:3.13",
                         "-o", str(tmp_path / "l.graphml")])
    assert out["format"] == "graphml" and out["images"] == 2 and out["shared_layers"] > 0
    assert main(["catalog", "graph", "-o", str(tmp_path / "all.dot")]) == 0
    assert capsys.readouterr().out.startswith(f"{tmp_path / 'all.dot'}: dot, "
                                              f"{len(shipped())} images, ")
    assert main(["catalog", "graph", "-o", str(tmp_path / "l.svg")]) == 2
    assert main(["catalog", "graph", "nope:1", "-o", str(tmp_path / "l.dot")]) == 2
    assert main(["catalog", "graph", "-o", str(tmp_path / "no" / "l.dot")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"dockersim catalog graph: -o {tmp_path / 'l.svg'}: expected a .graphml, " \
        ".dot or .gv file name"
    assert err[1].startswith("dockersim catalog graph: nope:1: not in the catalog")
    assert err[2].startswith("dockersim catalog graph: cannot write ")
    assert not (tmp_path / "no").exists() and not (tmp_path / "l.dot").exists()


def test_a_broken_data_dir_is_one_line(capsys):
    main(["catalog", "import", str(ACME)])
    store.files()[0].write_text("{}\n")
    loader.reload()
    assert main(["catalog", "list"]) == 2
    assert capsys.readouterr().err.endswith("imported.jsonl:1: image: required field is "
                                            "missing (fix the file, or delete it to drop its "
                                            "records)\n")


def test_an_imported_image_is_pulled_with_its_real_digests_and_sizes(capsys):
    from sim.cli.shell import run_batch
    from sim.world.world import World, WorldConfig
    assert main(["catalog", "import", str(ACME)]) == 0
    capsys.readouterr()
    api, worker = acme()
    world = World(WorldConfig(seed=1))
    out = io.StringIO()
    run_batch(world, "host1", io.StringIO("docker pull acme/worker:1.0\ndocker pull "
                                          "ghcr.io/acme/api:1.0\n"), out, False)
    text = out.getvalue()
    assert f"Digest: {worker['index_digest']}" in text
    assert "lookup ghcr.io: no such host" in text  # the default world has no ghcr.io
    engine = world.hosts["host1"].engine
    image = engine.images.images[worker["image_id"]]
    assert [x.digest for x in image.layers] == [x["digest"] for x in worker["layers"]]
    assert [x.compressed_size for x in image.layers] == [
        x["compressed_bytes"] for x in worker["layers"]]
    assert world.registry("docker.io").repos["acme/worker"].tags  # served by Docker Hub

    from sim.scenario.build import build_world
    from sim.scenario.load import load_scenario_text
    from sim.scenario.run import run_scenario
    scenario = load_scenario_text("""
seed = 1
[registries.hub]
egress = "1Gbit/s"
[registries.ghcr]
hostname = "ghcr.io"
egress = "1Gbit/s"
[hosts.node]
downlink = "1Gbit/s"
[[steps]]
at = "0s"
host = "node"
run = "docker pull acme/worker:1.0"
[[steps]]
after = "previous"
host = "node"
run = "docker pull ghcr.io/acme/api"
""")
    world = build_world(scenario)
    report = run_scenario(scenario, world)
    assert all(s.result.exit_code == 0 for s in report.steps)
    assert api["image_id"] in world.hosts["node"].engine.images.images
    served = {s.hostname: s.bytes_served for s in world.services.values()}
    sharing = _json(capsys, ["catalog", "sharing", "acme/worker:1.0", "ghcr.io/acme/api"])
    assert served["docker.io"] == sum(x["compressed_bytes"] for x in worker["layers"])
    assert served["ghcr.io"] == sharing["images"][1]["pulled_bytes"]  # only what it lacked
    assert sharing["images"][1]["already_exists"] == 4  # python:3.13-slim's four layers
    assert sharing["pulled_in_order_bytes"] == served["docker.io"] + served["ghcr.io"]


def test_one_layer_is_singular_in_show_and_sharing(capsys):
    assert main(["catalog", "show", "alpine:3.22"]) == 0
    assert "\n1 layer, " in capsys.readouterr().out
    assert main(["catalog", "sharing", "python:3.14-slim", "debian:trixie-slim"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert " 0 layers " in rows[1] and " 1 layer " in rows[2]


def test_a_data_dir_it_cannot_write_is_named_in_one_line(capsys, data_dir):
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_text("")  # a file where the folder should be
    assert main(["catalog", "import", str(ACME)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"dockersim catalog import: cannot write the catalog in {data_dir}")
    assert err.endswith("(set DOCKERSIM_DATA_DIR to a folder you can write)\n")
    assert err.count("\n") == 1
