"""The append-only trace and its JSONL form: every event type survives a round trip, in
order."""

from __future__ import annotations

import io
import json
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.trace import Record, Trace
from sim.trace import events as ev
from sim.trace.events import EVENT_TYPES, event_from_dict
from sim.trace.trace import TraceError

H = "host-1"
D1, D2 = "sha256:" + "1" * 64, "sha256:" + "2" * 64
CID = "c" * 64

SAMPLES: list[ev.Event] = [
    ev.CommandStarted(H, "docker run -d nginx"),
    ev.CommandFinished(H, "docker run -d nginx", 125),
    ev.LayerRegistered(H, D1, D1, None, 1024, D2),
    ev.LayerRegistered(H, D2, D1, D1, 0, D1),
    ev.LayerDeleted(H, D2, 2048),
    ev.ImageCreated(H, D1, (D1, D2), 4096),
    ev.ImageCreated(H, D2, (), 0),
    ev.ImageTagged(H, D1, "nginx:latest"),
    ev.ImageUntagged(H, D1, f"nginx@{D2}"),
    ev.ImageDeleted(H, D1),
    ev.ContainerCreated(H, CID, "boring_name", D1, "nginx", D2),
    ev.ContainerCreated(H, CID, "scratchy", D1, "scratch-img", None),
    ev.ContainerStateChanged(H, CID, "exited", 137),
    ev.ContainerFilesChanged(H, CID, (("/etc/hosts", "copy-up", 200), ("/tmp/x", "whiteout", 0)),
                             200),
    ev.ContainerFilesChanged(H, CID, (), 0),
    ev.ContainerRemoved(H, CID),
    ev.VolumeCreated(H, "data", False),
    ev.VolumeCreated(H, "f" * 64, True),
    ev.VolumeRemoved(H, "data"),
    ev.PullStarted(H, "docker.io/library/nginx:latest", "registry-1.docker.io"),
    ev.LayerTransfer(H, D2, "downloading", 1_000_000, "registry-1.docker.io"),
    ev.LayerTransfer(H, D2, "exists", 0),
    ev.PullFinished(H, "nginx:latest", D1),
    ev.ManifestPushed(H, "registry.example.com", "team/app", "1.0", D2),
    ev.ClockAdvanced(H, 2.5),
    ev.FaultStarted(H, "registry-outage", 30.0),
    ev.FaultEnded(H, "registry-outage"),
    ev.ImageBuilt(H, "sha256:" + "b" * 64, ("shop:1.0",)),
    ev.BuildStep(H, 3, "[2/4] RUN make", "cached"),
    ev.RegistryOpened("docker.io", ("nginx:latest", "redis:8.2")),
]
TIMES = sorted([0.0, 0.25, 0.25, 12.5, 3.0, 1_800_000_000.5, 7.125] * 5)


def test_samples_cover_every_event_type() -> None:
    assert {type(e) for e in SAMPLES} == set(EVENT_TYPES.values())
    assert set(EVENT_TYPES) == {cls.__name__ for cls in ev.Event.__subclasses__()}


def build_trace() -> Trace:
    trace = Trace()
    for t, event in zip(TIMES, SAMPLES, strict=False):
        trace.append(t, event)
    return trace


def test_jsonl_round_trip_keeps_every_event_in_order() -> None:
    trace = build_trace()
    out = io.StringIO()
    trace.write_jsonl(out)
    text = out.getvalue()
    assert text.count("\n") == len(SAMPLES)
    back = Trace.read_jsonl(text.splitlines())
    assert len(back) == len(trace)
    for a, b in zip(trace, back, strict=True):
        assert (b.t, b.seq) == (a.t, a.seq)
        assert type(b.event) is type(a.event)
        assert b.event == a.event
    assert [r.event for r in back] == SAMPLES


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.kind)
def test_each_line_is_flat_json(event: ev.Event) -> None:
    line = Record(1.5, 7, event).as_json()
    body = json.loads(line)
    assert list(body)[:3] == ["t", "seq", "type"]
    assert (body["t"], body["seq"], body["type"]) == (1.5, 7, event.kind)
    assert {k for k in body if k not in ("t", "seq", "type")} == {
        f.name for f in fields(event)}
    assert event_from_dict(body["type"], body) == event


def test_field_names_do_not_clash_with_record_keys() -> None:
    for cls in EVENT_TYPES.values():
        assert not {f.name for f in fields(cls)} & {"t", "seq", "type"}, cls


def test_save_and_read_file(tmp_path) -> None:
    trace = build_trace()
    path = tmp_path / "trace.jsonl"
    trace.save(path)
    with open(path, encoding="utf-8") as fh:
        back = Trace.read_jsonl(fh)
    assert [(r.t, r.seq, r.event) for r in back] == [(r.t, r.seq, r.event) for r in trace]


def test_blank_lines_are_skipped() -> None:
    lines = ["", Record(1.0, 0, SAMPLES[0]).as_json(), "   ", Record(2.0, 1, SAMPLES[1]).as_json()]
    back = Trace.read_jsonl(lines)
    assert [r.event for r in back] == SAMPLES[:2]


def test_order_is_append_order_and_a_file_whose_time_goes_back_is_refused() -> None:
    trace = Trace()
    trace.append(5.0, SAMPLES[0])
    trace.append(1.0, SAMPLES[1])
    assert [(r.t, r.seq) for r in trace] == [(5.0, 0), (1.0, 1)]
    out = io.StringIO()
    trace.write_jsonl(out)
    with pytest.raises(TraceError, match=r"^trace:2: time goes back \(1.0 after 5.0\)$"):
        Trace.read_jsonl(out.getvalue().splitlines())


@pytest.mark.parametrize(("line", "why"), [
    ("{", r"trace:2: not a JSON object \(Expecting property name"),
    ("[1, 2]", r"trace:2: not a JSON object$"),
    ('{"t": -1, "type": "ClockAdvanced", "host": "h", "seconds": 1}', r'"t" must be a time'),
    ('{"t": 1e999, "type": "ClockAdvanced", "host": "h", "seconds": 1}', r'"t" must be a time'),
    ('{"t": 1, "type": "Nope", "host": "h"}', r"unknown event type 'Nope'"),
    ('{"t": 1, "type": "ClockAdvanced", "host": "h"}', r"missing 1 required .*'seconds'"),
    ('{"t": 1, "type": "ClockAdvanced", "host": "h", "seconds": "x"}', r"field 'seconds'"),
    ('{"t": 1, "type": "LayerRegistered", "host": "h", "chain_id": "c", "diff_id": "d", '
     '"parent": 5, "size": 1, "digest": "x"}', r"field 'parent'"),
])
def test_a_malformed_trace_line_is_refused_with_its_line_number(line, why) -> None:
    with pytest.raises(TraceError, match=why):
        Trace.read_jsonl(["", line])  # blank lines are skipped but counted


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80) | st.binary(max_size=40).map(
    lambda b: b.decode("latin-1")), max_size=5))
def test_any_text_reads_as_a_trace_or_a_trace_error(lines) -> None:
    try:
        Trace.read_jsonl(lines)
    except TraceError as exc:
        assert str(exc).startswith("trace:") and "\n" not in str(exc)


def test_load_says_what_is_wrong_with_the_file(tmp_path) -> None:
    with pytest.raises(TraceError, match=r"nope.jsonl: No such file or directory"):
        Trace.load(tmp_path / "nope.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(TraceError, match=r"bad.jsonl: not UTF-8 text"):
        Trace.load(bad)


def test_listeners_and_filter() -> None:
    trace = Trace()
    seen: list[Record] = []
    trace.listeners.append(seen.append)
    for t, event in zip(TIMES, SAMPLES, strict=False):
        trace.append(t, event)
    assert [r.event for r in seen] == SAMPLES
    images = trace.of(ev.ImageTagged, ev.ImageUntagged)
    assert [r.event.kind for r in images] == ["ImageTagged", "ImageUntagged"]
    assert [r.seq for r in trace] == list(range(len(SAMPLES)))


def test_records_read_like_the_list_they_replace() -> None:
    trace = Trace()
    events = [ev.CommandStarted("h", f"docker ps {i}") for i in range(4)]
    for i, event in enumerate(events):
        assert trace.append(0.5 * i, event) == Record(0.5 * i, i, event)
    records = trace.records
    assert len(records) == 4 and records[0] == Record(0.0, 0, events[0])
    assert records[-1] == Record(1.5, 3, events[3])
    assert records[1:3] == [Record(0.5, 1, events[1]), Record(1.0, 2, events[2])]
    assert records[::-2] == [records[3], records[1]]
    assert list(records) == [records[i] for i in range(4)] == list(trace)
    assert records == list(records) and records != list(records)[:3]
    assert records[2].event is events[2] and records[2].t == 1.0 and records[2].seq == 2
    with pytest.raises(IndexError):
        records[4]
    with pytest.raises(IndexError):
        records[-5]
    first, *_ = records
    assert first.event is events[0]


def test_a_record_is_immutable_and_equal_by_value() -> None:
    event = ev.PullStarted("h", "nginx:latest", "docker.io")
    record = Record(2.0, 1, event)
    assert record == Record(2.0, 1, ev.PullStarted("h", "nginx:latest", "docker.io"))
    assert hash(record) == hash(Record(2.0, 1, event))
    with pytest.raises(AttributeError):
        record.t = 3.0  # type: ignore[misc]
