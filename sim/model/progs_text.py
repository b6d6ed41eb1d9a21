"""Programs that print or pass text along: echo, printf, cat, wc, head and tee.

echo and printf are also dash and bash builtins, whose escapes and messages differ from
coreutils'; ctx.builtin says which one is running."""

from __future__ import annotations

import math
import re

from .errors import FSError
from .progs_common import getopt, xstrtoumax
from .shell_io import Blob, Ctx, quoteaf, quotef, read_blob, write_blob

# --- echo and printf ----------------------------------------------------------------------

_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\", "e": "\x1b"}


def _unescape(s: str, style: str = "echo") -> tuple[str, bool]:
    """Backslash escapes; the flag is True when \\c cut the output short. Octal is \\0NNN
    for echo -e and %b, \\NNN in printf formats, and either in dash's echo."""
    out: list[str] = []
    i = 0
    while i < len(s):
        c, n = s[i], s[i + 1 : i + 2]
        if c != "\\" or not n:
            out.append(c)
            i += 1
        elif n == "c":
            return "".join(out), True
        elif n in _ESCAPES:
            out.append(_ESCAPES[n])
            i += 2
        elif n in "01234567" and (n == "0" and style != "printf" or style != "echo"):
            start = i + 2 if n == "0" and style != "printf" else i + 1
            digits = re.match(r"[0-7]{0,3}", s[start : start + 3])
            octal = digits.group() if digits else ""
            out.append(chr(int(octal or "0", 8) & 0xFF))
            i = start + len(octal)
        elif n == "x" and style != "dash" and re.match(r"[0-9a-fA-F]", s[i + 2 : i + 3]):
            hexa = re.match(r"[0-9a-fA-F]{1,2}", s[i + 2 :])
            out.append(chr(int(hexa.group(), 16)) if hexa else "")
            i += 2 + (len(hexa.group()) if hexa else 0)
        else:
            out.append(c)
            i += 1
    return "".join(out), False


def echo(ctx: Ctx, args: list[str]) -> int:
    """dash's builtin knows only -n and always expands escapes; bash and /bin/echo need -e."""
    newline, escapes = True, ctx.builtin == "dash"
    if ctx.builtin == "dash":
        if args[:1] == ["-n"]:
            newline, args = False, args[1:]
    else:
        while args and re.fullmatch(r"-[neE]+", args[0]):
            for c in args[0][1:]:
                newline = newline and c != "n"
                escapes = (escapes or c == "e") and c != "E"
            args = args[1:]
    text = " ".join(args)
    if escapes:
        text, cut = _unescape(text, "dash" if ctx.builtin == "dash" else "echo")
        newline = newline and not cut
    ctx.out.write(text + ("\n" if newline else ""))
    return 0


def printf(ctx: Ctx, args: list[str]) -> int:
    if not args:
        return ctx.usage("missing operand") if not ctx.builtin else _builtin_usage(ctx)
    fmt, rest = args[0], args[1:]
    status = 0
    spec = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d*))?([sbcdiouxXfeEgG%])")
    while True:
        used = 0
        out: list[str] = []
        pos = 0
        for m in spec.finditer(fmt):
            out.append(_unescape(fmt[pos : m.start()], "printf")[0])
            pos = m.end()
            flags, width, prec, conv = m.groups()
            if conv == "%":
                out.append("%")
                continue
            arg = rest[used] if used < len(rest) else ""
            used += 1
            if conv in "sbc":
                val = _unescape(arg)[0] if conv == "b" else arg[:1] if conv == "c" else arg
                pyfmt = f"%{flags}{width}" + (f".{prec}" if prec is not None else "") + "s"
                out.append(pyfmt % val)
                continue
            try:
                num: float = float(arg or 0) if conv in "feEgG" else int(arg or 0, 0)
            except ValueError:
                status = 1
                num = 0
                if ctx.builtin == "dash":
                    ctx.err.write(f"{ctx.where}printf: {arg}: expected numeric value\n")
                elif ctx.builtin == "bash":
                    ctx.err.write(f"{ctx.where}printf: {arg}: invalid number\n")
                else:
                    ctx.fail(f"{quoteaf(arg)}: expected a numeric value")
            pyconv = "d" if conv in "iu" else conv
            pyfmt = f"%{flags}{width}" + (f".{prec}" if prec is not None else "") + pyconv
            out.append(pyfmt % num)
        out.append(_unescape(fmt[pos:], "printf")[0])
        ctx.out.write("".join(out))
        rest = rest[used:]
        if not rest or not used:
            return status


def _builtin_usage(ctx: Ctx) -> int:
    if ctx.builtin == "bash":
        ctx.err.write(f"{ctx.where}printf: usage: printf [-v var] format [arguments]\n")
    else:
        ctx.err.write(f"{ctx.where}printf: usage: printf format [arg ...]\n")
    return 2


# --- reading programs ---------------------------------------------------------------------


def cat(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "uA")
    if isinstance(parsed, int):
        return parsed
    status = 0
    for op in parsed[1] or ["-"]:
        try:
            blob = ctx.stdin_blob() if op == "-" else read_blob(ctx, op)
        except FSError as e:
            status = ctx.fail(f"{quotef(op)}: {e.strerror}")
            continue
        if blob.endless:  # cat /dev/zero runs until killed
            ctx.duration = math.inf
            return status
        ctx.out.write_blob(blob)
    return status


def _count(blob: Blob) -> tuple[int, int, int]:
    """Lines, words, bytes; unknown content is zeros, which hold neither."""
    if blob.data is None:
        return 0, 0, blob.size
    return blob.data.count(b"\n"), len(blob.data.split()), blob.size


def wc(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "clwm", {"bytes": "c", "lines": "l", "words": "w", "chars": "m"})
    if isinstance(parsed, int):
        return parsed
    flags = {o for o, _ in parsed[0]} or {"l", "w", "c"}
    if "m" in flags:
        flags = (flags - {"m"}) | {"c"}
    names = parsed[1] or ["-"]
    results: list[tuple[tuple[int, ...], str | None]] = []
    status, regular_total, width_min = 0, 0, 1
    for op in names:
        try:
            blob = ctx.stdin_blob() if op == "-" else read_blob(ctx, op)
        except FSError as e:
            status = ctx.fail(f"{quotef(op)}: {e.strerror}")
            continue
        if op == "-":
            width_min = 7
        else:
            regular_total += blob.size
        results.append((_count(blob), None if op == "-" and not parsed[1] else op))
    columns = [k for k, f in enumerate("lwc") if f in flags]
    width = max(len(str(regular_total)), width_min)
    if len(names) == 1 and len(columns) == 1:
        width = 1
    if len(results) > 1:
        totals = tuple(sum(r[0][k] for r in results) for k in range(3))
        results.append((totals, "total"))
    for counts, label in results:
        cells = " ".join(f"{counts[k]:>{width}}" for k in columns)
        ctx.say(cells + (f" {label}" if label is not None else ""))
    return status


def head(ctx: Ctx, args: list[str]) -> int:
    if args and re.fullmatch(r"-\d+", args[0]):
        args = ["-n", args[0][1:]] + args[1:]
    parsed = getopt(ctx, args, "c:n:qv", {"bytes": "c", "lines": "n", "quiet": "q"})
    if isinstance(parsed, int):
        return parsed
    mode, count, elide = "n", 10, False
    for opt, val in parsed[0]:
        if opt in "cn":
            elide = val.startswith("-")
            n = xstrtoumax(val[1:] if elide else val, "bkKmMGTPEZYRQ0")
            if n is None:
                what = "bytes" if opt == "c" else "lines"
                return ctx.fail(f"invalid number of {what}: {quoteaf(val)}")
            mode, count = opt, n
    names = parsed[1] or ["-"]
    status = 0
    for k, op in enumerate(names):
        try:
            blob = ctx.stdin_blob() if op == "-" else read_blob(ctx, op)
        except FSError as e:
            verb = "error reading" if e.errno_name == "EISDIR" else "cannot open"
            tail = " for reading" if verb == "cannot open" else ""
            status = ctx.fail(f"{verb} {quoteaf(op)}{tail}: {e.strerror}")
            continue
        if len(names) > 1 and "q" not in {o for o, _ in parsed[0]}:
            label = "standard input" if op == "-" else op
            ctx.out.write(("\n" if k else "") + f"==> {label} <==\n")
        if blob.endless and (elide or mode == "n"):  # never reaches the end it must find
            ctx.duration = math.inf
            return status
        if mode == "c":
            keep = max(blob.size - count, 0) if elide else count
            ctx.out.write_blob(blob.head(keep))
        elif blob.data is None:  # zeros never end a line
            ctx.out.write_blob(blob)
        else:
            lines = blob.data.splitlines(keepends=True)
            ctx.out.write(b"".join(lines[:-count] if elide else lines[:count]))
    return status


def tee(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "a", {"append": "a"})
    if isinstance(parsed, int):
        return parsed
    append = bool(parsed[0])
    blob, status = ctx.stdin_blob(), 0
    for op in parsed[1]:
        real = ctx.resolve(op)
        try:
            write_blob(ctx.fs, real, blob, append=append)
        except FSError as e:
            status = ctx.fail(f"{quotef(op)}: {e.strerror}")
    ctx.out.write_blob(blob)
    return status
