"""Memory per simulated container: many containers created and started on a fleet.

Each container is created and started through the host daemon (``Engine.create`` and
``Host.start``, what ``docker run -d`` does after parsing), so the figure holds everything
the world keeps for it: the container, its config, its writable layer, its main process
and its trace events. The CLI's per-command records are not counted: they belong to
commands, not containers. Memory is Python's own allocation count (tracemalloc), measured
around the containers only, after a collection."""

from __future__ import annotations

import gc
import time
import tracemalloc
from dataclasses import dataclass

PER_HOST = 250  # containers per host (creating and starting one scans the host's others)


@dataclass
class ContainerResult:
    containers: int
    hosts: int
    bytes_total: int
    wall_seconds: float

    @property
    def per_container(self) -> float:
        return self.bytes_total / self.containers if self.containers else 0.0


def run_containers(containers: int = 100_000, image: str = "nginx:mainline-alpine",
                   seed: int = 1) -> ContainerResult:
    from ..cli.runner import execute
    from ..model.engine import CreateOptions
    from ..world.gcpolicy import deferred_full_gc
    from ..world.world import World, WorldConfig

    hosts = max(1, -(-containers // PER_HOST))
    world = World(WorldConfig(seed=seed, hosts=[f"h{i}" for i in range(hosts)]))
    for name in world.hosts:
        result = execute(world, name, f"docker pull -q {image}")
        if result.exit_code != 0:
            raise RuntimeError(f"bench: pulling {image} failed: {result.stderr.strip()}")
    targets = []
    for name, host in world.hosts.items():
        engine = host.engine
        img = engine.images.get(image)
        targets.append((host, img, world.workload_for(name, img, image.split(":")[0])))

    def start_all():
        for i in range(containers):
            host, img, workload = targets[i % hosts]
            c = host.engine.create(img, image, CreateOptions(), workload)
            yield from host.start(c)

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    with deferred_full_gc():
        world.run_process(start_all())
    wall = time.perf_counter() - start
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    running = sum(1 for h in world.hosts.values() for c in h.engine.containers.values()
                  if c.running)
    if running != containers:
        raise RuntimeError(f"bench: {running} of {containers} containers running")
    return ContainerResult(containers, hosts, used, wall)
