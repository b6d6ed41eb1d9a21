"""The classic layer store: read-only layers keyed by chainID, reference counted.

References come from images (their top layer), child layers (their parent) and container
RW layers (the image's top layer). Releasing the last reference deletes the layer and then
releases its parent, cascading down until a layer is still held (moby layer_store.go).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .digest import chain_step
from .errors import DockerError
from .layer import Layer

MAX_DEPTH = 125  # moby daemon/internal/layer/layer_store.go maxLayerDepth


def chain_id(parent: str | None, diff_id: str) -> str:
    """The chainID of ``diff_id`` on top of ``parent`` (cached in sim.model.digest: hosts
    share one string per chain instead of holding a copy each)."""
    return diff_id if parent is None else chain_step(parent, diff_id)


@dataclass(slots=True)
class ROLayer:
    chain_id: str
    layer: Layer
    parent: str | None  # chainID of the layer below
    depth: int
    refs: int = 0


class LayerStore:
    """Per-host store. Disk use is computed from it, never stored twice."""

    def __init__(self) -> None:
        self._layers: dict[str, ROLayer] = {}

    def __contains__(self, chain_id: object) -> bool:
        return chain_id in self._layers

    def __iter__(self) -> Iterator[ROLayer]:
        return iter(self._layers.values())

    def __len__(self) -> int:
        return len(self._layers)

    def get(self, chain_id: str) -> ROLayer:
        return self._layers[chain_id]

    def register(self, layer: Layer, parent: str | None) -> tuple[str, bool]:
        """Add ``layer`` on top of ``parent`` and take one reference for the caller.

        Returns (chainID, created). An existing chainID is reused: the new copy is dropped."""
        diff_id = layer.diff_id
        chain = diff_id if parent is None else chain_step(parent, diff_id)
        existing = self._layers.get(chain)
        if existing is not None:
            existing.refs += 1
            return chain, False
        depth = 1 if parent is None else self._layers[parent].depth + 1
        if depth > MAX_DEPTH:
            raise DockerError("max depth exceeded")
        if parent is not None:
            self._layers[parent].refs += 1  # a child holds its parent
        self._layers[chain] = ROLayer(chain, layer, parent, depth, refs=1)
        return chain, True

    def acquire(self, chain_id: str) -> None:
        self._layers[chain_id].refs += 1

    def release_held(self, chain_id: str) -> bool:
        """Drop one reference when another one stays (nothing is deleted); False, with
        nothing done, when it is the last one (then :meth:`release_layers` deletes)."""
        ro = self._layers[chain_id]
        if ro.refs > 1:
            ro.refs -= 1
            return True
        return False

    def release(self, chain_id: str | None) -> list[str]:
        """Drop one reference; return the chainIDs deleted, top first."""
        return [ro.chain_id for ro in self.release_layers(chain_id)]

    def release_layers(self, chain_id: str | None) -> list[ROLayer]:
        """:meth:`release`, returning the deleted layers themselves (their sizes are gone
        from the store once they are deleted)."""
        deleted: list[ROLayer] = []
        while chain_id is not None:
            ro = self._layers[chain_id]
            ro.refs -= 1
            if ro.refs > 0:
                break
            del self._layers[chain_id]
            deleted.append(ro)
            chain_id = ro.parent
        return deleted

    def chain(self, top: str | None) -> list[ROLayer]:
        """Layers from base to ``top``."""
        out: list[ROLayer] = []
        while top is not None:
            ro = self._layers[top]
            out.append(ro)
            top = ro.parent
        return out[::-1]

    def size(self) -> int:
        """Bytes of all read-only layers on disk (each chainID once)."""
        return sum(ro.layer.size for ro in self._layers.values())
