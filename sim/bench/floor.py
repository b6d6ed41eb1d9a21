"""Yardsticks for the fleet benchmark: what the same pulls cost without the simulator.

Why: "simulator / bare SimPy" compares a 1,000-host fleet with one process doing timeouts
back to back, whose few objects stay in the CPU's caches. Two fairer floors are measured in
the same run:

- ``bare_simpy_concurrent``: the same number of SimPy timeouts spread over as many
  processes as the fleet has hosts (SimPy's queue as large, its objects as scattered);
- ``run_minimal``: the benchmark's very pulls in a minimal SimPy model with none of
  Docker's rules besides the timing ones: a manifest round trip, "Already exists" by
  chainID prefix, three download slots per host (FIFO), a round trip per blob, an equal
  share of the host's downlink, extraction in layer order one at a time, and one trace
  tuple per event. No references, tags, metadata, retries, faults, mirrors, peers, shared
  transfers or validated flows. It is not a simulator: its simulated end time and bytes
  agree with the simulator's on this workload (tested), which is what makes it a floor.
"""

from __future__ import annotations

import heapq
import random
import time
from dataclasses import dataclass

import simpy


def bare_simpy_concurrent(events: int, processes: int, seed: int = 1) -> float:
    """Wall seconds for ``events`` timeouts of random length spread over ``processes``."""
    env = simpy.Environment()
    rng = random.Random(seed)
    per, extra = divmod(events, processes)

    def loop(n: int):
        for _ in range(n):
            yield env.timeout(rng.random())

    for i in range(processes):
        env.process(loop(per + (i < extra)))
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


@dataclass
class MinimalResult:
    wall_seconds: float
    events: int
    simulated_seconds: float
    layers_registered: int
    bytes_pulled: int


class _Link:
    """A host's downlink shared equally by its flows (a link of its own, as in the fleet)."""

    __slots__ = ("capacity", "flows")

    def __init__(self, capacity: float) -> None:
        self.capacity = capacity
        self.flows: list[list] = []  # [left, since, rate, stamp, on_done]


class _Clock:
    """One pending timeout for the earliest flow finish (stale ones are skipped)."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.heap: list = []
        self.seq = 0
        self.pending: float | None = None

    def start(self, link: _Link, size: int, on_done) -> None:
        link.flows.append([float(size), self.env.now, 0.0, 0, on_done])
        self._rerate(link)
        self._arm()

    def _rerate(self, link: _Link) -> None:
        now, flows = self.env.now, link.flows
        if not flows:
            return
        share = link.capacity / len(flows)
        for f in flows:
            f[0] -= f[2] * (now - f[1])
            f[1], f[2] = now, share
            f[3] += 1
            self.seq += 1
            heapq.heappush(self.heap, (now + f[0] / share, self.seq, f[3], f, link))

    def _arm(self) -> None:
        heap = self.heap
        while heap and heap[0][2] != heap[0][3][3]:
            heapq.heappop(heap)
        if heap and heap[0][0] != self.pending:
            self.pending = heap[0][0]
            timeout = self.env.timeout(max(0.0, heap[0][0] - self.env.now), heap[0][0])
            timeout.callbacks.append(self._fire)

    def _fire(self, event: simpy.Event) -> None:
        if event.value != self.pending:
            return
        self.pending = None
        heap, limit, done = self.heap, event.value, []
        while heap and (heap[0][2] != heap[0][3][3] or heap[0][0] <= limit * (1 + 1e-12)):
            _, _, stamp, f, link = heapq.heappop(heap)
            if stamp == f[3]:
                link.flows.remove(f)
                f[3] += 1
                done.append((f, link))
        for _f, link in done:
            self._rerate(link)
        self._arm()
        for f, _link in done:
            f[4]()


def run_minimal(plans: list[list], latency: float, downlink: float, extract_rate: float,
                slots: int = 3) -> MinimalResult:
    """Pull each host's plan (a list of (layers, chainIDs) per image) in order."""
    env = simpy.Environment()
    clock = _Clock(env)
    times: list[float] = []
    trace: list[tuple] = []
    pulled = [0]

    def emit(*event) -> None:
        times.append(env.now)
        trace.append(event)

    def host(index: int, plan: list):
        link = _Link(downlink)
        store: set[str] = set()
        active = [0]
        queue: list = []
        extract_free = [0.0]

        def download(layer, done: simpy.Event):
            def answered(_e) -> None:
                emit(index, "downloading", layer.digest)
                clock.start(link, layer.compressed_size, streamed)

            def streamed() -> None:
                emit(index, "downloaded", layer.digest)
                pulled[0] += layer.compressed_size
                if queue:
                    queue.pop(0)()
                else:
                    active[0] -= 1
                done.succeed()

            def attempt() -> None:
                env.timeout(latency).callbacks.append(answered)
            if active[0] < slots:
                active[0] += 1
                attempt()
            else:
                queue.append(attempt)

        for layers, chains in plan:
            yield env.timeout(latency)  # the manifest
            emit(index, "pull", chains[-1])
            exists = 0
            while exists < len(layers) and chains[exists] in store:
                emit(index, "exists", layers[exists].digest)
                exists += 1
            waits: dict[str, simpy.Event] = {}
            for layer in layers[exists:]:
                if layer.digest not in waits:
                    waits[layer.digest] = env.event()
                    download(layer, waits[layer.digest])
            for layer, chain in zip(layers[exists:], chains[exists:], strict=True):
                yield waits[layer.digest]
                start = max(extract_free[0], env.now)
                extract_free[0] = start + layer.size / extract_rate
                yield env.timeout(extract_free[0] - env.now)
                store.add(chain)
                emit(index, "extracted", layer.digest)
            emit(index, "pulled", chains[-1])

    for index, plan in enumerate(plans):
        env.process(host(index, plan))
    start = time.perf_counter()
    env.run()
    wall = time.perf_counter() - start
    layers = sum(1 for event in trace if event[1] == "extracted")
    return MinimalResult(wall, next(env._eid), env.now, layers, pulled[0])
