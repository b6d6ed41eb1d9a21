"""Programs that change the filesystem tree: touch, mkdir, rmdir, rm, chmod, chown, cp, mv.

Each change goes through the FileSystem protocol, so it lands in the container's upper
layer as overlayfs would put it there (copy-ups, whiteouts)."""

from __future__ import annotations

import posixpath
import re

from .errors import FSError
from .layer import DIR, SYMLINK
from .progs_common import getopt
from .shell_io import (
    Accounts,
    Blob,
    Ctx,
    FileSystem,
    missing_errno,
    quoteaf,
    resolve,
    strerror,
    write_blob,
)

UMASK = 0o022


# --- programs that change the filesystem ----------------------------------------------------


def touch(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "acmf", {"no-create": "c"})
    if isinstance(parsed, int):
        return parsed
    if not parsed[1]:
        return ctx.usage("missing file operand")
    no_create = "c" in {o for o, _ in parsed[0]}
    status = 0
    for op in parsed[1]:
        real, entry = ctx.lookup(op)
        try:
            if entry is not None:
                # a metadata-only update: overlayfs copies the file up just as for utimensat
                ctx.fs.chmod(real, entry.mode)
            elif not no_create:
                ctx.fs.write(real, b"")
        except FSError as e:
            status = ctx.fail(f"cannot touch {quoteaf(op)}: {e.strerror}")
    return status


def mkdir(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "p", {"parents": "p"})
    if isinstance(parsed, int):
        return parsed
    if not parsed[1]:
        return ctx.usage("missing operand")
    parents = bool(parsed[0])
    status = 0
    for op in parsed[1]:
        real, entry = ctx.lookup(op)
        shown = _blocking_ancestor(ctx, op) if parents else op
        try:
            if shown != op:
                raise FSError("ENOTDIR", shown)
            if entry is not None and not (parents and entry.kind == DIR):
                raise FSError("EEXIST", op)
            if entry is None:
                ctx.fs.mkdir(real, parents=parents)
        except FSError as e:
            status = ctx.fail(f"cannot create directory {quoteaf(shown)}: {e.strerror}")
    return status


def _blocking_ancestor(ctx: Ctx, op: str) -> str:
    """mkdir -p names the first ancestor that exists but is not a directory."""
    parts = op.split("/")
    for k in range(1, len(parts)):
        prefix = "/".join(parts[:k])
        entry = ctx.lookup(prefix)[1] if prefix else None
        if entry is not None and entry.kind != DIR:
            return prefix
    return op


def rmdir(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "")
    if isinstance(parsed, int):
        return parsed
    if not parsed[1]:
        return ctx.usage("missing operand")
    status = 0
    for op in parsed[1]:
        real, entry = ctx.lookup(op, follow=False)
        err = missing_errno(ctx.fs, real) if entry is None else ""
        if entry is not None and entry.kind != DIR:
            err = "ENOTDIR"
        elif entry is not None and ctx.fs.listdir(real):
            err = "ENOTEMPTY"
        if err:
            status = ctx.fail(f"failed to remove {quoteaf(op)}: {strerror(err)}")
        else:
            ctx.fs.remove(real, recursive=True)
    return status


def rm(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "rRfdiI", {"recursive": "r", "force": "f", "dir": "d",
                                          "no-preserve-root": "P"})
    if isinstance(parsed, int):
        return parsed
    flags = {o for o, _ in parsed[0]}
    recursive, force = bool(flags & {"r", "R"}), "f" in flags
    if not parsed[1] and not force:
        return ctx.usage("missing operand")
    answers = (ctx.stdin_blob().data or b"").decode("utf-8", "replace").splitlines()
    if "I" in flags and (len(parsed[1]) > 3 or recursive):
        n = len(parsed[1])
        how = " recursively" if recursive else ""
        if not _confirm(ctx, answers, f"remove {n} argument{'s' if n != 1 else ''}{how}"):
            return 0
    status = 0
    for op in parsed[1]:
        if posixpath.basename(op.rstrip("/")) in (".", ".."):
            status = ctx.fail(f"refusing to remove '.' or '..' directory: skipping {quoteaf(op)}")
            continue
        real, entry = ctx.lookup(op, follow=False)
        if entry is None:
            if not force:
                status = ctx.fail(f"cannot remove {quoteaf(op)}: "
                                  f"{strerror(missing_errno(ctx.fs, real))}")
            continue
        if entry.kind == DIR:
            empty = not ctx.fs.listdir(real)
            if not recursive and not ("d" in flags and empty):
                err = "ENOTEMPTY" if "d" in flags else "EISDIR"
                status = ctx.fail(f"cannot remove {quoteaf(op)}: {strerror(err)}")
                continue
            if real == "/" and "P" not in flags:
                ctx.fail(f"it is dangerous to operate recursively on {quoteaf('/')}")
                status = ctx.fail("use --no-preserve-root to override this failsafe")
                continue
        if "i" in flags and not force:
            _rm_asking(ctx, answers, real, op.rstrip("/") or op)
        else:
            ctx.fs.remove(real, recursive=entry.kind == DIR)
    return status


def _confirm(ctx: Ctx, answers: list[str], question: str) -> bool:
    """rm -i reads its answers from stdin; with none (docker exec without -i) it declines."""
    ctx.err.write(f"{ctx.name}: {question}? ")
    answer = answers.pop(0) if answers else ""
    return answer.strip()[:1] in ("y", "Y")


def _rm_asking(ctx: Ctx, answers: list[str], real: str, shown: str) -> bool:
    entry = ctx.fs.stat(real)
    if entry is None:
        return True
    if entry.kind != DIR:
        kind = "symbolic link" if entry.kind == SYMLINK else (
            "regular file" if entry.size else "regular empty file")
        if _confirm(ctx, answers, f"remove {kind} {quoteaf(shown)}"):
            ctx.fs.remove(real)
            return True
        return False
    names = ctx.fs.listdir(real)
    if names and not _confirm(ctx, answers, f"descend into directory {quoteaf(shown)}"):
        return False
    kept = [n for n in names
            if not _rm_asking(ctx, answers, posixpath.join(real, n), posixpath.join(shown, n))]
    if not kept and _confirm(ctx, answers, f"remove directory {quoteaf(shown)}"):
        ctx.fs.remove(real, recursive=True)
        return True
    return False


# --- chmod / chown --------------------------------------------------------------------------

_WHO = {"u": 0o4700, "g": 0o2070, "o": 0o1007, "a": 0o7777}
_PERM = {"r": 0o444, "w": 0o222, "x": 0o111, "s": 0o6000, "t": 0o1000}


def chmod_mode(spec: str, mode: int, is_dir: bool, umask: int = UMASK) -> int | None:
    """The new mode for an octal or symbolic spec (u+x, go-w, a=r,+X); None if invalid."""
    if re.fullmatch(r"[0-7]{1,4}", spec):
        return int(spec, 8)
    for clause in spec.split(","):
        m = re.fullmatch(r"([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)", clause)
        if m is None:
            return None
        who = 0
        for w in m.group(1):
            who |= _WHO[w]
        mask = who or (0o7777 & ~umask)
        for op, perms in re.findall(r"([-+=])([ugo]|[rwxXst]*)", m.group(2)):
            if perms in ("u", "g", "o"):
                v = (mode >> {"u": 6, "g": 3, "o": 0}[perms]) & 7
                bits = v << 6 | v << 3 | v
            else:
                bits = 0
                for p in perms:
                    if p == "X":
                        bits |= 0o111 if is_dir or mode & 0o111 else 0
                    else:
                        bits |= _PERM[p]
            bits &= mask
            if op == "+":
                mode |= bits
            elif op == "-":
                mode &= ~bits
            else:
                mode = (mode & ~(who or 0o7777)) | bits
    return mode


def _walk(fs: FileSystem, path: str) -> list[str]:
    out = [path]
    entry = fs.stat(path)
    if entry is not None and entry.kind == DIR:
        for n in fs.listdir(path):
            out += _walk(fs, posixpath.join(path, n))
    return out


def chmod(ctx: Ctx, args: list[str]) -> int:
    flags, rest = set(), []
    for a in args:  # "-w" or "-x" is a mode, not an option, for chmod
        if a in ("-R", "-v", "-c", "-f", "--recursive"):
            flags.add(a[-1] if a != "--recursive" else "R")
        else:
            rest.append(a)
    if not rest:
        return ctx.usage("missing operand")
    spec, ops = rest[0], rest[1:]
    if not ops:
        return ctx.usage(f"missing operand after {quoteaf(spec)}")
    if chmod_mode(spec, 0, False) is None:
        return ctx.usage(f"invalid mode: {quoteaf(spec)}")
    status = 0
    for op in ops:
        real, entry = ctx.lookup(op)
        if entry is None:
            status = ctx.fail(f"cannot access {quoteaf(op)}: "
                              f"{strerror(missing_errno(ctx.fs, real))}")
            continue
        for path in _walk(ctx.fs, real) if "R" in flags else [real]:
            e = ctx.fs.stat(path)
            if e is not None and e.kind != SYMLINK:
                new = chmod_mode(spec, e.mode & 0o7777, e.kind == DIR)
                ctx.fs.chmod(path, new if new is not None else e.mode)
    return status


def _owner_spec(spec: str, acc: Accounts) -> tuple[int | None, int | None] | str:
    user, sep, group = spec.partition(":")
    uid = gid = None
    if user:
        uid = acc.users.get(user, int(user) if user.isdigit() else None)
        if uid is None:
            return "invalid user"
    if group:
        gid = acc.groups.get(group, int(group) if group.isdigit() else None)
        if gid is None:
            return "invalid group"
    elif sep and user:
        gid = acc.login_gid.get(user, uid)
    return uid, gid


def chown(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "Rhfvc", {"recursive": "R"})
    if isinstance(parsed, int):
        return parsed
    flags, ops = {o for o, _ in parsed[0]}, parsed[1]
    if len(ops) < 2:
        after = f" after {quoteaf(ops[0])}" if ops else ""
        return ctx.usage(f"missing operand{after}")
    owner = _owner_spec(ops[0], ctx.accounts)
    if isinstance(owner, str):
        return ctx.fail(f"{owner}: {quoteaf(ops[0])}")
    uid, gid = owner
    status = 0
    for op in ops[1:]:
        real, entry = ctx.lookup(op)
        if entry is None:
            status = ctx.fail(f"cannot access {quoteaf(op)}: "
                              f"{strerror(missing_errno(ctx.fs, real))}")
            continue
        for path in _walk(ctx.fs, real) if "R" in flags else [real]:
            e = ctx.fs.stat(path)
            if e is not None:
                ctx.fs.chown(path, e.uid if uid is None else uid, e.gid if gid is None else gid)
    return status


# --- cp / mv --------------------------------------------------------------------------------


def _copy(ctx: Ctx, src: str, dst: str, preserve: bool) -> None:
    """Copy a tree; symlinks are copied as their targets (the protocol cannot make links)."""
    entry = ctx.fs.stat(resolve(ctx.fs, src))
    if entry is None:
        raise FSError("ENOENT", src)
    existed = ctx.fs.stat(dst) is not None
    if entry.kind == DIR:
        if not existed:
            ctx.fs.mkdir(dst)
        for n in ctx.fs.listdir(resolve(ctx.fs, src)):
            _copy(ctx, posixpath.join(src, n), posixpath.join(dst, n), preserve)
    else:
        data = ctx.fs.read(resolve(ctx.fs, src))
        write_blob(ctx.fs, dst, Blob(data, entry.size if data is None else len(data)))
    if preserve:
        ctx.fs.chmod(dst, entry.mode)
        ctx.fs.chown(dst, entry.uid, entry.gid)
    elif not existed:
        ctx.fs.chmod(dst, entry.mode & ~UMASK & 0o7777)


def _transfer(ctx: Ctx, args: list[str], move: bool) -> int:
    short = "fin" if move else "rRapfinLPd"
    parsed = getopt(ctx, args, short, {"recursive": "r", "archive": "a", "force": "f"})
    if isinstance(parsed, int):
        return parsed
    flags, ops = {o for o, _ in parsed[0]}, parsed[1]
    recursive = move or bool(flags & {"r", "R", "a"})
    preserve = move or bool(flags & {"a", "p"})
    if len(ops) < 2:
        return ctx.usage("missing file operand" if not ops else
                         f"missing destination file operand after {quoteaf(ops[0])}")
    dest_real, dest_entry = ctx.lookup(ops[-1])
    into = dest_entry is not None and dest_entry.kind == DIR
    if len(ops) > 2 and not into:
        return ctx.fail(f"target {quoteaf(ops[-1])}: Not a directory")
    status = 0
    for op in ops[:-1]:
        shown = posixpath.join(ops[-1], posixpath.basename(op.rstrip("/"))) if into else ops[-1]
        status |= _transfer_one(ctx, op, shown, move, recursive, preserve)
    return status


def _transfer_one(ctx: Ctx, op: str, shown: str, move: bool, recursive: bool,
                  preserve: bool) -> int:
    src, entry = ctx.lookup(op, follow=not move)
    if entry is None:
        return ctx.fail(f"cannot stat {quoteaf(op)}: {strerror(missing_errno(ctx.fs, src))}")
    dst = ctx.resolve(shown)
    target = ctx.fs.stat(dst)
    is_dir = entry.kind == DIR
    if is_dir and not recursive:
        return ctx.fail(f"-r not specified; omitting directory {quoteaf(op)}")
    if dst == src:
        return ctx.fail(f"{quoteaf(op)} and {quoteaf(shown)} are the same file")
    if is_dir and dst.startswith(src.rstrip("/") + "/"):
        if move:
            return ctx.fail(f"cannot move {quoteaf(op)} to a subdirectory of itself, "
                            f"{quoteaf(shown)}")
        return ctx.fail(f"cannot copy a directory, {quoteaf(op)}, into itself, {quoteaf(shown)}")
    if target is not None and target.kind == DIR and not is_dir:
        return ctx.fail(f"cannot overwrite directory {quoteaf(shown)} with non-directory")
    if target is not None and target.kind != DIR and is_dir:
        return ctx.fail(f"cannot overwrite non-directory {quoteaf(shown)} with directory "
                        f"{quoteaf(op)}")
    if move and target is not None and target.kind == DIR and ctx.fs.listdir(dst):
        return ctx.fail(f"cannot move {quoteaf(op)} to {quoteaf(shown)}: "
                        f"{strerror('ENOTEMPTY')}")
    parent = ctx.fs.stat(posixpath.dirname(dst))
    if parent is None or parent.kind != DIR:
        err = missing_errno(ctx.fs, dst) if parent is None else "ENOTDIR"
        what = (f"cannot move {quoteaf(op)} to {quoteaf(shown)}" if move else
                f"cannot create {'directory' if is_dir else 'regular file'} {quoteaf(shown)}")
        return ctx.fail(f"{what}: {strerror(err)}")
    if move and target is not None and target.kind == DIR:
        ctx.fs.remove(dst, recursive=True)  # rename(2) replaces an empty directory
    _copy(ctx, src, dst, preserve)
    if move:
        ctx.fs.remove(src, recursive=is_dir)
    return 0


def cp(ctx: Ctx, args: list[str]) -> int:
    return _transfer(ctx, args, move=False)


def mv(ctx: Ctx, args: list[str]) -> int:
    return _transfer(ctx, args, move=True)
