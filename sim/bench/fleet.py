"""A fleet pulling real images: how fast the simulator runs, against bare SimPy.

1,000 hosts each pull 10 images drawn (seeded) from 50 real official-image tags, from a
registry whose egress is unlimited unless ``egress`` is given (then every flow shares it).
The same number of events is then pushed through a bare SimPy loop (one process, timeouts
only); the ratio says what the model costs per event."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import simpy


@dataclass
class FleetResult:
    hosts: int
    pulls: int
    layers_registered: int
    events: int
    wall_seconds: float
    bare_wall_seconds: float
    simulated_seconds: float
    peak_rss_mib: float = 0.0  # of the process that ran it (measured in a child process)
    cpu_seconds: float = 0.0  # CPU time of the run: steadier than wall on a busy machine
    # yardsticks measured in the same run (sim.bench.floor), 0 when not measured
    bare_concurrent_wall_seconds: float = 0.0  # the same events over one process per host
    minimal_wall_seconds: float = 0.0  # the same pulls in a minimal SimPy model

    @property
    def ratio(self) -> float:
        """Simulator wall time / bare SimPy wall time for the same number of events."""
        return self.wall_seconds / self.bare_wall_seconds if self.bare_wall_seconds else 0.0

    @property
    def throughput(self) -> float:
        """Simulator events per second as a fraction of bare SimPy's (bare / simulator)."""
        return self.bare_wall_seconds / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def per_layer_us(self) -> float:
        """Wall microseconds per layer registered (the unit of work of a pull)."""
        return self.wall_seconds / self.layers_registered * 1e6 if self.layers_registered \
            else 0.0

    @property
    def per_layer_cpu_us(self) -> float:
        """CPU microseconds per layer registered: what the growth from 1,000 to 10,000 hosts
        is judged on (wall time also counts the other processes of a shared machine)."""
        return self.cpu_seconds / self.layers_registered * 1e6 if self.layers_registered \
            else 0.0

    def as_dict(self) -> dict:
        return dict(vars(self))

    def as_rows(self) -> list[dict]:
        size = f"fleet {self.hosts} hosts x {self.pulls // self.hosts} pulls"
        goal = {1000: ("about 1 s", 1.5), 10000: ("< 10 s", 10.0)}.get(self.hosts)
        return [
            {"name": size, "value": round(self.wall_seconds, 3), "unit": "s wall",
             "goal": goal[0] if goal else "", "met": goal is None or
             self.wall_seconds <= goal[1]},
            {"name": "  same events in bare SimPy", "value": round(self.bare_wall_seconds, 3),
             "unit": "s wall", "goal": "", "met": True},
            {"name": "  simulator / bare SimPy", "value": round(self.ratio, 1), "unit": "x",
             "goal": "", "met": True},
            {"name": "  events", "value": self.events, "unit": "", "goal": "", "met": True},
            {"name": "  layers registered", "value": self.layers_registered, "unit": "",
             "goal": "", "met": True},
            {"name": "  cost per layer", "value": round(self.per_layer_us, 1), "unit": "us",
             "goal": "", "met": True},
            {"name": "  cost per layer, CPU", "value": round(self.per_layer_cpu_us, 1),
             "unit": "us", "goal": "", "met": True},
        ] + self._yardstick_rows()

    def _yardstick_rows(self) -> list[dict]:
        rows = []
        if self.bare_concurrent_wall_seconds:
            rows.append((f"  same events, {self.hosts} SimPy processes",
                         round(self.bare_concurrent_wall_seconds, 3), "s wall"))
        if self.minimal_wall_seconds:
            rows += [("  same pulls, minimal SimPy model", round(self.minimal_wall_seconds, 3),
                      "s wall"),
                     ("  simulator / minimal model",
                      round(self.wall_seconds / self.minimal_wall_seconds, 2), "x")]
        return [{"name": n, "value": v, "unit": u, "goal": "", "met": True} for n, v, u in rows]


def _names(count: int) -> list[str]:
    from ..catalog.loader import records
    seen, out = set(), []
    for r in records():
        key = r["image"] + ":" + r["tag"]
        if r["image"] not in seen or len(out) < count:
            out.append(key)
            seen.add(r["image"])
        if len(out) == count:
            break
    return out


def run_fleet(hosts: int = 1000, pulls: int = 10, images: int = 50, seed: int = 1,
              egress: float | None = None, yardsticks: bool = False) -> FleetResult:
    """The fleet; with ``yardsticks`` also the same events over one SimPy process per host
    and (unlimited egress only) the same pulls in the minimal model (sim.bench.floor)."""
    from ..model.reference import parse_normalized_named
    from ..world.download import discard
    from ..world.pull import pull
    from ..world.registry import HUB, RegistryConfig
    from ..world.timing import Timing
    from ..world.world import HostConfig, World, WorldConfig

    names = _names(images)
    rng = random.Random(seed)
    timing = Timing(downlink=125e6)
    config = WorldConfig(seed=seed, hosts=[HostConfig(f"h{i}", timing) for i in range(hosts)],
                         registries=[RegistryConfig("hub", HUB, egress=egress, latency=0.02)])
    world = World(config)
    world.network.record_trails = False  # nobody draws this fleet: no rate waypoints
    plans = {h: rng.sample(names, pulls) for h in world.hosts}
    refs = {name: parse_normalized_named(name) for name in names}
    for ref in refs.values():  # fill the registry first: loading data is not simulation
        world.ensure_catalog_repo(ref.domain, ref.path)

    def host_job(host, plan):
        for name in plan:  # nobody reads the progress lines: the pull skips them
            yield from pull(host, refs[name], discard)

    from ..world.gcpolicy import deferred_full_gc
    start = time.perf_counter()
    for name, host in world.hosts.items():
        world.env.process(host_job(host, plans[name]))
    cpu = time.process_time()
    with deferred_full_gc():  # as World.run_process runs every command and scenario
        world.env.run()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    events = next(world.env._eid)  # SimPy's counter of scheduled events
    layers = sum(len(h.engine.layers) for h in world.hosts.values())
    result = FleetResult(hosts, hosts * pulls, layers, events, wall, bare_simpy(events),
                         world.now, cpu_seconds=cpu)
    if yardsticks:
        from .floor import bare_simpy_concurrent, run_minimal
        result.bare_concurrent_wall_seconds = bare_simpy_concurrent(events, hosts, seed)
        if egress is None:
            result.minimal_wall_seconds = run_minimal(
                layer_plans(world, refs, [plans[h] for h in world.hosts]), 0.02,
                timing.downlink, timing.extract_rate,
                timing.max_concurrent_downloads).wall_seconds
    return result


def layer_plans(world, refs: dict, plans: list[list[str]]) -> list[list[tuple]]:
    """Each host's pulls as (layers, chainIDs) per image, for the minimal model."""
    from ..world.pull import chain_ids
    host = next(iter(world.hosts.values()))
    images = {}
    for name, ref in refs.items():
        storage = world.services[ref.domain].storage
        blob = storage.image_for(storage.resolve(ref.path, ref.familiar_name, ref.tag,
                                                 ref.digest))
        images[name] = (blob.layers, chain_ids(host, blob))
    return [[images[name] for name in plan] for plan in plans]


def bare_simpy(events: int) -> float:
    """Wall seconds for a bare SimPy loop scheduling ``events`` timeouts."""
    env = simpy.Environment()

    def loop(n: int):
        for _ in range(n):
            yield env.timeout(1)

    env.process(loop(events))
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


def run_fleet_child(hosts: int, egress: float | None = None, timeout: float = 900.0
                    ) -> FleetResult:
    """run_fleet in a fresh Python process, so its peak memory (getrusage) is its own and
    a 10,000-host run does not inherit the heap of the runs before it."""
    import json
    import subprocess
    import sys
    code = ("import json, resource, sys\n"
            "from sim.bench.fleet import run_fleet\n"
            f"r = run_fleet(hosts={hosts!r}, egress={egress!r})\n"
            "r.peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
            "print(json.dumps(r.as_dict()))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise RuntimeError(f"bench: fleet of {hosts} hosts failed: {tail[0]}")
    return FleetResult(**json.loads(done.stdout))
