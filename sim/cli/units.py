"""Sizes and durations as the Docker CLI prints and parses them.

A port of github.com/docker/go-units (size.go, duration.go), the package docker/cli
uses for the SIZE and CREATED columns and for flags such as ``--memory``.  Output
must match byte for byte, so the Go formatting rules are reproduced exactly:

* ``HumanSizeWithPrecision`` is ``fmt.Sprintf("%.*g%s", precision, size, unit)``.
  Go's ``%.Ng`` and C/Python's ``%.Ng`` agree for finite values (same rounding of
  the exact binary value, half to even; same ``e+NN`` exponent form; trailing
  zeros trimmed), which is why ``999.5`` at precision 3 prints ``1e+03B`` in both.
  They differ for non-finite values and for a negative precision, handled here.
* ``parseSize`` is the current hand-written parser (go-units v0.5), not the older
  regular expression: the number is everything up to the last digit, dot or space,
  so ``".3kB"`` and ``"1.5 GB"`` are accepted and ``"32m b"`` is an invalid suffix.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "bytes_size",
    "go_format_float",
    "from_human_size",
    "human_duration",
    "human_size",
    "human_size_with_precision",
    "parse_size",
    "ram_in_bytes",
]

KB, MB, GB, TB, PB = (1000**n for n in range(1, 6))
KIB, MIB, GIB, TIB, PIB = (1024**n for n in range(1, 6))

_DECIMAL_MAP = {"k": KB, "m": MB, "g": GB, "t": TB, "p": PB}
_BINARY_MAP = {"k": KIB, "m": MIB, "g": GIB, "t": TIB, "p": PIB}
_DECIMAL_ABBRS = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
_BINARY_ABBRS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]

_INT64_MIN = -(2**63)


def _go_g(value: float, precision: int) -> str:
    """Go's ``%.*g``; a negative precision means "shortest", as fmt treats it."""
    return go_format_float(value, "g", precision if precision >= 0 else -1)


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of abs(value) and the decimal point position.

    Python's repr and Go's strconv both pick the shortest digit string that reads
    back as the same float64, so the digits agree.
    """
    if value == 0:
        return "", 0
    dec = Decimal(repr(abs(value))).normalize()
    sign, digits, exponent = dec.as_tuple()
    text = "".join(map(str, digits))
    return text, len(text) + int(exponent)


def go_format_float(value: float, fmt: str, prec: int = -1) -> str:
    """strconv.FormatFloat(value, fmt, prec, 64) for fmt in 'e', 'f', 'g'.

    ``prec=-1`` is Go's shortest representation; for 'g' it switches to the
    exponent form when the exponent is < -4 or >= 6 (so 1e6 prints ``1e+06``).
    With an explicit precision Python's own formatting is correctly rounded
    (half to even on the exact binary value) just as Go's is.
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if prec >= 0:
        if fmt == "g":
            return f"{value:.{prec}g}"
        return format(value, f".{prec}{fmt}")
    digits, point = _shortest_digits(value)
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if fmt == "g":
        exp = point - 1 if digits else 0
        fmt = "e" if exp < -4 or exp >= 6 else "f"
    if fmt == "e":
        exp = point - 1 if digits else 0
        body = (digits or "0")[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if not digits:
        return f"{sign}0"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _size_and_unit(size: float, base: float, abbrs: list[str]) -> tuple[float, str]:
    i = 0
    while size >= base and i < len(abbrs) - 1:
        size /= base
        i += 1
    return size, abbrs[i]


def human_size_with_precision(size: float, precision: int) -> str:
    """go-units HumanSizeWithPrecision: decimal units, ``precision`` significant digits."""
    value, unit = _size_and_unit(float(size), 1000.0, _DECIMAL_ABBRS)
    return _go_g(value, precision) + unit


def human_size(size: float) -> str:
    """go-units HumanSize: four significant digits, e.g. ``1.049MB``."""
    return human_size_with_precision(size, 4)


def bytes_size(size: float) -> str:
    """go-units BytesSize: binary units, four significant digits, e.g. ``3.42GiB``."""
    value, unit = _size_and_unit(float(size), 1024.0, _BINARY_ABBRS)
    return _go_g(value, 4) + unit


def _go_div(a: int, b: int) -> tuple[int, int]:
    """Go's truncating integer division and remainder."""
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        q = -q
    return q, a - q * b


def _duration_in(ns: int, unit_ns: int) -> float:
    """time.Duration.Seconds/Minutes/Hours: whole units plus the fraction, as Go adds them."""
    whole, rest = _go_div(ns, unit_ns)
    return float(whole) + rest / unit_ns


def human_duration(seconds: float) -> str:
    """go-units HumanDuration, the text behind ``Up 3 hours`` and ``2 days ago``.

    Hours are rounded (``+ 0.5``) while every other unit truncates, so 1h29m is
    "About an hour" but 1h31m is "2 hours".
    """
    ns = round(seconds * 1_000_000_000)
    secs = int(_duration_in(ns, 1_000_000_000))
    if secs < 1:
        return "Less than a second"
    if secs == 1:
        return "1 second"
    if secs < 60:
        return f"{secs} seconds"
    minutes = int(_duration_in(ns, 60_000_000_000))
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours_f = _duration_in(ns, 3_600_000_000_000)
    hours = int(hours_f + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(hours_f) // 24 // 365} years"


_GO_DEC_FLOAT = re.compile(
    r"[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?")
_GO_HEX_FLOAT = re.compile(
    r"([+-]?)0[xX]_?((?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?(?:\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?)"
    r"[pP]([+-]?\d(?:_?\d)*)"
)
_GO_SPECIAL = re.compile(r"([+-]?)(inf|infinity)|nan", re.IGNORECASE)


def _go_parse_float(text: str) -> float:
    """strconv.ParseFloat(text, 64), raising ValueError with Go's error text."""
    if _GO_SPECIAL.fullmatch(text):
        return float(text)
    value: float
    hex_match = _GO_HEX_FLOAT.fullmatch(text)
    if hex_match and hex_match.group(2).strip("._"):
        sign, mantissa, exponent = hex_match.groups()
        value = float.fromhex(f"{sign}0x{mantissa.replace('_', '') or '0'}p{exponent}")
    elif _GO_DEC_FLOAT.fullmatch(text):
        value = float(text.replace("_", ""))
    else:
        raise ValueError(f'strconv.ParseFloat: parsing "{text}": invalid syntax')
    if math.isinf(value):
        raise ValueError(f'strconv.ParseFloat: parsing "{text}": value out of range')
    return value


def _go_int64(value: float) -> int:
    """Go's int64(float64) on amd64: out-of-range and NaN become math.MinInt64."""
    if math.isnan(value) or not _INT64_MIN <= value < 2**63:
        return _INT64_MIN
    return int(value)


def _parse_size(size_str: str, unit_map: dict[str, int]) -> int:
    sep = max(size_str.rfind(c) for c in "01234567890. ")
    if sep == -1:
        raise ValueError(f"invalid size: '{size_str}'")
    if size_str[sep] != " ":
        num, sfx = size_str[: sep + 1], size_str[sep + 1 :]
    else:
        num, sfx = size_str[:sep], size_str[sep + 1 :]
    size = _go_parse_float(num)
    if size < 0:
        raise ValueError(f"invalid size: '{size_str}'")
    if not sfx:
        return _go_int64(size)
    if len(sfx) > 3:
        raise ValueError(f"invalid suffix: '{sfx}'")
    sfx = sfx.lower()
    if sfx[0] == "b":
        if len(sfx) > 1:
            raise ValueError(f"invalid suffix: '{sfx}'")
        return _go_int64(size)
    if sfx[0] not in unit_map:
        raise ValueError(f"invalid suffix: '{sfx}'")
    size *= unit_map[sfx[0]]
    if (len(sfx) == 2 and sfx[1] != "b") or (len(sfx) == 3 and sfx[1:] != "ib"):
        raise ValueError(f"invalid suffix: '{sfx}'")
    return _go_int64(size)


def from_human_size(text: str) -> int:
    """go-units FromHumanSize: SI units, so ``"45MB"`` is 45,000,000 and ``"1k"`` is 1000."""
    return _parse_size(text, _DECIMAL_MAP)


def ram_in_bytes(text: str) -> int:
    """go-units RAMInBytes (``--memory``, ``--shm-size``): every unit is binary, even ``MB``."""
    return _parse_size(text, _BINARY_MAP)


_FRIENDLY = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]*)\s*")
_FRIENDLY_UNITS = {
    "": 1,
    "b": 1,
    **{p: KB ** (i + 1) for i, p in enumerate("kmgtp")},
    **{p + "b": KB ** (i + 1) for i, p in enumerate("kmgtp")},
    **{p + "ib": KIB ** (i + 1) for i, p in enumerate("kmgtp")},
}


def parse_size(text: str) -> int:
    """Parse a size a scenario author typed: ``45MB``, ``45 MB``, ``1.2GiB``, ``300k``, ``1024``.

    kB/MB/GB (and bare k/M/G) are decimal, KiB/MiB/GiB binary, units are
    case-insensitive; fractional bytes are truncated, as go-units does.
    """
    match = _FRIENDLY.fullmatch(text) if isinstance(text, str) else None
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _FRIENDLY_UNITS:
        raise ValueError(
            f"invalid size {text!r}: expected a number and an optional unit "
            "(B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB), e.g. 45MB, 1.2GiB, 300k or 1024"
        )
    try:
        amount = Decimal(match.group(1)) * _FRIENDLY_UNITS[unit]
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only decimals
        raise ValueError(f"invalid size {text!r}: {exc}") from None
    return int(amount)
