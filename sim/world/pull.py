"""``docker pull`` in time (moby distribution/pull_v2.go, xfer/download.go).

A manifest round trip; ``Already exists`` by the chainID prefix rule; at most
``max_concurrent_downloads`` blob downloads (the rest ``Waiting``), a slot freed when its
download ends; each download a flow over [registry egress, host downlink] on the fair-share
network, retried 5 times with 5 s x attempt back-off; extraction strictly bottom to top, one
at a time per host. Concurrent pulls on one host share a layer's transfer when it and every
layer below it are the same (the transfer key). Nothing is left half-registered on failure.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy

from ..model.errors import DockerError
from ..model.image import Image
from ..model.layerstore import chain_id
from ..model.reference import Reference
from ..model.registry import ImageBlob
from ..trace import events as ev
from .download import FAILED, PENDING, Download, Ready, discard, reserve_extractor
from .registry import HUB, RegistryService, Unavailable

if TYPE_CHECKING:
    from .host import Host

Line = Callable[[str], None]


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
    familiar = sys.intern(ref.familiar_string())  # one string for every host's events
    host.engine.emit(ev.PullStarted(host.name, familiar, ref.domain))
    manifest, mirror = yield from _manifest(host, ref, service)
    blob = service.storage.image_for(manifest)
    talk = line is not discard  # nobody reads the lines: skip formatting them
    if talk:  # pull_v2.go pullTag, after the manifest
        line(f"{ref.tag if ref.digest is None else ref.digest}: Pulling from {ref.path}")
    if blob.image_id not in host.engine.images:  # config present: no layer lines at all
        yield from _fetch_layers(host, blob, line, service, mirror, ref.path)
    engine = host.engine
    image = engine.images.images[blob.image_id]
    up_to_date = ref.digest is None and engine.images.lookup_ref(ref) == image.id
    if ref.digest is None:
        engine.tag(image.id, ref)
    engine.tag(image.id, Reference(ref.domain, ref.path, None, ref.digest or manifest.pull_digest))
    if talk:
        line(f"Digest: {manifest.pull_digest}")
        status = "Image is up to date for" if up_to_date else "Downloaded newer image for"
        line(f"Status: {status} {familiar}")
    engine.emit(ev.PullFinished(host.name, familiar, image.id))
    return image


_chain = chain_id  # a transfer key folds digests the way a chainID folds diffIDs


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


def chain_ids(host: Host, blob: ImageBlob) -> list[str]:
    """The chainIDs of an image's layers, base first (computed once per world and image)."""
    return _prefixes(host, blob)[0]


def transfer_keys(host: Host, blob: ImageBlob) -> list[str]:
    """xfer's transfer keys: for each layer, the digests from the base up to it (folded
    like a chainID, so a key is one string whose hash Python computes once)."""
    return _prefixes(host, blob)[1]


def _prefixes(host: Host, blob: ImageBlob) -> tuple[list[str], list[str]]:
    cache = host.world.chain_cache
    found = cache.get(blob.image_id)
    if found is None:
        chains: list[str] = []
        keys: list[str] = []
        for layer in blob.layers:
            chains.append(_chain(chains[-1] if chains else None, layer.diff_id))
            keys.append(_chain(keys[-1] if keys else None, layer.digest))
        found = cache[blob.image_id] = (chains, keys)
    return found


class _Shared:
    """A layer prefix one pull is bringing in that other pulls on the host wait for
    (xfer's transfer key); its event is made only when somebody waits."""

    __slots__ = ("chain", "error", "event")

    def __init__(self) -> None:
        self.chain: str | None = None
        self.error: BaseException | None = None
        self.event: simpy.Event | None = None

    def wait(self, env: simpy.Environment) -> simpy.Event:
        if self.event is None:
            self.event = event = env.event()
            if self.chain is not None:
                event.succeed(self.chain)
            elif self.error is not None:
                event.fail(self.error)
                event.defused = True
        return self.event

    def resolve(self, chain: str) -> None:
        self.chain = chain
        if self.event is not None:
            self.event.succeed(chain)

    def reject(self, exc: BaseException) -> None:
        self.error = exc
        if self.event is not None and not self.event.triggered:
            self.event.fail(exc)
            self.event.defused = True


def _fetch_layers(host: Host, blob: ImageBlob, line: Line, service: RegistryService,
                  mirror: RegistryService | None, path: str, export: bool = True):
    eng = host.engine
    layers = blob.layers
    chains = chain_ids(host, blob)
    exists = 0
    store = eng.layers
    known = eng.known_digests
    for layer, chain in zip(layers, chains, strict=True):
        # "Already exists" is a prefix property (chainID) and needs the digest -> diffID
        # mapping from an earlier pull
        if chain in store and known.get(layer.digest) == layer.diff_id:
            exists += 1
        else:
            break
    talk = line is not discard  # nobody reads the lines: skip formatting them
    hostname, emit, name = service.hostname, eng.emit, host.name
    for layer in layers[:exists]:
        if talk:
            line(f"{layer.digest[7:19]}: Already exists")
        emit(ev.LayerTransfer(name, layer.digest, "exists", layer.size, hostname))
    held: list[str] = []
    for chain in chains[:exists]:
        store.acquire(chain)
        held.append(chain)
    inflight = host.inflight
    # transfer keys: the digests from the base up to the layer (xfer transferKey)
    keys = transfer_keys(host, blob)[exists:]
    own: dict[str, _Shared] = {}
    shared: dict[str, _Shared] = {}
    downloads: dict[str, Download] = {}
    shown: set[str] = set()
    for key, layer in zip(keys, layers[exists:], strict=True):
        if key not in inflight and key not in own:
            own[key] = inflight[key] = _Shared()
            if layer.digest not in downloads:
                downloads[layer.digest] = Download(host, layer, line, service, mirror, path)
        elif key not in own:
            shared[key] = inflight[key]
        if talk and layer.digest not in shown:
            shown.add(layer.digest)
            line(f"{layer.digest[7:19]}: Pulling fs layer")
    free = host.timing.max_concurrent_downloads - host.downloads_active - len(
        host.download_queue)
    for digest in list(downloads)[max(0, free):] if talk else ():
        line(f"{digest[7:19]}: Waiting")
    for download in downloads.values():
        download.start()
    parent = chains[exists - 1] if exists else None
    env = host.env
    try:
        for key, layer, chain in zip(keys, layers[exists:], chains[exists:], strict=True):
            mine = own.get(key)
            if mine is not None:
                download = downloads[layer.digest]
                if download.state == PENDING:  # extraction starts when the download ends
                    ready = download.ready = Ready(env)
                    yield ready
                elif download.state == FAILED:
                    raise download.error  # type: ignore[misc]
                else:
                    yield env.timeout(reserve_extractor(host, layer))
                if host.disk_full or host.config.disk is not None:
                    host.check_disk(layer)
                parent = eng.register_layer(layer, parent)
                known[layer.digest] = layer.diff_id
                emit(ev.LayerTransfer(name, layer.digest, "extracted", layer.size, hostname))
                del own[key]
                mine.resolve(parent)
                inflight.pop(key, None)
            else:  # another pull is transferring this very prefix: share it
                parent = yield shared[key].wait(env)
                store.acquire(parent)
            held.append(parent)
            assert parent == chain
            if talk:
                line(f"{layer.digest[7:19]}: Pull complete")
    except BaseException as exc:
        for download in downloads.values():
            download.ready = None  # its end no longer starts an extraction
        for chain in reversed(held):
            eng.release_layer(chain)
        error = exc if isinstance(exc, Exception) else DockerError(str(exc))
        for key, pending in own.items():
            inflight.pop(key, None)
            pending.reject(error)
        raise
    repos = eng.known_repos
    where = (hostname, path)
    for layer in layers:  # the v2 metadata service: digest <-> diffID, and where it lives
        known[layer.digest] = layer.diff_id
        have = repos.get(layer.diff_id)
        if have is None or where not in have:
            repos[layer.diff_id] = host.world.repo_set(have, where)
    if export:
        eng.add_image(Image.create(blob.config, blob.layers, image_id=blob.image_id), held)
        return None
    top = held[-1] if held else None
    for chain in held[:-1]:
        eng.release_layer(chain)
    return top
