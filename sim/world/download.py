"""One blob download as a callback-driven state machine (moby xfer/download.go).

Why not a SimPy process per download: a process costs an Initialize event, a slot request,
a slot release and its own end event on top of the work that takes time. Here a download is
a few slots on one object and the only events are the ones that take simulated time: the
request round trip, the network transfer and the retry back-off ticks. The source is the
host's mirror, the registry, or (peer-to-peer distribution) another host (sim.world.p2p);
with lazy pulling the download ends once the needed fraction is in and the rest streams in
the background.

The host's download slots are a counter and a FIFO queue (``max_concurrent_downloads``); a
slot is handed to the next queued download the moment a download ends, as the daemon's
transfer manager does. A download ends either with the blob on the host or with the error of
its last attempt; whoever waits for it asks for :meth:`Download.wait` (an event made only when
somebody actually has to wait).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy
from simpy.events import NORMAL

from ..model.errors import DockerError
from ..trace import events as ev
from .network import TransferCancelled
from .registry import Unavailable

if TYPE_CHECKING:
    from ..model.layer import Layer
    from .host import Host
    from .network import Flow
    from .registry import RegistryService

Line = Callable[[str], None]
DOWNLOAD_ATTEMPTS = 5  # moby config.go DefaultDownloadAttempts

PENDING, DONE, FAILED = 0, 1, 2  # Download.state


def discard(_line: str) -> None:
    """A progress sink nobody reads (a benchmark): a pull given it skips formatting its
    per-layer lines, a few microseconds a layer."""


class Download:
    """A blob: a slot, a request, a flow on the network; retried with 5 s x attempt back-off."""

    __slots__ = ("host", "layer", "line", "service", "mirror", "path", "attempt", "source",
                 "cached", "flow", "state", "error", "_event", "peer", "ready", "lazy",
                 "links")

    def __init__(self, host: Host, layer: Layer, line: Line, service: RegistryService,
                 mirror: RegistryService | None, path: str) -> None:
        self.host = host
        self.layer = layer
        self.line = line
        self.service = service
        self.mirror = mirror
        self.path = path
        self.attempt = 0
        self.source: RegistryService = service
        self.cached = True
        self.flow: Flow | None = None  # the blob's current flow on the network
        self.state = PENDING
        self.error: BaseException | None = None
        self._event: simpy.Event | None = None
        self.peer: Host | None = None  # the host serving this blob (peer-to-peer)
        self.ready: Ready | None = None  # the pull's wait for this layer's extraction
        # lazy pulling: the bytes the container needs first; the rest streams afterwards
        fraction = host.world.lazy_fraction
        self.lazy = None if fraction is None else lazy_prefix(layer.compressed_size, fraction)
        self.links: list = []  # the path of the last transfer (the background reuses it)

    # -- slots --------------------------------------------------------------------------
    def start(self) -> None:
        """Take a download slot now, or queue for one (FIFO)."""
        host = self.host
        if host.downloads_active < host.timing.max_concurrent_downloads:
            host.downloads_active += 1
            self._attempt()
        else:
            host.download_queue.append(self)

    def _release(self) -> None:
        host = self.host
        if host.download_queue:
            host.download_queue.popleft()._attempt()  # the slot passes straight on
        else:
            host.downloads_active -= 1

    # -- waiting on the outcome ------------------------------------------------------------
    def wait(self) -> simpy.Event:
        """An event that fires when the download ends (fails with its error)."""
        if self._event is None:
            self._event = event = self.host.env.event()
            if self.state == DONE:
                event.succeed(self.layer)
            elif self.state == FAILED:
                event.fail(self.error)  # type: ignore[arg-type]
        return self._event

    def _finish(self, error: BaseException | None) -> None:
        self.state = DONE if error is None else FAILED
        self.error = error
        ready = self.ready
        if ready is not None:  # the pull waits: extraction starts now (or the error goes)
            self.ready = None
            if error is None:
                ready.fire_in(reserve_extractor(self.host, self.layer))
            else:
                ready.fail(error)
        event = self._event
        if event is not None:
            if error is None:
                event.succeed(self.layer)
            else:
                event.fail(error)
                event.defused = True  # nobody may be waiting any more (the pull failed)

    # -- one attempt ---------------------------------------------------------------------
    def _attempt(self) -> None:
        self.attempt += 1
        mirror = self.mirror
        peers = self.host.world.peers
        if peers is not None and peers.choose(self):
            return  # a peer serves it (sim.world.p2p); the peer calls back into _stream
        source = mirror if mirror is not None and not mirror.down else self.service
        self.source = source
        self._ask(source, self._answered)

    def _ask(self, service: RegistryService, then: Callable[[simpy.Event], None]) -> None:
        """One request round trip (RegistryService.request, as callbacks)."""
        service.requests += 1
        if service.down:
            self._failed(service.refused())
            return
        host = self.host
        now = host.env._now
        batch = service.batch
        if batch is not None and batch[0] == now and batch[1] is host and \
                batch[2].callbacks is not None:
            # the host's requests of this instant to this registry (a pull starting its
            # first downloads) share one timeout: the same round trip, one event
            batch[2].callbacks.append(then)
            return
        timeout = host.env.timeout(service.config.latency)
        timeout.callbacks.append(then)
        service.batch = (now, host, timeout)

    def _answered(self, _event: simpy.Event) -> None:
        source = self.source
        if source.down:
            self._failed(source.refused())
            return
        origin = self.service
        self.cached = source is origin or self.layer.digest in source.storage.blobs
        if self.cached:
            self._stream((source.egress,), source.hostname)
        else:  # a pull-through mirror without the blob asks upstream first
            self._ask(origin, self._origin_answered)

    def _origin_answered(self, _event: simpy.Event) -> None:
        if self.service.down:
            self._failed(self.service.refused())
            return
        self._stream((self.service.egress, self.source.egress), self.source.hostname)

    def _stream(self, links: tuple, served_by: str) -> None:
        """The flow over [source egress(es)..., host downlink]."""
        host = self.host
        layer = self.layer
        host.engine.emit(ev.LayerTransfer(host.name, layer.digest, "downloading",
                                          layer.compressed_size, served_by))
        path = []
        for link in links:
            if link is not None:
                path.append(link)
        path.append(host.downlink)
        self.links = path
        size = layer.compressed_size if self.lazy is None else self.lazy
        flow = host.world.network.stream(path, size, self.path, self._streamed)
        self.flow = flow
        if self.peer is None:
            self.source.active[flow] = None
            if not self.cached:
                self.service.active[flow] = None

    def _streamed(self, flow: Flow, error: BaseException | None) -> None:
        peer = self.peer
        if peer is None:
            self.source.active.pop(flow, None)
            if not self.cached:
                self.service.active.pop(flow, None)
        if error is not None:
            self._failed(error)
            return
        host = self.host
        layer = self.layer
        size = layer.compressed_size if self.lazy is None else self.lazy
        served_by = self._count(size)
        line = self.line
        talk = line is not discard
        short = layer.digest[7:19] if talk else ""
        if self.lazy is None:
            if talk:
                line(f"{short}: Verifying Checksum")
                line(f"{short}: Download complete")
            host.engine.emit(ev.LayerTransfer(host.name, layer.digest, "downloaded", size,
                                              served_by,
                                              () if flow.trail is None else _waypoints(flow)))
            peers = host.world.peers
            if peers is not None:
                peers.seed(host, layer.digest)
        else:  # lazily pulled: mountable now, the rest streams in the background
            if talk:
                line(f"{short}: Download complete")
            host.engine.emit(ev.LayerTransfer(host.name, layer.digest, "prefetched", size,
                                              served_by))
            self._background(layer.compressed_size - size, served_by, peer)
        self._release()
        self._finish(None)

    def _count(self, size: int) -> str:
        """Account ``size`` bytes delivered; returns who served them."""
        peer = self.peer
        if peer is not None:
            served_by = self.host.world.peers.served(self, size)
        else:
            source = self.source
            source.bytes_served += size
            if not self.cached:
                self.service.bytes_served += size
                if self.lazy is None:
                    source.storage.put_blob(self.path, self.layer)
            served_by = source.hostname
        self.host.bytes_pulled += size
        return served_by

    def _background(self, rest: int, served_by: str, peer: Host | None) -> None:
        """The rest of a lazily pulled blob, on the same path, holding no download slot
        (the snapshotter's background fetch). Not cut by faults: a simplification."""
        host = self.host
        source, origin, cached, path = self.source, self.service, self.cached, self.path
        layer = self.layer

        def done(_flow: Flow, _error: BaseException | None) -> None:
            if peer is not None:
                peer.bytes_served += rest
            else:
                source.bytes_served += rest
                if not cached:
                    origin.bytes_served += rest
                    source.storage.put_blob(path, layer)
            host.bytes_pulled += rest
            host.engine.emit(ev.LayerTransfer(host.name, layer.digest, "downloaded",
                                              layer.compressed_size, served_by))
            if host.world.peers is not None:
                host.world.peers.seed(host, layer.digest)
        host.world.network.stream(self.links, rest, f"{path}:rest", done)

    # -- failures and retries ------------------------------------------------------------
    def _failed(self, exc: BaseException) -> None:
        if self.peer is not None:
            self.host.world.peers.lost(self)
        if not isinstance(exc, (Unavailable, TransferCancelled)):
            self._release()
            self._finish(exc)
            return
        if self.attempt >= DOWNLOAD_ATTEMPTS:
            message = exc.message if isinstance(exc, DockerError) else (
                f"download of {self.layer.digest[7:19]} failed after {self.attempt} "
                "attempts: connection reset by peer")
            self._release()
            self._finish(DockerError(message, 503))
            return
        self._tick(5 * self.attempt)  # xfer/download.go: retries wait 5 s x attempt

    def _tick(self, left: int) -> None:
        self.line(f"{self.layer.digest[7:19]}: Retrying in {left} "
                  f"second{'s' if left != 1 else ''}")
        timeout = self.host.env.timeout(1)
        timeout.callbacks.append(lambda _e: self._attempt() if left == 1 else
                                 self._tick(left - 1))


def reserve_extractor(host: Host, layer: Layer) -> float:
    """One extraction at a time per host, in the order they are asked for: a reservation on
    the host's extractor (no lock events on the hot path). Returns the wait until done. A
    lazily pulled layer is mounted remotely, not unpacked: no wait."""
    if host.world.lazy_pull:
        return 0.0
    now = host.env._now
    start = host.extract_free_at
    if start < now:
        start = now
    host.extract_free_at = start + layer.size / host.timing.extract_rate
    return max(0.0, host.extract_free_at - now)


def lazy_prefix(size: int, fraction: float) -> int:
    """Bytes of a blob a lazily pulled container needs before it can start (rounded up)."""
    return min(size, max(1, math.ceil(size * fraction))) if size else 0


class Ready(simpy.Event):
    """An event yielded before its delay is known: ``fire_in`` schedules it as a Timeout
    would (the pull waits once per layer, for the end of its extraction, which starts the
    moment the download ends)."""

    def fire_in(self, delay: float) -> None:
        self._ok = True
        self._value = None
        self.env.schedule(self, NORMAL, delay)


def _waypoints(flow) -> tuple[tuple[float, int], ...]:
    """A finished flow's waypoints after its start, as (time, bytes delivered)."""
    trail = flow.trail
    if trail is None:
        return ()
    start = flow.start
    return tuple((round(t, 9), round(done)) for t, done in trail.waypoints(flow.end, flow.size)
                 if t > start)
