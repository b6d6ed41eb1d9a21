"""Peer-to-peer layer distribution, in the style of Dragonfly and Kraken.

Seeding rule: a host seeds a blob from the instant its own download of that blob completes
(the whole compressed blob is on the host, checksum verified) until the end of the run; the
P2P cache keeps it even if the layer is later deleted. A download attempt asks the tracker
(no latency: the tracker is local to the cluster) for the hosts that seed the blob; if there
are any, the blob comes from the one with the fewest uploads in progress (ties: the one that
got the blob first) over [peer uplink, host downlink], after one request round trip (the
host's ``rtt``); if there are none, from the registry as usual, which is how the first copy
enters the swarm (the origin or seed peer of Dragonfly, Kraken's origin). The manifest always
comes from the registry.

Simplified: a blob moves whole from one peer (real swarms split it into pieces and fetch
pieces from several peers, and can serve pieces of a blob still arriving), and peers never
leave. Bytes served by a peer are traced as ``LayerTransfer(registry="peer:<host>")`` so
metrics can count them apart from registry egress.
"""

from __future__ import annotations

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

    def seed(self, host: Host, digest: str) -> None:
        """``host`` now holds the whole blob and serves it to others."""
        holders = self.seeders.setdefault(digest, [])
        if host not in holders:
            holders.append(host)

    def choose(self, download: Download) -> bool:
        """Send the download to a peer (True) or leave it to the registry (False)."""
        holders = self.seeders.get(download.layer.digest)
        if not holders:
            return False
        me = download.host
        best = None
        for peer in holders:
            if peer is me:
                continue
            if best is None or self.uploads.get(peer.name, 0) < self.uploads.get(best.name, 0):
                best = peer
        if best is None:
            return False
        download.peer = best
        self.uploads[best.name] = self.uploads.get(best.name, 0) + 1
        timeout = me.env.timeout(me.timing.rtt)  # the GET to the peer's daemon
        timeout.callbacks.append(lambda _e: download._stream((best.uplink,),
                                                             f"peer:{best.name}"))
        return True

    def served(self, download: Download, size: int) -> str:
        """A peer finished sending ``size`` bytes of a blob: count them."""
        peer = download.peer
        assert peer is not None
        self.uploads[peer.name] -= 1
        peer.bytes_served += size
        download.peer = None
        return f"peer:{peer.name}"

    def lost(self, download: Download) -> None:
        """A transfer from a peer was cut (its link failed): free the peer's upload."""
        peer = download.peer
        if peer is not None:
            self.uploads[peer.name] -= 1
            download.peer = None
