"""Virtual machines instead of containers, for the image vs container vs VM comparison.

A VM instance carries its own full disk image: nothing is shared with the other instances
on the host, the way a VM provisioned from a golden image without a backing file is. So
the first start of an instance (``docker run`` in a scenario whose
``distribution.instances = "vm"``) fetches the whole image as one disk blob (every layer's
compressed bytes) from the registry the image came from, over [registry egress, host
downlink]; writes it out uncompressed at the host's ``extract_rate``, as the instance's own
disk (``/var/lib/vm/disk.img`` in its writable layer, so ``docker ps -s`` and the disk
summary count it once per instance); then boots for ``distribution.vm_boot`` seconds (tens
of seconds, against a container's few hundred milliseconds). Restarts reuse the disk and
boot again.

An image built or committed on the host is copied from the local image store at the host's
``disk_rate`` instead (no bytes move).

Simplified: the image itself is still pulled once per host by ``docker run`` (it stands in
for the hypervisor's template catalogue), and the disk is not sparse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.errors import DockerError
from ..model.reference import parse_normalized_named
from ..trace import events as ev
from .network import TransferCancelled

if TYPE_CHECKING:
    from ..model.container import Container
    from .host import Host

DISK = "/var/lib/vm/disk.img"


def provision(host: Host, c: Container):
    """Fetch and write the instance's disk, then boot (a SimPy generator)."""
    engine = host.engine
    image = engine.images.images[c.image_id]
    compressed = sum(x.compressed_size for x in image.layers)
    size = sum(x.size for x in image.layers)
    try:
        ref = parse_normalized_named(c.image_ref)
    except ValueError:
        ref = None
    service = host.world.service(ref.domain) if ref is not None else None
    if service is not None and image.id not in service.storage.configs:
        service = None  # built or committed here: the disk is copied from the local image
    if service is not None:
        yield from _fetch_disk(host, c, service, image.id, compressed)
    limit = host.config.disk
    if host.disk_full or (limit is not None and engine.disk_bytes() + size > limit):
        raise DockerError(f"failed to create the disk of {c.name}: write {DISK}: no space "
                          "left on device", 507)
    yield host.wait(size / (host.timing.extract_rate if service is not None
                            else host.timing.disk_rate))
    fs = engine.filesystem(c)
    fs.mkdir(DISK.rsplit("/", 1)[0], parents=True)
    fs.write(DISK, None, size=size)
    yield host.wait(host.world.config.distribution.vm_boot)


def _fetch_disk(host: Host, c: Container, service, image_id: str, compressed: int):
    """The whole image as one blob, from the registry it came from."""
    name = f"vm-disk:{image_id}"
    if service.down:
        raise service.refused()
    yield host.wait(service.config.latency)
    host.engine.emit(ev.LayerTransfer(host.name, name, "downloading", compressed,
                                      service.hostname))
    links = [x for x in (service.egress, host.downlink) if x is not None]
    transfer = host.world.network.transfer(links, compressed, f"{host.name}:vm:{c.short_id}")
    service.active[transfer.flow] = None
    try:
        yield transfer
    except TransferCancelled:
        raise DockerError(f"failed to fetch the disk of {c.image_ref}: connection reset "
                          "by peer", 503) from None
    finally:
        service.active.pop(transfer.flow, None)
    service.bytes_served += compressed
    host.bytes_pulled += compressed
    host.engine.emit(ev.LayerTransfer(host.name, name, "downloaded", compressed,
                                      service.hostname))
