"""Peer-to-peer layer distribution, in the style of Dragonfly and Kraken.

Seeding rule: a host seeds a blob from the instant its own download of that blob completes
(the whole compressed blob is on the host, checksum verified) until the end of the run; the
P2P cache keeps it even if the layer is later deleted. Each seeder serves at most
``upload_slots`` downloads at once (default 4: BitTorrent's four unchoked peers, Cohen,
"Incentives Build Robustness in BitTorrent", 2003). A download attempt asks the tracker (no
latency: the tracker is local to the cluster) for the hosts that seed the blob; if one has a
free slot, the blob comes from the one with the fewest uploads in progress (ties: the one
that got the blob first) over [peer uplink, host downlink], after one request round trip
(the host's ``rtt``); if all seeders are busy, the download waits, first come first served,
for a slot or a new seeder, so the swarm grows wave by wave instead of every host crowding
the first seeder; if there is no seeder at all, it comes from the registry as usual, which
is how the first copy enters the swarm (the origin or seed peer of Dragonfly, Kraken's
origin). The manifest always comes from the registry.

Simplified: a blob moves whole from one peer (real swarms split it into pieces and fetch
pieces from several peers, and can serve pieces of a blob still arriving), and peers never
leave. Bytes served by a peer are traced as ``LayerTransfer(registry="peer:<host>")`` so
metrics can count them apart from registry egress.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .download import Download
    from .host import Host
    from .world import World


class PeerNetwork:
    """The tracker: which hosts seed which blob, and how busy each one's uplink is."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.seeders: dict[str, list[Host]] = {}  # blob digest -> hosts, in seeding order
        self.uploads: dict[str, int] = {}  # host name -> uploads in progress
        self.slots = world.config.distribution.upload_slots
        self.waiting: dict[str, deque[Download]] = {}  # blob digest -> downloads, FIFO

    def seed(self, host: Host, digest: str) -> None:
        """``host`` now holds the whole blob and serves it to others."""
        holders = self.seeders.setdefault(digest, [])
        if host not in holders:
            holders.append(host)
            self._dispatch(digest)

    def choose(self, download: Download) -> bool:
        """Send the download to a peer (True), queue it for one (True), or leave it to the
        registry (False)."""
        holders = self.seeders.get(download.layer.digest)
        if not holders or all(peer is download.host for peer in holders):
            return False
        best = self._free_peer(download)
        if best is None:
            self.waiting.setdefault(download.layer.digest, deque()).append(download)
        else:
            self._start(download, best)
        return True

    def _free_peer(self, download: Download) -> Host | None:
        best = None
        for peer in self.seeders.get(download.layer.digest, ()):
            busy = self.uploads.get(peer.name, 0)
            if peer is download.host or busy >= self.slots:
                continue
            if best is None or busy < self.uploads.get(best.name, 0):
                best = peer
        return best

    def _start(self, download: Download, peer: Host) -> None:
        download.peer = peer
        self.uploads[peer.name] = self.uploads.get(peer.name, 0) + 1
        me = download.host
        timeout = me.env.timeout(me.timing.rtt)  # the GET to the peer's daemon
        timeout.callbacks.append(lambda _e: download._stream((peer.uplink,),
                                                             f"peer:{peer.name}"))

    def _dispatch(self, digest: str) -> None:
        """Give free slots of the blob's seeders to the downloads waiting for it."""
        queue = self.waiting.get(digest)
        while queue:
            peer = self._free_peer(queue[0])
            if peer is None:
                return
            self._start(queue.popleft(), peer)
        self.waiting.pop(digest, None)

    def _freed(self, peer: Host) -> None:
        self.uploads[peer.name] -= 1
        for digest in [d for d in self.waiting if peer in self.seeders.get(d, ())]:
            self._dispatch(digest)

    def served(self, download: Download, size: int) -> str:
        """A peer finished sending ``size`` bytes of a blob: count them."""
        peer = download.peer
        assert peer is not None
        peer.bytes_served += size
        download.peer = None
        self._freed(peer)
        return f"peer:{peer.name}"

    def lost(self, download: Download) -> None:
        """A transfer from a peer was cut (its link failed): free the peer's upload."""
        peer = download.peer
        if peer is not None:
            download.peer = None
            self._freed(peer)
