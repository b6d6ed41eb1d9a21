"""Push timing against hand-computed answers (sim/world/push.py; fact sheet §5.4, §6): five
uploads at a time, each paced by the slower of compression and its share of the uplink;
existence checks only for digests the host knows; cross-repository mounts."""

from __future__ import annotations

from sim.cli.runner import execute
from sim.model.image import Image, make_config
from sim.model.reference import parse_normalized_named
from sim.trace import events as ev
from sim.world.registry import RegistryConfig
from sim.world.timing import Timing
from sim.world.world import HostConfig, World, WorldConfig

from .distribution_world import MB, REG, layer, publish


def world_with(layers, compress_rate: float = 100 * MB) -> World:
    timing = Timing(downlink=10 * MB, uplink=10 * MB, extract_rate=100 * MB, rtt=0.0,
                    compress_rate=compress_rate)
    world = World(WorldConfig(
        hosts=[HostConfig("h", timing)],
        registries=[RegistryConfig("reg", REG, egress=None, latency=0.0)]))
    publish(world, layers)
    return world


def local_image(world: World, layers, ref: str) -> Image:
    """An image only the host has (as after a build): the registry knows none of it."""
    engine = world.hosts["h"].engine
    image = Image.create(make_config(1.9e9, ["app"], tuple(layers), []), tuple(layers))
    engine.add_image(image)
    engine.tag(image.id, parse_normalized_named(ref))
    return image


def uploaded_at(world: World) -> dict[str, float]:
    return {r.event.digest: r.t for r in world.trace.of(ev.LayerTransfer)
            if r.event.phase == "uploaded"}


def test_five_uploads_at_a_time_share_the_uplink():
    layers = [layer(f"new{i}", 10 * MB, 20 * MB) for i in range(7)]
    world = world_with([layer("base", MB, MB)])
    local_image(world, layers, f"{REG}/new:1")
    start = world.now
    r = execute(world, "h", f"docker push {REG}/new:1")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == f"The push refers to repository [{REG}/new]"
    # the two bottom layers wait for a slot (push order is top first)
    assert [x for x in lines if x.endswith("Waiting")] == \
        [f"{x.diff_id[7:19]}: Waiting" for x in reversed(layers[:2])]
    at = uploaded_at(world)
    # the top five share 10 MB/s: 2 MB/s each, 10 MB in 5 s (compression takes 0.2 s)
    assert {round(at[x.digest] - start, 6) for x in layers[2:]} == {5.0}
    # then the last two share it: 5 MB/s each, 2 s more
    assert {round(at[x.digest] - start, 6) for x in layers[:2]} == {7.0}
    assert lines[-1].startswith("1: digest: sha256:") and " size: " in lines[-1]


def test_compression_slower_than_the_network_sets_the_pace():
    big = layer("big", 10 * MB, 50 * MB)
    world = world_with([layer("base", MB, MB)], compress_rate=5 * MB)  # 50 MB: 10 s
    local_image(world, [big], f"{REG}/slow:1")
    start = world.now
    execute(world, "h", f"docker push {REG}/slow:1")  # the network alone: 1 s
    assert round(uploaded_at(world)[big.digest] - start, 6) == 10.0


def test_known_blobs_are_mounted_or_found_and_only_new_ones_move():
    base = [layer(str(i), MB, 2 * MB) for i in range(3)]
    world = world_with(base)
    execute(world, "h", f"docker pull {REG}/app:1")  # now the host knows these digests
    execute(world, "h", f"docker tag {REG}/app:1 {REG}/other:1")
    out = execute(world, "h", f"docker push {REG}/other:1").stdout
    assert out.count("Mounted from app") == 3  # same registry, another repository
    out = execute(world, "h", f"docker push {REG}/other:1").stdout
    assert out.count("Layer already exists") == 3
    assert "Pushed" not in out
    assert world.services[REG].bytes_received == 0
