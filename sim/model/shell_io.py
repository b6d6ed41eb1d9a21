"""The plumbing the shell and every program share: the FileSystem protocol, byte streams,
the per-program context, container paths, and coreutils-style quoting and error text.

It sits below both the interpreter and the programs, so neither has to import the other."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .errors import FSError
from .layer import DIR, SYMLINK, FileEntry


class FileSystem(Protocol):
    """What the shell needs from a container filesystem (the union/overlay view)."""

    def stat(self, path: str) -> FileEntry | None: ...
    def listdir(self, path: str) -> list[str]: ...
    def read(self, path: str) -> bytes | None: ...
    def write(self, path: str, data: bytes | None, size: int | None = None,
              append: bool = False) -> None: ...
    def mkdir(self, path: str, parents: bool = False) -> None: ...
    def remove(self, path: str, recursive: bool = False) -> None: ...
    def chmod(self, path: str, mode: int) -> None: ...
    def chown(self, path: str, uid: int, gid: int) -> None: ...


ENDLESS_DEVICES = frozenset({"/dev/zero", "/dev/urandom", "/dev/random", "/dev/full"})
_MORE_STRERROR = {
    "ELOOP": "Too many levels of symbolic links",
    "ENOSPC": "No space left on device",
    "EPERM": "Operation not permitted",
}


def strerror(errno_name: str) -> str:
    return FSError.STRERROR.get(errno_name) or _MORE_STRERROR.get(errno_name, errno_name)


# --- quoting, as gnulib's quotearg does it in the C locale --------------------------------

_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%+,-./:@]_")


def quoteaf(name: str) -> str:
    """Always-quoted file name, as coreutils prints operands in "cannot remove 'x'"."""
    if "'" not in name:
        return f"'{name}'"
    if not any(c in name for c in '"$`\\'):
        return f'"{name}"'
    return "'" + name.replace("'", "'\\''") + "'"


def quotef(name: str) -> str:
    """Quoted only when needed, as in "cat: /nope: No such file or directory"."""
    safe = name != "" and all(
        c in _SAFE or ord(c) > 127 or (c in "#~" and i > 0) or (c in "{}" and len(name) > 1)
        for i, c in enumerate(name)
    )
    return name if safe else quoteaf(name)


# --- bytes flowing between programs, files and the terminal -------------------------------


@dataclass(frozen=True)
class Blob:
    """File or device content; data is None when only the size is known (zeros, binaries)."""

    data: bytes | None
    size: int
    endless: bool = False  # /dev/zero and friends

    def head(self, n: int) -> Blob:
        if self.data is not None:
            return Blob(self.data[:n], min(n, self.size))
        return Blob(None, n if self.endless else min(n, self.size))


class Stream:
    """What a program writes. Runs of unknown (zero) bytes are kept as counts, so a 1 GiB
    file made with dd never has to exist in memory."""

    def __init__(self, discard: bool = False, data: Blob | None = None) -> None:
        self.chunks: list[bytes | int] = []
        self.discard = discard
        if data is not None:
            self.write_blob(data)

    def write(self, data: str | bytes) -> None:
        if data and not self.discard:
            self.chunks.append(data.encode() if isinstance(data, str) else data)

    def write_blob(self, blob: Blob) -> None:
        if blob.data is not None:
            self.write(blob.data)
        elif blob.size > 0 and not self.discard:
            self.chunks.append(blob.size)

    def blob(self) -> Blob:
        size = sum(c if isinstance(c, int) else len(c) for c in self.chunks)
        if any(isinstance(c, int) for c in self.chunks):
            return Blob(None, size)
        return Blob(b"".join(c for c in self.chunks if isinstance(c, bytes)), size)

    def text(self) -> str:
        """Terminal view: NUL runs are invisible there, so unknown bytes print as nothing."""
        raw = b"".join(c for c in self.chunks if isinstance(c, bytes))
        return raw.decode("utf-8", "replace")


# --- accounts -----------------------------------------------------------------------------


@dataclass
class Accounts:
    """User and group names; ls and chown need both directions."""

    users: dict[str, int] = field(default_factory=lambda: {"root": 0})
    groups: dict[str, int] = field(default_factory=lambda: {"root": 0})
    login_gid: dict[str, int] = field(default_factory=dict)
    homes: dict[str, str] = field(default_factory=lambda: {"root": "/root"})

    def user_name(self, uid: int) -> str:
        return next((n for n, i in self.users.items() if i == uid), str(uid))

    def group_name(self, gid: int) -> str:
        return next((n for n, i in self.groups.items() if i == gid), str(gid))


# --- the per-program context --------------------------------------------------------------


@dataclass
class Ctx:
    """Everything a program sees: the filesystem, its argv[0], environment and streams."""

    fs: FileSystem
    name: str  # argv[0] as typed: GNU tools prefix their messages with it
    env: dict[str, str]
    cwd: str
    accounts: Accounts
    out: Stream
    err: Stream
    stdin: Stream | None = None
    builtin: str = ""  # "dash" or "bash" when run as that shell's builtin
    where: str = ""  # the shell's message prefix for builtins, e.g. "sh: 1: "
    duration: float = 0.0
    run: Callable[[list[str], dict[str, str]], int | None] | None = None

    def say(self, line: str) -> None:
        self.out.write(line + "\n")

    def fail(self, msg: str, status: int = 1) -> int:
        self.err.write(f"{self.name}: {msg}\n")
        return status

    def usage(self, msg: str, status: int = 1) -> int:
        self.err.write(f"{self.name}: {msg}\nTry '{self.name} --help' for more information.\n")
        return status

    def path(self, p: str) -> str:
        return abspath(self.cwd, p, self.env.get("HOME", "/root"))

    def resolve(self, p: str, follow: bool = True) -> str:
        return resolve(self.fs, self.path(p), follow)

    def lookup(self, p: str, follow: bool = True) -> tuple[str, FileEntry | None]:
        """The resolved path and its entry; a trailing slash demands a directory."""
        real = self.resolve(p, follow or p.endswith("/"))
        entry = self.fs.stat(real)
        if p.endswith("/") and entry is not None and entry.kind != DIR:
            return real, None  # missing_errno then says ENOTDIR
        return real, entry

    def stdin_blob(self) -> Blob:
        return self.stdin.blob() if self.stdin is not None else Blob(b"", 0)


def abspath(cwd: str, p: str, home: str = "/root") -> str:
    if p == "~" or p.startswith("~/"):
        p = home + p[1:]
    path = posixpath.normpath(posixpath.join(cwd, p))
    return "/" + path.lstrip("/")


def resolve(fs: FileSystem, path: str, follow: bool = True) -> str:
    """Follow symlinks in every component (Debian's /bin is one), and in the last only
    when asked: rm and ls -l act on the link itself."""
    parts = [p for p in path.split("/") if p]
    cur, i, hops = "/", 0, 0
    while i < len(parts):
        nxt = posixpath.join(cur, parts[i])
        last = i == len(parts) - 1
        entry = fs.stat(nxt) if (follow or not last) else None
        if entry is not None and entry.kind == SYMLINK and hops < 40:
            hops += 1
            base = "/" if entry.target.startswith("/") else cur
            target = posixpath.normpath(posixpath.join(base, entry.target))
            parts = [p for p in target.split("/") if p] + parts[i + 1 :]
            cur, i = "/", 0
            continue
        cur, i = nxt, i + 1
    return cur


def missing_errno(fs: FileSystem, path: str) -> str:
    """Why path does not exist: ENOTDIR when an ancestor is a file (or the path itself,
    reached with a trailing slash), else ENOENT."""
    if fs.stat(path) is not None:
        return "ENOTDIR"
    cur = "/"
    for part in [p for p in path.split("/") if p][:-1]:
        cur = posixpath.join(cur, part)
        entry = fs.stat(cur)
        if entry is None:
            return "ENOENT"
        if entry.kind != DIR:
            return "ENOTDIR"
    return "ENOENT"


def read_blob(ctx: Ctx, p: str) -> Blob:
    """The content behind a path, devices included; raises FSError like read(2) would."""
    path = ctx.path(p)
    if path == "/dev/null":
        return Blob(b"", 0)
    if path in ENDLESS_DEVICES:
        return Blob(None, 0, endless=True)
    if path == "/dev/stdin":
        return ctx.stdin_blob()
    real, entry = ctx.lookup(p)
    if entry is None:
        raise FSError(missing_errno(ctx.fs, real), p)
    if entry.kind == DIR:
        raise FSError("EISDIR", p)
    data = ctx.fs.read(real)
    return Blob(data, len(data) if data is not None else entry.size)


def write_blob(fs: FileSystem, path: str, blob: Blob, append: bool = False) -> None:
    if blob.data is not None:
        fs.write(path, blob.data, append=append)
    else:
        fs.write(path, None, size=blob.size, append=append)
