"""Timing defaults (sim/world/timing.py) from the fact sheet §6, and that the world uses
them: overriding a field changes what the simulation does."""

from __future__ import annotations

import pytest

from sim.cli.runner import execute
from sim.trace import events as ev
from sim.world.timing import Timing
from sim.world.world import World, WorldConfig


def test_defaults_from_the_fact_sheet():
    t = Timing()
    assert t.stop_timeout == 10.0  # stop grace period on Linux (§1.4, §6)
    assert t.max_concurrent_downloads == 3  # max-concurrent-downloads (§5.3, §6)
    assert t.max_concurrent_uploads == 5  # max-concurrent-uploads (§5.2, §6)


def test_suggested_ranges_and_link_speed():
    t = Timing()
    assert 0.05 <= t.create <= 0.15  # container create ≈ 50–150 ms (§6, suggested)
    assert 0.3 <= t.start <= 0.6  # start ≈ 300–600 ms on SSD (§6; 568 ms measured)
    assert t.downlink == t.uplink == 125e6  # 1 Gbit/s (README "Time")
    assert 100e6 <= t.extract_rate <= 250e6  # serial extraction, uncompressed (§6)
    assert 30e6 <= t.compress_rate <= 40e6  # push compresses on the fly (§6)
    assert all(v > 0 for v in vars(t).values())


def test_each_world_gets_its_own_timing():
    a, b = WorldConfig(), WorldConfig()
    a.timing.stop_timeout = 1
    assert b.timing.stop_timeout == 10.0


def run(world: World, line: str):
    r = execute(world, "host1", line)
    assert "internal error" not in r.stderr, r.stderr
    return r


def test_stop_timeout_is_the_grace_period_used():
    world = World(WorldConfig(timing=Timing(stop_timeout=2.0)))
    run(world, "docker run -d --name s alpine sleep 1000")  # PID 1 ignores SIGTERM
    t0 = world.now
    run(world, "docker stop s")
    assert world.now - t0 == pytest.approx(2.0, abs=0.01)
    assert world.hosts["host1"].engine.container("s").exit_code == 137


def test_create_and_start_durations():
    world = World()
    run(world, "docker pull alpine")
    t0 = world.now
    run(world, "docker create --name c alpine sleep 100")
    assert world.now - t0 == pytest.approx(Timing().create)
    t0 = world.now
    run(world, "docker start c")
    assert world.now - t0 == pytest.approx(Timing().start)


def test_download_concurrency_follows_the_setting():
    world = World(WorldConfig(timing=Timing(max_concurrent_downloads=1)))
    out = run(world, "docker pull nginx").stdout
    image = world.hosts["host1"].engine.images.get("nginx")
    waiting = [line.split(":")[0] for line in out.splitlines() if line.endswith(": Waiting")]
    assert waiting == [layer.digest[7:19] for layer in image.layers[1:]]
    active = peak = 0
    for record in world.trace.of(ev.LayerTransfer):
        if record.event.phase == "downloading":
            active += 1
            peak = max(peak, active)
        elif record.event.phase == "downloaded":
            active -= 1
    assert peak == 1


def test_a_slower_link_makes_pulls_slower():
    fast, slow = World(), World(WorldConfig(timing=Timing(downlink=12.5e6)))
    for w in (fast, slow):
        run(w, "docker pull nginx")
    assert slow.now > fast.now * 2
