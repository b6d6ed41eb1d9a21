"""Durations and rates. Defaults follow the fact sheet (§6); every field can be overridden
from a scenario or ``--set``. This is the simple model of the foundation: each transfer gets
an equal share of the host link; the fair-share network replaces it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Timing:
    create: float = 0.1  # container create (50-150 ms)
    start: float = 0.45  # container start on SSD (300-600 ms)
    stop_exit: float = 0.25  # a service that honours SIGTERM exits after this
    kill: float = 0.05
    remove: float = 0.05
    exec: float = 0.05
    pause: float = 0.02
    commit: float = 0.3
    stop_timeout: float = 10.0  # default grace period before SIGKILL (Linux)
    rtt: float = 0.05  # one registry round trip (manifest, HEAD)
    downlink: float = 125e6  # host ingress, bytes/s (1 Gbit/s)
    uplink: float = 125e6  # host egress, bytes/s
    extract_rate: float = 150e6  # uncompressed bytes/s, one extraction at a time per host
    compress_rate: float = 36e6  # push compresses on the fly
    max_concurrent_downloads: int = 3
    max_concurrent_uploads: int = 5
    tag: float = 0.01
    disk_rate: float = 500e6  # bytes/s the builder reads and writes (context, COPY, export)
