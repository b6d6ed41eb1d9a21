"""Flag values converted the way Go and docker's option types convert them.

pflag reports a bad value as ``invalid argument "<v>" for "<flag>" flag: <cause>``, where
the cause is the Go error text; to print the same bytes the conversions below reproduce
Go's ``strconv`` and ``time.ParseDuration`` rules and errors, plus docker's own option
types (go-units ``RAMInBytes`` for byte sizes, ``opts.NanoCPUs``, ``opts.FilterOpt``).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from fractions import Fraction

_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t",
            "\v": r"\v", "\\": "\\\\"}


def _go_printable(ch: str) -> bool:
    """unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space."""
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


def _escape(ch: str, quote: str) -> str:
    if ch == quote:
        return "\\" + ch
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if _go_printable(ch):
        return ch
    code = ord(ch)
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def go_quote(text: str) -> str:
    """Go ``strconv.Quote`` (what ``%q`` prints for a string)."""
    return '"' + "".join(_escape(ch, '"') for ch in text) + '"'


def go_quote_rune(ch: str) -> str:
    """Go ``%q`` of a byte or rune: a single-quoted character literal such as ``'x'``."""
    return "'" + _escape(ch, "'") + "'"


class ConversionError(ValueError):
    """A value a flag cannot hold; ``str()`` is the Go error text pflag shows."""


# --- strconv ----------------------------------------------------------------------


def _num_error(func: str, num: str, why: str) -> ConversionError:
    return ConversionError(f"strconv.{func}: parsing {go_quote(num)}: {why}")


def _underscore_ok(text: str) -> bool:
    """strconv.underscoreOK: underscores only between digits (or after a base prefix)."""
    saw = "^"
    if text[:1] in ("+", "-"):
        text = text[1:]
    start, hexa = 0, False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in "box":
        start, saw, hexa = 2, "0", text[1].lower() == "x"
    for ch in text[start:]:
        if ch.isascii() and (ch.isdigit() or (hexa and ch.lower() in "abcdef")):
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
    return saw != "_"


def _parse_uint(text: str, bits: int, func: str, shown: str) -> tuple[int, bool]:
    """strconv.ParseUint(text, 0, bits) -> (value, out_of_range); raises on bad syntax."""
    if not text:
        raise _num_error(func, shown, "invalid syntax")
    base, digits = 10, text
    if text[0] == "0":
        prefix = text[1:2].lower()
        if len(text) >= 3 and prefix in ("b", "o", "x"):
            base, digits = {"b": 2, "o": 8, "x": 16}[prefix], text[2:]
        else:
            base, digits = 8, text[1:]
    max_val = (1 << bits) - 1
    value, underscores = 0, False
    for ch in digits:
        if ch == "_":
            underscores = True
            continue
        if ch.isascii() and ch.isdigit():
            digit = ord(ch) - ord("0")
        elif ch.isascii() and ch.isalpha():
            digit = ord(ch.lower()) - ord("a") + 10
        else:
            raise _num_error(func, shown, "invalid syntax")
        if digit >= base:
            raise _num_error(func, shown, "invalid syntax")
        value = value * base + digit
        if value > max_val:
            return max_val, True
    if underscores and not _underscore_ok(text):
        raise _num_error(func, shown, "invalid syntax")
    return value, False


def parse_uint(text: str, bits: int = 64) -> int:
    """Go ``strconv.ParseUint(text, 0, bits)``."""
    value, overflow = _parse_uint(text, bits, "ParseUint", text)
    if overflow:
        raise _num_error("ParseUint", text, "value out of range")
    return value


def parse_int(text: str, bits: int = 64) -> int:
    """Go ``strconv.ParseInt(text, 0, bits)`` (pflag's int, int64 flags)."""
    if not text:
        raise _num_error("ParseInt", text, "invalid syntax")
    body, neg = text, False
    if text[0] in "+-":
        body, neg = text[1:], text[0] == "-"
    magnitude, overflow = _parse_uint(body, bits, "ParseInt", text)
    cutoff = 1 << (bits - 1)
    if overflow or (not neg and magnitude >= cutoff) or (neg and magnitude > cutoff):
        raise _num_error("ParseInt", text, "value out of range")
    return -magnitude if neg else magnitude


def parse_bool(text: str) -> bool:
    """Go ``strconv.ParseBool``."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise _num_error("ParseBool", text, "invalid syntax")


_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?i:inf|infinity|nan)")


def parse_float(text: str) -> float:
    """Go ``strconv.ParseFloat(text, 64)`` for decimal notation."""
    if not _FLOAT.fullmatch(text):
        raise _num_error("ParseFloat", text, "invalid syntax")
    return float(text)


# --- time.ParseDuration -------------------------------------------------------------

_UNITS_NS = {"ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000,
             "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_MAX_DURATION = (1 << 63) - 1


def _time_quote(text: str) -> str:
    """The ``quote`` helper of Go's time package (bytes >= 0x80 or < ' ' become \\xNN)."""
    out = []
    for ch in text:
        if ord(ch) >= 0x80 or ch < " ":
            out.extend(f"\\x{byte:02x}" for byte in ch.encode("utf-8", "surrogatepass"))
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    return '"' + "".join(out) + '"'


def parse_duration(text: str) -> int:
    """Go ``time.ParseDuration``; returns nanoseconds."""
    orig, rest, neg = text, text, False
    invalid = ConversionError("time: invalid duration " + _time_quote(orig))
    if rest[:1] in ("-", "+"):
        neg, rest = rest[0] == "-", rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise invalid
    total = 0
    while rest:
        match = re.match(r"(\d*)(?:\.(\d*))?", rest)
        whole, frac = match.group(1), match.group(2)
        if not whole and not frac:
            raise invalid
        rest = rest[match.end():]
        unit_len = next((k for k, ch in enumerate(rest) if ch == "." or ch.isdigit()),
                        len(rest))
        if unit_len == 0:
            raise ConversionError("time: missing unit in duration " + _time_quote(orig))
        unit, rest = rest[:unit_len], rest[unit_len:]
        if unit not in _UNITS_NS:
            raise ConversionError(f"time: unknown unit {_time_quote(unit)} in duration "
                                  + _time_quote(orig))
        scale = _UNITS_NS[unit]
        value = int(whole or "0") * scale
        if frac:
            value += int(Fraction(int(frac), 10 ** len(frac)) * scale)
        total += value
        if total > 1 << 63:
            raise invalid
    if not neg and total > _MAX_DURATION:
        raise invalid
    return -total if neg else total


# --- docker option types ------------------------------------------------------------

_BINARY = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def ram_in_bytes(text: str) -> int:
    """go-units ``RAMInBytes`` (``opts.MemBytes``): ``512m``, ``1.5g``, ``100``, ``2 GiB``."""
    sep = max(text.rfind(ch) for ch in "0123456789. ")
    if sep == -1:
        raise ConversionError(f"invalid size: '{text}'")
    if text[sep] != " ":
        num, suffix = text[: sep + 1], text[sep + 1:]
    else:
        num, suffix = text[:sep], text[sep + 1:]
    size = parse_float(num)
    if size < 0:
        raise ConversionError(f"invalid size: '{text}'")
    if not suffix:
        return int(size)
    bad = ConversionError(f"invalid suffix: '{suffix.lower() if len(suffix) <= 3 else suffix}'")
    low = suffix.lower()
    if len(low) > 3:
        raise bad
    if low[0] == "b":
        if len(low) > 1:
            raise bad
        return int(size)
    if low[0] not in _BINARY:
        raise bad
    if (len(low) == 2 and low[1] != "b") or (len(low) == 3 and low[1:] != "ib"):
        raise bad
    return int(size * _BINARY[low[0]])


def parse_nano_cpus(text: str) -> int:
    """``opts.NanoCPUs``: a rational number of CPUs, stored as nano-CPUs."""
    if not text or any(ch.isspace() or ch == "_" for ch in text):
        raise ConversionError(f"failed to parse {text} as a rational number")
    try:
        cpus = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ConversionError(f"failed to parse {text} as a rational number") from None
    nano = cpus * 1_000_000_000
    if nano.denominator != 1:
        raise ConversionError("value is too precise")
    return int(nano)


def check_filter(text: str) -> str:
    """``opts.FilterOpt``: ``name=value`` (an empty value is ignored by docker)."""
    if text and "=" not in text:
        raise ConversionError("bad format of filter (expected name=value)")
    return text


def split_csv(text: str) -> list[str]:
    """pflag ``stringSlice``: one value may carry several, comma separated (CSV quoting)."""
    if not text:
        return []
    try:
        return next(csv.reader([text], strict=True))
    except csv.Error as exc:
        raise ConversionError(f"parse error on line 1: {exc}") from None


def convert(kind: str, text: str) -> object:
    """Convert ``text`` for a flag of ``kind`` (see ``FlagSpec``); raises ConversionError."""
    if kind == "bool":
        return parse_bool(text)
    if kind == "int":
        return parse_int(text)
    if kind == "uint16":
        return parse_uint(text, 16)
    if kind == "uint64":
        return parse_uint(text)
    if kind == "duration":
        return parse_duration(text) / 1e9
    if kind == "bytes":
        return ram_in_bytes(text)
    if kind == "swapbytes":
        return -1 if text == "-1" else ram_in_bytes(text)
    if kind == "decimal":
        return parse_nano_cpus(text) / 1e9
    if kind == "filter":
        return check_filter(text)
    return text
