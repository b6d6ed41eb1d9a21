"""overlay2's merged view: read-only lower layers under one writable upper dir.

Lookup goes top-down and the first hit wins; directories merge. Writing, chmod or chown of a
lower file copies the whole file up; deleting a lower path writes a whiteout and frees
nothing; a directory re-created over a whiteout is opaque. Volumes mounted into the
container take the writes under their mount point instead of the upper dir.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from .errors import FSError
from .layer import DIR, FILE, WHITEOUT, WHITEOUT_ENTRY, FileEntry, dir_entry, file_entry
from .layer import diff_size as _diff_size

ROOT = dir_entry()


def normpath(path: str, cwd: str = "/") -> str:
    """Absolute, normalized path ('/a/b'), as the kernel resolves it (no symlinks)."""
    if not path.startswith("/"):
        path = posixpath.join(cwd, path)
    norm = posixpath.normpath(path)
    return "/" if norm in ("/", "//") else norm.replace("//", "/")


def ancestors(path: str) -> list[str]:
    """Proper ancestors of a path, nearest first, excluding '/'."""
    out = []
    parent = posixpath.dirname(path)
    while parent not in ("/", ""):
        out.append(parent)
        parent = posixpath.dirname(parent)
    return out


def _in_layer(files: Mapping[str, FileEntry], path: str) -> tuple[str, FileEntry | None]:
    """What one layer says about a path: ('hit', e), ('hidden', None) or ('pass', None)."""
    entry = files.get(path)
    if entry is not None:
        return ("hidden", None) if entry.kind == WHITEOUT else ("hit", entry)
    for anc in ancestors(path):
        a = files.get(anc)
        if a is None:
            continue
        if a.kind == WHITEOUT or a.kind != DIR or a.opaque:
            return "hidden", None
    return "pass", None


def lookup(layers: Sequence[Mapping[str, FileEntry]], path: str) -> FileEntry | None:
    """Resolve a path through file maps ordered top first."""
    if path == "/":
        return ROOT
    for files in layers:
        verdict, entry = _in_layer(files, path)
        if verdict == "hit":
            return entry
        if verdict == "hidden":
            return None
    return None


def list_names(layers: Sequence[Mapping[str, FileEntry]], path: str) -> list[str]:
    """Names in a merged directory (top first), honouring whiteouts and opaque dirs."""
    seen: dict[str, bool] = {}
    prefix = path.rstrip("/") + "/"
    for files in layers:
        if path != "/" and _in_layer(files, path)[0] == "hidden":
            break
        for p, e in files.items():
            if p.startswith(prefix) and "/" not in p[len(prefix):] and p != prefix:
                seen.setdefault(p[len(prefix):], e.kind != WHITEOUT)
        here = files.get(path)
        if here is not None and here.opaque:
            break
    return sorted(n for n, visible in seen.items() if visible)


class MergedFS:
    """A container's root filesystem: lower layers (base first) + an upper dir + mounts."""

    def __init__(self, lowers: Sequence[Mapping[str, FileEntry]], upper: dict[str, FileEntry],
                 mounts: Mapping[str, MergedFS] | None = None,
                 clock: Callable[[], int] = lambda: 0,
                 space: Callable[[], int | None] | None = None) -> None:
        self.lowers_top_first = list(reversed(lowers))
        self.upper = upper
        self.mounts = dict(mounts or {})
        self.clock = clock
        self.space = space  # bytes the host's disk has left (None: unlimited)

    # ---- routing into volumes -------------------------------------------------------
    def _route(self, path: str) -> tuple[MergedFS, str]:
        best = ""
        for m in self.mounts:
            if (path == m or path.startswith(m + "/")) and len(m) > len(best):
                best = m
        if not best:
            return self, path
        rel = path[len(best):] or "/"
        return self.mounts[best]._route(rel)

    def _layers(self) -> list[Mapping[str, FileEntry]]:
        return [self.upper, *self.lowers_top_first]

    def _lower_stat(self, path: str) -> FileEntry | None:
        return lookup(self.lowers_top_first, path)

    # ---- reads ----------------------------------------------------------------------
    def stat(self, path: str) -> FileEntry | None:
        fs, p = self._route(normpath(path))
        return lookup(fs._layers(), p)

    def listdir(self, path: str) -> list[str]:
        path = normpath(path)
        entry = self.stat(path)
        if entry is None:
            raise FSError("ENOENT", path)
        if entry.kind != DIR:
            raise FSError("ENOTDIR", path)
        fs, p = self._route(path)
        names = set(list_names(fs._layers(), p))
        prefix = path.rstrip("/") + "/"
        for m in self.mounts:  # mount points show up in their parent
            if posixpath.dirname(m) == path.rstrip("/") or (path == "/" and m.count("/") == 1):
                names.add(m[len(prefix):] if m.startswith(prefix) else m.lstrip("/"))
        return sorted(names)

    def read(self, path: str) -> bytes | None:
        path = normpath(path)
        entry = self.stat(path)
        if entry is None:
            raise FSError("ENOENT", path)
        if entry.kind == DIR:
            raise FSError("EISDIR", path)
        return entry.data

    # ---- writes (copy-up) -----------------------------------------------------------
    def _parent_dir(self, path: str) -> None:
        """The kernel's path walk: a missing component is ENOENT, a file on the way ENOTDIR."""
        for anc in reversed(ancestors(path)):
            entry = lookup(self._layers(), anc)
            if entry is None:
                raise FSError("ENOENT", path)
            if entry.kind != DIR:
                raise FSError("ENOTDIR", path)

    def _copy_up_parents(self, path: str) -> None:
        for anc in reversed(ancestors(path)):
            if anc not in self.upper:
                lower = self._lower_stat(anc)
                self.upper[anc] = replace(lower, opaque=False) if lower else dir_entry()

    def write(self, path: str, data: bytes | None, size: int | None = None,
              append: bool = False) -> None:
        fs, p = self._route(normpath(path))
        fs._write(p, data, size, append)

    def _write(self, path: str, data: bytes | None, size: int | None, append: bool) -> None:
        if path == "/":
            raise FSError("EISDIR", path)
        current = lookup(self._layers(), path)
        if current is not None and current.kind == DIR:
            raise FSError("EISDIR", path)
        self._parent_dir(path)
        now = self.clock()
        if data is not None:
            if append and current is not None:
                old = current.data
                new = file_entry((old if old is not None else b"\0" * current.size) + data,
                                 current.mode, current.uid, current.gid, now)
            else:
                base = current or FileEntry(FILE)
                new = file_entry(data, base.mode, base.uid, base.gid, now)
        else:
            n = int(size or 0) + (current.size if append and current else 0)
            base = current or FileEntry(FILE)
            new = replace(file_entry(b""), size=n, mode=base.mode, uid=base.uid, gid=base.gid,
                          content=f"zeros:{n}", data=None, mtime=now)
        self._claim(path, new.size)
        self._copy_up_parents(path)
        self.upper[path] = new

    def _claim(self, path: str, size: int) -> None:
        """A write that would grow the upper dir past the disk's free space fails with
        ENOSPC, leaving the file as it was (the whole write is refused, not cut short)."""
        if self.space is None:
            return
        free = self.space()
        before = self.upper.get(path)
        grown = size - (before.size if before is not None and before.kind == FILE else 0)
        if free is not None and grown > 0 and grown > free:
            raise FSError("ENOSPC", path)

    def mkdir(self, path: str, parents: bool = False) -> None:
        fs, p = self._route(normpath(path))
        fs._mkdir(p, parents)

    def _mkdir(self, path: str, parents: bool) -> None:
        current = lookup(self._layers(), path)
        if current is not None:
            if parents and current.kind == DIR:
                return
            raise FSError("EEXIST", path)
        if parents:
            for anc in reversed(ancestors(path)):
                a = lookup(self._layers(), anc)
                if a is None:
                    self._mkdir(anc, False)
                elif a.kind != DIR:
                    raise FSError("ENOTDIR", path)
        self._parent_dir(path)
        self._copy_up_parents(path)
        was_whited_out = self.upper.get(path) is not None and self._lower_stat(path) is not None
        self.upper[path] = dir_entry(mtime=self.clock(), opaque=was_whited_out)

    def remove(self, path: str, recursive: bool = False) -> None:
        path = normpath(path)
        if path in self.mounts:
            raise FSError("EBUSY", path)
        fs, p = self._route(path)
        fs._remove(p, recursive)

    def _remove(self, path: str, recursive: bool) -> None:
        current = lookup(self._layers(), path)
        if current is None or path == "/":
            self._parent_dir(path)
            raise FSError("ENOENT", path)
        if current.kind == DIR and not recursive and list_names(self._layers(), path):
            raise FSError("ENOTEMPTY", path)
        if current.kind == DIR and not recursive:
            raise FSError("EISDIR", path)
        prefix = path + "/"
        for p in [p for p in self.upper if p == path or p.startswith(prefix)]:
            del self.upper[p]
        if self._lower_stat(path) is not None:
            self._copy_up_parents(path)
            self.upper[path] = WHITEOUT_ENTRY

    def rmdir(self, path: str) -> None:
        """Remove an empty directory (ENOTEMPTY otherwise)."""
        path = normpath(path)
        current = self.stat(path)
        if current is None:
            raise FSError("ENOENT", path)
        if current.kind != DIR:
            raise FSError("ENOTDIR", path)
        if self.listdir(path):
            raise FSError("ENOTEMPTY", path)
        self.remove(path, recursive=True)

    def _meta(self, path: str, **changes: int) -> None:
        fs, p = self._route(normpath(path))
        current = lookup(fs._layers(), p)
        if current is None:
            fs._parent_dir(p)
            raise FSError("ENOENT", p)
        if p == "/":
            return
        if p not in fs.upper and current.kind == FILE:
            fs._claim(p, current.size)  # the copy-up writes the whole file
        fs._copy_up_parents(p)  # metadata change = whole-file copy-up (no metacopy)
        # a copied-up directory merges with the layers below it: only an upper dir that is
        # already opaque stays so (a lower layer's opaque flag must not hide its own files)
        opaque = fs.upper[p].opaque if p in fs.upper else False
        fs.upper[p] = replace(current, opaque=opaque, **changes)

    def chmod(self, path: str, mode: int) -> None:
        self._meta(path, mode=mode)

    def chown(self, path: str, uid: int, gid: int) -> None:
        self._meta(path, uid=uid, gid=gid)

    # ---- accounting ---------------------------------------------------------------
    def changes(self) -> list[tuple[str, str]]:
        """``docker diff``: each path of the upper dir as moby's overlay changes walk reports
        it (pkg/archive changes.go), in walk order: ``D`` for a whiteout, ``C`` for a path the
        lower layers have (a copied-up parent directory too), ``A`` for a new one."""
        out = []
        for path in sorted(self.upper, key=lambda p: p.split("/")):  # filepath.Walk order
            if self.upper[path].kind == WHITEOUT:
                out.append(("D", path))
            else:
                out.append(("C" if self._lower_stat(path) is not None else "A", path))
        return out

    def upper_size(self) -> int:
        """``docker ps -s`` SIZE: regular files in the upper dir; dirs and whiteouts are 0."""
        return _diff_size(self.upper)
