"""What a RUN the simulator does not execute does: files written and removed, time, exit code.

A RUN outside the shell subset is never run. Its effect comes, in this order, from a
``# sim:`` annotation right above it (``parse_annotation``), the scenario's effects table
(``EffectsTable``), the built-in table of package-manager and build commands, or a default
(``estimate``). Everything the author did not declare is marked ``estimated`` and carries a
note naming its assumption, so the UI never passes a guess off as a measurement; the numbers
live in effects_table.py and docs/run-effects.md says where each comes from.

An effect's removes apply first, then its writes. A write is a path and the bytes below it:
a directory's worth of content (``/usr/lib/git 45MB``), or the file itself when the path
is an existing file (``/etc/passwd``). Removes are shell globs, as ``rm -rf`` takes them.

This module is the public API; the work is split by concern, so that each module stays small
and the imports stay acyclic: effects_model.py (RunEffect, EffectError, ``merge``),
effects_parse.py (the annotation grammar), effects_estimate.py (walking a command line and
dispatching each command) with effects_cmdline.py (segmentation and helpers),
effects_packages.py and effects_tools.py (the per-tool estimators), and effects_table.py
(the numbers).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .effects_cmdline import Context, norm
from .effects_estimate import estimate_command
from .effects_model import EffectError, RunEffect, merge
from .effects_parse import SIM_LINE, format_annotation, parse_annotation, parse_body

__all__ = [
    "EffectError",
    "EffectsTable",
    "RunEffect",
    "estimate",
    "format_annotation",
    "merge",
    "parse_annotation",
]


# --------------------------------------------------------------------------- scenario table


@dataclass(frozen=True)
class EffectsTable:
    """A scenario's own effects, keyed by command: a plain key matches as a substring, a
    ``re:`` key as a regular expression (re.search); the first matching key wins."""

    entries: tuple[tuple[str, re.Pattern[str] | None, RunEffect], ...] = ()

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str | RunEffect]) -> EffectsTable:
        """Parse every entry up front, so a bad one fails at load time naming its key."""
        entries = []
        for key, value in mapping.items():
            prefix = f"bad effects table entry {key!r}:"
            if not isinstance(key, str) or not key or key == "re:":
                raise EffectError(f"{prefix} expected a command or 're:REGEX' as the key")
            pattern = None
            if key.startswith("re:"):
                try:
                    pattern = re.compile(key[3:])
                except re.error as exc:
                    raise EffectError(f"{prefix} invalid regular expression: {exc}") from None
            if isinstance(value, RunEffect):
                effect = value
            elif isinstance(value, str):
                body = m.group(1) if (m := SIM_LINE.fullmatch(value)) else value
                effect = parse_body([body], prefix, source="scenario",
                                     note=f"scenario effects table: {key}")
            else:
                raise EffectError(f"{prefix} expected text like 'writes /usr/lib/git 45MB, "
                                  f"takes 20s', got {value!r}")
            entries.append((key, pattern, effect))
        return cls(tuple(entries))

    def lookup(self, command: str) -> RunEffect | None:
        for key, pattern, effect in self.entries:
            if (pattern.search(command) if pattern is not None else key in command):
                return effect
        return None

    def __len__(self) -> int:
        return len(self.entries)


# --------------------------------------------------------------------------- estimates


def estimate(command: str, table: EffectsTable | None = None, *,
             workdir: str = "/app") -> RunEffect:
    """The effect of a RUN nobody annotated: the scenario's table, else the built-in table
    (segment by segment), else a default that changes no file and takes 1 s.

    ``workdir`` is the RUN's working directory, where ``npm ci`` or ``go build`` write.
    """
    if table is not None and (hit := table.lookup(command)) is not None:
        return hit
    built = estimate_command(command, Context(norm(workdir, "/")))
    if built is not None:
        return built
    shown = command if len(command) <= 60 else command[:57] + "..."
    return RunEffect(estimated=True, source="default",
                     note=f"no effect known for {shown!r}: assumed no file changes and 1s; "
                          "describe it with a '# sim:' annotation")
