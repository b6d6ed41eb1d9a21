"""A registry in time: its storage, its links, its latency, and what can go wrong with it
(an outage, a rate limit). Pull-through mirrors cache what they fetch upstream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.errors import DockerError
from ..model.registry import RegistryStorage

if TYPE_CHECKING:
    from .network import Flow, Link
    from .world import World

HUB = "docker.io"
HUB_API = "registry-1.docker.io"  # where docker.io's /v2/ API answers


@dataclass
class RegistryConfig:
    name: str  # the scenario's key, e.g. "hub"
    hostname: str  # how references name it, e.g. docker.io, mirror.local:5000
    egress: float | None = None  # bytes/s out of the registry; None: never the bottleneck
    latency: float = 0.05  # one request round trip, seconds
    mirror_of: str | None = None  # hostname of the registry this one caches


class Unavailable(DockerError):
    """The registry cannot be reached (outage): a pull or push retries blobs, fails
    manifests."""


class RegistryService:
    def __init__(self, world: World, config: RegistryConfig, storage: RegistryStorage) -> None:
        self.world = world
        self.config = config
        self.storage = storage
        self.hostname = config.hostname  # how references name it (read on every blob)
        net = world.network
        self.egress: Link | None = (net.link(f"{config.name}:egress", config.egress)
                                    if config.egress else None)
        self.ingress: Link | None = (net.link(f"{config.name}:ingress", config.egress)
                                     if config.egress else None)
        self.down = False
        self.rate_limited = False
        self.bytes_served = 0
        self.bytes_received = 0
        self.requests = 0
        self.active: dict[Flow, None] = {}  # insertion order: deterministic cancels
        # (instant, host, timeout) of the last blob request: requests a host makes at one
        # instant ride one timeout (sim.world.download)
        self.batch: tuple | None = None

    @property
    def api_host(self) -> str:
        return HUB_API if self.hostname == HUB else self.hostname

    def refused(self) -> Unavailable:
        """What a request gets during an outage."""
        return Unavailable(f'Get "https://{self.api_host}/v2/": dial tcp: connect: '
                           "connection refused", 503)

    def request(self):
        """One request round trip (manifest, HEAD, blob GET); fails during an outage."""
        self.requests += 1
        if self.down:
            raise self.refused()
        yield self.world.env.timeout(self.config.latency)
        if self.down:
            raise self.refused()

    def manifest_request(self):
        """A manifest GET: also where Docker Hub's pull rate limit answers 429."""
        yield from self.request()
        if self.rate_limited:
            raise DockerError("toomanyrequests: You have reached your unauthenticated pull rate "
                              "limit. https://www.docker.com/increase-rate-limit", 429)

    def go_down(self) -> None:
        """An outage: requests fail and transfers in flight are cut."""
        self.down = True
        for flow in list(self.active):  # in start order
            self.world.network.cancel(flow, f"{self.config.name} is down")
        self.active.clear()
