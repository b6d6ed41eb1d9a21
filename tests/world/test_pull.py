"""Pull timing against hand-computed answers (fact sheet §5.2, §5.3, §6).

A registry with no egress limit and no latency, a host with a 10 MB/s downlink and a
100 MB/s extraction rate, and layers of round sizes, so every instant can be worked out on
paper."""

from __future__ import annotations

import pytest

from sim.cli.runner import execute
from sim.model.layer import Layer
from sim.trace import events as ev
from sim.world.registry import RegistryConfig
from sim.world.timing import Timing
from sim.world.world import HostConfig, World, WorldConfig

from .distribution_world import MB, REG, layer, publish


def world_with(layers: list[Layer], downlink: float = 10 * MB, latency: float = 0.0) -> World:
    timing = Timing(downlink=downlink, extract_rate=100 * MB, rtt=latency)
    world = World(WorldConfig(
        hosts=[HostConfig("h", timing)],
        registries=[RegistryConfig("reg", REG, egress=None, latency=latency)]))
    publish(world, layers)
    return world


def times(world: World, phase: str) -> dict[str, float]:
    return {r.event.digest: r.t for r in world.trace.of(ev.LayerTransfer)
            if r.event.phase == phase}


def test_three_downloads_at_a_time_with_five_layers():
    layers = [layer(str(i), 10 * MB, 20 * MB) for i in range(5)]
    world = world_with(layers)
    result = execute(world, "h", f"docker pull {REG}/app:1")
    assert result.exit_code == 0, result.stderr
    done = times(world, "downloaded")
    # three flows share 10 MB/s: 10 MB each at 3.33 MB/s -> all done at 3 s
    for x in layers[:3]:
        assert done[x.digest] == pytest.approx(3.0)
    # the last two start when slots free at 3 s and share the link: 2 s more
    for x in layers[3:]:
        assert done[x.digest] == pytest.approx(5.0)
    assert result.stdout.count("Waiting") == 2
    extracted = times(world, "extracted")
    # 20 MB at 100 MB/s = 0.2 s each, one at a time, bottom to top
    expected = [3.2, 3.4, 3.6, 5.2, 5.4]
    assert [extracted[x.digest] for x in layers] == pytest.approx(expected)
    assert world.now == pytest.approx(5.4)


def test_extraction_waits_for_the_layer_below_even_if_its_own_download_ended_first():
    big, small = layer("big", 30 * MB, 10 * MB), layer("small", 1 * MB, 10 * MB)
    world = world_with([big, small])
    execute(world, "h", f"docker pull {REG}/app:1")
    done = times(world, "downloaded")
    # both at 5 MB/s; small ends at 0.2 s; big then gets 10 MB/s for its last 29 MB
    assert done[small.digest] == pytest.approx(0.2)
    assert done[big.digest] == pytest.approx(0.2 + 2.9)
    extracted = times(world, "extracted")
    assert extracted[big.digest] == pytest.approx(3.1 + 0.1)
    assert extracted[small.digest] == pytest.approx(3.2 + 0.1)  # after its parent


def test_latency_adds_one_round_trip_per_request():
    x = layer("one", 10 * MB, 10 * MB)
    world = world_with([x], latency=0.05)
    execute(world, "h", f"docker pull {REG}/app:1")
    # manifest round trip, then the blob GET round trip, then 1 s of data, then 0.1 s extract
    assert times(world, "downloaded")[x.digest] == pytest.approx(0.05 + 0.05 + 1.0)
    assert world.now == pytest.approx(1.2)


def test_second_pull_of_same_layers_on_another_tag_downloads_nothing():
    layers = [layer(str(i), MB, MB) for i in range(2)]
    world = world_with(layers)
    execute(world, "h", f"docker pull {REG}/app:1")
    t0 = world.now
    world.registry(REG).repos["app"].tags["2"] = world.registry(REG).repos["app"].tags["1"]
    out = execute(world, "h", f"docker pull {REG}/app:2").stdout
    assert "Pulling fs layer" not in out and "Downloaded newer image" in out
    assert world.now == pytest.approx(t0)


def test_two_concurrent_pulls_share_the_layers_in_flight():
    from sim.cli.runner import run_line
    layers = [layer(str(i), 10 * MB, 10 * MB) for i in range(2)]
    world = world_with(layers)
    a = world.env.process(run_line(world, "h", f"docker pull {REG}/app:1"))
    b = world.env.process(run_line(world, "h", f"docker pull {REG}/app:1"))
    world.env.run(until=world.env.all_of([a, b]))
    assert world.hosts["h"].bytes_pulled == 20 * MB  # each blob once
    assert a.value.exit_code == b.value.exit_code == 0

