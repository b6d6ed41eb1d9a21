"""The SimPy world: hosts (each a daemon with its stores) and registries, one clock, one
trace. Every docker command runs as a SimPy process on a host."""

from __future__ import annotations

import datetime as _dt
import random
from dataclasses import dataclass, field

import simpy

from ..model.registry import RegistryStorage
from ..trace import Trace
from ..trace import events as ev
from .host import Host
from .timing import Timing

DEFAULT_EPOCH = _dt.datetime(2026, 11, 27, 9, 0, tzinfo=_dt.UTC).timestamp()
HUB = "docker.io"


@dataclass
class WorldConfig:
    seed: int = 0
    epoch: float = DEFAULT_EPOCH  # wall-clock time at simulated t = 0
    hosts: list[str] = field(default_factory=lambda: ["host1"])
    registries: list[str] = field(default_factory=lambda: [HUB, "localhost:5000"])
    compression_ratio: float = 2.5  # catalog: uncompressed = compressed x ratio
    timing: Timing = field(default_factory=Timing)


class World:
    def __init__(self, config: WorldConfig | None = None) -> None:
        self.config = config or WorldConfig()
        self.env = simpy.Environment()
        self.trace = Trace()
        self.rng = random.Random(self.config.seed)
        self.registries: dict[str, RegistryStorage] = {
            name: RegistryStorage(name, docker_hub=(name == HUB))
            for name in self.config.registries}
        self.hosts: dict[str, Host] = {}
        self.workloads: dict = {}  # repository or image ID -> Workload (scenario overrides)
        for name in self.config.hosts:
            self.add_host(name)

    def workload_for(self, host: str, image, repository: str):
        """The main-process profile for an image: a scenario override, else the default."""
        from ..model.workload import default_workload
        override = self.workloads.get(repository) or self.workloads.get(image.id)
        return override or default_workload(repository)

    def add_host(self, name: str) -> Host:
        host = Host(self, name, random.Random(f"{self.config.seed}:{name}"))
        self.hosts[name] = host
        return host

    @property
    def now(self) -> float:
        """Simulated seconds since the start."""
        return self.env.now

    def wall(self) -> float:
        """Wall-clock unix time of the simulated instant (what ``docker ps`` compares to)."""
        return self.config.epoch + self.env.now

    def emit(self, event: ev.Event) -> None:
        self.trace.append(self.env.now, event)

    def registry(self, hostname: str) -> RegistryStorage | None:
        """A registry by hostname; Docker Hub fills its official repositories lazily from
        the catalog of real images."""
        return self.registries.get(hostname)

    def ensure_catalog_repo(self, hostname: str, path: str) -> None:
        storage = self.registries.get(hostname)
        if storage is None or hostname != HUB or not path.startswith("library/"):
            return
        if path in storage.repos:
            return
        from ..catalog import loader
        image = path.split("/", 1)[1]
        if image in loader.repositories():
            loader.fill_repository(storage, image, self.config.compression_ratio)

    def advance(self, seconds: float, host: str = "") -> None:
        """Let time pass with nothing typed."""
        if seconds > 0:
            self.emit(ev.ClockAdvanced(host, seconds))
            self.env.run(until=self.env.now + seconds)

    def run_process(self, generator) -> simpy.Process:
        """Start a process and run the clock until it ends."""
        proc = self.env.process(generator)
        self.env.run(until=proc)
        return proc
