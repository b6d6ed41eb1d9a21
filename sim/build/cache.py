"""BuildKit's build cache on a host: one record per solved step, keyed by its cache key.

A record keeps the step's result (the stage's layers, config and history after it) and
holds a reference on the layer chain it produced, so layers a build made stay on disk until
``docker builder prune`` even if no image uses them (the ``Build Cache`` row of ``docker
system df``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model.digest import sha256_digest
from ..model.layer import Layer

if TYPE_CHECKING:
    from ..model.engine import Engine


def cache_key(*parts: Any) -> str:
    """A step's key: the digest of its parent's key and what the step is."""
    return sha256_digest("\x00".join(str(p) for p in parts).encode())


@dataclass
class CacheRecord:
    key: str
    layer: Layer | None  # the layer the step made (None for a FROM record)
    row: dict[str, Any] | None  # its history row, with the time it was first built
    chain: str | None  # the chain this record holds a reference on
    size: int  # bytes of the layer this step made (0 for metadata steps)
    description: str
    created: float
    last_used: float
    kind: str = "regular"  # regular | source.local | exec.cachemount ...

    @property
    def id(self) -> str:
        return self.key[7:32]


class BuildCache:
    def __init__(self) -> None:
        self.records: dict[str, CacheRecord] = {}

    def __len__(self) -> int:
        return len(self.records)

    def get(self, key: str, now: float) -> CacheRecord | None:
        record = self.records.get(key)
        if record is not None:
            record.last_used = now
        return record

    def put(self, record: CacheRecord, engine: Engine) -> None:
        """Keep a step's result; the record takes a reference on its layer chain."""
        if record.key in self.records:
            return
        if record.chain is not None:
            engine.layers.acquire(record.chain)
        self.records[record.key] = record

    def size(self) -> int:
        return sum(r.size for r in self.records.values())

    def prune(self, engine: Engine, everything: bool) -> tuple[list[str], int]:
        """Drop records (all of them with ``-a``, else those whose layer no image uses) and
        their layer references. Returns (ids, bytes reclaimed from disk)."""
        used = {c for image in engine.images for c in image.chain_ids}
        before = engine.layers.size()
        removed = []
        for key, record in sorted(self.records.items(), key=lambda kv: kv[1].created):
            if not everything and record.chain in used:
                continue
            del self.records[key]
            removed.append(record.id)
            if record.chain is not None and record.chain in engine.layers:
                engine.release_layer(record.chain)
        return removed, before - engine.layers.size()
