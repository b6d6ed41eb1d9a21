"""Metrics against hand computation: a hand-written trace, then small real runs whose numbers
come straight from the catalog's JSONL (sizes) and the scenario (rates)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from sim.scenario.build import build_world
from sim.scenario.load import load_scenario_text
from sim.scenario.run import run_scenario
from sim.trace import events as ev
from sim.trace.trace import Trace
from sim.whatif.metrics import SCALARS, RegistryInfo, compute, quantile, registry_info

HUB = RegistryInfo("hub", "docker.io", 100.0, None)
MIRROR = RegistryInfo("mirror", "mirror.local", 1000.0, "docker.io")
REGS = {"docker.io": HUB, "mirror.local": MIRROR}


def _summary(hosts, served=None, received=0):
    return {"hosts": {h: {} for h in hosts}, "simulated_seconds": 10.0, "failed_steps": 0,
            "time_to_running": {}, "registries": {
                "hub": {"bytes_served": served or 0, "bytes_received": received}}}


def record(trace: Trace, t: float, event: ev.Event) -> None:
    trace.append(t, event)


def test_sources_fill_and_egress_by_hand():
    tr = Trace()
    # a: 400 B from the hub, 0..4 s at 100 B/s: the hub's egress is full for 4 s
    record(tr, 0.0, ev.LayerTransfer("a", "sha256:l1", "downloading", 400, "docker.io"))
    record(tr, 4.0, ev.LayerTransfer("a", "sha256:l1", "downloaded", 400, "docker.io"))
    # b: 200 B through the mirror, which lacks it: it also crosses the hub (a fill)
    record(tr, 4.0, ev.LayerTransfer("b", "sha256:l2", "downloading", 200, "mirror.local"))
    record(tr, 6.0, ev.LayerTransfer("b", "sha256:l2", "downloaded", 200, "mirror.local"))
    # c: the same blob from the mirror, now cached: no hub bytes
    record(tr, 6.0, ev.LayerTransfer("c", "sha256:l2", "downloading", 200, "mirror.local"))
    record(tr, 7.0, ev.LayerTransfer("c", "sha256:l2", "downloaded", 200, "mirror.local"))
    # d: from a peer (peer-to-peer distribution), and a layer it already had
    record(tr, 7.0, ev.LayerTransfer("d", "sha256:l2", "downloading", 200, "peer:c"))
    record(tr, 8.0, ev.LayerTransfer("d", "sha256:l2", "downloaded", 200, "peer:c"))
    record(tr, 8.0, ev.LayerTransfer("d", "sha256:l1", "exists", 1000, "docker.io"))
    m = compute(tr, _summary("abcd", served=600), REGS)
    s = m.scalars
    assert set(SCALARS) <= set(s)
    assert s["bytes_pulled"] == 400 + 200 + 200 + 200
    assert (s["bytes_from_registry"], s["bytes_from_mirror"], s["bytes_from_peer"]) == \
        (400, 400, 200)
    assert s["mirror_fill_bytes"] == 200
    assert s["registry_egress_bytes"] == 600 == s["served.hub"]
    assert (s["layers_fetched"], s["layers_reused"], s["distinct_layers_fetched"]) == (4, 1, 2)
    assert s["bytes_pulled_host_max"] == 400 and s["bytes_pulled_host_mean"] == 250
    # the hub carried 400 B over 0..4 and 200 B over 4..6: 600 B in a 6 s busy span
    assert s["util_mean.hub"] == pytest.approx(600 / (100 * 6), abs=1e-6)
    assert s["util_mean.mirror"] == pytest.approx(400 / (1000 * 3), abs=1e-6)
    assert s["egress_mean_util"] == pytest.approx(1.0)
    hub_rows = [r for r in m.egress if r["registry"] == "hub"]
    width = 7.0 / 60  # the last transfer through a registry ends at 7 s (peers are not)
    assert sum(r["bytes_per_s"] * width for r in hub_rows) == pytest.approx(600, rel=1e-6)
    assert max(r["utilisation"] for r in hub_rows) == pytest.approx(1.0)
    assert s["util_peak.hub"] == pytest.approx(1.0)
    layers = {r["digest"]: r for r in m.layers}
    assert layers["sha256:l2"]["from_peer"] == 200 and layers["sha256:l2"]["downloads"] == 3
    assert layers["sha256:l1"]["reuses"] == 1


def test_disk_running_builds_pushes_and_copy_ups_by_hand():
    tr = Trace()
    record(tr, 0.0, ev.LayerRegistered("h", "c1", "d1", None, 100, "sha256:x"))
    record(tr, 0.0, ev.LayerRegistered("h", "c2", "d2", "c1", 50, "sha256:y"))
    record(tr, 0.0, ev.LayerRegistered("h", "c3", "d3", "c1", 30, "sha256:z"))
    record(tr, 0.0, ev.ImageCreated("h", "i1", ("c1", "c2"), 150))
    record(tr, 0.0, ev.ImageCreated("h", "i2", ("c1", "c3"), 130))
    record(tr, 0.0, ev.LayerRegistered("g", "c1", "d1", None, 100, "sha256:x"))
    record(tr, 0.0, ev.ImageCreated("g", "i0", ("c1",), 100))
    record(tr, 1.0, ev.CommandStarted("h", "docker build -t a ctx"))
    record(tr, 3.5, ev.CommandFinished("h", "docker build -t a ctx", 0))
    record(tr, 4.0, ev.CommandStarted("h", "docker push a"))
    record(tr, 4.0, ev.LayerTransfer("h", "sha256:x", "exists", 100, "docker.io"))
    record(tr, 4.0, ev.LayerTransfer("h", "sha256:y", "mounted", 50, "docker.io"))
    record(tr, 4.5, ev.LayerTransfer("h", "sha256:z", "uploaded", 30, "docker.io"))
    record(tr, 4.5, ev.ManifestPushed("h", "docker.io", "library/a", "latest", "sha256:m"))
    record(tr, 4.6, ev.CommandFinished("h", "docker push a", 0))
    record(tr, 5.0, ev.ContainerStateChanged("h", "k1", "running", 0))
    record(tr, 7.0, ev.ContainerStateChanged("g", "k2", "running", 0))
    record(tr, 8.0, ev.ContainerStateChanged("h", "k1", "running", 0))  # a restart: not new
    record(tr, 9.0, ev.ContainerFilesChanged(
        "h", "k1", (("/etc/passwd", "copy-up", 180), ("/new", "write", 5)), 185))
    summary = _summary("hg", received=12)
    summary["time_to_running"] = {"h/k1": 4.0, "g/k2": 1.0}
    s = compute(tr, summary, REGS).scalars
    assert s["disk_unique_bytes"] == 180 + 100
    assert s["disk_logical_bytes"] == 150 + 130 + 100
    assert s["dedup_ratio"] == pytest.approx(380 / 280, abs=1e-6)
    assert s["disk_unique_host_max"] == 180
    assert s["fleet_distinct_layer_bytes"] == 180  # c1 counted once across the fleet
    assert (s["builds"], s["build_seconds"], s["build_seconds_mean"]) == (1, 2.5, 2.5)
    assert (s["pushes"], s["layers_pushed"], s["layers_push_skipped"]) == (1, 1, 2)
    assert s["bytes_pushed"] == 12 and s["layers_reused"] == 0  # push checks are not reuse
    assert s["bytes_pushed_per_push"] == 12
    assert (s["containers_running"], s["first_running_s"], s["all_running_s"]) == (2, 5.0, 7.0)
    assert (s["ttr_p50"], s["ttr_max"]) == (1.0, 4.0)
    assert (s["copy_up_bytes"], s["copy_ups"]) == (180, 1)


def test_nearest_rank_quantile():
    values = [float(v) for v in range(1, 101)]
    assert quantile(values, 0.5) == 50 and quantile(values, 0.95) == 95
    assert quantile(values, 0.99) == 99 and quantile([3.0], 0.99) == 3.0


def _jsonl(image: str, tag: str) -> dict:
    text = resources.files("sim.catalog").joinpath("official-images.jsonl").read_text()
    for line in text.splitlines():
        r = json.loads(line)
        if r["image"] == image and tag in [r["tag"], *r["aliases"]]:
            return r
    raise AssertionError(f"{image}:{tag} not in the catalog")


def _run(text: str):
    scenario = load_scenario_text(text)
    world = build_world(scenario)
    report = run_scenario(scenario, world)
    return compute(world.trace, report.summary(), registry_info(scenario)), world, report


def test_two_pythons_on_one_host_match_the_catalog():
    m, world, _ = _run('[[steps]]\nat = "0s"\nrun = "docker pull python:3.13"\n'
                       '[[steps]]\nafter = "previous"\nrun = "docker pull python:3.12"\n')
    a, b = _jsonl("python", "3.13"), _jsonl("python", "3.12")
    da, db = [x["digest"] for x in a["layers"]], [x["digest"] for x in b["layers"]]
    common = next(i for i, (x, y) in enumerate(zip(da, db, strict=False)) if x != y)
    fetched = a["layers"] + b["layers"][common:]
    s = m.scalars
    assert s["bytes_pulled"] == sum(x["compressed_bytes"] for x in fetched)
    assert s["bytes_pulled"] == world.hosts["host1"].bytes_pulled
    assert (s["layers_fetched"], s["layers_reused"]) == (len(fetched), common)
    size = {x["digest"]: int(x["compressed_bytes"] * 2.5) for x in fetched}
    assert s["disk_unique_bytes"] == sum(size.values()) == world.hosts["host1"].engine.layers.size()
    logical = sum(int(x["compressed_bytes"] * 2.5) for x in a["layers"] + b["layers"])
    assert s["disk_logical_bytes"] == logical
    assert s["dedup_ratio"] == pytest.approx(logical / sum(size.values()), abs=1e-6)


def test_mirror_fill_matches_the_registries_counters():
    m, world, report = _run(
        '[registries.hub]\negress = "100MB/s"\n[registries.mirror]\nhostname = "mirror.local"\n'
        'mirror_of = "hub"\negress = "1GB/s"\n[hosts.n]\ncount = 2\nregistry_mirror = "mirror"\n'
        '[[steps]]\nat = "0s"\nhost = "n-1"\nrun = "docker pull alpine:3.23"\n'
        '[[steps]]\nafter = "previous"\nhost = "n-2"\nrun = "docker pull alpine:3.23"\n')
    size = sum(x["compressed_bytes"] for x in _jsonl("alpine", "3.23")["layers"])
    s = m.scalars
    regs = report.summary()["registries"]
    assert s["bytes_from_mirror"] == 2 * size and s["bytes_from_registry"] == 0
    assert s["mirror_fill_bytes"] == size == regs["hub"]["bytes_served"]
    assert s["served.mirror"] == 2 * size


def test_one_layer_at_the_egress_rate():
    """alpine:3.23 is one layer; the hub's 10 MB/s egress is the only limit, so the transfer
    takes size / rate and keeps the egress full for that time."""
    m, _, _ = _run('[registries.hub]\negress = "10MB/s"\nlatency = "10ms"\n'
                   '[[steps]]\nat = "0s"\nrun = "docker pull alpine:3.23"\n')
    size = _jsonl("alpine", "3.23")["layers"][0]["compressed_bytes"]
    assert m.scalars["util_mean.hub"] == pytest.approx(1.0)
    rows = m.egress
    end = 0.02 + size / 10e6  # one request round trip, then the transfer
    assert len(rows) == 60 and rows[-1]["t"] == pytest.approx(end * 59 / 60, abs=1e-6)
    assert sum(r["bytes_per_s"] for r in rows) * end / 60 == pytest.approx(size, rel=1e-6)


def test_copy_up_of_a_base_file():
    """Appending to /etc/os-release copies the whole file up (its 37 bytes in alpine's
    skeleton, plus the 2 appended) and its directory /etc (0 bytes), as overlayfs does."""
    m, _, _ = _run('[[steps]]\nat = "0s"\nrun = "docker run -d --name c alpine:3.23 sleep 1d"\n'
                   '[[steps]]\nafter = "previous"\n'
                   'run = "docker exec c sh -c \'echo x >> /etc/os-release\'"\n')
    assert (m.scalars["copy_up_bytes"], m.scalars["copy_ups"]) == (37 + 2, 2)
    assert m.scalars["containers_running"] == 1 and m.scalars["ttr_max"] is not None
