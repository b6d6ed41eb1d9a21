"""Scenario files: TOML that declares registries, hosts, workloads, faults and a timeline of
docker command lines, validated up front so a bad key fails with one clear line."""

from .load import ScenarioError, apply_set, dump_resolved, load_scenario, load_scenario_text
from .schema import Fault, Host, HostParams, HostSettings, Registry, Scenario, Step
from .units import parse_duration, parse_rate, parse_size

__all__ = [
    "Fault",
    "Host",
    "HostParams",
    "HostSettings",
    "Registry",
    "Scenario",
    "ScenarioError",
    "Step",
    "apply_set",
    "dump_resolved",
    "load_scenario",
    "load_scenario_text",
    "parse_duration",
    "parse_rate",
    "parse_size",
]
