"""Units a scenario author types: sizes, rates and durations, converted to base units.

Scenarios are written by people, so quantities carry their units (``100Mbit/s``, ``20GB``,
``450ms``) and the simulator works in bytes, bytes per second and seconds (DESIGN "Time").
Each parser raises a one-line ValueError that says what was expected, because the loader
shows it to the author next to the key that held it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sim.cli import units as cli_units

__all__ = ["parse_duration", "parse_rate", "parse_size"]

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"

# Network links are quoted in bits per second; the prefix is case-insensitive ("mbit/s"
# cannot mean millibits on a network link) and "bps" is the common shorthand.
_BIT_RATE = re.compile(rf"\s*({_NUMBER})\s*([kKmMgGtT]?)(?:bit/s|bps)\s*")
_BIT_PREFIX = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}

# Byte rates are a size unit per second; the final B must be upper case so that "Mb/s"
# (megabits, as often written) is not silently read as megabytes.
_BYTE_RATE = re.compile(rf"\s*({_NUMBER})\s*([kKmMgGtT]?i?)B/s\s*")
_BYTE_PREFIX = {
    "": 1,
    **{p: 1000 ** (i + 1) for i, p in enumerate("kmgt")},
    **{p + "i": 1024 ** (i + 1) for i, p in enumerate("kmgt")},
}

_DURATION_PART = re.compile(rf"({_NUMBER})\s*(ms|s|m|h)")
_DURATION_UNIT = {"ms": Decimal("0.001"), "s": Decimal(1), "m": Decimal(60), "h": Decimal(3600)}
_PLAIN = re.compile(rf"\s*({_NUMBER})\s*")

# Bounds that keep simulated time finite: a duration past a century, or a rate under one bit
# a second, only comes from a typo, and sums of such values would overflow to infinity.
MAX_SECONDS = 100 * 365.25 * 86400
MIN_RATE = 0.125  # bytes/s: 1 bit/s

RATE_EXPECTED = "expected a rate like 100Mbit/s or 50MB/s"
DURATION_EXPECTED = "expected a duration like 30s, 100ms, 1m30s or a number of seconds"
SIZE_EXPECTED = "expected a size like 20GB, 512MiB or a number of bytes"


def _is_number(value: object) -> bool:
    """True for int and float but not bool: ``true`` is never a quantity."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimal(text: str) -> Decimal:
    """Exact decimal so that ``100Mbit/s`` is exactly 12,500,000 bytes/s, not a float guess."""
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regexes admit only decimals
        raise ValueError(f"not a number: {text!r}") from None


def parse_rate(text: str | float) -> float:
    """Bytes per second from ``100Mbit/s`` (decimal bits, /8), ``50MB/s``, ``2MiB/s``.

    A plain number is already bytes per second. A rate must be positive: a zero-speed link
    would stall every transfer forever rather than fail.
    """
    if _is_number(text):
        value = float(text)
    elif not isinstance(text, str):
        raise ValueError(f"{RATE_EXPECTED}, got {text!r}")
    elif match := _BIT_RATE.fullmatch(text):
        value = float(_decimal(match.group(1)) * _BIT_PREFIX[match.group(2).lower()] / 8)
    elif match := _BYTE_RATE.fullmatch(text):
        value = float(_decimal(match.group(1)) * _BYTE_PREFIX[match.group(2).lower()])
    elif match := _PLAIN.fullmatch(text):
        value = float(_decimal(match.group(1)))
    else:
        raise ValueError(f"{RATE_EXPECTED}, got {text!r}")
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{RATE_EXPECTED} (more than zero), got {text!r}")
    if value < MIN_RATE:
        raise ValueError(f"{RATE_EXPECTED} (at least 1bit/s), got {text!r}")
    return value


def parse_duration(text: str | float) -> float:
    """Seconds from ``450ms``, ``30s``, ``5m``, ``1h``, Go-style ``1m30s``, or a plain number.

    Negative durations are refused: nothing in a scenario happens before t = 0.
    """
    if _is_number(text):
        value = float(text)
    elif not isinstance(text, str):
        raise ValueError(f"{DURATION_EXPECTED}, got {text!r}")
    elif match := _PLAIN.fullmatch(text):
        value = float(_decimal(match.group(1)))
    else:
        compact = text.strip()
        parts = list(_DURATION_PART.finditer(compact))
        if not parts or "".join(p.group(0) for p in parts) != compact:
            raise ValueError(f"{DURATION_EXPECTED}, got {text!r}")
        total = sum(
            (_decimal(p.group(1)) * _DURATION_UNIT[p.group(2)] for p in parts), Decimal(0)
        )
        value = float(total)
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"{DURATION_EXPECTED} (not negative), got {text!r}")
    if value > MAX_SECONDS:
        raise ValueError(f"{DURATION_EXPECTED} (at most a century), got {text!r}")
    return value


def parse_size(text: str | int) -> int:
    """Bytes from ``20GB`` (decimal), ``512MiB`` (binary) or a plain number of bytes.

    The parsing itself is sim.cli.units.parse_size, so a scenario and a ``docker`` flag
    read a size the same way; only the error text is reworded for scenario authors.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    elif isinstance(text, float) and text.is_integer():
        value = int(text)
    elif not isinstance(text, str):
        raise ValueError(f"{SIZE_EXPECTED}, got {text!r}")
    else:
        try:
            value = cli_units.parse_size(text)
        except ValueError:
            raise ValueError(f"{SIZE_EXPECTED}, got {text!r}") from None
    if value < 0:
        raise ValueError(f"{SIZE_EXPECTED} (not negative), got {text!r}")
    return value
