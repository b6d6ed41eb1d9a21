"""Typed events (sim/trace/events.py): every kind is registered and survives a JSONL round
trip through the trace (sim/trace/trace.py)."""

from __future__ import annotations

import inspect
import io
import json
from dataclasses import FrozenInstanceError, fields

import pytest

from sim.trace import Trace
from sim.trace import events as ev
from sim.trace.events import event_from_dict

SAMPLES = {
    "str": "sample",
    "int": 7,
    "float": 2.5,
    "bool": True,
    "str | None": "parent",
    "tuple[str, ...]": ("sha256:" + "a" * 64, "sha256:" + "b" * 64),
    "tuple[tuple[str, str, int], ...]": (("/etc/hosts", "copy-up", 120), ("/x", "whiteout", 0)),
    "tuple[tuple[float, int], ...]": ((0.5, 100), (1.25, 3000)),
}


def subclasses() -> list[type[ev.Event]]:
    return [obj for _, obj in inspect.getmembers(ev, inspect.isclass)
            if issubclass(obj, ev.Event) and obj is not ev.Event]


def sample(cls: type[ev.Event], variant: int = 0) -> ev.Event:
    values = {}
    for f in fields(cls):
        assert f.type in SAMPLES, f"{cls.__name__}.{f.name}: add a sample for {f.type}"
        value = SAMPLES[f.type]
        if variant and f.type == "str | None":
            value = None
        values[f.name] = value
    values["host"] = "host1"
    return cls(**values)


def test_event_types_lists_every_subclass():
    classes = subclasses()
    assert len(classes) >= 19
    expected = {cls.__name__: cls for cls in classes}
    assert expected == ev.EVENT_TYPES


def test_kind_is_the_class_name():
    for cls in subclasses():
        assert sample(cls).kind == cls.__name__


def test_events_are_frozen():
    event = ev.ImageDeleted("h", "sha256:x")
    with pytest.raises(FrozenInstanceError):
        event.image_id = "other"  # type: ignore[misc]


@pytest.mark.parametrize("cls", subclasses(), ids=lambda c: c.__name__)
@pytest.mark.parametrize("variant", [0, 1])
def test_every_event_round_trips_through_jsonl(cls, variant):
    event = sample(cls, variant)
    trace = Trace()
    trace.append(1.25, event)
    buf = io.StringIO()
    trace.write_jsonl(buf)
    line = buf.getvalue()
    assert line.endswith("\n") and line.count("\n") == 1
    body = json.loads(line)
    assert (body["t"], body["seq"], body["type"]) == (1.25, 0, cls.__name__)
    back = Trace.read_jsonl(buf.getvalue().splitlines())
    (record,) = back.records
    assert record.event == event
    assert type(record.event) is cls
    assert record.t == 1.25 and record.seq == 0


def test_event_from_dict_ignores_unknown_keys():
    event = ev.event_from_dict("VolumeCreated", {"host": "h", "name": "v", "anonymous": False,
                                                 "future_field": 1})
    assert event == ev.VolumeCreated("h", "v", False)


def test_a_whole_trace_round_trips_in_order():
    trace = Trace()
    events = [sample(cls) for cls in subclasses()]
    for i, event in enumerate(events):
        trace.append(i * 0.5, event)
    buf = io.StringIO()
    trace.write_jsonl(buf)
    back = Trace.read_jsonl(io.StringIO(buf.getvalue()))
    assert [r.event for r in back] == events
    assert [r.t for r in back] == [r.t for r in trace]
    assert [r.seq for r in back] == list(range(len(events)))
    again = io.StringIO()
    back.write_jsonl(again)
    assert again.getvalue() == buf.getvalue()


def test_events_are_slotted_so_a_large_trace_stays_small() -> None:
    event = ev.LayerTransfer("h", "sha256:" + "a" * 64, "downloaded", 10, "docker.io")
    assert not hasattr(event, "__dict__")
    assert event.kind == "LayerTransfer"
    assert event.as_dict() == {"host": "h", "digest": "sha256:" + "a" * 64,
                               "phase": "downloaded", "size": 10, "registry": "docker.io",
                               "progress": ()}
    assert event_from_dict("LayerTransfer", event.as_dict()) == event
