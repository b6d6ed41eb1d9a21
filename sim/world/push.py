"""``docker push`` in time (moby distribution/push_v2.go, xfer/upload.go).

At most ``max_concurrent_uploads`` (5) layers at a time; an existence check (HEAD) only for
digests the host already knows for that diffID; cross-repository mounts from repositories
on the same registry where the layer is known (``Mounted from library/alpine``); otherwise
the layer is compressed on the fly and uploaded: the slower of compression and the network
flow sets the pace. Push progress IDs are diffIDs, pull IDs are blob digests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..model.errors import DockerError
from ..model.image import Image
from ..model.layer import Layer
from ..model.reference import Reference
from ..model.registry import CONFIG_V1, Descriptor, ImageBlob, Manifest
from ..trace import events as ev
from .network import TransferCancelled
from .pull import service_for
from .registry import RegistryService, Unavailable

if TYPE_CHECKING:
    from .host import Host

Line = Callable[[str], None]
UPLOAD_ATTEMPTS = 5  # xfer/upload.go


def mount_budget(size: int) -> tuple[int, int]:
    """(mount attempts, existence checks) by layer size (push_v2.go getMaxMountAndExistenceCheckAttempts)."""  # noqa: E501
    if size <= 100 * 1024:
        return 1, 1
    if size <= 10 * 1024 * 1024:
        return 3, 1
    return 4, 3


def push(host: Host, ref: Reference, image: Image, line: Line):
    line(f"The push refers to repository [{ref.name}]")  # moby distribution/push.go
    service = service_for(host, ref)
    layers = list(image.layers)
    for layer in reversed(layers):
        line(f"{layer.diff_id[7:19]}: Preparing")
    for layer in list(reversed(layers))[host.timing.max_concurrent_uploads:]:
        line(f"{layer.diff_id[7:19]}: Waiting")
    if service.storage.docker_hub and ref.path.startswith("library/"):
        # the first blob upload is refused: nobody may write to official repositories
        raise DockerError("denied: requested access to the resource is denied", 403)
    done = []
    for layer in reversed(layers):
        event = host.env.event()
        done.append(event)
        host.env.process(_upload(host, ref, service, layer, event, line))
    for event in done:
        yield event
    descs = tuple(Descriptor(layer.media_type, layer.digest, layer.compressed_size)
                  for layer in layers)
    config_size = len(json.dumps(image.config, separators=(",", ":")))
    manifest = Manifest.build(Descriptor(CONFIG_V1, image.id, config_size), descs)
    yield from service.request()
    service.storage.put_image(ref.path, ref.tag,
                              ImageBlob(image.id, image.config, image.layers), manifest)
    host.engine.tag(image.id, Reference(ref.domain, ref.path, None, manifest.digest))
    host.engine.emit(ev.ManifestPushed(host.name, ref.domain, ref.path, ref.tag or "latest",
                                       manifest.digest))
    line(f"{ref.tag}: digest: {manifest.digest} size: {manifest.size}")


def _remember(host: Host, layer: Layer, ref: Reference) -> None:
    host.engine.known_digests[layer.digest] = layer.diff_id
    repos = host.engine.known_repos
    have = repos.get(layer.diff_id)
    where = (ref.domain, ref.path)
    if have is None or where not in have:
        repos[layer.diff_id] = host.world.repo_set(have, where)


def _upload(host: Host, ref: Reference, service: RegistryService, layer: Layer, done, line):
    eng = host.engine
    short = layer.diff_id[7:19]
    storage = service.storage
    with host.upload_slots.request() as req:
        yield req
        attempt = 0
        while True:
            attempt += 1
            try:
                outcome = yield from _try_upload(host, ref, service, layer)
                break
            except (Unavailable, TransferCancelled) as exc:
                if attempt >= UPLOAD_ATTEMPTS:
                    message = exc.message if isinstance(exc, DockerError) else \
                        "connection reset by peer"
                    done.fail(DockerError(message, 503))
                    done.defused = True
                    return
                for n in range(5 * attempt, 0, -1):
                    line(f"{short}: Retrying in {n} second{'s' if n != 1 else ''}")
                    yield host.wait(1)
        if outcome == "exists":
            line(f"{short}: Layer already exists")
        elif outcome.startswith("mounted:"):
            line(f"{short}: Mounted from {outcome[8:]}")
        else:
            storage.put_blob(ref.path, layer)
            line(f"{short}: Pushed")
        _remember(host, layer, ref)
        eng.emit(ev.LayerTransfer(host.name, layer.digest, outcome.split(":")[0], layer.size,
                                  ref.domain))
    done.succeed()


def _try_upload(host: Host, ref: Reference, service: RegistryService, layer: Layer):
    """'exists', 'mounted:<repo>' or 'uploaded'."""
    eng = host.engine
    storage = service.storage
    mounts, checks = mount_budget(layer.size)
    if eng.known_digests.get(layer.digest) == layer.diff_id:
        yield from service.request()  # HEAD /v2/<name>/blobs/<digest>
        if storage.blob_exists(ref.path, layer.digest):
            return "exists"
    sources = sorted(p for r, p in eng.known_repos.get(layer.diff_id, set())
                     if r == ref.domain and p != ref.path)
    for source in sources[:mounts]:
        yield from service.request()  # POST ...?mount=<digest>&from=<repo>
        if storage.mount(ref.path, layer.digest, source):
            return f"mounted:{source}"
    del checks  # the further existence checks in other repositories change no outcome here
    yield from service.request()  # POST /v2/<name>/blobs/uploads/
    eng.emit(ev.LayerTransfer(host.name, layer.digest, "uploading", layer.size, ref.domain))
    links = [x for x in (host.uplink, service.ingress) if x is not None]
    transfer = host.world.network.transfer(links, layer.compressed_size,
                                           f"{host.name}->{ref.path}")
    service.active[transfer.flow] = None
    compress = host.wait(layer.size / host.timing.compress_rate)
    try:
        yield transfer & compress
    finally:
        service.active.pop(transfer.flow, None)
    service.bytes_received += layer.compressed_size
    return "uploaded"
