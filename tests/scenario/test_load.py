"""Loading scenario files: TOML, --set overrides and the one-line error messages an author
sees (file, dotted key, what was expected)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.scenario import (
    Scenario,
    ScenarioError,
    dump_resolved,
    load_scenario,
    load_scenario_text,
    parse_rate,
)

FLEET = """\
seed = 7
start = "2026-11-27T09:00:00Z"
[registries.hub]
egress = "1Gbit/s"
latency = "20ms"
[registries.mirror]
hostname = "mirror.local:5000"
mirror_of = "hub"
egress = "10Gbit/s"
[hosts.node]
count = 3
downlink = "100Mbit/s"
uplink = "100Mbit/s"
extract_rate = "200MB/s"
compress_rate = "36MB/s"
disk = "20GB"
max_concurrent_downloads = 3
max_concurrent_uploads = 5
registry_mirror = "mirror"
create = "100ms"
start = "450ms"
stop_timeout = "10s"
[hosts.node.overrides.node-3]
downlink = "10Mbit/s"
[workloads]
nginx = "service:ignore-sigterm"
[[faults]]
at = "5s"
kind = "registry-outage"
target = "hub"
duration = "30s"
[[faults]]
at = "10s"
kind = "link-slow"
target = "hub"
duration = "30s"
factor = 0.1
[[steps]]
at = "0s"
host = "node"
run = "docker pull nginx:mainline"
[[steps]]
after = "previous"
host = "node-3"
run = "docker run -d nginx"
"""


@pytest.fixture
def fleet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """fleet.toml in the working directory, so messages name it as an author would type it."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "fleet.toml"
    path.write_text(FLEET)
    return Path("fleet.toml")


def error_of(fleet: Path, *sets: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(fleet, list(sets))
    assert info.value.exit_code == 2
    assert "\n" not in str(info.value)
    return str(info.value)


def test_the_contract_example_loads(fleet: Path) -> None:
    s = load_scenario(fleet)
    assert s.seed == 7
    assert s.registries["hub"].egress == 125e6
    assert s.registries["mirror"].hostname == "mirror.local:5000"
    hosts = s.expand_hosts()
    assert list(hosts) == ["node-1", "node-2", "node-3"]
    assert hosts["node-3"].timing.downlink == 1.25e6
    assert hosts["node-1"].timing.downlink == 12.5e6
    assert hosts["node-1"].disk == 20_000_000_000
    assert s.step_hosts(s.steps[0]) == ["node-1", "node-2", "node-3"]
    assert s.step_hosts(s.steps[1]) == ["node-3"]


def test_load_accepts_a_string_path(fleet: Path) -> None:
    assert load_scenario(str(fleet)).seed == 7


# ---- --set ---------------------------------------------------------------------------
def test_set_nested_key_with_units(fleet: Path) -> None:
    s = load_scenario(fleet, ["hosts.node.downlink=1Gbit/s"])
    assert s.expand_hosts()["node-1"].timing.downlink == 125e6
    assert s.expand_hosts()["node-3"].timing.downlink == 1.25e6  # the override still wins


def test_set_creates_intermediate_tables(fleet: Path) -> None:
    s = load_scenario(fleet, ["hosts.node.overrides.node-2.disk=1GB", "hosts.db.disk=5GB"])
    hosts = s.expand_hosts()
    assert hosts["node-2"].disk == 1_000_000_000
    assert hosts["db"].disk == 5_000_000_000
    empty = load_scenario_text("", sets=["registries.hub.latency=1s"])
    assert empty.registries["hub"].latency == 1.0


def test_set_list_index(fleet: Path) -> None:
    s = load_scenario(fleet, ["steps.0.at=2s", "faults.1.factor=0.5"])
    assert s.steps[0].at == 2.0
    assert s.faults[1].factor == 0.5


def test_set_index_one_past_the_end_appends(fleet: Path) -> None:
    s = load_scenario(fleet, ["steps.2.at=1m", "steps.2.host=node-1", "steps.2.run=docker ps"])
    assert (s.steps[2].at, s.steps[2].run) == (60.0, "docker ps")
    fresh = load_scenario_text("", sets=["steps.0.at=0", "steps.0.run=docker images"])
    assert fresh.steps[0].run == "docker images"


def test_set_type_coercion(fleet: Path) -> None:
    s = load_scenario(fleet, ["seed=42", "hosts.node.count=5", "faults.1.factor=0.25",
                              'steps.0.run="docker pull redis"', "steps.1.run=docker ps -a"])
    assert s.seed == 42 and isinstance(s.seed, int)
    assert len(s.expand_hosts()) == 5
    assert s.faults[1].factor == 0.25
    assert s.steps[0].run == "docker pull redis"
    assert s.steps[1].run == "docker ps -a"


def test_set_bool_stays_bool(fleet: Path) -> None:
    assert error_of(fleet, "seed=true") == "fleet.toml: seed: expected a valid integer, got true"


def test_set_quoted_key_segment() -> None:
    s = load_scenario_text("", sets=['workloads."nginx:1.27"=job:duration=5:exit=3'])
    assert s.workloads["nginx:1.27"].exit_code == 3


def test_set_datetime_value() -> None:
    s = load_scenario_text("", sets=["start=2026-01-02T03:04:05Z"])
    assert s.start is not None and s.start.hour == 3


@pytest.mark.parametrize(("assignment", "message"), [
    ("hosts.node", "--set hosts.node: expected key=value"),
    ("=3", "--set =3: expected key=value"),
    ("hosts..node=1", "--set hosts..node=1: expected a dotted key like hosts.node.downlink, "
                      "got 'hosts..node'"),
    ("steps.9.at=1s", "--set steps.9.at=1s: steps has 2 entries, so the index can be 0..2, "
                      "got 9"),
    ("steps.first.at=1s", "--set steps.first.at=1s: steps is an array, expected a number "
                          "after it, got 'first'"),
    ("seed.x=1", "--set seed.x=1: seed is a value, not a table"),
])
def test_bad_set(fleet: Path, assignment: str, message: str) -> None:
    assert error_of(fleet, assignment) == message


# ---- error messages ------------------------------------------------------------------
@pytest.mark.parametrize(("sets", "message"), [
    (["hosts.node.downlink=fast"],
     "fleet.toml: hosts.node.downlink: expected a rate like 100Mbit/s or 50MB/s, got 'fast'"),
    (["hosts.node.colour=red"], "fleet.toml: hosts.node.colour: unknown key"),
    (["hosts.node.downlnk=1Gbit/s"],
     "fleet.toml: hosts.node.downlnk: unknown key (did you mean 'downlink'?)"),
    (["steps.1.at=1s"],
     'fleet.toml: steps.1: expected exactly one of at = "<time>" or after = "previous", '
     "got both"),
    (["steps.0.host=nope"],
     "fleet.toml: steps.0.host: no host named 'nope' (hosts: node (node-1, node-2, node-3))"),
    (["hosts.node.count=three"], "fleet.toml: hosts.node.count: expected a valid integer, "
                                 "got 'three'"),
    (["faults.0.kind=meteor"],
     "fleet.toml: faults.0.kind: expected 'registry-outage', 'link-slow', 'disk-full' or "
     "'rate-limit', got 'meteor'"),
    (["faults.1.factor=0"], "fleet.toml: faults.1.factor: expected a number greater than 0, "
                            "got 0"),
    (["steps=3"], "fleet.toml: steps: expected an array of tables ([[steps]]), got 3"),
    (["hosts.node=3"], "fleet.toml: hosts.node: expected a table, got 3"),
    (["steps.2.at=1s"], "fleet.toml: steps.2.run: missing required key"),
    (["start=yesterday"],
     "fleet.toml: start: expected a date and time like 2026-11-27T09:00:00Z, got 'yesterday'"),
    (["hosts.node.downlink_spread=130%"], "fleet.toml: hosts.node.downlink_spread: expected "
                                          "a percentage between 0% and 100%, got '130%'"),
    (["hosts.node.extract_rate_spread=0.2"],
     "fleet.toml: hosts.node.extract_rate_spread: expected a percentage between 0% and 100% "
     "like '20%', got 0.2"),
    (["registries.hub.latency_spread=100%"],
     "fleet.toml: registries.hub.latency_spread: expected a percentage below 100% (a rate "
     "drawn at -100% would be zero), got '100%'"),
    (["steps.0.jitter=soon"], "fleet.toml: steps.0.jitter: expected a duration like 30s, "
                              "100ms, 1m30s or a number of seconds, got 'soon'"),
    (["hosts.node.downlink_sprad=10%"],
     "fleet.toml: hosts.node.downlink_sprad: unknown key (did you mean 'downlink_spread'?)"),
    (['workloads."Nginx:1"=service'],
     "fleet.toml: workloads.\"Nginx:1\": expected an image name like nginx or nginx:1.27, "
     "got 'Nginx:1'"),
])
def test_validation_errors_are_one_line(fleet: Path, sets: list[str], message: str) -> None:
    assert error_of(fleet, *sets) == message


def test_toml_syntax_error_names_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("fleet.toml").write_text('seed = 7\n[hosts.node]\ndownlink = fast\n')
    assert error_of(Path("fleet.toml")) == "fleet.toml: line 3: Invalid value"


def test_unquoted_units_get_a_hint() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text("[hosts.node]\ndownlink = 100Mbit/s\n", name="fleet.toml")
    assert str(info.value).startswith("fleet.toml: line 2: Expected newline")
    assert 'needs quotes: downlink = "100Mbit/s"' in str(info.value)


def test_toml_error_at_end_of_file() -> None:
    with pytest.raises(ScenarioError, match=r"^x\.toml: end of file: "):
        load_scenario_text("a = [1,", name="x.toml")


def test_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as info:
        load_scenario("nosuch.toml")
    assert str(info.value) == "nosuch.toml: no such file"
    assert info.value.exit_code == 2


def test_directory_and_binary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("d").mkdir()
    with pytest.raises(ScenarioError, match="^d: is a directory"):
        load_scenario("d")
    Path("b.toml").write_bytes(b"seed = 1\n\xff\n")
    with pytest.raises(ScenarioError, match="^b.toml: line 2: expected UTF-8 text$"):
        load_scenario("b.toml")


def test_text_default_name() -> None:
    with pytest.raises(ScenarioError, match="^<string>: colour: unknown key$"):
        load_scenario_text("colour = 1")


# ---- resolved dump -------------------------------------------------------------------
def test_dump_resolved_is_base_units_and_json_ready(fleet: Path) -> None:
    s = load_scenario(fleet)
    dump = dump_resolved(s)
    assert json.loads(json.dumps(dump)) == dump
    assert dump["seed"] == 7
    assert dump["start"] == "2026-11-27T09:00:00+00:00"
    assert dump["registries"]["hub"] == {"hostname": "docker.io", "mirror_of": None,
                                         "egress": 125e6, "latency": 0.02,
                                         "latency_nominal": 0.02, "latency_spread": 0.0}
    assert dump["fleets"]["node"] == {"count": 3, "nominal": {}, "spreads": {}}
    assert "offsets" not in dump["steps"][0] and dump["steps"][0]["jitter"] == 0.0
    node3 = dump["hosts"]["node-3"]
    assert node3["downlink"] == 1.25e6 and node3["uplink"] == 12.5e6
    assert node3["disk"] == 20_000_000_000 and node3["fleet"] == "node"
    assert node3["kill"] == 0.05  # a default, filled in
    assert dump["workloads"]["nginx"]["handles_sigterm"] is False
    assert dump["faults"][1]["factor"] == 0.1
    assert dump["steps"][0]["hosts"] == ["node-1", "node-2", "node-3"]
    assert dump["steps"][1]["after"] == "previous"


def test_dump_records_spreads_and_the_drawn_values(fleet: Path) -> None:
    """Every drawn value in the dump can be recomputed from the seed and the nominal value
    by the rule in docs/whatif.md."""
    s = load_scenario(fleet, ["hosts.node.downlink_spread=30%", "hosts.node.uplink_spread=10%",
                              "registries.hub.latency_spread=50%", "steps.0.jitter=10s"])
    dump = dump_resolved(s)
    assert json.loads(json.dumps(dump)) == dump
    assert dump["fleets"]["node"] == {"count": 3, "nominal": {"downlink": 12.5e6,
                                                              "uplink": 12.5e6},
                                      "spreads": {"downlink": 0.3, "uplink": 0.1}}
    for name in ("node-1", "node-2"):
        u = random.Random(f"7/{name}/downlink").random()
        assert dump["hosts"][name]["downlink"] == round(12.5e6 * (1 + 0.3 * (2 * u - 1)))
    assert dump["hosts"]["node-3"]["downlink"] == 1.25e6  # the override, as written
    u = random.Random("7/registries.hub/latency").random()
    assert dump["registries"]["hub"]["latency"] == round(0.02 * (1 + 0.5 * (2 * u - 1)), 6)
    assert dump["registries"]["hub"]["latency_nominal"] == 0.02
    offsets = dump["steps"][0]["offsets"]
    assert offsets == {n: round(10 * random.Random(f"7/{n}/steps.0.jitter").random(), 6)
                       for n in ("node-1", "node-2", "node-3")}
    assert dump_resolved(load_scenario(fleet, ["seed=8", "steps.0.jitter=10s"]))["steps"][0][
        "offsets"] != offsets


def test_dump_of_the_default_scenario() -> None:
    dump = dump_resolved(Scenario())
    assert list(dump["hosts"]) == ["host1"]
    assert dump["start"] is None and dump["steps"] == []


# ---- properties ----------------------------------------------------------------------
@given(st.integers(min_value=1, max_value=10**12))
def test_any_integer_mbit_rate(n: int) -> None:
    text = f"{n}Mbit/s"
    assert parse_rate(text) == float(n * 125000)
    s = load_scenario_text("", sets=[f"hosts.host1.downlink={text}"])
    assert s.expand_hosts()["host1"].timing.downlink == float(n * 125000)


@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_any_float_mbit_rate(n: float) -> None:
    assert parse_rate(f"{n}Mbit/s") == pytest.approx(n * 125000, rel=1e-12)


def test_a_timeline_of_a_million_lines_is_refused_before_anything_runs() -> None:
    steps = '[[steps]]\nat = "1s"\nhost = "node"\nrun = "docker ps"\n' * 10_001
    with pytest.raises(ScenarioError, match=r"^big.toml: steps: at most 10000 entries, "
                       r"got 10001$"):
        load_scenario_text("[hosts.node]\n" + steps, "big.toml")
