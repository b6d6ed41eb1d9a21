"""The SimPy world: hosts (each a daemon with its stores) and registries on one network, one
clock, one trace. Every docker command runs as a SimPy process on a host."""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import simpy
from simpy.core import StopSimulation
from simpy.events import URGENT

from ..model.registry import RegistryStorage
from ..trace import Trace
from ..trace import events as ev
from .gcpolicy import deferred_full_gc
from .host import Host
from .network import Network
from .registry import HUB, RegistryConfig, RegistryService
from .timing import Timing

DEFAULT_EPOCH = _dt.datetime(2026, 11, 27, 9, 0, tzinfo=_dt.UTC).timestamp()

__all__ = ["HUB", "DEFAULT_EPOCH", "Distribution", "HostConfig", "RegistryConfig", "World",
           "WorldConfig"]


@dataclass
class HostConfig:
    name: str
    timing: Timing = field(default_factory=Timing)
    disk: int | None = None  # bytes; None: never full
    registry_mirror: str | None = None  # hostname of the mirror used for docker.io pulls


@dataclass
class FaultSpec:
    at: float
    kind: str  # registry-outage | link-slow | disk-full | rate-limit
    target: str  # registry hostname or host name
    duration: float | None = None
    factor: float = 1.0


@dataclass
class Distribution:
    """How images reach hosts and what an instance is (docs/distribution.md)."""

    peer_to_peer: bool = False  # hosts that hold a blob serve it to others (sim.world.p2p)
    upload_slots: int = 4  # uploads a peer serves at once (BitTorrent's 4 unchoked peers)
    lazy_pull: bool = False  # eStargz/SOCI: start once lazy_fraction of each blob is here
    lazy_fraction: float = 0.064  # Slacker (FAST '16): 6.4% of an image's bytes read at start
    instances: str = "container"  # or "vm": each instance copies the full disk, then boots
    vm_boot: float = 30.0  # seconds a VM takes from power-on to its service answering


@dataclass
class WorldConfig:
    seed: int = 0
    epoch: float = DEFAULT_EPOCH  # wall-clock time at simulated t = 0
    hosts: list[str | HostConfig] = field(default_factory=lambda: ["host1"])
    registries: list[str | RegistryConfig] = field(
        default_factory=lambda: [HUB, "localhost:5000"])
    compression_ratio: float = 2.5  # catalog: uncompressed = compressed x ratio
    timing: Timing = field(default_factory=Timing)  # for hosts given by name only
    workloads: dict = field(default_factory=dict)  # repository / name:tag -> Workload
    faults: list[FaultSpec] = field(default_factory=list)
    distribution: Distribution = field(default_factory=Distribution)


class World:
    def __init__(self, config: WorldConfig | None = None) -> None:
        self.config = config or WorldConfig()
        self.env = simpy.Environment()
        self.trace = Trace()
        self.emit = self._emitter()
        self.rng = random.Random(self.config.seed)
        self.network = Network(self.env)
        self.network.record_trails = True  # downloads carry their rate changes (the view)
        self.chain_cache: dict[str, tuple] = {}  # image ID -> (chainIDs, transfer keys)
        self._repo_sets: dict[tuple, frozenset] = {}
        dist = self.config.distribution  # read once per blob: kept at hand
        self.lazy_pull = dist.lazy_pull
        self.lazy_fraction = dist.lazy_fraction if dist.lazy_pull and \
            dist.lazy_fraction < 1 else None  # None: every blob is pulled whole
        self.peers = None  # peer-to-peer distribution (sim.world.p2p), when a scenario asks
        if self.config.distribution.peer_to_peer:
            from .p2p import PeerNetwork
            self.peers = PeerNetwork(self)
        self.services: dict[str, RegistryService] = {}
        for item in self.config.registries:
            cfg = item if isinstance(item, RegistryConfig) else RegistryConfig(
                item, item, latency=self.config.timing.rtt)
            storage = RegistryStorage(cfg.hostname, docker_hub=(cfg.hostname == HUB))
            self.services[cfg.hostname] = RegistryService(self, cfg, storage)
        self.registries: dict[str, RegistryStorage] = {
            name: s.storage for name, s in self.services.items()}
        if any(s.storage.docker_hub for s in self.services.values()):
            from ..catalog.loader import names  # Docker Hub serves the catalog from the start
            for name, service in self.services.items():
                if service.storage.docker_hub:
                    self.emit(ev.RegistryOpened(name, tuple(names())))
        self.hosts: dict[str, Host] = {}
        self.workloads: dict = dict(self.config.workloads)
        self.base_dir = None  # a scenario's folder: relative build contexts resolve there
        self.effects = None  # a scenario's RUN effects table (sim.build.effects)
        self.contexts: dict = {}  # a scenario's inline build contexts, by name
        for item in self.config.hosts:
            cfg = item if isinstance(item, HostConfig) else HostConfig(item, self.config.timing)
            self.add_host(cfg)
        for fault in self.config.faults:
            self.env.process(self._fault(fault))

    def workload_for(self, host: str, image, repository: str):
        """The main-process profile for an image: a scenario override, else the default."""
        from ..model.workload import default_workload
        override = self.workloads.get(repository) or self.workloads.get(image.id)
        if override is None:
            for r in self.hosts[host].engine.images.references(image.id):
                override = self.workloads.get(r.familiar_string())
                if override is not None:
                    break
        if override is not None:
            return override
        from ..model.shell import known_programs
        from ..model.workload import COMMAND, SERVICES, SHELLS, Workload
        name = repository.rsplit("/", 1)[-1]
        argv = [*(image.entrypoint or []), *(image.cmd or [])]
        if name not in SERVICES | SHELLS | {"hello-world"} and argv and \
                argv[0].rsplit("/", 1)[-1] in known_programs():
            return Workload(COMMAND)  # a built image whose CMD the shell subset can run
        return default_workload(repository)

    def repo_set(self, have: frozenset | set | None, where: tuple[str, str]) -> frozenset:
        """``have`` plus one (registry, repository): the same frozenset object for every host
        that knows the same places, so a fleet keeps one copy of each (v2 metadata)."""
        key = (frozenset(have) if have else frozenset(), where)
        found = self._repo_sets.get(key)
        if found is None:
            found = self._repo_sets[key] = key[0] | {where}
        return found

    def add_host(self, config: HostConfig | str) -> Host:
        if isinstance(config, str):
            config = HostConfig(config, self.config.timing)
        if config.name in self.hosts:
            raise ValueError(f"host {config.name!r} is already in this world (host names "
                             "are unique)")
        host = Host(self, config, random.Random(f"{self.config.seed}:{config.name}"))
        self.hosts[config.name] = host
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

    def _emitter(self) -> Callable[[ev.Event], None]:
        """``emit`` as a closure over the trace's columns: a fleet emits millions of events,
        and with no listener an event is two list appends (the same as Trace.append)."""
        env, trace = self.env, self.trace
        times, events, listeners = trace.records._times, trace.records._events, trace.listeners

        def emit(event: ev.Event) -> None:
            if listeners:
                trace.append(env._now, event)
            else:
                times.append(env._now)
                events.append(event)
        return emit

    def registry(self, hostname: str) -> RegistryStorage | None:
        service = self.services.get(hostname)
        return service.storage if service else None

    def service(self, hostname: str) -> RegistryService | None:
        return self.services.get(hostname)

    def ensure_catalog_repo(self, hostname: str, path: str) -> None:
        """Docker Hub fills its official repositories lazily from the catalog of real
        images, the first time one is asked for."""
        service = self.services.get(hostname)
        if service is not None and path not in service.storage.repos and (
                hostname != HUB or not path.startswith("library/")):  # dockersim catalog import
            from ..catalog.loader import fill_path
            fill_path(service.storage, hostname, path, self.config.compression_ratio)
        if service is None or hostname != HUB or not path.startswith("library/"):
            return
        if path in service.storage.repos:
            return
        from ..catalog import loader
        image = path.split("/", 1)[1]
        if image in loader.repositories():
            loader.fill_repository(service.storage, image, self.config.compression_ratio)

    def advance(self, seconds: float, host: str = "") -> None:
        """Let time pass with nothing typed."""
        if seconds > 0:
            self.emit(ev.ClockAdvanced(host, seconds))
            stop = simpy.Event(self.env)  # what env.run(until=<time>) makes: urgent, so it
            stop._ok, stop._value = True, None  # comes before the timeouts of that instant
            self.env.schedule(stop, URGENT, seconds)
            self._run_until(stop)

    def run_process(self, generator) -> simpy.Process:
        """Start a process and run the clock until it ends."""
        proc = self.env.process(generator)
        self._run_until(proc)
        return proc

    def _run_until(self, until: simpy.Event) -> None:
        """``env.run(until=...)``. When another process crashes meanwhile (a simulator bug,
        reported as an internal error), SimPy leaves its stop callback on ``until``, which
        would end a later run early, before the command it runs for: it is taken off."""
        with deferred_full_gc():
            try:
                self.env.run(until=until)
            except BaseException:
                callbacks = until.callbacks
                if callbacks is not None and StopSimulation.callback in callbacks:
                    callbacks.remove(StopSimulation.callback)
                raise

    # ---- faults --------------------------------------------------------------------
    def _fault(self, fault: FaultSpec):
        yield self.env.timeout(fault.at)
        undo = self._apply_fault(fault)
        self.emit(ev.FaultStarted(fault.target, fault.kind, fault.duration or 0.0))
        if fault.duration is not None:
            yield self.env.timeout(fault.duration)
            undo()
            self.emit(ev.FaultEnded(fault.target, fault.kind))

    def _apply_fault(self, fault: FaultSpec):
        service = self.services.get(fault.target) or next(
            (s for s in self.services.values() if s.config.name == fault.target), None)
        host = self.hosts.get(fault.target)
        if fault.kind == "registry-outage" and service is not None:
            service.go_down()
            return lambda: setattr(service, "down", False)
        if fault.kind == "rate-limit" and service is not None:
            service.rate_limited = True
            return lambda: setattr(service, "rate_limited", False)
        if fault.kind == "disk-full" and host is not None:
            host.disk_full = True
            return lambda: setattr(host, "disk_full", False)
        if fault.kind == "link-slow":
            link = (service.egress if service is not None else
                    host.downlink if host is not None else None)
            if link is not None:
                before = link.capacity
                self.network.set_capacity(link, before * fault.factor)
                return lambda: self.network.set_capacity(link, before)
        raise ValueError(f"fault {fault.kind} cannot apply to {fault.target!r}")
