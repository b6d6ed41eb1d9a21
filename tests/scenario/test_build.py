"""From a scenario to a world: the distribution table reaches the world, and bad values are
refused with the dotted path."""

from __future__ import annotations

import pytest

from sim.scenario.build import build_world, world_config
from sim.scenario.load import ScenarioError, load_scenario_text

BASE = """
seed = 3
[hosts.node]
[[steps]]
at = "0s"
host = "node"
run = "docker images"
"""


def test_distribution_defaults_are_the_plain_registry():
    config = world_config(load_scenario_text(BASE, "s.toml"))
    d = config.distribution
    assert (d.peer_to_peer, d.lazy_pull, d.lazy_fraction, d.instances, d.vm_boot) == \
        (False, False, 0.064, "container", 30.0)


def test_distribution_table_and_sets_reach_the_world():
    text = BASE + '[distribution]\nlazy_pull = true\nvm_boot = "45s"\n'
    scenario = load_scenario_text(text, "s.toml", ["distribution.peer_to_peer=true",
                                                    "distribution.lazy_fraction=0.1"])
    world = build_world(scenario)
    d = world.config.distribution
    assert (d.peer_to_peer, d.lazy_pull, d.lazy_fraction, d.vm_boot) == (True, True, 0.1, 45.0)
    assert world.peers is not None


@pytest.mark.parametrize(("sets", "where"), [
    (["distribution.lazy_fraction=0"], "distribution.lazy_fraction"),
    (["distribution.lazy_fraction=1.5"], "distribution.lazy_fraction"),
    (["distribution.instances=vms"], "distribution.instances"),
    (["distribution.peer_to_peer=1"], "distribution.peer_to_peer"),
    (["distribution.vm_boot=fast"], "distribution.vm_boot"),
    (["distribution.swarm=true"], "distribution.swarm"),
])
def test_bad_distribution_values_name_the_key(sets, where):
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(BASE, "s.toml", sets)
    assert str(exc.value).startswith(f"s.toml: {where}")
    assert "\n" not in str(exc.value)


def test_a_registry_latency_spread_reaches_the_world():
    sets = ["registries.hub.latency=100ms", "registries.hub.latency_spread=40%"]
    latencies = set()
    for seed in (1, 2, 3):
        scenario = load_scenario_text(BASE, sets=[*sets, f"seed={seed}"])
        hub = next(r for r in world_config(scenario).registries if r.name == "hub")
        assert hub.latency == scenario.registry_latency("hub")
        latencies.add(hub.latency)
    assert len(latencies) == 3 and all(0.06 <= v <= 0.14 for v in latencies)


def test_drawn_host_rates_reach_the_world():
    scenario = load_scenario_text(BASE, sets=["hosts.node.count=3",
                                              "hosts.node.downlink_spread=25%"])
    world = build_world(scenario)
    drawn = {name: p.timing.downlink for name, p in scenario.expand_hosts().items()}
    assert {name: h.timing.downlink for name, h in world.hosts.items()} == drawn
    assert len(set(drawn.values())) == 3
