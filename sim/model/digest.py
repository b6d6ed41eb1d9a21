"""Content addressing as Docker does it: sha256 over real bytes, ``sha256:<hex>`` strings."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

ALGO = "sha256"
#: diffID of an empty tar archive (moby daemon/internal/layer/empty.go).
EMPTY_TAR_DIFFID = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"


def sha256_digest(data: bytes) -> str:
    """``sha256:<hex>`` of the given bytes."""
    return f"{ALGO}:{hashlib.sha256(data).hexdigest()}"


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON bytes (sorted keys, no spaces) so equal content gives equal IDs."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@lru_cache(maxsize=1 << 14)
def chain_step(parent: str, diff_id: str) -> str:
    """The ChainID of ``diff_id`` on top of the ChainID ``parent``. Cached: every host of a
    fleet computes the same chains, so each is hashed once and all share one string."""
    return sha256_digest(f"{parent} {diff_id}".encode())


def chain_id(diff_ids: Iterable[str]) -> str:
    """The image-spec ChainID: full ``sha256:`` strings joined by one space, hashed again."""
    current = ""
    for diff_id in diff_ids:
        current = diff_id if not current else chain_step(current, diff_id)
    if not current:
        raise ValueError("chain_id of no layers")
    return current


def chain_ids(diff_ids: Iterable[str]) -> list[str]:
    """ChainIDs of every prefix of a layer list, base first."""
    out: list[str] = []
    for diff_id in diff_ids:
        out.append(diff_id if not out else chain_step(out[-1], diff_id))
    return out


def compressed_digest(diff_id: str, compression: str = "gzip") -> str:
    """Blob digest of a simulated layer: a deterministic function of its diffID and compressor.

    Real registries hash the compressed bytes; the simulator has no compressor, so it derives
    the digest from what determines those bytes (content and compression setting)."""
    return sha256_digest(f"{compression}\n{diff_id}".encode())


def hex_part(digest: str) -> str:
    """The hex of a digest, without its algorithm prefix."""
    return digest.split(":", 1)[1] if ":" in digest else digest


def short_id(digest: str) -> str:
    """Docker's TruncateID: strip ``sha256:`` and keep 12 hex characters."""
    return hex_part(digest)[:12]


def is_digest(text: str) -> bool:
    h = text[len(ALGO) + 1 :] if text.startswith(ALGO + ":") else ""
    return len(h) == 64 and all(c in "0123456789abcdef" for c in h)
