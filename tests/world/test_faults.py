"""Faults declared with a time: outages (retries with 5 s x attempt back-off), slow links,
full disks and Docker Hub's rate limit. Nothing that completed is lost; nothing is left
half-registered."""

from __future__ import annotations

import pytest

from sim.cli.runner import execute
from sim.world.world import FaultSpec
from tests.world.test_pull import MB, REG, layer, world_with


def with_fault(fault: FaultSpec, layers=None, **kw):
    layers = layers or [layer(str(i), 10 * MB, 20 * MB) for i in range(2)]
    world = world_with(layers, **kw)
    world.config.faults.append(fault)
    world.env.process(world._fault(fault))
    return world, layers


def test_outage_mid_download_retries_and_completes():
    world, layers = with_fault(FaultSpec(1.0, "registry-outage", REG, duration=3.0))
    result = execute(world, "h", f"docker pull {REG}/app:1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    short = layers[0].digest[7:19]
    # cut at 1 s, wait 5 s (countdown printed each second), retry at 6 s: registry is back
    assert [ln for ln in lines if ln.startswith(short) and "Retrying" in ln] == [
        f"{short}: Retrying in {n} second{'s' if n > 1 else ''}" for n in (5, 4, 3, 2, 1)]
    # both flows restart from zero at 6 s and share 10 MB/s: 2 s -> done at 8 s
    assert world.hosts["h"].engine.images.get(f"{REG}/app:1")
    assert world.now == pytest.approx(8.0 + 0.2 + 0.2)


def test_outage_longer_than_five_attempts_fails_and_leaves_nothing():
    world, _ = with_fault(FaultSpec(0.5, "registry-outage", REG, duration=None))
    result = execute(world, "h", f"docker pull {REG}/app:1")
    assert result.exit_code == 1
    assert "connection refused" in result.stderr
    engine = world.hosts["h"].engine
    assert len(engine.layers) == 0 and len(engine.images) == 0
    # 5 attempts: back-off 5+10+15+20 s between them
    assert world.now == pytest.approx(0.5 + 5 + 10 + 15 + 20)


def test_full_disk_refuses_the_layer_and_keeps_what_was_registered_consistent():
    world, _ = with_fault(FaultSpec(0.0, "disk-full", "h", duration=None))
    result = execute(world, "h", f"docker pull {REG}/app:1")
    assert result.exit_code == 1
    assert "no space left on device" in result.stderr
    engine = world.hosts["h"].engine
    assert len(engine.layers) == 0 and len(engine.images) == 0
    assert not world.hosts["h"].inflight


def test_disk_limit_from_the_host_config():
    layers = [layer(str(i), MB, 10 * MB) for i in range(3)]
    world = world_with(layers)
    world.hosts["h"].config.disk = 25 * MB
    result = execute(world, "h", f"docker pull {REG}/app:1")
    assert "no space left on device" in result.stderr
    assert len(world.hosts["h"].engine.layers) == 0


def test_rate_limit_answers_toomanyrequests():
    world, _ = with_fault(FaultSpec(0.0, "rate-limit", REG, duration=60.0))
    result = execute(world, "h", f"docker pull {REG}/app:1")
    assert result.stderr == ("Error response from daemon: toomanyrequests: You have reached "
                             "your unauthenticated pull rate limit. "
                             "https://www.docker.com/increase-rate-limit\n")
    execute(world, "h", "sleep 61")
    assert execute(world, "h", f"docker pull {REG}/app:1").exit_code == 0


def test_slow_link_halves_the_rate_for_its_duration():
    x = layer("one", 10 * MB, 10 * MB)
    world, _ = with_fault(FaultSpec(0.0, "link-slow", "h", duration=1.0, factor=0.5), [x])
    execute(world, "h", f"docker pull {REG}/app:1")
    # 5 MB in the first second at half speed, the other 5 MB at 10 MB/s: 1.5 s
    from sim.trace import events as ev
    done = [r.t for r in world.trace.of(ev.LayerTransfer) if r.event.phase == "downloaded"]
    assert done == [pytest.approx(1.5)]
