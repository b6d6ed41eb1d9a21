"""``catalog sharing`` against sums done directly from the JSONL, and against the simulator
pulling the same images in the same order."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.catalog.loader import DEFAULT_RATIO
from sim.catalog.sharing import SharingError, sharing
from sim.scenario.build import build_world
from sim.scenario.load import load_scenario_text
from sim.scenario.run import run_scenario

IMAGES = ["python:3.12", "python:3.13", "node:24"]


def jsonl() -> dict[str, dict]:
    text = resources.files("sim.catalog").joinpath("official-images.jsonl").read_text()
    out = {}
    for line in text.splitlines():
        r = json.loads(line)
        for tag in [r["tag"], *r["aliases"]]:
            out[f"{r['image']}:{tag}"] = r
    return out


def by_hand(names: list[str]) -> tuple[int, int, int]:
    """In order onto one host: skip the longest prefix of layers (by blob digest: the diffID
    is a function of the digest, so equal digest prefixes are equal chainIDs) already
    present; every other distinct blob of the pull is downloaded."""
    records = jsonl()
    seen_prefixes: set[tuple[str, ...]] = set()
    in_order = separately = 0
    for name in names:
        layers = records[name]["layers"]
        digests = tuple(x["digest"] for x in layers)
        separately += sum(x["compressed_bytes"] for x in layers)
        k = 0
        while k < len(digests) and digests[:k + 1] in seen_prefixes:
            k += 1
        in_order += sum({x["digest"]: x["compressed_bytes"] for x in layers[k:]}.values())
        seen_prefixes.update(digests[:i + 1] for i in range(len(digests)))
    disk = 0
    sizes: dict[tuple[str, ...], int] = {}
    for name in names:
        layers = records[name]["layers"]
        for i, x in enumerate(layers):
            empty = x["digest"] == ("sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d"
                                    "75e68dc38e8acc1")
            sizes[tuple(y["digest"] for y in layers[:i + 1])] = \
                0 if empty else int(x["compressed_bytes"] * DEFAULT_RATIO)
    disk = sum(sizes.values())
    return in_order, separately, disk


@pytest.mark.parametrize("names", [IMAGES, ["python:3.13", "python:3.12"],
                                   ["node:24", "node:24-slim", "node:22"],
                                   ["tomcat:11.0-jdk21", "eclipse-temurin:21-jdk"],
                                   ["httpd:2.4", "redis:8.2", "php:8.4-apache"],
                                   ["alpine:3.23", "alpine:3.23"]])
def test_sums_match_the_jsonl(names):
    report = sharing(names)
    assert (report["pulled_in_order_bytes"], report["pulled_separately_bytes"],
            report["disk_bytes"]) == by_hand(names)


def test_json_contract_and_shared_layers():
    report = sharing(IMAGES)
    assert {"images", "pulled_in_order_bytes", "pulled_separately_bytes", "disk_bytes"} <= \
        set(report)
    assert [i["ref"] for i in report["images"]] == IMAGES
    records = jsonl()
    common = set(x["digest"] for x in records["python:3.12"]["layers"][:4])
    assert {x["digest"] for x in report["shared_layers"]} == common
    assert all(x["images"] == ["python:3.12", "python:3.13"] for x in report["shared_layers"])
    assert report["images"][1]["already_exists"] == 4


def test_the_simulator_pulls_the_same_bytes():
    when = ['at = "0s"'] + ['after = "previous"'] * (len(IMAGES) - 1)
    steps = "".join(f'[[steps]]\n{w}\nrun = "docker pull {name}"\n'
                    for w, name in zip(when, IMAGES, strict=True))
    scenario = load_scenario_text(steps)
    world = build_world(scenario)
    run_scenario(scenario, world)
    host = world.hosts["host1"]
    report = sharing(IMAGES)
    assert host.bytes_pulled == report["pulled_in_order_bytes"]
    assert host.engine.layers.size() == report["disk_bytes"]


def test_a_blob_at_another_depth_is_pulled_again():
    """BuildKit's empty layer is layer 3 of httpd:2.4 and layer 6 of haproxy:3.2, on the same
    Debian base: the same blob under another chainID, so the second pull downloads it
    again."""
    empty = "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"
    records = jsonl()
    httpd, haproxy = records["httpd:2.4"]["layers"], records["haproxy:3.2"]["layers"]
    assert empty in [x["digest"] for x in httpd] and empty in [x["digest"] for x in haproxy]
    common = 1  # the Debian base layer only
    assert httpd[0]["digest"] == haproxy[0]["digest"] and httpd[1] != haproxy[1]
    report = sharing(["httpd:2.4", "haproxy:3.2"])
    second = report["images"][1]
    assert second["already_exists"] == common
    assert second["pulled_bytes"] == sum(x["compressed_bytes"] for x in haproxy[common:])
    assert report["shared_layers"][0]["digest"] == httpd[0]["digest"]
    assert len(report["shared_layers"]) == 1  # the empty blob is not a shared layer


@pytest.mark.parametrize(("name", "message"), [
    ("python:2.7", "python:2.7: not in the catalog (tags of python: python:3, "),
    ("nosuchimage", "nosuchimage: not in the catalog (images: alpine, "),
    ("ghcr.io/x/y:1", "ghcr.io/x/y:1: not in the catalog (images: alpine, "),
    ("python@sha256:" + "a" * 64, "python@sha256:aaaa"),
    ("UPPER", "UPPER: "),
])
def test_unknown_images_are_one_line(name, message):
    with pytest.raises(SharingError) as info:
        sharing([name])
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


POOL = ["python:3.12", "python:3.13", "python:3.13-slim", "python:3.14-slim", "node:24",
        "node:24-slim", "httpd:2.4", "haproxy:3.2", "alpine:3.23", "golang:1.26-alpine"]


@settings(max_examples=12, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=4))
def test_any_order_matches_the_simulator_and_the_metrics(names):
    """For any images in any order (repeats included), the sharing report's in-order bytes
    and disk are what the simulator pulls and stores, and the what-if metrics agree."""
    from sim.whatif.metrics import compute, registry_info
    when = ['at = "0s"'] + ['after = "previous"'] * (len(names) - 1)
    steps = "".join(f'[[steps]]\n{w}\nrun = "docker pull {name}"\n'
                    for w, name in zip(when, names, strict=True))
    scenario = load_scenario_text(steps)
    world = build_world(scenario)
    report = run_scenario(scenario, world)
    expected = sharing(names)
    s = compute(world.trace, report.summary(), registry_info(scenario)).scalars
    assert s["bytes_pulled"] == expected["pulled_in_order_bytes"] == \
        world.hosts["host1"].bytes_pulled
    assert s["disk_unique_bytes"] == expected["disk_bytes"]
    assert s["bytes_from_registry"] + s["bytes_from_mirror"] + s["bytes_from_peer"] == \
        s["bytes_pulled"]
    firsts = [i for k, i in enumerate(expected["images"])
              if i["ref"] not in [j["ref"] for j in expected["images"][:k]]]
    # an image pulled again is "up to date": no layer lines, so no reuse counted
    assert s["layers_reused"] == sum(i["already_exists"] for i in firsts)
    assert s["layers_fetched"] == sum(_fetched(i["ref"], i["already_exists"]) for i in firsts)
    assert s["disk_logical_bytes"] >= s["disk_unique_bytes"]


def _fetched(ref: str, exists: int) -> int:
    """Distinct blobs above the existing prefix: one pull fetches a blob once."""
    return len({x["digest"] for x in jsonl()[ref]["layers"][exists:]})
