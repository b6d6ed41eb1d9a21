"""The append-only trace: (time, event) records in the order they happened."""

from __future__ import annotations

import itertools
import json
import math
import operator
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, NamedTuple, overload

from .events import EVENT_TYPES, Event, event_from_dict


class TraceError(ValueError):
    """A trace file that is not a dockersim trace: says which line and what is wrong."""


class Record(NamedTuple):
    """One trace entry. A named tuple, not a dataclass: it is made once per event (millions
    in a large fleet) and a tuple is made without a Python-level ``__init__`` and stored
    without a ``__dict__``."""

    t: float
    seq: int
    event: Event

    def as_json(self) -> str:
        body = {"t": round(self.t, 9), "seq": self.seq, "type": self.event.kind}
        body.update(self.event.as_dict())
        return json.dumps(body, sort_keys=False, separators=(",", ":"))


_new = tuple.__new__  # Record(t, seq, event) without the generated __new__'s frame


class Records(Sequence[Record]):
    """A trace's records, kept as two columns (times, events) and made into Records when
    read: a 10,000-host fleet appends millions, and a column entry costs 16 bytes where a
    stored record (tuple and its sequence number) costs about 100."""

    __slots__ = ("_times", "_events")

    def __init__(self) -> None:
        self._times: list[float] = []
        self._events: list[Event] = []

    def __len__(self) -> int:
        return len(self._events)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        times, events = self._times, self._events
        if isinstance(index, slice):
            return [_new(Record, (times[i], i, events[i]))
                    for i in range(*index.indices(len(events)))]
        i = operator.index(index)
        if i < 0:
            i += len(events)
        if not 0 <= i < len(events):
            raise IndexError("trace record index out of range")
        return _new(Record, (times[i], i, events[i]))

    def __iter__(self) -> Iterator[Record]:
        return map(Record, self._times, itertools.count(), self._events)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records):
            return self._times == other._times and self._events == other._events
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the list it replaces

    def __repr__(self) -> str:
        return f"Records({list(self)!r})"


class Trace:
    def __init__(self) -> None:
        self.records = Records()
        self.listeners: list = []

    def append(self, t: float, event: Event) -> Record:
        records = self.records
        record = _new(Record, (t, len(records._events), event))
        records._times.append(t)
        records._events.append(event)
        if self.listeners:
            for listener in self.listeners:
                listener(record)
        return record

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def of(self, *kinds: type[Event]) -> list[Record]:
        records = self.records
        return [_new(Record, (records._times[i], i, e))
                for i, e in enumerate(records._events) if isinstance(e, kinds)]

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
