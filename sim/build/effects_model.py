"""The value every RUN-effects module builds: RunEffect, its EffectError, and ``merge``.

It sits below the annotation grammar (effects_parse.py) and the estimators
(effects_estimate.py and the modules it dispatches to), which all produce or combine
RunEffects, so that none of them has to import the public module effects.py, which imports
them. Import these names from :mod:`sim.build.effects`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache


class EffectError(ValueError):
    """A malformed ``# sim:`` annotation or effects-table entry; one line, shown as is."""


@dataclass(frozen=True)
class RunEffect:
    """What one RUN did to the filesystem and how long it took (removes first, then writes)."""

    writes: tuple[tuple[str, int], ...] = ()
    removes: tuple[str, ...] = ()
    duration: float = 1.0
    exit_code: int = 0
    estimated: bool = False
    source: str = "default"  # annotation | scenario | table | default
    note: str = ""

    @property
    def bytes_written(self) -> int:
        return sum(size for _, size in self.writes)


# --------------------------------------------------------------------------- merge


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A shell glob as a regex: ``*`` and ``?`` stop at ``/``, ``[...]`` is a class."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        i += 1
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and (end := _class_end(pattern, i)) > 0:
            body = pattern[i:end]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            chars = [c if c == "-" and 0 < k < len(body) - 1 else re.escape(c)
                     for k, c in enumerate(body)]
            out.append("[" + ("^" if negate else "") + "".join(chars) + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
    return re.compile("".join(out))


def _class_end(pattern: str, start: int) -> int:
    """Index of the ``]`` closing a class opened just before ``start``, or -1."""
    j = start + 1 if pattern[start:start + 1] in ("!", "^") else start
    j += pattern[j:j + 1] == "]"
    return pattern.find("]", j)


def _removed_by(pattern: str, path: str) -> bool:
    """True when ``rm -rf PATTERN`` takes a write at ``path`` away: the path or one of its
    ancestors matches, or the pattern empties the written directory (``/var/lib/apt/lists/*``)."""
    regex = _glob_regex(pattern.rstrip("/") or "/")
    node = path
    while node not in ("", "/"):
        if regex.fullmatch(node):
            return True
        node = posixpath.dirname(node)
    parent, last = posixpath.split(pattern.rstrip("/"))
    return last == "*" and _glob_regex(parent or "/").fullmatch(path) is not None


def merge(effects: list[RunEffect]) -> RunEffect:
    """One effect for commands run in sequence: durations add, a later write to the same path
    replaces the earlier one, a later remove drops the writes it covers (so
    ``apt-get update && ... && rm -rf /var/lib/apt/lists/*`` keeps no lists), removes are kept
    for the lower layers, and the exit code is the first non-zero one."""
    writes: dict[str, int] = {}
    removes: list[str] = []
    sources: list[str] = []
    for effect in effects:
        for pattern in effect.removes:
            for path in [p for p in writes if _removed_by(pattern, p)]:
                del writes[path]
            if pattern not in removes:
                removes.append(pattern)
        for path, size in effect.writes:
            writes.pop(path, None)
            writes[path] = size
        if effect.source not in sources:
            sources.append(effect.source)
    return RunEffect(
        writes=tuple(writes.items()),
        removes=tuple(removes),
        duration=float(sum(e.duration for e in effects)),
        exit_code=next((e.exit_code for e in effects if e.exit_code), 0),
        estimated=any(e.estimated for e in effects),
        source="+".join(sources) or "default",
        note="; ".join(e.note for e in effects if e.note),
    )
