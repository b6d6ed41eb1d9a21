"""What real images share: layers, bytes on the wire and on disk, on the catalog's real
digests and compressed sizes.

Pulled in order follows Docker's rule (moby distribution/xfer/download.go, fact sheet §5.3):
a layer is ``Already exists`` only when the chainID of it *and every layer below it* is in
the layer store, so the same blob at another depth is downloaded again; within one pull a
blob is fetched once. Disk counts each chainID once (the layer store's key). Uncompressed
sizes are derived as in the loader (compressed x ``DEFAULT_RATIO``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model.digest import sha256_digest
from . import loader

__all__ = ["SharingError", "resolve", "sharing"]


class SharingError(ValueError):
    """An image name the catalog does not have; the message names it and the choices."""


@dataclass(frozen=True)
class _Layer:
    digest: str
    chain_id: str
    compressed: int
    size: int


def resolve(name: str) -> tuple[str, loader.CatalogImage]:
    """``python:3.12`` (or ``docker.io/library/python:3.12``, ``python`` for latest, or an
    imported ``ghcr.io/acme/api:1``) to its catalog record."""
    from .importer import ImportRefused, split_name
    from .schema import familiar
    try:
        domain, image, tag = split_name(name)
    except ImportRefused as exc:
        raise SharingError(str(exc)) from None
    item = loader.catalog_image(image, tag, registry=domain)
    if item is None:
        repo = familiar({"registry": domain, "image": image, "tag": tag}).rsplit(":", 1)[0]
        every = loader.all_names()
        tags = [n for n in every if n.rsplit(":", 1)[0] == repo]
        hint = f"tags of {repo}: {', '.join(tags)}" if tags else "images: " + ", ".join(
            sorted({n.rsplit(":", 1)[0] for n in every})) + "; dockersim catalog import adds more"
        raise SharingError(f"{name}: not in the catalog ({hint})")
    return familiar({"registry": domain, "image": image, "tag": tag}), item


def _layers(item: loader.CatalogImage) -> list[_Layer]:
    out: list[_Layer] = []
    for layer in item.blob.layers:
        parent = out[-1].chain_id if out else None
        chain = layer.diff_id if parent is None else sha256_digest(
            f"{parent} {layer.diff_id}".encode())
        out.append(_Layer(layer.digest, chain, layer.compressed_size, layer.size))
    return out


def sharing(names: Sequence[str]) -> dict[str, Any]:
    """The sharing report of images pulled in the order given onto one fresh host."""
    if not names:
        raise SharingError("expected at least one IMAGE:TAG")
    resolved = [resolve(n) for n in names]
    stacks = {ref: _layers(item) for ref, item in resolved}
    holders: dict[str, list[str]] = {}
    for ref, layers in stacks.items():
        for layer in layers:
            if ref not in holders.setdefault(layer.chain_id, []):
                holders[layer.chain_id].append(ref)
    store: set[str] = set()
    images = []
    in_order = 0
    for ref, item in resolved:
        layers = stacks[ref]
        exists = 0
        while exists < len(layers) and layers[exists].chain_id in store:
            exists += 1
        fetched = {x.digest: x.compressed for x in layers[exists:]}  # a blob once per pull
        store.update(x.chain_id for x in layers)
        in_order += sum(fetched.values())
        images.append({
            "ref": ref, "image_id": item.blob.image_id, "layers": len(layers),
            "compressed_bytes": sum(x.compressed for x in layers),
            "size": sum(x.size for x in layers),
            "own_bytes": sum(x.compressed for x in layers if holders[x.chain_id] == [ref]),
            "already_exists": exists, "pulled_bytes": sum(fetched.values())})
    every = {x.chain_id: x for layers in stacks.values() for x in layers}
    shared = [{"digest": x.digest, "chain_id": x.chain_id, "compressed_bytes": x.compressed,
               "size": x.size, "images": holders[x.chain_id]}
              for x in every.values() if len(holders[x.chain_id]) > 1]
    disk = sum(x.size for x in every.values())
    logical = sum(i["size"] for i in images)
    return {
        "images": images,
        "shared_layers": shared,
        "shared_bytes": sum(x["compressed_bytes"] for x in shared),
        "pulled_in_order_bytes": in_order,
        "pulled_separately_bytes": sum(i["compressed_bytes"] for i in images),
        "disk_bytes": disk,
        "disk_separately_bytes": logical,
        "dedup_ratio": round(logical / disk, 6) if disk else None,
    }
