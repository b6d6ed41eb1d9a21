"""Programs that look at files without changing them: test (and its alias [), ls and du."""

from __future__ import annotations

import posixpath
import re
import time

from .errors import FSError
from .layer import DIR, SYMLINK, FileEntry
from .progs_common import disk_usage, getopt, human_ceil
from .shell_io import Ctx, FileSystem, missing_errno, quoteaf, strerror

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- test / [ -----------------------------------------------------------------------------

_UNARY = set("efdsrwxLhnzbcpSgukt")
_INT_OPS = {"-eq": "__eq__", "-ne": "__ne__", "-lt": "__lt__", "-le": "__le__",
            "-gt": "__gt__", "-ge": "__ge__"}


class _TestError(Exception):
    pass


def test(ctx: Ctx, args: list[str]) -> int:
    label = posixpath.basename(ctx.name)
    if label == "[":
        if not args or args[-1] != "]":
            msg = {"dash": "missing ]", "bash": "missing `]'"}.get(ctx.builtin, "missing ']'")
            return _test_fail(ctx, label, msg)
        args = args[:-1]
    try:
        return 0 if _test_eval(ctx, args) else 1
    except _TestError as e:
        return _test_fail(ctx, label, str(e))


def _test_fail(ctx: Ctx, label: str, msg: str) -> int:
    if ctx.builtin:
        ctx.err.write(f"{ctx.where}{label}: {msg}\n")
    else:
        ctx.fail(msg)
    return 2


def _test_eval(ctx: Ctx, a: list[str]) -> bool:
    if not a:
        return False
    if len(a) == 1:
        return a[0] != ""
    for joiner in ("-o", "-a"):  # -o binds looser than -a
        if len(a) > 3 and joiner in a[1:-1]:
            k = a.index(joiner, 1)
            left, right = _test_eval(ctx, a[:k]), _test_eval(ctx, a[k + 1 :])
            return (left or right) if joiner == "-o" else (left and right)
    if a[0] == "!" and len(a) in (2, 3, 4):
        return not _test_eval(ctx, a[1:])
    if len(a) == 2:
        if a[0].startswith("-") and len(a[0]) == 2 and a[0][1] in _UNARY:
            return _test_unary(ctx, a[0][1], a[1])
        raise _TestError(_test_unexpected(ctx, a[0]))
    if len(a) == 3:
        left, op, right = a
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        if op in _INT_OPS:
            return bool(getattr(_test_int(ctx, left), _INT_OPS[op])(_test_int(ctx, right)))
        if op in ("-nt", "-ot", "-ef"):
            l_real, l_entry = ctx.lookup(left)
            r_real, r_entry = ctx.lookup(right)
            if op == "-ef":
                return l_entry is not None and l_real == r_real
            if op == "-nt":
                return l_entry is not None and (r_entry is None or l_entry.mtime > r_entry.mtime)
            return r_entry is not None and (l_entry is None or l_entry.mtime < r_entry.mtime)
        if op in ("-a", "-o"):
            both = (_test_eval(ctx, [left]), _test_eval(ctx, [right]))
            return all(both) if op == "-a" else any(both)
        if a[0] == "(" and a[2] == ")":
            return _test_eval(ctx, [a[1]])
        raise _TestError(_test_unexpected(ctx, op))
    raise _TestError("too many arguments" if ctx.builtin == "bash" else _test_unexpected(ctx, a[1]))


def _test_unexpected(ctx: Ctx, word: str) -> str:
    if ctx.builtin == "bash":
        return f"{word}: unary operator expected"
    if ctx.builtin == "dash":
        return f"{word}: unexpected operator"
    return f"extra argument {quoteaf(word)}"


def _test_int(ctx: Ctx, s: str) -> int:
    if re.fullmatch(r"\s*[-+]?\d+\s*", s):
        return int(s)
    if ctx.builtin == "dash":
        raise _TestError(f"Illegal number: {s}")
    if ctx.builtin == "bash":
        raise _TestError(f"{s}: integer expression expected")
    raise _TestError(f"invalid integer {quoteaf(s)}")


def _test_unary(ctx: Ctx, op: str, arg: str) -> bool:
    if op == "n":
        return arg != ""
    if op == "z":
        return arg == ""
    if op == "t":
        return False
    if op in "Lh":
        entry = ctx.lookup(arg, follow=False)[1] if arg else None
        return entry is not None and entry.kind == SYMLINK
    entry = ctx.lookup(arg)[1] if arg else None
    if entry is None:
        return False
    return {
        "e": True, "r": True, "w": True,
        "f": entry.kind not in (DIR, SYMLINK),
        "d": entry.kind == DIR,
        "s": entry.kind == DIR or entry.size > 0,
        "x": entry.kind == DIR or bool(entry.mode & 0o111),
        "u": bool(entry.mode & 0o4000), "g": bool(entry.mode & 0o2000),
        "k": bool(entry.mode & 0o1000),
    }.get(op, False)


# --- ls and du ----------------------------------------------------------------------------


def _mode_string(entry: FileEntry) -> str:
    m = entry.mode
    kind = {DIR: "d", SYMLINK: "l"}.get(entry.kind, "-")
    if entry.kind == SYMLINK:
        return "lrwxrwxrwx"
    bits = [("r" if m & (4 << s) else "-") + ("w" if m & (2 << s) else "-") for s in (6, 3, 0)]
    xs = []
    for shift, special, on, off in ((6, 0o4000, "s", "S"), (3, 0o2000, "s", "S"),
                                    (0, 0o1000, "t", "T")):
        x = bool(m & (1 << shift))
        xs.append((on if x else off) if m & special else ("x" if x else "-"))
    return kind + "".join(b + x for b, x in zip(bits, xs, strict=True))


def _nlink(fs: FileSystem, path: str, entry: FileEntry) -> int:
    if entry.kind != DIR:
        return 1
    try:
        names = fs.listdir(path)
    except FSError:
        return 2
    subdirs = 0
    for n in names:
        child = fs.stat(posixpath.join(path, n))
        subdirs += child is not None and child.kind == DIR
    return 2 + subdirs


def _ls_date(mtime: int) -> str:
    t = time.gmtime(mtime)
    return f"{_MONTHS[t.tm_mon - 1]} {t.tm_mday:>2} {t.tm_hour:02d}:{t.tm_min:02d}"


def _long_lines(ctx: Ctx, rows: list[tuple[str, str, FileEntry]], human: bool) -> list[str]:
    cells = []
    for name, path, e in rows:
        size = 4096 if e.kind == DIR else len(e.target) if e.kind == SYMLINK else e.size
        shown = name + (f" -> {e.target}" if e.kind == SYMLINK else "")
        cells.append((_mode_string(e), str(_nlink(ctx.fs, path, e)),
                      ctx.accounts.user_name(e.uid), ctx.accounts.group_name(e.gid),
                      human_ceil(size) if human else str(size), _ls_date(e.mtime), shown))
    w = [max((len(c[k]) for c in cells), default=0) for k in range(5)]
    return [f"{c[0]} {c[1]:>{w[1]}} {c[2]:<{w[2]}} {c[3]:<{w[3]}} {c[4]:>{w[4]}} {c[5]} {c[6]}"
            for c in cells]


def ls(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "laAdh1", {"all": "a", "almost-all": "A", "directory": "d",
                                          "human-readable": "h"}, status=2)
    if isinstance(parsed, int):
        return parsed
    flags = {o for o, _ in parsed[0]}
    long, human = "l" in flags, "h" in flags
    ops = parsed[1] or ["."]
    status = 0
    files: list[tuple[str, str, FileEntry]] = []
    dirs: list[tuple[str, str]] = []
    for op in sorted(ops, key=lambda s: s.encode()):
        # command-line symlinks are followed unless the link itself is to be shown
        real, entry = ctx.lookup(op, follow=not (long or "d" in flags) or op.endswith("/"))
        if entry is None:
            status = ctx.fail(f"cannot access {quoteaf(op)}: "
                              f"{strerror(missing_errno(ctx.fs, real))}", 2)
        elif entry.kind == DIR and "d" not in flags:
            dirs.append((op, real))
        else:
            files.append((op, real, entry))
    chunks: list[list[str]] = []
    if files:
        chunks.append(_long_lines(ctx, files, human) if long else [f[0] for f in files])
    for op, real in dirs:
        try:
            names = ctx.fs.listdir(real)
        except FSError as e:
            status = ctx.fail(f"cannot open directory {quoteaf(op)}: {e.strerror}", 2)
            continue
        if "a" not in flags:
            names = [n for n in names if not n.startswith(".") or "A" in flags]
        rows = [(n, posixpath.join(real, n)) for n in names]
        if "a" in flags:
            rows += [(".", real), ("..", posixpath.dirname(real))]
        listed = [(n, p, e) for n, p in rows if (e := ctx.fs.stat(p)) is not None]
        listed.sort(key=lambda r: r[0].encode())
        lines = [f"{op}:"] if len(ops) > 1 else []
        if long:
            total = sum(disk_usage(e) for _, _, e in listed)
            lines.append(f"total {human_ceil(total) if human else total // 1024}")
            lines += _long_lines(ctx, listed, human)
        else:
            lines += [n for n, _, _ in listed]
        chunks.append(lines)
    text = "\n\n".join("\n".join(c) for c in chunks if c)
    ctx.out.write(text + "\n" if text else "")
    return status


def _du_walk(ctx: Ctx, path: str, shown: str, every: bool, human: bool) -> int:
    """Bytes used below path; with every, print each directory as du does without -s."""
    entry = ctx.fs.stat(path)
    if entry is None:
        return 0
    total = disk_usage(entry)
    if entry.kind == DIR:
        try:
            names = ctx.fs.listdir(path)
        except FSError:
            names = []
        for n in names:
            child = posixpath.join(path, n)
            total += _du_walk(ctx, child, posixpath.join(shown, n), every, human)
        if every:
            ctx.say(f"{_du_size(total, human)}\t{shown}")
    return total


def _du_size(n: int, human: bool) -> str:
    return human_ceil(n) if human else str(n // 1024)


def du(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "sh", {"summarize": "s", "human-readable": "h"})
    if isinstance(parsed, int):
        return parsed
    flags = {o for o, _ in parsed[0]}
    human, status = "h" in flags, 0
    for op in parsed[1] or ["."]:
        real, entry = ctx.lookup(op)
        if entry is None:
            status = ctx.fail(f"cannot access {quoteaf(op)}: "
                              f"{strerror(missing_errno(ctx.fs, real))}")
            continue
        total = _du_walk(ctx, real, op.rstrip("/") or "/", "s" not in flags, human)
        if "s" in flags or entry.kind != DIR:
            ctx.say(f"{_du_size(total, human)}\t{op}")
    return status
