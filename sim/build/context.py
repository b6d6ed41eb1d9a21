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

Only BuildContext is defined here; ContextFile, ContextError and the checksum rules are in
contenthash.py, the walk, FollowPaths and the transfer size in fsutil.py (both kept below
this module so the imports stay acyclic). Everything listed in ``__all__`` is importable
from here as before.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..cli.flagvalues import go_quote
from ..cli.units import parse_size
from ..model.layer import DIR, FILE, SYMLINK, FileEntry, dir_entry, file_entry, sized_entry
from .contenthash import (
    EMPTY_DIGEST,
    ContentTree,
    ContextError,
    ContextFile,
    record_digest,
    tarsum_header,
)
from .fsutil import follow_paths, matcher_for, transfer_size, walk
from .gomatch import PatternError, contains_wildcards, go_clean, match, split_wildcards
from .ignore import IgnoreMatcher, parse_dockerignore

__all__ = [
    "BuildContext",
    "ContextError",
    "ContextFile",
    "EMPTY_DIGEST",
    "record_digest",
    "tarsum_header",
    "transfer_size",
]

_INLINE_KEYS = {"content", "size", "mode", "symlink", "type", "seed"}


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


def os_safe(check) -> bool:
    """A pathlib predicate that answers False for any OS error (a name too long, a
    permission), not only for a missing file."""
    try:
        return check()
    except OSError:
        return False


class BuildContext(ContentTree):
    """The files a build can COPY, with Docker's selection, checksum and size rules.

    Build one with :meth:`from_directory` or :meth:`from_inline`. ``files`` maps each
    sent path to its :class:`ContextFile`, in the order BuildKit sends them; ``excluded``
    lists what .dockerignore kept back (an ignored directory that was not entered is listed
    once)."""

    def __init__(self, name: str, files: Mapping[str, ContextFile], *,
                 dockerfile_text: str | None, dockerfile_name: str = "Dockerfile",
                 dockerfile_path: str | None = None, ignore_file: str | None = None,
                 ignore_text: str | None = None, excluded: Iterable[str] = ()) -> None:
        super().__init__(name, files)
        self.dockerfile_text = dockerfile_text
        self.dockerfile_name = dockerfile_name
        self.dockerfile_path = dockerfile_path
        self.ignore_file = ignore_file
        self.ignore_text = ignore_text
        self.ignore_patterns: tuple[str, ...] = tuple(
            parse_dockerignore(ignore_text) if ignore_text is not None else ())
        self.excluded: tuple[str, ...] = tuple(excluded)

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
        if not os_safe(root.is_dir):  # buildx isLocalDir: any stat error is "not found"
            raise ContextError(f"unable to prepare context: path {go_quote(str(path))} "
                               "not found")
        df = Path(dockerfile or "Dockerfile")
        df = df if df.is_absolute() else root / df
        if not os_safe(df.is_file):
            raise ContextError(f"failed to read dockerfile: open {df.name}: "
                               "no such file or directory")
        try:
            return cls._walk(path, root, df)
        except OSError as exc:  # a file the sender cannot read (permissions, a race)
            what = exc.filename or path
            reason = (exc.strerror or str(exc)).lower()
            raise ContextError(f"error from sender: open {what}: {reason}") from None

    @classmethod
    def _walk(cls, path: str | Path, root: Path, df: Path) -> BuildContext:
        dockerfile_text = df.read_bytes().decode("utf-8", errors="replace")
        specific = df.with_name(df.name + ".dockerignore")
        ignore_path = specific if specific.is_file() else root / ".dockerignore"
        ignore_text = None
        if ignore_path.is_file():
            ignore_text = ignore_path.read_bytes().decode("utf-8", errors="replace")
        matcher = matcher_for(parse_dockerignore(ignore_text) if ignore_text else [])

        stats: dict[str, os.stat_result] = {}

        def lstat(rel: str) -> os.stat_result:
            if rel not in stats:
                stats[rel] = os.lstat(root / rel)
            return stats[rel]

        def listdir(rel: str) -> list[str]:
            names = os.listdir(root / rel if rel else root)
            return [n for n in names if _kind_of(lstat(f"{rel}/{n}" if rel else n))]

        sent, excluded = walk(listdir, lambda rel: stat.S_ISDIR(lstat(rel).st_mode), matcher)
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
        matcher = matcher_for(parse_dockerignore(ignore_text) if ignore_text else [])
        sent, excluded = walk(lambda d: children.get(d, []),
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
        return follow_paths(self.files, sources)

    def transfer_size(self, sources: Iterable[str] | None = None) -> int:
        """``#N transferring context: …`` bytes for :meth:`transferred` (same arguments)."""
        return transfer_size((cf.path, cf.entry) for cf in self.transferred(sources))

    # -- COPY sources ------------------------------------------------------------------

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
