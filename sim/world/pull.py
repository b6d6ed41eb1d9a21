"""``docker pull`` in time (moby distribution/pull_v2.go, xfer/download.go).

A manifest round trip; ``Already exists`` by the chainID prefix rule; at most
``max_concurrent_downloads`` blob downloads (the rest ``Waiting``), a slot freed when its
download ends; each download a flow over [registry egress, host downlink] on the fair-share
network, retried 5 times with 5 s x attempt back-off; extraction strictly bottom to top, one
at a time per host. Concurrent pulls on one host share a layer's transfer when it and every
layer below it are the same (the transfer key). Nothing is left half-registered on failure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy

from ..model.digest import sha256_digest
from ..model.errors import DockerError
from ..model.image import Image
from ..model.layer import Layer
from ..model.reference import Reference
from ..model.registry import ImageBlob
from ..trace import events as ev
from .network import TransferCancelled
from .registry import HUB, RegistryService, Unavailable

if TYPE_CHECKING:
    from .host import Host

Line = Callable[[str], None]
DOWNLOAD_ATTEMPTS = 5  # moby config.go DefaultDownloadAttempts


def service_for(host: Host, ref: Reference) -> RegistryService:
    service = host.world.service(ref.domain)
    if service is None:
        raise DockerError(f'Get "https://{ref.domain}/v2/": dial tcp: lookup '
                          f"{ref.domain.split(':')[0]}: no such host", 500)
    return service


def mirror_for(host: Host, service: RegistryService) -> RegistryService | None:
    """The pull-through mirror a host uses for this registry (daemon registry-mirrors are
    for Docker Hub only)."""
    name = host.config.registry_mirror
    if not name or service.hostname != HUB:
        return None
    mirror = host.world.service(name) or next(
        (s for s in host.world.services.values() if s.config.name == name), None)
    return mirror


def pull(host: Host, ref: Reference, line: Line):
    """Pull ``ref`` (which has a tag or digest), printing Docker's non-tty progress lines;
    returns the Image."""
    world = host.world
    service = service_for(host, ref)
    world.ensure_catalog_repo(ref.domain, ref.path)
    host.engine.emit(ev.PullStarted(host.name, ref.familiar_string(), ref.domain))
    manifest, mirror = yield from _manifest(host, ref, service)
    blob = service.storage.image_for(manifest)
    label = ref.tag if ref.digest is None else ref.digest
    line(f"{label}: Pulling from {ref.path}")  # pull_v2.go pullTag, after the manifest
    if blob.image_id not in host.engine.images:  # config present: no layer lines at all
        yield from _fetch_layers(host, blob, line, service, mirror, ref.path)
    engine = host.engine
    image = engine.images.images[blob.image_id]
    up_to_date = ref.digest is None and engine.images.lookup_ref(ref) == image.id
    if ref.digest is None:
        engine.tag(image.id, ref)
    engine.tag(image.id, Reference(ref.domain, ref.path, None, ref.digest or manifest.pull_digest))
    line(f"Digest: {manifest.pull_digest}")
    status = "Image is up to date for" if up_to_date else "Downloaded newer image for"
    line(f"Status: {status} {ref.familiar_string()}")
    engine.emit(ev.PullFinished(host.name, ref.familiar_string(), image.id))
    return image


def _chain(parent: str | None, diff_id: str) -> str:
    return diff_id if parent is None else sha256_digest(f"{parent} {diff_id}".encode())


def _manifest(host: Host, ref: Reference, service: RegistryService):
    """The manifest round trip, through the host's mirror when it has one; the daemon falls
    back to the upstream registry when the mirror cannot be reached. Returns (manifest, the
    mirror still in use or None)."""
    mirror = mirror_for(host, service)
    try:
        yield from (mirror or service).manifest_request()
    except Unavailable:
        if mirror is None:
            raise
        mirror = None
        yield from service.manifest_request()
    manifest = service.storage.resolve(ref.path, ref.familiar_name, ref.tag, ref.digest)
    return manifest, mirror


def resolve_manifest(host: Host, ref: Reference):
    """Only the manifest round trip (BuildKit's ``load metadata``)."""
    service = service_for(host, ref)
    host.world.ensure_catalog_repo(ref.domain, ref.path)
    manifest, _mirror = yield from _manifest(host, ref, service)
    return manifest


def fetch_for_build(host: Host, ref: Reference, line: Line):
    """BuildKit's base-image fetch: resolve the manifest and bring the layers into the layer
    store without creating a tagged image. Returns (blob, manifest, top chain) with one
    reference on the top chain owned by the caller (the build cache)."""
    service = service_for(host, ref)
    host.world.ensure_catalog_repo(ref.domain, ref.path)
    manifest, mirror = yield from _manifest(host, ref, service)
    blob = service.storage.image_for(manifest)
    top = yield from _fetch_layers(host, blob, line, service, mirror, ref.path, export=False)
    return blob, manifest, top


def _fetch_layers(host: Host, blob: ImageBlob, line: Line, service: RegistryService,
                  mirror: RegistryService | None, path: str, export: bool = True):
    eng = host.engine
    layers = blob.layers
    chains: list[str] = []
    exists = 0
    for layer in layers:  # "Already exists" is a prefix property (chainID) ...
        chains.append(_chain(chains[-1] if chains else None, layer.diff_id))
        if exists == len(chains) - 1 and chains[-1] in eng.layers and \
                eng.known_digests.get(layer.digest) == layer.diff_id:
            exists += 1  # ... and needs the digest -> diffID mapping from an earlier pull
    for layer in layers[:exists]:
        line(f"{layer.digest[7:19]}: Already exists")
        eng.emit(ev.LayerTransfer(host.name, layer.digest, "exists", layer.size,
                                  service.hostname))
    held: list[str] = []
    for chain in chains[:exists]:
        eng.layers.acquire(chain)
        held.append(chain)
    todo = list(enumerate(layers))[exists:]
    # transfer keys: the digests from the base up to the layer (xfer transferKey)
    keys = [tuple(x.digest for x in layers[: i + 1]) for i, _ in todo]
    own: dict[tuple, simpy.Event] = {}
    downloads: dict[str, simpy.Event] = {}
    shown: set[str] = set()
    for key, (_i, layer) in zip(keys, todo, strict=True):
        if key not in host.inflight and key not in own:
            own[key] = host.env.event()
            host.inflight[key] = own[key]
            if layer.digest not in downloads:
                downloads[layer.digest] = None  # its process starts below
        if layer.digest not in shown:
            shown.add(layer.digest)
            line(f"{layer.digest[7:19]}: Pulling fs layer")
    queued = [d for d in downloads]
    free = host.timing.max_concurrent_downloads - host.download_slots.count - len(
        host.download_slots.queue)
    for digest in queued[max(0, free):]:
        line(f"{digest[7:19]}: Waiting")
    by_digest = {layer.digest: layer for _i, layer in todo}
    for digest in downloads:  # the pull waits on each download's process
        proc = host.env.process(_download(host, by_digest[digest], line, service, mirror,
                                          path))
        # a failed download nobody waits for yet must not crash the clock: the pull still
        # gets the error when it reaches that layer
        proc.defused = True
        downloads[digest] = proc
    parent = chains[exists - 1] if exists else None
    try:
        for key, (i, layer) in zip(keys, todo, strict=True):
            if key in own:
                yield downloads[layer.digest]
                # one extraction at a time per host, in the order they are asked for: a
                # reservation on the host's extractor (no lock events on the hot path)
                start = max(host.env.now, host.extract_free_at)
                host.extract_free_at = start + layer.size / host.timing.extract_rate
                yield host.wait(host.extract_free_at - host.env.now)
                host.check_disk(layer)
                parent = eng.register_layer(layer, parent)
                eng.known_digests[layer.digest] = layer.diff_id
                eng.emit(ev.LayerTransfer(host.name, layer.digest, "extracted", layer.size,
                                          service.hostname))
                own.pop(key).succeed(parent)
                host.inflight.pop(key, None)
            else:  # another pull is transferring this very prefix: share it
                parent = yield host.inflight[key]
                eng.layers.acquire(parent)
            held.append(parent)
            assert parent == chains[i]
            line(f"{layer.digest[7:19]}: Pull complete")
    except BaseException as exc:
        for chain in reversed(held):
            eng.release_layer(chain)
        for key, event in own.items():
            host.inflight.pop(key, None)
            if not event.triggered:
                event.fail(exc if isinstance(exc, Exception) else DockerError(str(exc)))
                event.defused = True
        for event in downloads.values():
            event.defused = True
        raise
    for layer in layers:  # the v2 metadata service: digest <-> diffID, and where it lives
        eng.known_digests[layer.digest] = layer.diff_id
        eng.known_repos.setdefault(layer.diff_id, set()).add((service.hostname, path))
    if export:
        eng.add_image(Image.create(blob.config, blob.layers, image_id=blob.image_id), held)
        return None
    top = held[-1] if held else None
    for chain in held[:-1]:
        eng.release_layer(chain)
    return top


def _download(host: Host, layer: Layer, line: Line, service: RegistryService,
              mirror: RegistryService | None, path: str):
    """One blob: a slot, a request, a flow on the network; retried with back-off."""
    short = layer.digest[7:19]
    with host.download_slots.request() as req:
        yield req
        attempt = 0
        while True:
            attempt += 1
            source = mirror if mirror is not None and not mirror.down else service
            try:
                yield from _fetch_blob(host, layer, source, service, path)
                break
            except (Unavailable, TransferCancelled) as exc:
                if attempt >= DOWNLOAD_ATTEMPTS:
                    message = exc.message if isinstance(exc, DockerError) else (
                        f"download of {short} failed after {attempt} attempts: "
                        "connection reset by peer")
                    raise DockerError(message, 503) from None
                delay = 5 * attempt  # xfer/download.go: retries wait 5 s x attempt
                for n in range(delay, 0, -1):
                    line(f"{short}: Retrying in {n} second{'s' if n != 1 else ''}")
                    yield host.wait(1)
        line(f"{short}: Verifying Checksum")
        line(f"{short}: Download complete")
        host.engine.emit(ev.LayerTransfer(host.name, layer.digest, "downloaded",
                                          layer.compressed_size, source.hostname))


def _fetch_blob(host: Host, layer: Layer, source: RegistryService, origin: RegistryService,
                path: str):
    """GET the blob from ``source``; a mirror without it streams it from ``origin`` and
    keeps a copy (pull-through cache)."""
    yield from source.request()
    links = [source.egress]
    cached = source is origin or layer.digest in source.storage.blobs
    if not cached:
        yield from origin.request()
        links.insert(0, origin.egress)
    links.append(host.downlink)
    host.engine.emit(ev.LayerTransfer(host.name, layer.digest, "downloading",
                                      layer.compressed_size, source.hostname))
    transfer = host.world.network.transfer([x for x in links if x is not None],
                                           layer.compressed_size, f"{host.name}:{path}")
    services = [source] if source is origin else [source, origin]
    for s in services:
        s.active[transfer] = None
    try:
        yield transfer
    finally:
        for s in services:
            s.active.pop(transfer, None)
    source.bytes_served += layer.compressed_size
    if not cached:
        origin.bytes_served += layer.compressed_size
        source.storage.put_blob(path, layer)
    host.bytes_pulled += layer.compressed_size
