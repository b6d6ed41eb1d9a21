"""Helpers several programs share: GNU getopt_long, and sizes as coreutils and util-linux
read them (head -c 1K, dd bs=1M, fallocate -l 1.5G) and print them (ls -h, du -h, dd)."""

from __future__ import annotations

import math
import re

from .layer import DIR, SYMLINK, FileEntry
from .shell_io import Ctx

# --- option and number parsing ------------------------------------------------------------


def getopt(
    ctx: Ctx, args: list[str], short: str, long: dict[str, str] | None = None, status: int = 1
) -> tuple[list[tuple[str, str]], list[str]] | int:
    """GNU getopt_long with argument permutation; returns the exit status on a bad option."""
    opts: list[tuple[str, str]] = []
    operands: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            operands += args[i + 1 :]
            break
        if a.startswith("--"):
            key, _, val = a[2:].partition("=")
            names = long or {}
            hits = [k for k in names if k.startswith(key)]
            if key not in names and len(hits) != 1:
                return ctx.usage(f"unrecognized option '{a}'", status)
            opts.append((names[key if key in names else hits[0]], val))
        elif a.startswith("-") and a != "-":
            j = 1
            while j < len(a):
                c = a[j]
                k = short.find(c)
                if k < 0 or c == ":":
                    return ctx.usage(f"invalid option -- '{c}'", status)
                if short[k + 1 : k + 2] == ":":
                    val = a[j + 1 :]
                    if not val:
                        if i + 1 >= len(args):
                            return ctx.usage(f"option requires an argument -- '{c}'", status)
                        i += 1
                        val = args[i]
                    opts.append((c, val))
                    break
                opts.append((c, ""))
                j += 1
        else:
            operands.append(a)
        i += 1
    return opts, operands


_POWERS = {"k": 1, "K": 1, "M": 2, "m": 2, "G": 3, "g": 3, "T": 4, "t": 4, "P": 5, "E": 6,
           "Z": 7, "Y": 8, "R": 9, "Q": 10}


def xstrtoumax(s: str, valid: str) -> int | None:
    """gnulib xstrtoumax: K, M, G... are powers of 1024, KB/MB powers of 1000, KiB/MiB
    powers of 1024 (the latter two only when valid contains '0'); b=512, c=1, w=2."""
    t = s.lstrip(" \t\n\v\f\r")
    if t.startswith("-"):
        return None
    if t.startswith("+"):
        t = t[1:]
    digits = t[: len(t) - len(t.lstrip("0123456789"))]
    rest = t[len(digits) :]
    if digits:
        n = int(digits)
    elif rest and rest[0] in valid:
        n = 1
    else:
        return None
    if not rest:
        return n
    c, base, used = rest[0], 1024, 1
    if c not in valid:
        return None
    if "0" in valid:
        if rest[1:3] == "iB":
            used = 3
        elif rest[1:2] in ("B", "D"):
            base, used = 1000, 2
    factors = {"b": 512, "B": 1024, "c": 1, "w": 2}
    if c in factors:
        n *= factors[c]
    elif c in _POWERS:
        n *= base ** _POWERS[c]
    else:
        return None
    return None if rest[used:] else n


def parse_size(s: str) -> int | None:
    """util-linux parse_size (fallocate -l): K or KiB = 1024, KB = 1000, lower case
    accepted, decimal fractions like 1.5G."""
    m = re.match(r"\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)", s)
    if not s or s.lstrip().startswith("-") or m is None:
        return None
    num = m.group(1)
    x = int(num, 16) if num[:2].lower() == "0x" else int(num, 8) if num[0] == "0" else int(num)
    rest = s[m.end() :]
    if not rest:
        return x
    base, frac, zeros = 1024, 0, 0
    while True:
        tail = rest[1:]
        if tail in ("iB", "ib"):
            break
        if tail in ("B", "b"):
            base = 1000
            break
        if tail:
            if frac or not rest.startswith("."):
                return None
            after = rest[1:]
            zeros = len(after) - len(after.lstrip("0"))
            digits = after[zeros : len(after) - len(after.lstrip("0123456789"))]
            frac = int(digits) if digits else 0
            rest = after[zeros + len(digits) :]
            if not rest:
                return None
            continue
        break
    pwr = "KMGTPEZY".find(rest[0]) + 1 or "kmgtpezy".find(rest[0]) + 1
    if not pwr:
        return None
    x *= base**pwr
    if frac:
        frac_base, frac_div, frac_poz = base**pwr, 10, 1
        while frac_div < frac:
            frac_div *= 10
        frac_div *= 10**zeros
        while True:
            seg, seg_div = frac % 10, frac_div // frac_poz
            frac, frac_poz = frac // 10, frac_poz * 10
            if seg and seg_div // seg:
                x += frac_base // (seg_div // seg)
            if not frac:
                break
    return x


def human_ceil(n: int) -> str:
    """ls -h / du -h: powers of 1024, rounded up, one decimal below 10 ("4.0K", "15M")."""
    if n < 1024:
        return str(n)
    units, e = "KMGTPEZY", 1
    while e < len(units) and n >= 1024 ** (e + 1):
        e += 1
    div = 1024**e
    if n < 10 * div:
        tenths = -(-n * 10 // div)
        if tenths < 100:
            return f"{tenths // 10}.{tenths % 10}{units[e - 1]}"
    v = -(-n // div)
    if v >= 1024 and e < len(units):
        return f"1.0{units[e]}"
    return f"{v}{units[e - 1]}"


def human_round(n: float, base: int) -> str:
    """dd's sizes and rates: round to nearest, "10 MB" / "1.0 MiB" / "512 B"."""
    prefixes = "kMGTPEZY" if base == 1000 else "KMGTPEZY"
    if n < base:
        return f"{int(n + 0.5)} B"
    e, x = 0, float(n)
    while x >= base and e < len(prefixes):
        x, e = x / base, e + 1
    unit = prefixes[e - 1] + ("B" if base == 1000 else "iB")
    if x < 10:
        tenths = math.floor(x * 10 + 0.5)
        if tenths < 100:
            return f"{tenths / 10:.1f} {unit}"
    v = math.floor(x + 0.5)
    if v >= base and e < len(prefixes):
        return f"1.0 {prefixes[e] + ('B' if base == 1000 else 'iB')}"
    return f"{v} {unit}"


def human_rate(n: float) -> str:
    """dd's rate is not a whole number of bytes, so gnulib keeps a decimal below 100."""
    e, x = 0, n
    while x >= 999.95 and e < 8:
        x, e = x / 1000, e + 1
    number = f"{x:.1f}" if x < 99.95 else f"{math.floor(x + 0.5)}"
    return f"{number} {'kMGTPEZY'[e - 1]}B" if e else f"{number} B"


def disk_usage(entry: FileEntry) -> int:
    """Bytes allocated on a 4 KiB-block filesystem: what ls -l's total and du count."""
    if entry.kind == DIR:
        return 4096
    if entry.kind == SYMLINK:
        return 0
    return -(-entry.size // 4096) * 4096
