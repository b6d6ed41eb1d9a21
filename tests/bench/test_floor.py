"""The yardsticks: the minimal model is a floor only because it simulates the same pulls;
it must agree with the simulator on when they end and what they move."""

import random

import pytest

from sim.bench.fleet import _names, layer_plans, run_fleet
from sim.bench.floor import bare_simpy_concurrent, run_minimal
from sim.model.reference import parse_normalized_named
from sim.world.registry import HUB, RegistryConfig
from sim.world.timing import Timing
from sim.world.world import HostConfig, World, WorldConfig


def simulate(hosts: int, pulls: int, seed: int):
    """The fleet benchmark's pulls in the simulator; returns the world and the plans."""
    from sim.world.download import discard
    from sim.world.pull import pull
    names = _names(50)
    rng = random.Random(seed)
    timing = Timing(downlink=125e6)
    world = World(WorldConfig(seed=seed, hosts=[HostConfig(f"h{i}", timing)
                                                for i in range(hosts)],
                              registries=[RegistryConfig("hub", HUB, latency=0.02)]))
    plans = {h: rng.sample(names, pulls) for h in world.hosts}
    refs = {name: parse_normalized_named(name) for name in names}
    for ref in refs.values():
        world.ensure_catalog_repo(ref.domain, ref.path)

    def job(host, plan):
        for name in plan:
            yield from pull(host, refs[name], discard)
    for name, host in world.hosts.items():
        world.env.process(job(host, plans[name]))
    world.env.run()
    return world, refs, [plans[h] for h in world.hosts], timing


@pytest.mark.parametrize("hosts,pulls,seed", [(1, 5, 1), (8, 6, 2), (25, 10, 3)])
def test_the_minimal_model_ends_when_the_simulator_ends_and_moves_the_same_bytes(
        hosts, pulls, seed):
    world, refs, plans, timing = simulate(hosts, pulls, seed)
    minimal = run_minimal(layer_plans(world, refs, plans), 0.02, timing.downlink,
                          timing.extract_rate, timing.max_concurrent_downloads)
    assert minimal.simulated_seconds == pytest.approx(world.now, rel=1e-9)
    assert minimal.bytes_pulled == sum(h.bytes_pulled for h in world.hosts.values())
    assert minimal.layers_registered == sum(len(h.engine.layers)
                                            for h in world.hosts.values())


def test_the_fleet_reports_its_yardsticks_as_context_rows():
    result = run_fleet(hosts=6, pulls=3, seed=5, yardsticks=True)
    assert result.bare_concurrent_wall_seconds > 0 and result.minimal_wall_seconds > 0
    names = [r["name"].strip() for r in result.as_rows()]
    assert "same events, 6 SimPy processes" in names
    assert "simulator / minimal model" in names
    shared = run_fleet(hosts=3, pulls=2, seed=5, egress=50e6, yardsticks=True)
    assert shared.minimal_wall_seconds == 0.0  # the model has no shared registry link


def test_bare_simpy_concurrent_spreads_every_event():
    assert bare_simpy_concurrent(1001, 10) >= 0.0
