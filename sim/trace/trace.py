"""The append-only trace: (time, event) records in the order they happened."""

from __future__ import annotations

import json
import math
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .events import EVENT_TYPES, Event, event_from_dict


class TraceError(ValueError):
    """A trace file that is not a dockersim trace: says which line and what is wrong."""


@dataclass(frozen=True)
class Record:
    t: float
    seq: int
    event: Event

    def as_json(self) -> str:
        body = {"t": round(self.t, 9), "seq": self.seq, "type": self.event.kind}
        body.update(self.event.as_dict())
        return json.dumps(body, sort_keys=False, separators=(",", ":"))


class Trace:
    def __init__(self) -> None:
        self.records: list[Record] = []
        self.listeners: list = []

    def append(self, t: float, event: Event) -> Record:
        record = Record(t, len(self.records), event)
        self.records.append(record)
        for listener in self.listeners:
            listener(record)
        return record

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def of(self, *kinds: type[Event]) -> list[Record]:
        return [r for r in self.records if isinstance(r.event, kinds)]

    def write_jsonl(self, out: IO[str]) -> None:
        for record in self.records:
            out.write(record.as_json() + "\n")

    def save(self, path: str | Path) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            self.write_jsonl(fh)

    @staticmethod
    def read_jsonl(lines: Iterable[str], name: str = "trace") -> Trace:
        """Read records back; anything malformed raises TraceError naming the line."""
        trace = Trace()
        last = -math.inf
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{name}:{number}"
            try:
                body = json.loads(line)
            except ValueError as exc:
                raise TraceError(f"{where}: not a JSON object ({exc.msg})") from None
            if not isinstance(body, dict):
                raise TraceError(f"{where}: not a JSON object")
            t, kind = body.pop("t", None), body.pop("type", None)
            if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t) \
                    or t < 0:
                raise TraceError(f"{where}: \"t\" must be a time in seconds >= 0, not {t!r}")
            if t < last:
                raise TraceError(f"{where}: time goes back ({t} after {last})")
            if kind not in EVENT_TYPES:
                raise TraceError(f"{where}: unknown event type {kind!r}")
            body.pop("seq", None)
            try:
                event = event_from_dict(kind, body)
            except TypeError as exc:
                raise TraceError(f"{where}: {kind}: {_missing(exc)}") from None
            bad = _ill_typed(event)
            if bad:
                raise TraceError(f"{where}: {kind}: {bad}")
            trace.append(t, event)
            last = t
        return trace

    @staticmethod
    def load(path: str | Path) -> Trace:
        """A trace file from disk; unreadable or malformed files raise TraceError."""
        try:
            with open(path, encoding="utf-8") as fh:
                return Trace.read_jsonl(fh, str(path))
        except OSError as exc:
            raise TraceError(f"{path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise TraceError(f"{path}: not UTF-8 text") from None


def _ill_typed(event: Event) -> str | None:
    """The first field whose value does not have its declared type (ints pass as floats)."""
    hints = _hints(type(event))
    for name, hint in hints.items():
        value = getattr(event, name)
        if not _conforms(value, hint):
            return f"field {name!r} must be {hint}, not {value!r}"[:200]
    return None


_HINTS: dict[type, dict] = {}


def _hints(cls: type) -> dict:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _conforms(value, hint) -> bool:
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool) \
            and math.isfinite(value)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint in (str, bool, type(None)):
        return isinstance(value, hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_conforms(value, a) for a in args)
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_conforms(v, args[0]) for v in value)
        return len(value) == len(args) and all(map(_conforms, value, args))
    return True


def _missing(exc: TypeError) -> str:
    text = str(exc)
    return text.split(") ", 1)[1] if ") " in text else text
