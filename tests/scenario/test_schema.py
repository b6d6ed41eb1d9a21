"""The scenario schema: defaults, fleets, overrides and the cross-table checks that keep a
bad scenario from reaching the simulator."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from sim.model.workload import JOB, SERVICE, Workload
from sim.scenario.schema import (
    DOCKER_HUB,
    TIMING_FIELDS,
    HostSettings,
    Scenario,
    Step,
)
from sim.world.timing import Timing


def scenario(**raw: Any) -> Scenario:
    return Scenario.model_validate(raw)


def first_error(raw: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(raw)
    return info.value.errors(include_url=False)[0]


# ---- defaults ------------------------------------------------------------------------
def test_empty_scenario_has_docker_hub_and_one_host() -> None:
    s = scenario()
    assert s.seed == 0
    assert s.start is None
    assert list(s.registries) == ["hub"]
    assert s.registries["hub"].hostname == DOCKER_HUB
    assert s.registries["hub"].egress is None
    assert s.registries["hub"].latency == Timing().rtt
    assert list(s.hosts) == ["host1"]
    assert s.workloads == {} and s.faults == [] and s.steps == []


def test_unset_host_parameters_take_the_timing_defaults() -> None:
    params = scenario().expand_hosts()
    assert list(params) == ["host1"]
    assert params["host1"].timing == Timing()
    assert params["host1"].disk is None
    assert params["host1"].registry_mirror is None
    assert params["host1"].fleet == "host1"


def test_every_timing_field_can_be_set_on_a_host() -> None:
    """A Timing field added elsewhere must also be settable from a scenario."""
    assert set(TIMING_FIELDS) <= set(HostSettings.model_fields)


def test_hub_is_kept_when_other_registries_are_declared() -> None:
    s = scenario(registries={"mirror": {"mirror_of": "hub"}})
    assert list(s.registries) == ["hub", "mirror"]
    assert s.registries["mirror"].hostname == "mirror"  # hostname defaults to the key


def test_registry_fields_are_converted() -> None:
    s = scenario(registries={
        "hub": {"egress": "1Gbit/s", "latency": "20ms"},
        "mirror": {"hostname": "mirror.local:5000", "mirror_of": "hub", "egress": "10Gbit/s"},
    })
    assert s.registries["hub"].hostname == DOCKER_HUB
    assert s.registries["hub"].egress == 125e6
    assert s.registries["hub"].latency == pytest.approx(0.02)
    assert s.registries["mirror"].hostname == "mirror.local:5000"
    assert s.registries["mirror"].egress == 1.25e9


def test_start_is_a_utc_datetime() -> None:
    s = scenario(start="2026-11-27T09:00:00Z")
    assert s.start == dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)
    naive = scenario(start=dt.datetime(2026, 11, 27, 9))
    assert naive.start == s.start


# ---- hosts and fleets ----------------------------------------------------------------
def test_host_parameters_with_units() -> None:
    s = scenario(hosts={"node": {
        "downlink": "100Mbit/s", "uplink": "100Mbit/s", "extract_rate": "200MB/s",
        "compress_rate": "36MB/s", "disk": "20GB", "max_concurrent_downloads": 3,
        "max_concurrent_uploads": 5, "create": "100ms", "start": "450ms", "stop_timeout": "10s",
    }})
    timing = s.expand_hosts()["node"].timing
    assert timing.downlink == 12.5e6 and timing.uplink == 12.5e6
    assert timing.extract_rate == 200e6 and timing.compress_rate == 36e6
    assert timing.create == pytest.approx(0.1) and timing.start == pytest.approx(0.45)
    assert timing.stop_timeout == 10.0
    assert s.expand_hosts()["node"].disk == 20_000_000_000


def test_fleet_expands_to_numbered_hosts_with_overrides() -> None:
    s = scenario(
        registries={"mirror": {"mirror_of": "hub"}},
        hosts={"node": {"count": 3, "downlink": "100Mbit/s", "registry_mirror": "mirror",
                        "overrides": {"node-3": {"downlink": "10Mbit/s", "disk": "1GB"}}}},
    )
    hosts = s.expand_hosts()
    assert list(hosts) == ["node-1", "node-2", "node-3"]
    assert [h.timing.downlink for h in hosts.values()] == [12.5e6, 12.5e6, 1.25e6]
    assert [h.disk for h in hosts.values()] == [None, None, 1_000_000_000]
    assert {h.fleet for h in hosts.values()} == {"node"}
    assert {h.registry_mirror for h in hosts.values()} == {"mirror"}
    # overrides change only what they name
    assert hosts["node-3"].timing.uplink == Timing().uplink


def test_fleet_hosts_do_not_share_a_timing_object() -> None:
    hosts = scenario(hosts={"node": {"count": 2}}).expand_hosts()
    assert hosts["node-1"].timing is not hosts["node-2"].timing


def test_count_one_keeps_the_plain_name() -> None:
    assert list(scenario(hosts={"db": {"count": 1}, "web": {}}).expand_hosts()) == ["db", "web"]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"hosts": {"node": {"count": 2, "overrides": {"node-3": {}}}}},
         "hosts.node.overrides.node-3: no such host in [hosts.node]"),
        ({"hosts": {"node": {"count": 2}, "node-1": {}}},
         "hosts.node-1: host name 'node-1' is also a host of [hosts.node]"),
        ({"hosts": {"node": {"registry_mirror": "nope"}}},
         "hosts.node.registry_mirror: no registry named 'nope'"),
        ({"hosts": {"node": {"count": 2, "overrides": {"node-2": {"registry_mirror": "x"}}}}},
         "hosts.node.overrides.node-2.registry_mirror: no registry named 'x'"),
        ({"hosts": {"hub": {}}}, "hosts.hub: 'hub' is also a registry name"),
        ({"hosts": {}}, "expected at least one [hosts.<name>] table"),
        ({"hosts": {"bad name": {}}}, 'hosts."bad name": expected a name of letters'),
        ({"registries": {"m": {"mirror_of": "nope"}}},
         "registries.m.mirror_of: no registry named 'nope'"),
        ({"registries": {"a": {"mirror_of": "b"}, "b": {"mirror_of": "a"}}},
         "registries.a.mirror_of: mirrors form a loop (a -> b -> a)"),
        ({"registries": {"a": {"hostname": "docker.io"}}},
         "registries.a.hostname: 'docker.io' is already the hostname of registry 'hub'"),
    ],
)
def test_cross_table_errors_name_the_key(raw: dict[str, Any], fragment: str) -> None:
    error = first_error(raw)
    assert fragment in str(error["ctx"]["error"])


@pytest.mark.parametrize("count", [0, -1, "3", 2.0, True])
def test_fleet_count_must_be_a_positive_integer(count: object) -> None:
    error = first_error({"hosts": {"node": {"count": count}}})
    assert error["loc"] == ("hosts", "node", "count")


# ---- unknown keys --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "loc"),
    [
        ({"colour": "red"}, ("colour",)),
        ({"hosts": {"node": {"colour": "red"}}}, ("hosts", "node", "colour")),
        ({"hosts": {"node": {"count": 2, "overrides": {"node-1": {"count": 1}}}}},
         ("hosts", "node", "overrides", "node-1", "count")),
        ({"registries": {"hub": {"bandwidth": "1Gbit/s"}}}, ("registries", "hub", "bandwidth")),
        ({"steps": [{"at": "0s", "run": "docker ps", "when": 1}]}, ("steps", 0, "when")),
        ({"faults": [{"at": 0, "kind": "disk-full", "target": "host1", "x": 1}]},
         ("faults", 0, "x")),
    ],
)
def test_unknown_key_is_an_error_at_its_path(raw: dict[str, Any], loc: tuple) -> None:
    error = first_error(raw)
    assert error["type"] == "extra_forbidden"
    assert error["loc"] == loc


def test_bad_unit_error_path() -> None:
    error = first_error({"hosts": {"node": {"downlink": "fast"}}})
    assert error["loc"] == ("hosts", "node", "downlink")
    assert str(error["ctx"]["error"]) == "expected a rate like 100Mbit/s or 50MB/s, got 'fast'"


# ---- steps ---------------------------------------------------------------------------
def test_steps_at_and_after() -> None:
    s = scenario(steps=[{"at": "2s", "run": "docker pull nginx"},
                        {"after": "previous", "run": "docker run -d nginx"}])
    assert s.steps[0].at == 2.0 and s.steps[0].after is None
    assert s.steps[1].at is None and s.steps[1].after == "previous"


@pytest.mark.parametrize("step", [
    {"run": "docker ps"},
    {"at": "1s", "after": "previous", "run": "docker ps"},
])
def test_step_needs_exactly_one_of_at_and_after(step: dict[str, Any]) -> None:
    error = first_error({"steps": [{"at": 0, "run": "docker ps"}, step]})
    assert error["loc"] == ("steps", 1)
    assert "exactly one of at" in str(error["ctx"]["error"])


def test_after_only_accepts_previous() -> None:
    error = first_error({"steps": [{"after": "step-2", "run": "docker ps"}]})
    assert error["loc"] == ("steps", 0, "after")


def test_step_run_is_required_and_not_empty() -> None:
    assert first_error({"steps": [{"at": 0}]})["loc"] == ("steps", 0, "run")
    assert first_error({"steps": [{"at": 0, "run": ""}]})["loc"] == ("steps", 0, "run")


def test_step_host_must_exist_and_the_message_names_the_step() -> None:
    error = first_error({"hosts": {"a": {}, "b": {}},
                         "steps": [{"at": 0, "host": "a", "run": "docker ps"},
                                   {"at": 1, "host": "c", "run": "docker ps"}]})
    assert str(error["ctx"]["error"]).startswith("steps.1.host: no host named 'c'")


def test_step_without_host_needs_a_single_host() -> None:
    s = scenario(steps=[{"at": 0, "run": "docker ps"}])
    assert s.step_hosts(s.steps[0]) == ["host1"]
    error = first_error({"hosts": {"node": {"count": 2}},
                         "steps": [{"at": 0, "run": "docker ps"}]})
    assert str(error["ctx"]["error"]).startswith("steps.0.host: missing")


def test_step_hosts_for_fleet_member_and_plain_host() -> None:
    s = scenario(hosts={"node": {"count": 3}, "db": {}}, steps=[
        {"at": 0, "host": "node", "run": "docker pull nginx"},
        {"at": 0, "host": "node-3", "run": "docker ps"},
        {"at": 0, "host": "db", "run": "docker ps"},
    ])
    assert [s.step_hosts(step) for step in s.steps] == [
        ["node-1", "node-2", "node-3"], ["node-3"], ["db"]]
    with pytest.raises(ValueError, match="no host named 'x'"):
        s.step_hosts(Step(at=0, host="x", run="docker ps"))


# ---- workloads -----------------------------------------------------------------------
def test_workloads_are_parsed_profiles() -> None:
    s = scenario(workloads={"nginx": "service:ignore-sigterm",
                            "batch:1.0": "job:duration=5:exit=3"})
    assert s.workloads["nginx"] == Workload(SERVICE, handles_sigterm=False)
    assert s.workloads["batch:1.0"] == Workload(JOB, duration=5.0, exit_code=3)


def test_workloads_dump_back_to_profile_strings() -> None:
    profiles = {"nginx": "service:ignore-sigterm", "batch": "job:duration=2.5:exit=3",
                "alpine": "shell"}
    dumped = scenario(workloads=profiles).model_dump()["workloads"]
    assert dumped == profiles
    assert Scenario.model_validate({"workloads": dumped}).workloads == \
        scenario(workloads=profiles).workloads


@pytest.mark.parametrize(("name", "profile", "fragment"), [
    ("nginx", "daemon", "invalid workload 'daemon'"),
    ("nginx", "job:exit=x", "unknown or bad part 'exit=x'"),
    ("nginx", 3, "expected a workload profile"),
    ("Nginx", "service", "workloads.Nginx: expected an image name"),
])
def test_bad_workloads(name: str, profile: object, fragment: str) -> None:
    error = first_error({"workloads": {name: profile}})
    assert fragment in str(error["ctx"]["error"])


# ---- faults --------------------------------------------------------------------------
def test_faults() -> None:
    s = scenario(hosts={"node": {"count": 2}}, faults=[
        {"at": "5s", "kind": "registry-outage", "target": "hub", "duration": "30s"},
        {"at": "1m", "kind": "link-slow", "target": "node", "factor": 0.1},
        {"at": 0, "kind": "disk-full", "target": "node-2"},
        {"at": 0, "kind": "rate-limit", "target": "hub"},
    ])
    assert [(f.at, f.duration) for f in s.faults][:2] == [(5.0, 30.0), (60.0, None)]
    assert s.faults[1].factor == 0.1


@pytest.mark.parametrize(("fault", "fragment"), [
    ({"kind": "registry-outage", "target": "host1"}, "needs a registry, got 'host1'"),
    ({"kind": "disk-full", "target": "hub"}, "needs a host, got 'hub'"),
    ({"kind": "link-slow", "target": "nope", "factor": 0.5}, "needs a registry or a host"),
    ({"kind": "link-slow", "target": "hub"}, "needs factor"),
    ({"kind": "disk-full", "target": "host1", "factor": 0.5}, "factor applies only to link-slow"),
])
def test_bad_faults(fault: dict[str, Any], fragment: str) -> None:
    error = first_error({"faults": [{"at": 0, **fault}]})
    assert fragment in str(error["ctx"]["error"])


def test_unknown_fault_kind() -> None:
    error = first_error({"faults": [{"at": 0, "kind": "meteor", "target": "hub"}]})
    assert error["loc"] == ("faults", 0, "kind")


def test_host_params_is_a_plain_dataclass() -> None:
    """The world consumes HostParams without knowing about pydantic."""
    params = scenario().expand_hosts()["host1"]
    assert dataclasses.is_dataclass(params)


# ---- seeded variability ----------------------------------------------------------------
def fleet(count: int = 5, seed: int = 7, **web: Any) -> Scenario:
    return scenario(seed=seed, hosts={"web": {"count": count, "downlink": "1Gbit/s", **web}})


def test_without_spreads_every_member_of_a_fleet_is_identical() -> None:
    timings = {p.timing.downlink for p in fleet().expand_hosts().values()}
    assert timings == {125e6}


def test_a_spread_draws_each_members_rate_within_its_range() -> None:
    params = fleet(20, downlink_spread="30%", extract_rate_spread="10%").expand_hosts()
    downlinks = [p.timing.downlink for p in params.values()]
    extracts = [p.timing.extract_rate for p in params.values()]
    assert len(set(downlinks)) == 20 and len(set(extracts)) == 20
    assert all(125e6 * 0.7 <= d <= 125e6 * 1.3 for d in downlinks)
    assert all(Timing.extract_rate * 0.9 <= e <= Timing.extract_rate * 1.1 for e in extracts)
    assert {p.timing.uplink for p in params.values()} == {Timing.uplink}  # no spread given


def test_the_draws_follow_the_seed_and_only_the_seed() -> None:
    one = fleet(5, seed=7, downlink_spread="30%").expand_hosts()
    again = fleet(5, seed=7, downlink_spread="30%").expand_hosts()
    other = fleet(5, seed=8, downlink_spread="30%").expand_hosts()
    assert one == again
    assert all(one[n].timing.downlink != other[n].timing.downlink for n in one)


def test_adding_a_host_does_not_reshuffle_the_others() -> None:
    small = fleet(3, downlink_spread="30%").expand_hosts()
    big = fleet(4, downlink_spread="30%").expand_hosts()
    assert all(small[n] == big[n] for n in small)


def test_an_override_keeps_its_rate_as_written() -> None:
    params = fleet(3, downlink_spread="30%",
                   overrides={"web-2": {"downlink": "100Mbit/s"}}).expand_hosts()
    assert params["web-2"].timing.downlink == 12.5e6
    assert params["web-1"].timing.downlink != 125e6


def test_registry_latency_spread_is_drawn_per_run() -> None:
    def latency(seed: int, spread: str = "50%") -> float:
        s = scenario(seed=seed, registries={"hub": {"latency": "100ms",
                                                    "latency_spread": spread}})
        return s.registry_latency("hub")
    assert latency(1) != latency(2)
    assert all(0.05 <= latency(seed) <= 0.15 for seed in range(20))
    assert latency(1, "0%") == 0.1


def test_a_steps_jitter_delays_each_host_by_its_own_draw() -> None:
    s = scenario(
        seed=3, hosts={"web": {"count": 10}},
        steps=[{"at": "5s", "host": "web", "run": "docker ps", "jitter": "10s"},
               {"after": "previous", "host": "web", "run": "docker ps"}])
    offsets = s.step_offsets(0)
    assert list(offsets) == [f"web-{i}" for i in range(1, 11)]
    assert len(set(offsets.values())) == 10 and all(0 <= v <= 10 for v in offsets.values())
    assert set(s.step_offsets(1).values()) == {0.0}


def test_spreads_are_fleet_settings_not_overrides() -> None:
    error = first_error({"hosts": {"web": {"count": 2, "overrides": {
        "web-1": {"downlink_spread": "10%"}}}}})
    assert error["type"] == "extra_forbidden"
    assert error["loc"] == ("hosts", "web", "overrides", "web-1", "downlink_spread")


def test_a_spread_scenario_dumps_and_loads_back_unchanged() -> None:
    s = scenario(seed=7, registries={"hub": {"latency_spread": "10%"}},
                 hosts={"web": {"count": 4, "downlink_spread": "12.5%", "uplink_spread": "20%"}})
    dump = s.model_dump(exclude_none=True)
    assert dump["hosts"]["web"]["downlink_spread"] == "12.5%"
    again = Scenario.model_validate(dump)
    assert again.expand_hosts() == s.expand_hosts()
    assert again.registry_latency("hub") == s.registry_latency("hub") != 0.05
