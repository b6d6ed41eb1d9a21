"""The append-only trace: (time, event) records in the order they happened."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .events import Event, event_from_dict


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
    def read_jsonl(lines: Iterable[str]) -> Trace:
        trace = Trace()
        for line in lines:
            if not line.strip():
                continue
            body = json.loads(line)
            t, kind = body.pop("t"), body.pop("type")
            body.pop("seq", None)
            trace.append(t, event_from_dict(kind, body))
        return trace
