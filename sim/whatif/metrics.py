"""Metrics of one run, computed from its trace (and the run summary for what the trace does not
carry: bytes the registries served and received on the wire). Every metric has a one-line
definition in docs/whatif.md.

Where the bytes came from is read off each ``LayerTransfer``'s ``registry`` field: a name of
the form ``peer:<host>`` is a peer, a registry that is a pull-through mirror is a mirror,
anything else is a registry. So distribution models added later (peer-to-peer, lazy pulling)
are counted without changes here, as long as their transfers end in a ``downloaded`` event.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..trace import events as ev
from ..trace.trace import Record

__all__ = ["Metrics", "RegistryInfo", "SCALARS", "compute", "quantile", "registry_info"]

PEER_PREFIX = "peer:"
EGRESS_BINS = 60  # time bins of the egress utilisation series
SOURCES = ("registry", "mirror", "peer")
PUSH_VERBS = (("docker", "push"), ("docker", "image", "push"))
BUILD_VERBS = (("docker", "build"), ("docker", "image", "build"), ("docker", "buildx", "build"))

#: The scalar metrics of every run, in column order (registry columns follow).
SCALARS = (
    "bytes_pulled", "bytes_from_registry", "bytes_from_mirror", "bytes_from_peer",
    "mirror_fill_bytes", "registry_egress_bytes", "bytes_pulled_host_mean",
    "bytes_pulled_host_max", "layers_fetched", "layers_reused", "distinct_layers_fetched",
    "disk_unique_bytes", "disk_logical_bytes", "dedup_ratio", "disk_unique_host_max",
    "fleet_distinct_layer_bytes", "disk_used_bytes", "containers_running", "ttr_p50",
    "ttr_p95", "ttr_p99", "ttr_max", "first_running_s", "all_running_s", "egress_peak_util",
    "egress_mean_util",
    "builds", "build_seconds", "build_seconds_mean", "pushes", "bytes_pushed",
    "bytes_pushed_per_push",
    "layers_pushed", "layers_push_skipped", "copy_up_bytes", "copy_ups",
    "simulated_seconds", "failed_steps",
)


@dataclass(frozen=True)
class RegistryInfo:
    key: str  # the scenario's name for it
    hostname: str
    egress: float | None  # bytes/s; None: never the bottleneck
    mirror_of: str | None  # hostname of the registry it caches


@dataclass
class Metrics:
    scalars: dict[str, float | int | None]
    hosts: list[dict[str, Any]] = field(default_factory=list)
    layers: list[dict[str, Any]] = field(default_factory=list)
    egress: list[dict[str, Any]] = field(default_factory=list)


def registry_info(scenario) -> dict[str, RegistryInfo]:
    """Hostname -> RegistryInfo for every registry of a scenario's world."""
    keys = {key: reg.hostname or key for key, reg in scenario.registries.items()}
    out = {h: RegistryInfo(k, h, scenario.registries[k].egress,
                           keys.get(scenario.registries[k].mirror_of or ""))
           for k, h in keys.items()}
    out.setdefault("localhost:5000", RegistryInfo("localhost:5000", "localhost:5000", None,
                                                  None))
    return out


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile of sorted values: a value that occurred, as latency reports
    show it (the same rule as the run summary)."""
    rank = max(1, min(len(values), round(q * len(values) + 0.5 - 1e-9)))
    return values[rank - 1]


def _verb(line: str, verbs: tuple[tuple[str, ...], ...]) -> bool:
    words = line.split()
    return any(tuple(words[:len(v)]) == v for v in verbs)


class _Fold:
    """One pass over the trace, keeping per-host and per-layer tallies."""

    def __init__(self, registries: dict[str, RegistryInfo]) -> None:
        self.registries = registries
        self.pulled: dict[str, int] = {}
        self.fetched: dict[str, int] = {}
        self.reused: dict[str, int] = {}
        self.layers: dict[str, dict[str, int]] = {}
        self.by_source = dict.fromkeys(SOURCES, 0)
        self.fill = 0
        self.started: dict[tuple[str, str], tuple[float, str, bool]] = {}
        self.flows: list[tuple[str, float, float, int]] = []  # registry egress, t0, t1, bytes
        self.mirror_has: set[tuple[str, str]] = set()
        self.unique: dict[str, dict[str, int]] = {}  # host -> chainID -> size
        self.images: dict[str, dict[str, int]] = {}  # host -> image ID -> size
        self.running: dict[str, float] = {}  # container -> first running time
        self.running_host: dict[str, str] = {}
        self.pushing: dict[str, int] = {}
        self.commands: dict[tuple[str, str], list[float]] = {}
        self.build_times: list[float] = []
        self.pushes = self.layers_pushed = self.push_skipped = 0
        self.copy_up = self.copy_ups = 0
        self.copy_up_host: dict[str, int] = {}

    def source(self, name: str) -> str:
        if name.startswith(PEER_PREFIX):
            return "peer"
        info = self.registries.get(name)
        return "mirror" if info is not None and info.mirror_of else "registry"

    def feed(self, rec: Record) -> None:
        e = rec.event
        handler = getattr(self, f"on_{e.kind}", None)
        if handler is not None:
            handler(rec.t, e)

    def on_CommandStarted(self, t: float, e: ev.CommandStarted) -> None:  # noqa: N802
        self.commands.setdefault((e.host, e.line), []).append(t)
        if _verb(e.line, PUSH_VERBS):
            self.pushing[e.host] = self.pushing.get(e.host, 0) + 1

    def on_CommandFinished(self, t: float, e: ev.CommandFinished) -> None:  # noqa: N802
        starts = self.commands.get((e.host, e.line))
        t0 = starts.pop(0) if starts else t
        if _verb(e.line, BUILD_VERBS):
            self.build_times.append(t - t0)
        if _verb(e.line, PUSH_VERBS):
            self.pushing[e.host] = self.pushing.get(e.host, 1) - 1

    def on_LayerTransfer(self, t: float, e: ev.LayerTransfer) -> None:  # noqa: N802
        row = self.layers.setdefault(e.digest, {"bytes_pulled": 0, "downloads": 0, "reuses": 0,
                                                **{f"from_{s}": 0 for s in SOURCES}})
        if e.phase == "downloading":
            info = self.registries.get(e.registry)
            through_origin = bool(info and info.mirror_of and
                                  (e.registry, e.digest) not in self.mirror_has)
            self.started[(e.host, e.digest)] = (t, e.registry, through_origin)
        elif e.phase == "downloaded":
            t0, name, through_origin = self.started.pop((e.host, e.digest), (t, e.registry,
                                                                             False))
            source = self.source(e.registry)
            self.pulled[e.host] = self.pulled.get(e.host, 0) + e.size
            self.fetched[e.host] = self.fetched.get(e.host, 0) + 1
            self.by_source[source] += e.size
            row["bytes_pulled"] += e.size
            row["downloads"] += 1
            row[f"from_{source}"] += e.size
            if source != "peer":
                self.flows.append((e.registry, t0, t, e.size))
            if through_origin:
                origin = self.registries[name].mirror_of or ""
                self.fill += e.size
                self.flows.append((origin, t0, t, e.size))
            if source == "mirror":
                self.mirror_has.add((e.registry, e.digest))
        elif e.phase == "exists":
            if self.pushing.get(e.host, 0) > 0:
                self.push_skipped += 1
            else:
                self.reused[e.host] = self.reused.get(e.host, 0) + 1
                row["reuses"] += 1
        elif e.phase == "uploaded":
            self.layers_pushed += 1
        elif e.phase == "mounted":
            self.push_skipped += 1

    def on_LayerRegistered(self, t: float, e: ev.LayerRegistered) -> None:  # noqa: N802
        self.unique.setdefault(e.host, {})[e.chain_id] = e.size

    def on_LayerDeleted(self, t: float, e: ev.LayerDeleted) -> None:  # noqa: N802
        self.unique.get(e.host, {}).pop(e.chain_id, None)

    def on_ImageCreated(self, t: float, e: ev.ImageCreated) -> None:  # noqa: N802
        self.images.setdefault(e.host, {})[e.image_id] = e.size

    def on_ImageDeleted(self, t: float, e: ev.ImageDeleted) -> None:  # noqa: N802
        self.images.get(e.host, {}).pop(e.image_id, None)

    def on_ContainerStateChanged(self, t: float, e: ev.ContainerStateChanged) -> None:  # noqa: N802
        if e.state == "running" and e.container_id not in self.running:
            self.running[e.container_id] = t
            self.running_host[e.container_id] = e.host

    def on_ContainerFilesChanged(self, t: float, e: ev.ContainerFilesChanged) -> None:  # noqa: N802
        for _path, what, size in e.changes:
            if what == "copy-up":
                self.copy_up += size
                self.copy_ups += 1
                self.copy_up_host[e.host] = self.copy_up_host.get(e.host, 0) + size

    def on_ManifestPushed(self, t: float, e: ev.ManifestPushed) -> None:  # noqa: N802
        self.pushes += 1


def compute(records: Iterable[Record], summary: dict[str, Any],
            registries: dict[str, RegistryInfo]) -> Metrics:
    """All metrics of one run. ``summary`` is ``RunReport.summary()``; ``registries`` maps
    hostnames to their settings (``registry_info``)."""
    fold = _Fold(registries)
    for rec in records:
        fold.feed(rec)
    hosts = list(summary["hosts"])
    s: dict[str, float | int | None] = dict.fromkeys(SCALARS)
    pulled = [fold.pulled.get(h, 0) for h in hosts]
    s["bytes_pulled"] = sum(pulled)
    for source in SOURCES:
        s[f"bytes_from_{source}"] = fold.by_source[source]
    s["mirror_fill_bytes"] = fold.fill
    s["registry_egress_bytes"] = fold.by_source["registry"] + fold.fill
    s["bytes_pulled_host_mean"] = sum(pulled) / len(hosts) if hosts else 0
    s["bytes_pulled_host_max"] = max(pulled, default=0)
    s["layers_fetched"] = sum(fold.fetched.values())
    s["layers_reused"] = sum(fold.reused.values())
    s["distinct_layers_fetched"] = sum(1 for r in fold.layers.values() if r["downloads"])
    unique = {h: sum(fold.unique.get(h, {}).values()) for h in hosts}
    logical = {h: sum(fold.images.get(h, {}).values()) for h in hosts}
    s["disk_unique_bytes"] = sum(unique.values())
    s["disk_logical_bytes"] = sum(logical.values())
    s["dedup_ratio"] = _ratio(s["disk_logical_bytes"], s["disk_unique_bytes"])
    s["disk_unique_host_max"] = max(unique.values(), default=0)
    fleet: dict[str, int] = {}
    for chains in fold.unique.values():
        fleet.update(chains)
    s["fleet_distinct_layer_bytes"] = sum(fleet.values())
    s["disk_used_bytes"] = sum(h.get("disk_used", 0) for h in summary["hosts"].values())
    _running(s, fold, summary)
    egress = _egress(s, fold, registries)
    builds = fold.build_times
    s["builds"] = len(builds)
    s["build_seconds"] = round(sum(builds), 6)
    s["build_seconds_mean"] = round(sum(builds) / len(builds), 6) if builds else None
    s["pushes"] = fold.pushes
    s["bytes_pushed"] = sum(r["bytes_received"] for r in summary["registries"].values())
    s["bytes_pushed_per_push"] = round(s["bytes_pushed"] / fold.pushes, 3) if fold.pushes \
        else None
    s["layers_pushed"] = fold.layers_pushed
    s["layers_push_skipped"] = fold.push_skipped
    s["copy_up_bytes"] = fold.copy_up
    s["copy_ups"] = fold.copy_ups
    s["simulated_seconds"] = summary["simulated_seconds"]
    s["failed_steps"] = summary["failed_steps"]
    for key, reg in summary["registries"].items():
        s[f"served.{key}"] = reg["bytes_served"]
    per_host_running: dict[str, int] = {}
    for host in fold.running_host.values():
        per_host_running[host] = per_host_running.get(host, 0) + 1
    host_rows = [{"host": h, "bytes_pulled": fold.pulled.get(h, 0),
                  "layers_fetched": fold.fetched.get(h, 0),
                  "layers_reused": fold.reused.get(h, 0), "disk_unique_bytes": unique[h],
                  "disk_logical_bytes": logical[h],
                  "dedup_ratio": _ratio(logical[h], unique[h]),
                  "containers_running": per_host_running.get(h, 0),
                  "copy_up_bytes": fold.copy_up_host.get(h, 0)} for h in hosts]
    layer_rows = [{"digest": d, **row} for d, row in sorted(fold.layers.items())]
    return Metrics(s, host_rows, layer_rows, egress)


def _ratio(a: float | int | None, b: float | int | None) -> float | None:
    return round(a / b, 6) if a is not None and b else None


def _running(s: dict[str, Any], fold: _Fold, summary: dict[str, Any]) -> None:
    ttr = sorted(summary["time_to_running"].values())
    s["containers_running"] = len(fold.running)
    if ttr:
        for name, q in (("ttr_p50", 0.5), ("ttr_p95", 0.95), ("ttr_p99", 0.99)):
            s[name] = quantile(ttr, q)
        s["ttr_max"] = ttr[-1]
    times = sorted(fold.running.values())
    if times:
        s["first_running_s"] = round(times[0], 6)
        s["all_running_s"] = round(times[-1], 6)


def _egress(s: dict[str, Any], fold: _Fold, registries: dict[str, RegistryInfo]
            ) -> list[dict[str, Any]]:
    """Registry egress utilisation: each completed transfer's bytes spread evenly over its
    duration (its average rate), binned; the busy-span mean is exact."""
    by_reg: dict[str, list[tuple[float, float, int]]] = {}
    for name, t0, t1, size in fold.flows:
        by_reg.setdefault(name, []).append((t0, t1, size))
    end = max((t1 for _n, _t0, t1, _s in fold.flows), default=0.0)
    width = end / EGRESS_BINS if end > 0 else 0.0
    rows: list[dict[str, Any]] = []
    peaks, means = [], []
    for name in sorted(by_reg):
        info = registries.get(name)
        flows = by_reg[name]
        cap = info.egress if info else None
        key = info.key if info else name
        busy = max(t1 for _t0, t1, _s in flows) - min(t0 for t0, _t1, _s in flows)
        total = sum(size for _t0, _t1, size in flows)
        if cap:
            means.append(total / (cap * busy) if busy > 0 else None)
            s[f"util_mean.{key}"] = round(means[-1], 6) if means[-1] is not None else None
        if width <= 0:
            continue
        bins = [0.0] * EGRESS_BINS
        for t0, t1, size in flows:
            _spread(bins, width, t0, t1, size)
        if cap:  # averaging can put more in a bin than the link carried: cap it
            bins = [min(b, cap * width) for b in bins]
        for i, b in enumerate(bins):
            rate = b / width
            rows.append({"registry": key, "t": round(i * width, 6), "bytes_per_s": round(rate, 3),
                         "utilisation": round(rate / cap, 6) if cap else None})
        if cap:
            peaks.append(max(bins) / width / cap)
            s[f"util_peak.{key}"] = round(peaks[-1], 6)
    s["egress_peak_util"] = round(max(peaks), 6) if peaks else None
    valid = [m for m in means if m is not None]
    s["egress_mean_util"] = round(max(valid), 6) if valid else None
    return rows


def _spread(bins: list[float], width: float, t0: float, t1: float, size: int) -> None:
    if t1 <= t0:
        bins[min(len(bins) - 1, int(t0 / width))] += size
        return
    rate = size / (t1 - t0)
    first, last = int(t0 / width), min(len(bins) - 1, int(math.ceil(t1 / width)) - 1)
    for i in range(first, last + 1):
        lo, hi = max(t0, i * width), min(t1, (i + 1) * width)
        if hi > lo:
            bins[i] += rate * (hi - lo)
