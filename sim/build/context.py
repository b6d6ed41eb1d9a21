"""The build context: the files ``docker build`` sends, and what COPY/ADD can see of them.

What is reproduced, and from where:

* Which files are sent: BuildKit's context walk (tonistiigi/fsutil ``filterFS.Walk``) with
  the .dockerignore rules of :mod:`sim.build.ignore`. ``<Dockerfile>.dockerignore`` next to
  the Dockerfile wins over ``.dockerignore`` at the context root (docs
  ``build/concepts/context.md``). The Dockerfile and the ignore file always reach the
  builder (:attr:`BuildContext.dockerfile_text`) but are only COPYable when not ignored.
  Entries are walked in fsutil's order (siblings sorted by name, a directory before its
  contents); an ignored directory is still sent when a ``!`` exception re-includes
  something inside it. uid/gid are 0 (buildx resets them), mtimes are ignored.
* ``#N transferring context: 1.23kB``: :meth:`BuildContext.transfer_size` adds up the
  protobuf size of every fsutil packet the daemon receives (one STAT per entry, file data
  in 32 KiB DATA packets plus an empty closing one, the final empty STAT and FIN), so an
  empty context is ``2B`` and a 27-byte Dockerfile ``64B``, as in Docker's own output.
  Since BuildKit only sends the paths COPY/ADD name (``llb.FollowPaths``), pass them.
* COPY/ADD cache checksums: BuildKit's ``cache/contenthash``. Each file is hashed as
  sha256(tarsum-v1 header + bytes): name, mode, uid, gid, size, typeflag, linkname,
  uname, gname, devmajor, devminor - no mtime, and uid/gid always 0. A directory hashes
  its own header and then each child's name and digest in byte order. Wildcard sources
  hash the base name and digest of every match. Several sources are deduplicated, sorted
  and hashed together, as ``llbsolver.NewContentHashFunc`` does, so equal content gives
  an equal checksum whatever the walk order, and any change of content, mode, name or
  symlink target changes it.
* Errors keep Docker's text: ``unable to prepare context: path "x" not found`` (buildx
  build.go), ``failed to read dockerfile: open Dockerfile: no such file or directory``
  (dockerfile frontend), ``failed to calculate checksum of ref <id>::<id>: "/nope": not
  found`` (contenthash + llbsolver; the builder prefixes ``failed to compute cache key:``).
  ``<id>::<id>`` is a stable stand-in for BuildKit's two random 25-character ref IDs.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import stat
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from ..cli.flagvalues import go_quote
from ..cli.units import parse_size
from ..model.digest import sha256_digest
from ..model.layer import DIR, FILE, SYMLINK, FileEntry, dir_entry, file_entry, sized_entry
from .ignore import (
    IgnoreMatcher,
    MatchInfo,
    PatternError,
    contains_wildcards,
    go_clean,
    match,
    parse_dockerignore,
    split_wildcards,
)

__all__ = [
    "BuildContext",
    "ContextError",
    "ContextFile",
    "EMPTY_DIGEST",
    "record_digest",
    "tarsum_header",
    "transfer_size",
]

#: digest.FromBytes(nil): the checksum of nothing (and the context root's header record).
EMPTY_DIGEST = sha256_digest(b"")
#: fsutil sends file data in buffers of this size (send.go bufPool).
CHUNK = 32 * 1024
#: contenthash maxSymlinkLimit.
MAX_SYMLINKS = 255
_TYPEFLAG = {FILE: "0", SYMLINK: "2", DIR: "5"}
_INLINE_KEYS = {"content", "size", "mode", "symlink", "type", "seed"}


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


# --- fsutil wire size ---------------------------------------------------------------------


def _varint_len(value: int) -> int:
    n = 1
    while value >= 0x80:
        value >>= 7
        n += 1
    return n


def _int_field(value: int) -> int:
    return 0 if value == 0 else 1 + _varint_len(value)


def _bytes_field(length: int) -> int:
    return 0 if length == 0 else 1 + _varint_len(length) + length


#: Stat.modTime: any UnixNano between 1972 and 2262 is a 9-byte varint, plus its tag.
_MODTIME_FIELD = 10


def _go_file_mode(entry: FileEntry) -> int:
    """os.FileMode bits fsutil puts in Stat.mode (type bits high, not S_IFMT)."""
    mode = entry.mode & 0o777
    for bit, go_bit in ((0o4000, 1 << 23), (0o2000, 1 << 22), (0o1000, 1 << 20)):
        if entry.mode & bit:
            mode |= go_bit
    if entry.kind == DIR:
        mode |= 1 << 31
    elif entry.kind == SYMLINK:
        mode |= 1 << 27
    return mode


def _stat_packet(path: str, entry: FileEntry) -> int:
    link = entry.target.encode() if entry.kind == SYMLINK else b""
    size = entry.size if entry.kind == FILE else len(link)
    body = (_bytes_field(len(path.encode())) + _int_field(_go_file_mode(entry))
            + _int_field(size) + _MODTIME_FIELD + _bytes_field(len(link)))
    return 1 + _varint_len(body) + body


def _data_packets(file_id: int, size: int) -> int:
    id_field = _int_field(file_id)
    full, rest = divmod(size, CHUNK)
    total = full * (2 + id_field + _bytes_field(CHUNK))
    if rest:
        total += 2 + id_field + _bytes_field(rest)
    return total + 2 + id_field  # the empty DATA packet that closes the file


def transfer_size(entries: Iterable[tuple[str, FileEntry]]) -> int:
    """Bytes BuildKit reports for sending ``entries`` (path, entry) in walk order: the sum
    of fsutil Packet sizes the receiver counts. A file's id is its index in the walk."""
    total = 2  # PACKET_FIN; the closing empty STAT encodes to 0 bytes
    for index, (path, entry) in enumerate(entries):
        total += _stat_packet(path, entry)
        if entry.kind == FILE:
            total += _data_packets(index, entry.size)
    return total


# --- files --------------------------------------------------------------------------------


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


def _name_key(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape")


def _path_key(rel: str) -> bytes:
    """contenthash's radix key: ``/`` becomes NUL so a directory sorts before its siblings'
    longer names (``a/b`` before ``a.b``)."""
    return b"\0" + _name_key(rel).replace(b"/", b"\0") if rel else b""


def _walk(listdir: Callable[[str], list[str]], is_dir: Callable[[str], bool],
          matcher: IgnoreMatcher | None) -> tuple[list[str], list[str]]:
    """fsutil's filtered walk: (sent paths in order, excluded paths). An excluded directory
    is entered only if an exception may re-include something in it, and is then sent just
    before the first entry inside it that is sent."""
    sent: list[str] = []
    excluded: list[str] = []

    def visit(directory: str, info: MatchInfo | None, pending: list[list]) -> None:
        for name in sorted(listdir(directory), key=_name_key):
            path = f"{directory}/{name}" if directory else name
            isdir = is_dir(path)
            child_info: MatchInfo | None = None
            if matcher:
                try:
                    hit, child_info = matcher.matches_using_parent_results(path, info)
                except PatternError as exc:
                    raise ContextError(f"failed to match excludepatterns: {exc}") from None
                if hit:
                    excluded.append(path)
                    if isdir and matcher.may_reinclude_under(path):
                        visit(path, child_info, [*pending, [path, False]])
                    continue
            for item in pending:
                if not item[1]:
                    sent.append(item[0])
                    item[1] = True
            sent.append(path)
            if isdir:
                visit(path, child_info, [])

    visit("", None, [])
    return sent, excluded


def _go_list(items: Iterable[str]) -> str:
    """Go's %s of a []string."""
    return "[" + " ".join(items) + "]"


def _matcher_for(patterns: list[str]) -> IgnoreMatcher | None:
    if not patterns:
        return None
    try:
        return IgnoreMatcher(patterns)
    except PatternError as exc:
        raise ContextError(f"invalid excludepatterns: {_go_list(patterns)}: {exc}") from None


def _parse_mode(value: object, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value.removeprefix("0o"), 8)
        except ValueError:
            pass
    raise ValueError(f"invalid mode {value!r}: expected octal such as \"0755\"")


def _inline_entry(path: str, value: object) -> tuple[FileEntry, bytes | None]:
    """A FileEntry for one ``from_inline`` value (and its bytes when known)."""
    if value is None:
        return dir_entry(), None
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return file_entry(value), value
    if not isinstance(value, Mapping):
        raise ValueError(f"{path}: expected text, bytes, None or a mapping, "
                         f"not {type(value).__name__}")
    unknown = set(value) - _INLINE_KEYS
    if unknown:
        raise ValueError(f"{path}: unknown key(s) {sorted(unknown)}; "
                         f"allowed: {sorted(_INLINE_KEYS)}")
    kind = value.get("type")
    if kind not in (None, FILE, DIR, SYMLINK):
        raise ValueError(f"{path}: type must be file, dir or symlink, not {kind!r}")
    if kind == SYMLINK or "symlink" in value:
        target = value.get("symlink")
        if not isinstance(target, str) or not target:
            raise ValueError(f"{path}: a symlink needs a target: {{\"symlink\": \"target\"}}")
        return FileEntry(SYMLINK, 0, 0o777, target=target), None
    if kind == DIR:
        return dir_entry(_parse_mode(value.get("mode"), 0o755)), None
    mode = _parse_mode(value.get("mode"), 0o644)
    if "size" in value:
        if "content" in value:
            raise ValueError(f"{path}: give either content or size, not both")
        size = value["size"]
        size = parse_size(size) if isinstance(size, str) else int(size)
        return sized_entry(size, str(value.get("seed", path)), mode), None
    content = value.get("content", b"")
    data = content.encode() if isinstance(content, str) else bytes(content)
    return file_entry(data, mode), data


def _clean_key(raw: str) -> str:
    rel = go_clean(raw.strip().lstrip("/"))
    if rel == "." or rel == ".." or rel.startswith("../"):
        raise ValueError(f"invalid context path {raw!r}: must name a file inside the context")
    return rel


# --- the context --------------------------------------------------------------------------


class BuildContext:
    """The files a build can COPY, with Docker's selection, checksum and size rules.

    Build one with :meth:`from_directory` or :meth:`from_inline`. ``files`` maps each
    sent path to its :class:`ContextFile`, in the order BuildKit sends them; ``excluded``
    lists what .dockerignore kept back (an ignored directory that was not entered is listed
    once)."""

    def __init__(self, name: str, files: Mapping[str, ContextFile], *,
                 dockerfile_text: str | None, dockerfile_name: str = "Dockerfile",
                 dockerfile_path: str | None = None, ignore_file: str | None = None,
                 ignore_text: str | None = None, excluded: Iterable[str] = ()) -> None:
        self.name = name
        self.files: Mapping[str, ContextFile] = MappingProxyType(dict(files))
        self.dockerfile_text = dockerfile_text
        self.dockerfile_name = dockerfile_name
        self.dockerfile_path = dockerfile_path
        self.ignore_file = ignore_file
        self.ignore_text = ignore_text
        self.ignore_patterns: tuple[str, ...] = tuple(
            parse_dockerignore(ignore_text) if ignore_text is not None else ())
        self.excluded: tuple[str, ...] = tuple(excluded)
        self._children: dict[str, list[str]] = {"": []}
        for path, cf in self.files.items():
            parent, _, leaf = path.rpartition("/")
            self._children.setdefault(parent, []).append(leaf)
            if cf.kind == DIR:
                self._children.setdefault(path, [])
        for names in self._children.values():
            names.sort(key=_name_key)
        self._digests: dict[str, str] = {}
        self._keys: list[tuple[bytes, str, str]] | None = None
        self._ref_id: str | None = None

    def __repr__(self) -> str:
        return (f"BuildContext({self.name!r}, {len(self.files)} entries, "
                f"size={self.size}B, ignore_file={self.ignore_file!r})")

    # -- construction ------------------------------------------------------------------

    @classmethod
    def from_directory(cls, path: str | Path, dockerfile: str = "Dockerfile") -> BuildContext:
        """Walk a real directory as ``docker build <path>`` would. ``dockerfile`` is the
        ``-f`` value; a relative one is taken relative to the context directory. File
        modes come from the filesystem; uid/gid are 0; mtimes are ignored; symlinks stay
        symlinks; sockets, fifos and devices are skipped."""
        root = Path(path)
        if not root.is_dir():
            raise ContextError(f"unable to prepare context: path {go_quote(str(path))} "
                               "not found")
        df = Path(dockerfile or "Dockerfile")
        df = df if df.is_absolute() else root / df
        if not df.is_file():
            raise ContextError(f"failed to read dockerfile: open {df.name}: "
                               "no such file or directory")
        dockerfile_text = df.read_bytes().decode("utf-8", errors="replace")
        specific = df.with_name(df.name + ".dockerignore")
        ignore_path = specific if specific.is_file() else root / ".dockerignore"
        ignore_text = None
        if ignore_path.is_file():
            ignore_text = ignore_path.read_bytes().decode("utf-8", errors="replace")
        matcher = _matcher_for(parse_dockerignore(ignore_text) if ignore_text else [])

        stats: dict[str, os.stat_result] = {}

        def lstat(rel: str) -> os.stat_result:
            if rel not in stats:
                stats[rel] = os.lstat(root / rel)
            return stats[rel]

        def listdir(rel: str) -> list[str]:
            names = os.listdir(root / rel if rel else root)
            return [n for n in names if _kind_of(lstat(f"{rel}/{n}" if rel else n))]

        sent, excluded = _walk(listdir, lambda rel: stat.S_ISDIR(lstat(rel).st_mode), matcher)
        files: dict[str, ContextFile] = {}
        for rel in sent:
            st = lstat(rel)
            kind = _kind_of(st)
            perm = stat.S_IMODE(st.st_mode)
            if kind == DIR:
                files[rel] = ContextFile(rel, dir_entry(perm))
            elif kind == SYMLINK:
                entry = FileEntry(SYMLINK, 0, perm, target=os.readlink(root / rel))
                files[rel] = ContextFile(rel, entry)
            else:
                data = (root / rel).read_bytes()
                entry = file_entry(data, perm)
                files[rel] = ContextFile(rel, entry, digest=record_digest(entry, data))
        ignore_file = None
        if ignore_text is not None:
            ignore_file = _inside(root, ignore_path) or ignore_path.name
        return cls(str(path), files, dockerfile_text=dockerfile_text,
                   dockerfile_name=df.name, dockerfile_path=_inside(root, df),
                   ignore_file=ignore_file, ignore_text=ignore_text, excluded=excluded)

    @classmethod
    def from_inline(cls, files: Mapping[str, str | bytes | dict | None],
                    dockerfile: str | None = None, dockerignore: str | None = None,
                    name: str = "inline", dockerfile_name: str = "Dockerfile"
                    ) -> BuildContext:
        """A context described in a scenario or lesson instead of a folder.

        Values: text or bytes (a 0644 file), ``None`` or a key ending in ``/`` (a 0755
        directory), or a mapping: ``{"content": "...", "mode": "0755"}``,
        ``{"size": "45MB"}`` (a file known by size only; ``"seed"`` tells equal-sized
        artefacts apart), ``{"symlink": "target"}``, ``{"type": "dir", "mode": "0700"}``.
        Parent directories are implied. ``dockerfile``/``dockerignore`` add
        ``Dockerfile``/``.dockerignore`` files, exactly as if they were in the folder."""
        spec: dict[str, tuple[FileEntry, bytes | None]] = {}
        items = list(files.items())
        if dockerfile is not None:
            items.append((dockerfile_name, dockerfile))
        if dockerignore is not None:
            items.append((".dockerignore", dockerignore))
        for raw, value in items:
            rel = _clean_key(raw)
            if rel in spec:
                raise ValueError(f"context path {rel!r} is given twice")
            if raw.rstrip().endswith("/") and (value is None or isinstance(value, Mapping)):
                value = {"type": DIR, **(value or {})}
            spec[rel] = _inline_entry(rel, value)
        for rel in list(spec):
            parts = rel.split("/")
            for i in range(1, len(parts)):
                parent = "/".join(parts[:i])
                if parent not in spec:
                    spec[parent] = (dir_entry(), None)
                elif spec[parent][0].kind != DIR:
                    raise ValueError(f"context path {rel!r} is inside {parent!r}, "
                                     "which is not a directory")
        children: dict[str, list[str]] = {}
        for rel in spec:
            parent, _, leaf = rel.rpartition("/")
            children.setdefault(parent, []).append(leaf)

        df_rel = go_clean(dockerfile_name.lstrip("/"))
        dockerfile_text = _text_of(spec.get(df_rel))
        specific = _text_of(spec.get(df_rel + ".dockerignore"))
        if specific is not None:
            ignore_file, ignore_text = df_rel + ".dockerignore", specific
        else:
            ignore_text = _text_of(spec.get(".dockerignore"))
            ignore_file = ".dockerignore" if ignore_text is not None else None
        matcher = _matcher_for(parse_dockerignore(ignore_text) if ignore_text else [])
        sent, excluded = _walk(lambda d: children.get(d, []),
                               lambda rel: spec[rel][0].kind == DIR, matcher)
        out = {}
        for rel in sent:
            entry, data = spec[rel]
            out[rel] = ContextFile(rel, entry, digest=record_digest(entry, data))
        return cls(name, out, dockerfile_text=dockerfile_text,
                   dockerfile_name=posixpath.basename(df_rel),
                   dockerfile_path=df_rel if df_rel in spec else None,
                   ignore_file=ignore_file, ignore_text=ignore_text, excluded=excluded)

    # -- sizes -------------------------------------------------------------------------

    @property
    def size(self) -> int:
        """``transferring context`` bytes when every file is sent (``COPY . …``)."""
        return self.transfer_size()

    @property
    def content_size(self) -> int:
        """Bytes of file content in the context."""
        return sum(cf.size for cf in self.files.values() if cf.kind == FILE)

    @property
    def ignore_size(self) -> int:
        """``[internal] load .dockerignore`` → ``transferring context: NB`` (2B when absent)."""
        if self.ignore_text is None or self.ignore_file is None:
            return transfer_size(())
        data = self.ignore_text.encode()
        return transfer_size([(posixpath.basename(self.ignore_file), file_entry(data))])

    @property
    def dockerfile_size(self) -> int:
        """``[internal] load build definition`` → ``transferring dockerfile: NB``."""
        data = (self.dockerfile_text or "").encode()
        return transfer_size([(self.dockerfile_name, file_entry(data))])

    def transferred(self, sources: Iterable[str] | None = None) -> list[ContextFile]:
        """What ``load build context`` sends when the build's COPY/ADD sources (over every
        stage that is built) are ``sources``: BuildKit passes them as FollowPaths, so only
        those paths, their parent directories and the targets of symlinks on the way are
        sent. ``None``, no sources, or a source of ``.`` sends everything."""
        if sources is None:
            return list(self.files.values())
        paths = {go_clean("/" + s) for s in sources}
        if not paths or "/" in paths:
            return list(self.files.values())
        includes = self._follow_links(sorted(p.lstrip("/") for p in paths))
        if includes is None:
            return list(self.files.values())
        try:
            matcher = IgnoreMatcher(includes)
        except PatternError as exc:
            raise ContextError(f"invalid includepatterns: {_go_list(includes)}: {exc}"
                               ) from None
        infos: dict[str, MatchInfo] = {}
        out: list[ContextFile] = []
        pending: dict[str, ContextFile] = {}
        for path, cf in self.files.items():
            parent = path.rpartition("/")[0]
            try:
                hit, info = matcher.matches_using_parent_results(path, infos.get(parent))
            except PatternError as exc:
                raise ContextError(f"failed to match includepatterns: {exc}") from None
            if cf.kind == DIR:
                infos[path] = info
            for stale in [d for d in pending if not path.startswith(d + "/")]:
                del pending[stale]
            if not hit:
                if cf.kind == DIR:
                    pending[path] = cf
                continue
            out.extend(pending.values())
            pending.clear()
            out.append(cf)
        return out

    def transfer_size(self, sources: Iterable[str] | None = None) -> int:
        """``#N transferring context: …`` bytes for :meth:`transferred` (same arguments)."""
        return transfer_size((cf.path, cf.entry) for cf in self.transferred(sources))

    def _follow_links(self, paths: list[str]) -> list[str] | None:
        """fsutil FollowLinks: add the targets of symlinks met along each path; the result
        is sorted and deduplicated (None when it covers the whole context)."""
        resolved: set[str] = set()

        def add(path: str, depth: int) -> None:
            path = go_clean(path.lstrip("/"))
            if depth > MAX_SYMLINKS or contains_wildcards(path) or path == ".":
                resolved.add(path)
                return
            parts = path.split("/")
            current = ""
            for i, part in enumerate(parts):
                current = f"{current}/{part}" if current else part
                cf = self.files.get(current)
                if cf is not None and cf.kind == SYMLINK:
                    if current in resolved:
                        return
                    resolved.add(current)
                    target = cf.entry.target
                    if not target.startswith("/"):
                        target = posixpath.join(posixpath.dirname(current), target)
                    rest = "/".join(parts[i + 1:])
                    add(f"{target}/{rest}" if rest else target, depth + 1)
                    return
            resolved.add(current)

        for p in paths:
            add(p, 0)
        out: list[str] = []
        last = None
        for p in sorted(resolved):
            if p == ".":
                return None
            if last is not None and p.startswith(last + "/"):
                continue
            out.append(p)
            last = p
        return out

    # -- COPY sources ------------------------------------------------------------------

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
            h.update(b"\0" + _name_key(name) + self._content_digest(child).encode())
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
            h.update(_name_key(posixpath.basename(fn)) + digest.encode())
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

    def select(self, sources: list[str]) -> list[ContextFile]:
        """The files COPY/ADD takes for ``sources``, in copy order, each with
        ``copy_path`` relative to the destination: a file keeps its base name, a directory
        (or ``.``) contributes its contents, a wildcard (``filepath.Match``: ``*`` stays
        within one directory) takes every match. A plain source that does not exist raises
        BuildKit's ``failed to calculate checksum of ref …: "/x": not found``; a wildcard
        that matches nothing copies nothing, unless its directory is missing (``lstat …:
        no such file or directory``, as BuildKit's copy reports)."""
        out: list[ContextFile] = []
        for src in sources:
            path = go_clean("/" + src)
            if not contains_wildcards(path):
                rel = self._resolve(path, follow=True)
                if rel is None:
                    raise self._not_found(path)
                out.extend(self._copy_of(rel, posixpath.basename(path)))
                continue
            try:
                match(path, "/")
            except PatternError as exc:
                raise self._checksum_error(str(exc)) from None
            d1, d2 = split_wildcards(path)
            base = "" if d1 == "/" else self._resolve(d1, follow=True)
            if base is None:
                raise ContextError(f"lstat {self._mount()}{d1}: no such file or directory")
            if base and self.files[base].kind != DIR:
                continue
            for rel in self._glob(base, d2):
                shown = go_clean(f"{d1}/{rel[len(base):].lstrip('/')}")
                target = self._resolve("/" + rel, follow=True)
                if target is None:
                    raise self._not_found(shown)
                out.extend(self._copy_of(target, posixpath.basename(rel)))
        return out

    def _mount(self) -> str:
        """Where BuildKit mounts the context for a copy (a random number there)."""
        number = int(hashlib.sha256(self.ref_id.encode()).hexdigest()[:8], 16)
        return f"/var/lib/docker/tmp/buildkit-mount{number}"

    def _glob(self, base: str, pattern: str) -> list[str]:
        """fsutil resolveWildcards: walk ``base`` (not following symlinks), keep paths whose
        path relative to it matches, and do not look inside a matched directory."""
        prefix = base + "/" if base else ""
        out: list[str] = []
        skip = None
        for path, cf in self.files.items():
            if not path.startswith(prefix) or path == base:
                continue
            if skip is not None and path.startswith(skip + "/"):
                continue
            try:
                hit = match(pattern, path[len(prefix):])
            except PatternError:
                hit = False
            if hit:
                out.append(path)
                skip = path if cf.kind == DIR else None
        return out

    def _copy_of(self, rel: str, name: str) -> list[ContextFile]:
        cf = self.files.get(rel)
        if cf is not None and cf.kind != DIR:
            return [cf.copied_as(name)]
        prefix = rel + "/" if rel else ""
        return [c.copied_as(p[len(prefix):]) for p, c in self.files.items()
                if p.startswith(prefix) and p != rel]

    def is_excluded(self, path: str) -> bool:
        """Whether .dockerignore keeps ``path`` out of the context."""
        if not self.ignore_patterns:
            return False
        matcher = IgnoreMatcher(self.ignore_patterns)
        return matcher.matches(path)


def _kind_of(st: os.stat_result) -> str | None:
    if stat.S_ISDIR(st.st_mode):
        return DIR
    if stat.S_ISLNK(st.st_mode):
        return SYMLINK
    if stat.S_ISREG(st.st_mode):
        return FILE
    return None


def _inside(root: Path, path: Path) -> str | None:
    """``path`` relative to ``root`` as a posix string, or None when outside it."""
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    return rel.as_posix()


def _text_of(item: tuple[FileEntry, bytes | None] | None) -> str | None:
    if item is None or item[0].kind != FILE:
        return None
    data = item[1] if item[1] is not None else b""
    return data.decode("utf-8", errors="replace")


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while value:
        value, rem = divmod(value, 36)
        out = digits[rem] + out
    return out.rjust(25, "0")[-25:]
