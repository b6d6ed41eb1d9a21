"""From a validated scenario to a world: hosts, registries, workloads and faults."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..world.registry import RegistryConfig
from ..world.world import Distribution, FaultSpec, HostConfig, World, WorldConfig

if TYPE_CHECKING:
    from .schema import Scenario


def world_config(scenario: Scenario) -> WorldConfig:
    registries = []
    names = {}
    for key, reg in scenario.registries.items():
        hostname = reg.hostname or key
        names[key] = hostname
        registries.append(RegistryConfig(key, hostname, reg.egress,
                                         scenario.registry_latency(key)))
    for cfg, (_key, reg) in zip(registries, scenario.registries.items(), strict=True):
        cfg.mirror_of = names.get(reg.mirror_of) if reg.mirror_of else None
    if not any(r.hostname == "localhost:5000" for r in registries):
        registries.append(RegistryConfig("localhost:5000", "localhost:5000"))
    hosts = [HostConfig(p.name, p.timing, p.disk,
                        names.get(p.registry_mirror) if p.registry_mirror else None)
             for p in scenario.expand_hosts().values()]
    fleets: dict[str, list[str]] = {}
    for p in scenario.expand_hosts().values():
        fleets.setdefault(p.fleet, []).append(p.name)
    faults = []
    for f in scenario.faults:
        targets = [names[f.target]] if f.target in names else fleets.get(f.target, [f.target])
        faults += [FaultSpec(f.at, f.kind, t, f.duration, f.factor or 1.0) for t in targets]
    config = WorldConfig(seed=scenario.seed, hosts=hosts, registries=registries,
                         workloads=dict(scenario.workloads), faults=faults,
                         distribution=Distribution(**scenario.distribution.model_dump()))
    if scenario.start is not None:
        config.epoch = scenario.start.timestamp()
    return config


def build_world(scenario: Scenario, base_dir=None) -> World:
    world = World(world_config(scenario))
    world.base_dir = base_dir
    world.effects = None
    if scenario.effects:  # the builder is imported only for a scenario that uses it
        from ..build.effects import EffectsTable
        world.effects = EffectsTable.from_mapping(scenario.effects)
    world.contexts = {}
    if scenario.contexts:
        from ..build.context import BuildContext
        world.contexts = {name: BuildContext.from_inline(c.files, c.dockerfile, c.dockerignore,
                                                         name)
                          for name, c in scenario.contexts.items()}
    return world
