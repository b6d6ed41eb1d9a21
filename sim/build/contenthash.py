"""BuildKit's ``cache/contenthash``: the checksums a COPY/ADD cache key is made of.

The tarsum-v1 header of an entry and its record digest (``tarsum_header``,
``record_digest``), the context entry that carries one (ContextFile), and ContentTree, which
resolves symlinks inside the context and checksums plain and wildcard sources the way
BuildKit does (context.py's docstring lists the rules). ContextError is defined here too,
because these checksums and fsutil.py's walk raise it. Split from context.py to keep
modules small; import ContextFile, ContextError and the public helpers from
:mod:`sim.build.context`.
"""

from __future__ import annotations

import hashlib
import posixpath
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from ..cli.flagvalues import go_quote
from ..model.digest import sha256_digest
from ..model.layer import DIR, FILE, SYMLINK, FileEntry
from .gomatch import PatternError, contains_wildcards, go_clean, match, split_wildcards

#: digest.FromBytes(nil): the checksum of nothing (and the context root's header record).
EMPTY_DIGEST = sha256_digest(b"")
#: contenthash maxSymlinkLimit.
MAX_SYMLINKS = 255
_TYPEFLAG = {FILE: "0", SYMLINK: "2", DIR: "5"}


class ContextError(Exception):
    """A build-context failure; ``str()`` is the text Docker prints after ``ERROR: ``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- BuildKit content hashes --------------------------------------------------------------


def tarsum_header(entry: FileEntry) -> bytes:
    """contenthash.WriteV1TarsumHeaders for an entry: Go's tar.FileInfoHeader with the name
    blanked; uid/gid are 0 because fsutil's stat is not a syscall.Stat_t; no mtime."""
    size = entry.size if entry.kind == FILE else 0
    link = entry.target if entry.kind == SYMLINK else ""
    fields = (("name", ""), ("mode", str(entry.mode & 0o7777)), ("uid", "0"), ("gid", "0"),
              ("size", str(size)), ("typeflag", _TYPEFLAG.get(entry.kind, "0")),
              ("linkname", link), ("uname", ""), ("gname", ""), ("devmajor", "0"),
              ("devminor", "0"))
    return "".join(k + v for k, v in fields).encode()


def record_digest(entry: FileEntry, data: bytes | None = None) -> str:
    """The contenthash record of one entry: sha256(header + file bytes). A file known only
    by size hashes its synthetic content id in place of bytes it does not have."""
    h = hashlib.sha256(tarsum_header(entry))
    if entry.kind == FILE and entry.size > 0:
        body = data if data is not None else entry.data
        h.update(body if body is not None else entry.content.encode())
    return "sha256:" + h.hexdigest()


@dataclass(frozen=True)
class ContextFile:
    """One entry of the context. ``path`` is relative to the context root (posix);
    ``copy_path`` is where COPY puts it relative to the destination (``select`` sets it;
    in :attr:`BuildContext.files` it equals ``path``); ``digest`` is its contenthash record
    (computed from the entry when not given)."""

    path: str
    entry: FileEntry
    copy_path: str = ""
    digest: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not self.copy_path:
            object.__setattr__(self, "copy_path", self.path)
        if not self.digest:
            object.__setattr__(self, "digest", record_digest(self.entry))

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def size(self) -> int:
        return self.entry.size

    def copied_as(self, copy_path: str) -> ContextFile:
        """The same file under another COPY-relative name."""
        return replace(self, copy_path=copy_path)


def name_key(name: str) -> bytes:
    """A name as the bytes Go compares and hashes (the walk and contenthash sort by them)."""
    return name.encode("utf-8", "surrogateescape")


def _path_key(rel: str) -> bytes:
    """contenthash's radix key: ``/`` becomes NUL so a directory sorts before its siblings'
    longer names (``a/b`` before ``a.b``)."""
    return b"\0" + name_key(rel).replace(b"/", b"\0") if rel else b""


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while value:
        value, rem = divmod(value, 36)
        out = digits[rem] + out
    return out.rjust(25, "0")[-25:]


class ContentTree:
    """A context's entries as BuildKit's ``cache/contenthash`` sees them: symlinks resolved
    inside the context (getFollowLinks), a record per entry, a directory's digest over its
    children in byte order, wildcard sources over the sorted radix keys (includedPaths).
    :class:`~sim.build.context.BuildContext` is one, with Docker's selection rules on top."""

    def __init__(self, name: str, files: Mapping[str, ContextFile]) -> None:
        self.name = name
        self.files: Mapping[str, ContextFile] = MappingProxyType(dict(files))
        self._children: dict[str, list[str]] = {"": []}
        for path, cf in self.files.items():
            parent, _, leaf = path.rpartition("/")
            self._children.setdefault(parent, []).append(leaf)
            if cf.kind == DIR:
                self._children.setdefault(path, [])
        for names in self._children.values():
            names.sort(key=name_key)
        self._digests: dict[str, str] = {}
        self._keys: list[tuple[bytes, str, str]] | None = None
        self._ref_id: str | None = None

    @property
    def ref_id(self) -> str:
        """A stable ``<id>::<id>`` in the shape of BuildKit's ref IDs (two 25-character
        base-36 strings), derived from the context name and content."""
        if self._ref_id is None:
            seed = hashlib.sha256(f"{self.name}\n{self._content_digest('')}".encode())
            hexd = seed.hexdigest()
            self._ref_id = f"{_base36(int(hexd[:32], 16))}::{_base36(int(hexd[32:], 16))}"
        return self._ref_id

    def _not_found(self, path: str) -> ContextError:
        return ContextError(f"failed to calculate checksum of ref {self.ref_id}: "
                            f"{go_quote(path)}: not found")

    def _checksum_error(self, message: str) -> ContextError:
        return ContextError(f"failed to calculate checksum of ref {self.ref_id}: {message}")

    def _resolve(self, path: str, follow: bool) -> str | None:
        """contenthash getFollowLinks: resolve symlinks along an absolute path inside the
        context (absolute targets are taken from the context root, ``..`` stops at it).
        Returns the context-relative path ("" for the root) or None when missing."""
        current = ""
        remaining = path.strip("/")
        links = 0
        while remaining:
            part, _, remaining = remaining.partition("/")
            nxt = go_clean(f"/{current}/{part}").lstrip("/")
            cf = self.files.get(nxt)
            if cf is None or cf.kind != SYMLINK or (not follow and not remaining):
                current = nxt
                continue
            links += 1
            if links > MAX_SYMLINKS:
                raise self._checksum_error("too many links")
            target = cf.entry.target
            remaining = f"{target}/{remaining}" if remaining else target
            if target.startswith("/"):
                current = ""
        if current and current not in self.files:
            return None
        return current

    def _content_digest(self, rel: str) -> str:
        """contenthash record of a path: a file's own digest, or for a directory the hash
        of its header digest and of every child's name and content digest."""
        if rel in self._digests:
            return self._digests[rel]
        cf = self.files.get(rel)
        if cf is not None and cf.kind != DIR:
            return cf.digest
        header = cf.digest if cf is not None else EMPTY_DIGEST  # the root is faked
        h = hashlib.sha256(b"\0" + header.encode())
        for name in self._children.get(rel, []):
            child = f"{rel}/{name}" if rel else name
            h.update(b"\0" + name_key(name) + self._content_digest(child).encode())
        digest = "sha256:" + h.hexdigest()
        self._digests[rel] = digest
        return digest

    def _tree_keys(self) -> list[tuple[bytes, str, str]]:
        """Every contenthash key, sorted: (key, path, "dir" | "header" | "file")."""
        if self._keys is None:
            keys = [(b"", "", "dir"), (b"\0", "", "header")]
            for path, cf in self.files.items():
                key = _path_key(path)
                if cf.kind == DIR:
                    keys.append((key, path, "dir"))
                    keys.append((key + b"\0", path, "header"))
                else:
                    keys.append((key, path, "file"))
            keys.sort()
            self._keys = keys
        return self._keys

    def _lazy_checksum(self, path: str) -> str:
        rel = self._resolve(path, follow=True)
        if rel is None:
            raise self._not_found(path)
        return self._content_digest(rel)

    def _wildcard_checksum(self, pattern: str) -> str:
        """contenthash includedPaths + Checksum for a source with wildcards."""
        d1, d2 = split_wildcards(pattern)
        keys = self._tree_keys()
        if d1 == "/":
            orig_prefix = resolved_prefix = ""
            start = 0
        else:
            rel = self._resolve(d1, follow=d2 != "")
            if rel is None:
                return EMPTY_DIGEST
            orig_prefix = d1
            resolved_prefix = "/" + rel if rel else ""
            start = bisect_left(keys, (_path_key(rel) + b"\0",))
        included: list[tuple[str, str, bool]] = []
        last = ""
        for key, rel, kind in keys[start:]:
            fn = key.replace(b"\0", b"/").decode("utf-8", "surrogateescape")
            if fn.startswith(resolved_prefix):
                fn = orig_prefix + fn[len(resolved_prefix):]
            if kind == "header":
                fn = fn[:-1]
            if not last or not fn.startswith(last + "/"):
                try:
                    hit = match(pattern, fn)
                except PatternError as exc:
                    raise self._checksum_error(str(exc)) from None
                if not hit:
                    continue
                last = fn
            if kind == "dir":
                continue  # only headers and files are hashed for wildcard sources
            cf = self.files.get(rel)
            digest = EMPTY_DIGEST if cf is None else cf.digest
            included.append((fn, digest, cf is not None and cf.kind == SYMLINK))
        resolved = [(fn, self._lazy_checksum(fn) if link else digest)
                    for fn, digest, link in included]
        if not resolved:
            return EMPTY_DIGEST
        if len(resolved) == 1 and posixpath.basename(pattern) == posixpath.basename(
                resolved[0][0]):
            return resolved[0][1]
        h = hashlib.sha256()
        for i, (fn, digest) in enumerate(resolved):
            if i:
                h.update(b"\0")
            h.update(name_key(posixpath.basename(fn)) + digest.encode())
        return "sha256:" + h.hexdigest()

    def checksum(self, sources: list[str]) -> str:
        """The content part of a COPY/ADD cache key over ``sources`` (as written in the
        Dockerfile): sources are made absolute, plain paths under another plain source
        dropped, the rest sorted, each checksummed and the digests hashed joined by NUL.
        Raises ContextError when a plain source is missing."""
        wild: list[str] = []
        plain: set[str] = set()
        for src in sources or ["/"]:
            path = go_clean("/" + src)
            if contains_wildcards(path):
                wild.append(path)
            else:
                plain.add(path)
        kept = [p for p in plain if not any(p != q and p.startswith(q + "/") for q in plain)]
        selectors = sorted([(p, False) for p in kept] + [(p, True) for p in wild])
        digests = [self._wildcard_checksum(p) if w else self._lazy_checksum(p)
                   for p, w in selectors]
        return sha256_digest(b"\0".join(d.encode() for d in digests))
