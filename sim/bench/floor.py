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
  tuple per event; written lean (callbacks, lists, no process per host). No references,
  tags, metadata, retries, faults, mirrors, peers, shared transfers, validated flows or
  typed events. It is not a simulator: its simulated end time, bytes and layers agree with
  the simulator's on this workload (tested), which is what makes it a floor.
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


class _Clock:
    """Equal shares of each host's downlink (a link of its own, as in the fleet), with one
    SimPy timeout armed at or before the earliest finish. A flow is a list:
    [bytes left, since, rate, stamp, on_done, link]; a link is [capacity, flows]."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.heap: list = []  # (finish, seq, stamp, flow)
        self.armed: list[float] = []
        self.seq = 0

    def start(self, link: list, size: int, on_done) -> None:
        link[1].append([float(size), self.env.now, 0.0, 0, on_done, link])
        self._rerate(link, self.env.now)
        self._arm()

    def _rerate(self, link: list, now: float) -> None:
        flows = link[1]
        if flows:
            share = link[0] / len(flows)
            for f in flows:
                f[0] -= f[2] * (now - f[1])
                f[1], f[2] = now, share
                f[3] += 1
                self.seq += 1
                heapq.heappush(self.heap, (now + f[0] / share, self.seq, f[3], f))

    def _arm(self) -> None:
        heap = self.heap
        while heap and heap[0][2] != heap[0][3][3]:
            heapq.heappop(heap)
        if heap and (not self.armed or self.armed[0] > heap[0][0]):
            finish = heap[0][0]
            heapq.heappush(self.armed, finish)
            self.env.timeout(max(0.0, finish - self.env.now), finish).callbacks.append(
                self._fire)

    def _fire(self, event: simpy.Event) -> None:
        heapq.heappop(self.armed)
        heap, limit, done = self.heap, event.value, []
        while heap and (heap[0][2] != heap[0][3][3] or heap[0][0] <= limit):
            _, _, stamp, f = heapq.heappop(heap)
            if stamp == f[3]:
                f[5][1].remove(f)
                f[3] += 1
                done.append(f)
        for f in done:
            self._rerate(f[5], self.env.now)
        self._arm()
        for f in done:
            f[4]()


class _Host:
    """One host pulling its plan, image after image, as callbacks (no process: a process
    resumed per layer is the kind of cost a floor leaves out)."""

    __slots__ = ("index", "plan", "next", "link", "store", "active", "queue", "extract_free",
                 "layers", "chains", "at", "fetched", "extracting", "model")

    def __init__(self, model: _Minimal, index: int, plan: list, downlink: float) -> None:
        self.model, self.index, self.plan, self.next = model, index, plan, 0
        self.link = [downlink, []]
        self.store: set[str] = set()
        self.active, self.queue, self.extract_free = 0, [], 0.0
        self.layers: tuple = ()
        self.chains: list[str] = []
        self.at = 0
        self.fetched: dict[str, bool] = {}
        self.extracting = False

    def pull_next(self) -> None:
        if self.next < len(self.plan):
            self.model.env.timeout(self.model.latency).callbacks.append(self._manifest)

    def _manifest(self, _event: simpy.Event) -> None:
        emit = self.model.emit
        layers, chains = self.plan[self.next]
        self.next += 1
        emit(self.index, "pull", chains[-1])
        at = 0
        while at < len(layers) and chains[at] in self.store:
            emit(self.index, "exists", layers[at].digest)
            at += 1
        self.layers, self.chains, self.at, self.fetched = layers, chains, at, {}
        for layer in layers[at:]:
            if layer.digest not in self.fetched:
                self.fetched[layer.digest] = False
                if self.active < self.model.slots:
                    self.active += 1
                    self._ask(layer)
                else:
                    self.queue.append(layer)
        self._extract_next()

    def _ask(self, layer) -> None:
        self.model.env.timeout(self.model.latency).callbacks.append(
            lambda _event: self._stream(layer))

    def _stream(self, layer) -> None:
        self.model.emit(self.index, "downloading", layer.digest)
        self.model.clock.start(self.link, layer.compressed_size, lambda: self._fetched(layer))

    def _fetched(self, layer) -> None:
        self.model.emit(self.index, "downloaded", layer.digest)
        self.model.pulled += layer.compressed_size
        if self.queue:
            self._ask(self.queue.pop(0))
        else:
            self.active -= 1
        self.fetched[layer.digest] = True
        if not self.extracting:
            self._extract_next()

    def _extract_next(self) -> None:
        """Extract the next layer once its blob is in, one at a time, bottom to top."""
        if self.at == len(self.layers):
            self.model.emit(self.index, "pulled", self.chains[-1])
            self.pull_next()
            return
        layer = self.layers[self.at]
        if self.fetched[layer.digest]:
            env = self.model.env
            self.extracting = True
            self.extract_free = max(self.extract_free, env.now) + layer.size / \
                self.model.extract_rate
            env.timeout(self.extract_free - env.now).callbacks.append(self._extracted)

    def _extracted(self, _event: simpy.Event) -> None:
        self.extracting = False
        self.store.add(self.chains[self.at])
        self.model.emit(self.index, "extracted", self.layers[self.at].digest)
        self.model.layers += 1
        self.at += 1
        self._extract_next()


class _Minimal:
    def __init__(self, latency: float, extract_rate: float, slots: int) -> None:
        self.env = simpy.Environment()
        self.clock = _Clock(self.env)
        self.latency, self.extract_rate, self.slots = latency, extract_rate, slots
        self.times: list[float] = []
        self.trace: list[tuple] = []
        self.pulled = 0
        self.layers = 0

    def emit(self, *event) -> None:
        self.times.append(self.env.now)
        self.trace.append(event)


def run_minimal(plans: list[list], latency: float, downlink: float, extract_rate: float,
                slots: int = 3) -> MinimalResult:
    """Pull each host's plan (a list of (layers, chainIDs) per image) in order."""
    model = _Minimal(latency, extract_rate, slots)
    for index, plan in enumerate(plans):
        _Host(model, index, plan, downlink).pull_next()
    start = time.perf_counter()
    model.env.run()
    wall = time.perf_counter() - start
    return MinimalResult(wall, next(model.env._eid), model.env.now, model.layers,
                         model.pulled)
