"""The scenario schema: what a scenario file may say, checked before anything runs.

Every model forbids unknown keys, so a typo (``downlnk``) is an error rather than a silently
ignored setting. Quantities are converted on the way in (``"100Mbit/s"`` becomes 12,500,000.0
bytes/s), so the rest of the simulator only ever sees base units (DESIGN "Time"). Checks that
span several tables (a step's host must exist, a mirror must be a registry) live in the root
validator and name the offending key in their message, because their pydantic location is
the root.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StrictBool,
    StrictInt,
    field_validator,
    model_validator,
)

from sim.model.reference import parse_normalized_named
from sim.model.workload import Workload, parse_workload
from sim.world.timing import Timing

from .spread import SPREAD_FIELDS, Spread, jitter_offset, spread_value
from .units import parse_duration, parse_rate, parse_size

__all__ = [
    "DOCKER_HUB",
    "DistributionSettings",
    "FAULT_KINDS",
    "HUB",
    "Duration",
    "Fault",
    "Host",
    "HostParams",
    "HostSettings",
    "Rate",
    "Registry",
    "Scenario",
    "Size",
    "Step",
    "TIMING_FIELDS",
    "dotted_key",
]

HUB = "hub"  # the registry key that means Docker Hub
DOCKER_HUB = "docker.io"  # the hostname Docker Hub serves, as references spell it
DEFAULT_HOST = "host1"
FAULT_KINDS = ("registry-outage", "link-slow", "disk-full", "rate-limit")
TIMING_FIELDS = tuple(f.name for f in dataclasses.fields(Timing))
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

Rate = Annotated[float, BeforeValidator(parse_rate)]
"""Bytes per second; accepts ``100Mbit/s``, ``50MB/s`` or a number of bytes/s."""
Duration = Annotated[float, BeforeValidator(parse_duration)]
"""Seconds; accepts ``450ms``, ``30s``, ``1m30s`` or a number of seconds."""
Size = Annotated[int, BeforeValidator(parse_size)]
"""Bytes; accepts ``20GB``, ``512MiB`` or a number of bytes."""
Slots = Annotated[StrictInt, Field(ge=1)]


def _workload(value: object) -> Workload:
    """A profile string becomes the Workload the world uses; a Workload passes through."""
    if isinstance(value, Workload):
        return value
    if not isinstance(value, str):
        raise ValueError(
            f"expected a workload profile like 'service:ignore-sigterm', got {value!r}")
    return parse_workload(value)


def _workload_text(workload: Workload) -> str:
    """Back to the profile string, so a dumped scenario loads again unchanged."""
    parts = [workload.kind]
    if not workload.handles_sigterm:
        parts.append("ignore-sigterm")
    if workload.duration:
        d = workload.duration
        parts.append(f"duration={int(d) if d.is_integer() else d!r}")
    if workload.exit_code:
        parts.append(f"exit={workload.exit_code}")
    if workload.output:
        parts.append(f"output={workload.output.removesuffix(chr(10))}")
    return ":".join(parts)


WorkloadProfile = Annotated[
    Workload, PlainValidator(_workload), PlainSerializer(_workload_text, return_type=str)
]


def _utc(value: dt.datetime) -> dt.datetime:
    """A start without a zone is read as UTC, so a run never depends on the machine's zone."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class _Strict(BaseModel):
    """Unknown keys are errors: a misspelt setting must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Registry(_Strict):
    """A registry service: its hostname, its outbound link and its request latency."""

    hostname: str | None = None  # filled in by Scenario: docker.io for hub, else the key
    mirror_of: str | None = None  # a pull-through cache of this other registry
    egress: Rate | None = None  # None: the registry's link is never the bottleneck
    latency: Duration = Timing.rtt  # one round trip per request
    latency_spread: Spread = 0.0  # latency drawn once per run within ±this (sim.scenario.spread)


class HostSettings(_Strict):
    """Host parameters, each None until set: unset values take the Timing defaults, so the
    defaults live in one place (sim.world.timing) and a fleet override changes only what it
    names."""

    downlink: Rate | None = None
    uplink: Rate | None = None
    extract_rate: Rate | None = None
    compress_rate: Rate | None = None
    disk: Size | None = None  # None: unlimited
    max_concurrent_downloads: Slots | None = None
    max_concurrent_uploads: Slots | None = None
    registry_mirror: str | None = None  # pulls of docker.io go through this registry
    create: Duration | None = None
    start: Duration | None = None
    stop_exit: Duration | None = None
    kill: Duration | None = None
    remove: Duration | None = None
    exec: Duration | None = None
    pause: Duration | None = None
    commit: Duration | None = None
    stop_timeout: Duration | None = None
    rtt: Duration | None = None
    tag: Duration | None = None
    disk_rate: Rate | None = None

    def set_values(self) -> dict[str, Any]:
        """The settings the author gave, as base-unit numbers."""
        return {k: v for k, v in self.__dict__.items() if k in type(self).model_fields
                and v is not None}


class Host(HostSettings):
    """One host, or a fleet of ``count`` hosts with per-host overrides; a ``<rate>_spread``
    draws each member's rate within ±spread from the seed (sim.scenario.spread)."""

    count: Annotated[StrictInt, Field(ge=1, le=100_000)] = 1  # a fleet, not a flood
    overrides: dict[str, HostSettings] = Field(default_factory=dict)
    downlink_spread: Spread = 0.0
    uplink_spread: Spread = 0.0
    extract_rate_spread: Spread = 0.0

    def names(self, key: str) -> list[str]:
        """Concrete host names: ``node`` alone, or ``node-1`` ... ``node-N`` for a fleet."""
        return [key] if self.count == 1 else [f"{key}-{i}" for i in range(1, self.count + 1)]

    def set_values(self) -> dict[str, Any]:
        values = super().set_values()
        for key in ("count", "overrides", *(f"{f}_spread" for f in SPREAD_FIELDS)):
            values.pop(key, None)
        return values

    def spreads(self) -> dict[str, float]:
        """The rates given a non-zero spread, and the spread of each."""
        return {f: getattr(self, f"{f}_spread") for f in SPREAD_FIELDS
                if getattr(self, f"{f}_spread")}


@dataclass
class HostParams:
    """The concrete parameters of one host after fleet expansion and overrides: what the
    world needs to build it."""

    name: str
    fleet: str  # the [hosts.<fleet>] table it came from
    timing: Timing
    disk: int | None = None
    registry_mirror: str | None = None


class Fault(_Strict):
    """Something going wrong at a moment: a registry down, a slow link, a full disk."""

    at: Duration
    kind: Literal["registry-outage", "link-slow", "disk-full", "rate-limit"]
    target: str
    duration: Duration | None = None  # None: until the end of the run
    factor: Annotated[float, Field(gt=0)] | None = None  # link-slow: the fraction of speed left

    @model_validator(mode="after")
    def _factor_for_link_slow(self) -> Fault:
        if self.kind == "link-slow" and self.factor is None:
            raise ValueError("a link-slow fault needs factor = <fraction of the speed left>")
        if self.kind != "link-slow" and self.factor is not None:
            raise ValueError(f"factor applies only to link-slow faults, not {self.kind}")
        return self


class InlineContext(_Strict):
    """A build context written in the scenario: ``docker build -t app:1 NAME`` builds it.
    File values are text, or tables like ``{ size = "45MB" }`` or ``{ content = "...",
    mode = "0755" }`` (sim.build.context.BuildContext.from_inline)."""

    dockerfile: str | None = None
    dockerignore: str | None = None
    files: dict[str, str | dict[str, Any]] = Field(default_factory=dict)


class DistributionSettings(_Strict):
    """How images reach hosts and what an instance is (docs/distribution.md has each rule)."""

    peer_to_peer: StrictBool = False  # hosts that hold a blob serve it to the others
    upload_slots: Annotated[StrictInt, Field(ge=1, le=1000)] = 4  # uploads per peer at once
    lazy_pull: StrictBool = False  # eStargz/SOCI: start once lazy_fraction of each blob is in
    lazy_fraction: Annotated[float, Field(gt=0, le=1)] = 0.064  # Slacker (FAST '16): 6.4%
    instances: Literal["container", "vm"] = "container"  # vm: a full disk copy per instance
    vm_boot: Duration = 30.0  # a VM's boot, power-on to service up


class Step(_Strict):
    """One docker command line on the timeline, at an absolute time or after the previous
    step ends."""

    at: Duration | None = None
    after: Literal["previous"] | None = None
    host: str | None = None  # None: the scenario's only host
    run: Annotated[str, Field(min_length=1)]
    jitter: Duration = 0.0  # each host starts U(0, jitter) later, drawn from the seed

    @model_validator(mode="after")
    def _at_or_after(self) -> Step:
        if (self.at is None) == (self.after is None):
            which = "both" if self.at is not None else "neither"
            raise ValueError(
                f'expected exactly one of at = "<time>" or after = "previous", got {which}')
        return self


def _default_registries() -> dict[str, Registry]:
    return {HUB: Registry(hostname=DOCKER_HUB)}


def _default_hosts() -> dict[str, Host]:
    return {DEFAULT_HOST: Host()}


class Scenario(_Strict):
    """A whole scenario: the world (registries, hosts, workloads), what goes wrong (faults)
    and what is typed (steps). Docker Hub is always present as registry ``hub``."""

    seed: StrictInt = 0
    start: Annotated[dt.datetime, AfterValidator(_utc)] | None = None  # wall clock at t = 0
    registries: dict[str, Registry] = Field(default_factory=_default_registries)
    hosts: dict[str, Host] = Field(default_factory=_default_hosts)
    workloads: dict[str, WorkloadProfile] = Field(default_factory=dict)
    faults: list[Fault] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list, max_length=10_000)  # a timeline, by hand
    contexts: dict[str, InlineContext] = Field(default_factory=dict)  # docker build NAME
    effects: dict[str, str] = Field(default_factory=dict)  # RUN pattern -> "writes ..."
    distribution: DistributionSettings = Field(default_factory=DistributionSettings)
    sweep: dict[str, Any] | None = None  # a what-if's sweep, checked by sim.whatif.spec

    @field_validator("registries", mode="after")
    @classmethod
    def _hub_always(cls, value: dict[str, Registry]) -> dict[str, Registry]:
        """Docker Hub exists in every world, as it does for a real daemon."""
        return value if HUB in value else {HUB: Registry(), **value}

    @field_validator("hosts", mode="after")
    @classmethod
    def _some_host(cls, value: dict[str, Host]) -> dict[str, Host]:
        if not value:
            raise ValueError("expected at least one [hosts.<name>] table")
        return value

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        self._check_registries()
        host_names = self._check_hosts()
        self._check_workloads()
        self._check_faults(host_names)
        self._check_steps(host_names)
        self._check_build_inputs()
        return self

    def _check_workloads(self) -> None:
        for name in self.workloads:
            try:
                parse_normalized_named(name)
            except ValueError:
                raise ValueError(f"workloads.{dotted_key(name)}: expected an image name like nginx "
                                 f"or nginx:1.27, got {name!r}") from None

    def _check_registries(self) -> None:
        hostnames: dict[str, str] = {}
        for key, registry in self.registries.items():
            _check_name(f"registries.{dotted_key(key)}", key)
            if registry.hostname is None:
                registry.hostname = DOCKER_HUB if key == HUB else key
            if registry.hostname in hostnames:
                raise ValueError(
                    f"registries.{dotted_key(key)}.hostname: {registry.hostname!r} is already the "
                    f"hostname of registry {hostnames[registry.hostname]!r}")
            hostnames[registry.hostname] = key
        for key, registry in self.registries.items():
            seen = [key]
            origin = registry.mirror_of
            while origin is not None:
                if origin not in self.registries:
                    raise ValueError(f"registries.{dotted_key(key)}.mirror_of: no registry named "
                                     f"{origin!r} (registries: {_listing(self.registries)})")
                if origin in seen:
                    raise ValueError(f"registries.{dotted_key(key)}.mirror_of: mirrors form a loop "
                                     f"({' -> '.join([*seen, origin])})")
                seen.append(origin)
                origin = self.registries[origin].mirror_of

    def _check_hosts(self) -> dict[str, str]:
        """Returns every concrete host name mapped to its fleet."""
        owner: dict[str, str] = {}
        for key, host in self.hosts.items():
            path = f"hosts.{dotted_key(key)}"
            _check_name(path, key)
            if key in self.registries:
                raise ValueError(f"{path}: {key!r} is also a registry name; fault targets "
                                 "need host and registry names to differ")
            names = host.names(key)
            for name in names:
                if name in owner:
                    raise ValueError(f"{path}: host name {name!r} is also a host of "
                                     f"[hosts.{owner[name]}]")
                owner[name] = key
            for name in host.overrides:
                if name not in names:
                    raise ValueError(f"{path}.overrides.{dotted_key(name)}: no such host in "
                                     f"[hosts.{key}] (its hosts: {_span(names)})")
            for name, settings in [(key, host), *host.overrides.items()]:
                mirror = settings.registry_mirror
                if mirror is not None and mirror not in self.registries:
                    where = path if name == key else f"{path}.overrides.{dotted_key(name)}"
                    raise ValueError(f"{where}.registry_mirror: no registry named {mirror!r} "
                                     f"(registries: {_listing(self.registries)})")
        return owner

    def _check_faults(self, host_names: dict[str, str]) -> None:
        hosts = set(host_names) | set(self.hosts)
        for i, fault in enumerate(self.faults):
            if fault.kind in ("registry-outage", "rate-limit"):
                ok, wanted = fault.target in self.registries, "a registry"
            elif fault.kind == "disk-full":
                ok, wanted = fault.target in hosts, "a host"
            else:
                ok, wanted = fault.target in self.registries or fault.target in hosts, \
                    "a registry or a host"
            if not ok:
                raise ValueError(f"faults.{i}.target: a {fault.kind} fault needs {wanted}, "
                                 f"got {fault.target!r} ({self._known()})")

    def _check_build_inputs(self) -> None:
        """Inline contexts and the effects table are parsed now, so a bad one fails at load
        time naming its key, not halfway through a run."""
        from sim.build.context import BuildContext, ContextError
        from sim.build.effects import EffectError, EffectsTable
        for name, ctx in self.contexts.items():
            try:
                BuildContext.from_inline(ctx.files, ctx.dockerfile, ctx.dockerignore, name)
            except (ContextError, ValueError) as exc:
                raise ValueError(f"contexts.{dotted_key(name)}: {exc}") from None
        try:
            EffectsTable.from_mapping(self.effects)
        except EffectError as exc:
            raise ValueError(f"effects: {exc}") from None

    def _check_steps(self, host_names: dict[str, str]) -> None:
        for i, step in enumerate(self.steps):
            if step.host is None:
                if len(host_names) != 1:
                    raise ValueError(f"steps.{i}.host: missing; the scenario has several "
                                     f"hosts ({_span(list(host_names))})")
            elif step.host not in host_names and step.host not in self.hosts:
                raise ValueError(f"steps.{i}.host: no host named {step.host!r} "
                                 f"(hosts: {self._host_listing()})")

    def _host_listing(self) -> str:
        return ", ".join(f"{key} ({_span(host.names(key))})" if host.count > 1 else key
                         for key, host in self.hosts.items())

    def _known(self) -> str:
        return f"registries: {_listing(self.registries)}; hosts: {self._host_listing()}"

    # ---- resolved views ------------------------------------------------------------
    def expand_hosts(self) -> dict[str, HostParams]:
        """Concrete per-host parameters: a fleet becomes ``name-1`` ... ``name-N``, each with
        the fleet's settings, then its own overrides, over the Timing defaults. A spread
        moves the fleet's rate per host; a rate an override sets is kept as written."""
        out: dict[str, HostParams] = {}
        for key, host in self.hosts.items():
            base = host.set_values()
            spreads = host.spreads()
            for name in host.names(key):
                override = host.overrides.get(name)
                own = override.set_values() if override else {}
                values = {**base, **own}
                for field, spread in spreads.items():
                    if field not in own:
                        values[field] = spread_value(values.get(field, getattr(Timing, field)),
                                                     spread, self.seed, name, field)
                timing = Timing(**{k: v for k, v in values.items() if k in TIMING_FIELDS})
                out[name] = HostParams(name=name, fleet=key, timing=timing,
                                       disk=values.get("disk"),
                                       registry_mirror=values.get("registry_mirror"))
        return out

    def registry_latency(self, key: str) -> float:
        """A registry's request latency for this run: drawn within its spread, if any."""
        reg = self.registries[key]
        return spread_value(reg.latency, reg.latency_spread, self.seed, f"registries.{key}",
                            "latency", digits=6)

    def step_offsets(self, index: int) -> dict[str, float]:
        """Step ``index``'s hosts, each with the seconds it starts after the step's time."""
        step = self.steps[index]
        return {h: jitter_offset(step.jitter, self.seed, h, index)
                for h in self.step_hosts(step)}

    def step_hosts(self, step: Step) -> list[str]:
        """The concrete hosts a step runs on: one host, every host of a fleet, or the
        scenario's only host when the step names none."""
        if step.host is None:
            names = [n for key, host in self.hosts.items() for n in host.names(key)]
            if len(names) != 1:
                raise ValueError(f"the step names no host and there are {len(names)}")
            return names
        if step.host in self.hosts:
            return self.hosts[step.host].names(step.host)
        for key, host in self.hosts.items():
            if step.host in host.names(key):
                return [step.host]
        raise ValueError(f"no host named {step.host!r}")


def dotted_key(name: str) -> str:
    """A key as it appears in a dotted path: quoted when it holds a dot or other symbols."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else f'"{name}"'


def _check_name(path: str, name: str) -> None:
    if not _NAME.fullmatch(name):
        raise ValueError(f"{path}: expected a name of letters, digits, '.', '_' or '-', "
                         f"got {name!r}")


def _listing(names: dict[str, Any]) -> str:
    return ", ".join(names)


def _span(names: list[str]) -> str:
    """``node-1..node-500`` rather than five hundred names in one error line."""
    return f"{names[0]}..{names[-1]}" if len(names) > 3 else ", ".join(names)
