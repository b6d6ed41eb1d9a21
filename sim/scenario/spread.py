"""Seeded variability: per-host rate spreads, per-host arrival jitter, registry latency spread.

Real fleets are not identical and a rolling deploy is never simultaneous; without this a
run depends on the seed only for names, so replications of a what-if agree exactly. Every
draw comes from its own ``random.Random`` seeded with a string naming the scenario's seed,
the host (or registry) and the parameter, so a value is derivable by hand from the seed and
adding a host, a step or another spread never reshuffles the others:

- rate ``r`` with spread ``s`` on host ``h``: ``r * (1 + s * (2u - 1))`` rounded to a whole
  byte/s, ``u = Random(f"{seed}/{h}/{field}").random()``;
- a step ``i`` with jitter ``J`` on host ``h``: an extra ``J * u`` seconds, rounded to the
  microsecond, ``u = Random(f"{seed}/{h}/steps.{i}.jitter").random()``;
- registry ``k`` with latency ``L`` and spread ``s``: ``L * (1 + s * (2u - 1))`` seconds,
  rounded to the microsecond, ``u = Random(f"{seed}/registries.{k}/latency").random()``.

A string seed is hashed with SHA-512 by ``random.seed`` (version 2): the same on every
platform and in every process, whatever PYTHONHASHSEED is.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

__all__ = ["SPREAD_FIELDS", "Spread", "draw_unit", "jitter_offset", "parse_spread",
           "spread_text", "spread_value"]

SPREAD_FIELDS = ("downlink", "uplink", "extract_rate")
"""Host rates that may carry a ``<field>_spread``: the ones that set a pull's pace."""

SPREAD_EXPECTED = "expected a percentage between 0% and 100%"
_PERCENT = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*%\s*")


def parse_spread(value: object) -> float:
    """``"30%"`` becomes 0.3. Only a percentage string is accepted: a bare 30 or 0.3 is
    ambiguous. 100% is refused too: a draw at the bottom of the range would be a link of
    speed zero, which stalls a transfer forever rather than failing."""
    match = _PERCENT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{SPREAD_EXPECTED} like '20%', got {value!r}")
    try:
        percent = Decimal(match[1])
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        raise ValueError(f"{SPREAD_EXPECTED}, got {value!r}") from None
    if percent > 100:
        raise ValueError(f"{SPREAD_EXPECTED}, got {value!r}")
    if percent == 100:
        raise ValueError(f"expected a percentage below 100% (a rate drawn at -100% would be "
                         f"zero), got {value!r}")
    return float(percent / 100)


def spread_text(value: float) -> str:
    """0.3 back to ``"30%"``, so a dumped scenario loads again unchanged."""
    return f"{round(value * 100, 9):g}%"


Spread = Annotated[float, BeforeValidator(parse_spread),
                   PlainSerializer(spread_text, return_type=str)]
"""A fraction in [0, 1); written ``"30%"``."""


def draw_unit(seed: int, owner: str, what: str) -> float:
    """The one uniform draw in [0, 1) for (seed, host or registry, parameter)."""
    return random.Random(f"{seed}/{owner}/{what}").random()


def spread_value(base: float, spread: float, seed: int, owner: str, what: str,
                 digits: int = 0) -> float:
    """``base`` moved uniformly within ±``spread`` by its own draw; unchanged at spread 0."""
    if not spread:
        return base
    factor = 1 + spread * (2 * draw_unit(seed, owner, what) - 1)
    return float(round(base * factor, digits))


def jitter_offset(jitter: float, seed: int, host: str, step: int) -> float:
    """Seconds host ``host`` waits beyond step ``step``'s time: U(0, jitter)."""
    if not jitter:
        return 0.0
    return round(jitter * draw_unit(seed, host, f"steps.{step}.jitter"), 6)
