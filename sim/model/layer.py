"""Immutable layers and their file entries: what a diff really contains."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .digest import EMPTY_TAR_DIFFID, compressed_digest, sha256_digest

FILE, DIR, SYMLINK, WHITEOUT = "file", "dir", "symlink", "whiteout"


@dataclass(frozen=True)
class FileEntry:
    """One path in a layer or upper dir. A whiteout hides the same path in lower layers;
    an opaque directory hides everything below it in lower layers."""

    kind: str  # file | dir | symlink | whiteout
    size: int = 0
    mode: int = 0o644
    uid: int = 0
    gid: int = 0
    content: str = ""  # sha256 of the bytes (or a synthetic content id for size-only files)
    data: bytes | None = None  # the bytes themselves when small and known (cat can show them)
    target: str = ""  # symlink target
    opaque: bool = False  # directory marked trusted.overlay.opaque=y
    mtime: int = 0  # unix seconds

    @property
    def is_dir(self) -> bool:
        return self.kind == DIR

    def line(self, path: str) -> str:
        """Canonical serialization, the stand-in for this entry's tar header and bytes."""
        return "\t".join(
            [path, self.kind, oct(self.mode), str(self.uid), str(self.gid), str(self.size),
             self.content, self.target, "opaque" if self.opaque else "", str(self.mtime)]
        )


def file_entry(data: bytes, mode: int = 0o644, uid: int = 0, gid: int = 0, mtime: int = 0,
               keep: int = 65536) -> FileEntry:
    """A regular file with real bytes; bytes are kept only when small."""
    return FileEntry(FILE, len(data), mode, uid, gid, sha256_digest(data),
                     data if len(data) <= keep else None, mtime=mtime)


def sized_entry(size: int, seed: str, mode: int = 0o644, uid: int = 0, gid: int = 0,
                mtime: int = 0) -> FileEntry:
    """A regular file known by its size only (N zero bytes, or an estimated artefact)."""
    return FileEntry(FILE, size, mode, uid, gid, sha256_digest(f"{seed}:{size}".encode()),
                     mtime=mtime)


def dir_entry(mode: int = 0o755, uid: int = 0, gid: int = 0, mtime: int = 0,
              opaque: bool = False) -> FileEntry:
    return FileEntry(DIR, 0, mode, uid, gid, opaque=opaque, mtime=mtime)


WHITEOUT_ENTRY = FileEntry(WHITEOUT, 0, 0)


def diff_id_of(files: Mapping[str, FileEntry]) -> str:
    """diffID: sha256 of the canonical serialization of the diff. An empty diff has the
    diffID of a real empty tar, as in Docker."""
    if not files:
        return EMPTY_TAR_DIFFID
    body = "\n".join(files[p].line(p) for p in sorted(files))
    return sha256_digest(body.encode())


def diff_size(files: Mapping[str, FileEntry]) -> int:
    """Bytes a diff occupies: regular files only (directories and whiteouts count 0)."""
    return sum(e.size for e in files.values() if e.kind == FILE)


@dataclass(frozen=True)
class Layer:
    """A read-only layer. Built layers carry their full file list; catalog layers carry
    real digests and sizes with a partial (skeleton) file list (``files_complete=False``)."""

    diff_id: str
    digest: str  # compressed blob digest as in the manifest
    size: int  # uncompressed bytes
    compressed_size: int
    files: Mapping[str, FileEntry] = field(default_factory=lambda: MappingProxyType({}))
    created_by: str = ""
    media_type: str = "application/vnd.oci.image.layer.v1.tar+gzip"
    files_complete: bool = True

    @staticmethod
    def from_files(files: Mapping[str, FileEntry], created_by: str = "",
                   compression_ratio: float = 2.5) -> Layer:
        """A layer whose identity is computed from its content."""
        frozen = MappingProxyType(dict(files))
        diff_id = diff_id_of(frozen)
        size = diff_size(frozen)
        compressed = 32 if size == 0 else max(32, int(size / compression_ratio))
        return Layer(diff_id, compressed_digest(diff_id), size, compressed, frozen, created_by)
