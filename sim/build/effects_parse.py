"""The ``# sim:`` annotation grammar: parsing and formatting a declared RUN effect.

Clauses ``writes PATH SIZE``, ``removes PATH...``, ``takes DURATION`` and ``exits N``, as a
Dockerfile comment or as the value of a scenario's effects table. Split from effects.py so
the grammar reads on its own; effects.py re-exports ``parse_annotation`` and
``format_annotation``, and the estimators reuse ``parse_duration`` (``sleep``).
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Iterable
from decimal import Decimal

from ..cli.units import parse_size
from .effects_model import EffectError, RunEffect

SIM_LINE = re.compile(r"\s*(?:#+\s*)?sim:(.*)")
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DURATION_PART = re.compile(rf"({_NUMBER})(ms|s|m|h)")
_DURATION_UNIT = {"ms": Decimal("0.001"), "s": Decimal(1), "m": Decimal(60), "h": Decimal(3600)}
_KEYWORDS = "expected writes, removes, takes or exits"
_SAFE_WORD = re.compile(r"[\w@%+=:./-]+", re.ASCII)
DIGITS = re.compile(r"[0-9]+")


def parse_annotation(text: str) -> RunEffect | None:
    """The effect a ``# sim:`` comment declares, or None when the comment is not one.

    Several ``sim:`` lines in one comment block add up; other comment lines are ignored.
    """
    bodies = [m.group(1) for line in text.splitlines() if (m := SIM_LINE.fullmatch(line))]
    if not bodies:
        return None
    return parse_body(bodies, "bad # sim: annotation", source="annotation", note="")


def format_annotation(effect: RunEffect) -> str:
    """The ``# sim:`` line that declares ``effect`` (exact sizes and durations round-trip)."""
    clauses = [f"writes {_quote(path)} {_format_size(size)}" for path, size in effect.writes]
    clauses += [f"removes {_quote(path)}" for path in effect.removes]
    clauses.append(f"takes {_format_duration(effect.duration)}")
    if effect.exit_code:
        clauses.append(f"exits {effect.exit_code}")
    return "# sim: " + ", ".join(clauses)


def _quote(path: str) -> str:
    """Shell-quote a path when needed; unlike shlex.quote, a comma is quoted too."""
    if len(f"x{path}x".splitlines()) > 1:
        raise EffectError(f"cannot annotate path {path!r}: it contains a line break")
    if _SAFE_WORD.fullmatch(path):
        return path
    return "'" + path.replace("'", "'\"'\"'") + "'"


def _format_size(size: int) -> str:
    for unit, mult in (("GB", 10**9), ("GiB", 2**30), ("MB", 10**6), ("MiB", 2**20),
                       ("kB", 10**3), ("KiB", 2**10)):
        if size >= mult and size % mult == 0:
            return f"{size // mult}{unit}"
    return f"{size}B"


def _format_duration(seconds: float) -> str:
    if seconds.is_integer() and abs(seconds) < 1e16:
        return f"{int(seconds)}s"
    return f"{seconds!r}s"


def parse_duration(text: str) -> float | None:
    """Seconds from ``20s``, ``2m``, ``1m30s``, ``500ms``, ``1h`` or a plain number."""
    if re.fullmatch(_NUMBER, text):
        total = Decimal(text)
    else:
        parts = list(_DURATION_PART.finditer(text))
        if not parts or "".join(p.group(0) for p in parts) != text:
            return None
        total = sum((Decimal(p.group(1)) * _DURATION_UNIT[p.group(2)] for p in parts),
                    Decimal(0))
    value = float(total)
    return value if math.isfinite(value) else None


def _clauses(body: str, prefix: str) -> list[list[str]]:
    """Comma-separated clauses of shell-like words (quotes allowed, ``#`` is literal)."""
    lexer = shlex.shlex(body, posix=True, punctuation_chars=",")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:
        raise EffectError(f"{prefix} {body.strip()!r}: unbalanced quotes") from None
    clauses: list[list[str]] = [[]]
    for token in tokens:
        if token and set(token) == {","}:
            clauses.extend([] for _ in token)
        else:
            clauses[-1].append(token)
    if any(not clause for clause in clauses):
        problem = "empty clause (a stray comma?)" if tokens else _KEYWORDS
        raise EffectError(f"{prefix} {body.strip()!r}: {problem}")
    return clauses


def parse_body(bodies: Iterable[str], prefix: str, source: str, note: str) -> RunEffect:
    """Clauses ``writes PATH SIZE``, ``removes PATH...``, ``takes DURATION``, ``exits N``."""
    writes: list[tuple[str, int]] = []
    removes: list[str] = []
    duration: float | None = None
    exit_code: int | None = None
    for body in bodies:
        for words in _clauses(body, prefix):
            keyword, args = words[0], words[1:]

            def bad(problem: str, words: list[str] = words) -> EffectError:
                return EffectError(f"{prefix} {' '.join(words)!r}: {problem}")

            paths = args[:1] if keyword == "writes" else args if keyword == "removes" else []
            for path in paths:
                if not path.startswith("/"):
                    raise bad(f"expected an absolute path like /usr/lib/git, got {path!r}")
            if keyword == "writes":
                if len(args) < 2:
                    raise bad("expected a path and a size, e.g. 'writes /usr/lib/git 45MB'")
                try:
                    size = parse_size(" ".join(args[1:]))
                except ValueError:
                    if len(args) > 3:
                        raise bad("expected one path and one size; separate several writes "
                                  "with commas") from None
                    raise bad("expected a size like 45MB") from None
                writes.append((args[0], size))
            elif keyword == "removes":
                if not args:
                    raise bad("expected a path, e.g. 'removes /tmp/cache'")
                removes.extend(args)
            elif keyword == "takes":
                if duration is not None:
                    raise bad("takes is given twice")
                seconds = parse_duration(" ".join(args).replace(" ", "")) if args else None
                if seconds is None:
                    raise bad("expected a duration like 20s, 2m or 1m30s")
                duration = seconds
            elif keyword == "exits":
                if exit_code is not None:
                    raise bad("exits is given twice")
                if len(args) != 1 or not DIGITS.fullmatch(args[0]) or int(args[0]) > 255:
                    raise bad("expected an exit code from 0 to 255")
                exit_code = int(args[0])
            else:
                raise bad(f"unknown clause {keyword!r}: {_KEYWORDS}")
    return RunEffect(tuple(writes), tuple(removes), 1.0 if duration is None else duration,
                     exit_code or 0, estimated=False, source=source, note=note)
