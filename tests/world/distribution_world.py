"""A world for hand-computed distribution tests: a registry with no latency, hosts with
10 MB/s links and a 100 MB/s extraction rate, and layers of round sizes (as in
test_pull), so every instant can be worked out on paper."""

from __future__ import annotations

from sim.cli.runner import run_line
from sim.model.digest import sha256_digest
from sim.model.image import Image, make_config
from sim.model.layer import Layer
from sim.model.registry import CONFIG_V1, Descriptor, ImageBlob, Manifest
from sim.trace import events as ev
from sim.world.registry import RegistryConfig
from sim.world.timing import Timing
from sim.world.world import Distribution, HostConfig, World, WorldConfig

MB = 1_000_000
REG = "reg.test:5000"


def layer(name: str, compressed: int, size: int) -> Layer:
    diff_id = sha256_digest(f"diff {name}".encode())
    return Layer(diff_id, sha256_digest(f"blob {name}".encode()), size, compressed)


def world_with(layers: list[Layer], hosts=("a",), egress: float | None = None, slots: int = 3,
               **distribution) -> World:
    timing = Timing(downlink=10 * MB, uplink=10 * MB, extract_rate=100 * MB, rtt=0.0,
                    create=0.0, start=0.5, max_concurrent_downloads=slots)
    world = World(WorldConfig(
        hosts=[HostConfig(h, timing) for h in hosts],
        registries=[RegistryConfig("reg", REG, egress=egress, latency=0.0)],
        distribution=Distribution(**distribution)))
    publish(world, layers)
    return world


def publish(world: World, layers: list[Layer]) -> None:
    """Put an image ``app:1`` made of ``layers`` into the registry REG."""
    storage = world.registry(REG)
    config = make_config(1.8e9, ["app"], tuple(layers), [])
    image = Image.create(config, tuple(layers))
    for x in layers:
        storage.put_blob("app", x)
    descs = tuple(Descriptor(x.media_type, x.digest, x.compressed_size) for x in layers)
    storage.put_image("app", "1", ImageBlob(image.id, config, tuple(layers)),
                      Manifest.build(Descriptor(CONFIG_V1, image.id, 100), descs))


def transfers(world: World, phase: str) -> list[tuple[float, str, str, int]]:
    return [(r.t, r.event.host, r.event.registry, r.event.size)
            for r in world.trace.of(ev.LayerTransfer) if r.event.phase == phase]


def pull_together(world: World, hosts: list[str]) -> None:
    procs = [world.env.process(run_line(world, h, f"docker pull {REG}/app:1")) for h in hosts]
    world.run_process(all_of(world, procs))
    assert all(p.value.exit_code == 0 for p in procs), [p.value.stderr for p in procs]


def all_of(world, procs):
    yield world.env.all_of(procs)
