"""Downloads as state machines: lazy pulling by hand (slots, retries and timing are in
test_pull and test_faults)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.cli.runner import execute
from sim.model.reference import parse_normalized_named
from sim.trace import events as ev
from sim.world.download import discard, lazy_prefix
from sim.world.pull import pull

from .distribution_world import MB, REG, layer, transfers, world_with


def test_lazy_prefix_is_the_fraction_rounded_up():
    assert lazy_prefix(100 * MB, 0.064) == 6_400_000
    assert lazy_prefix(10, 0.064) == 1
    assert lazy_prefix(0, 0.064) == 0
    assert lazy_prefix(10, 1.0) == 10


def test_a_lazy_pull_finishes_after_the_fraction_and_the_rest_streams_later():
    blob = layer("big", 100 * MB, 200 * MB)
    world = world_with([blob], lazy_pull=True, lazy_fraction=0.1)
    result = execute(world, "a", f"docker pull {REG}/app:1")
    assert result.exit_code == 0
    # 10 MB at 10 MB/s: mountable at 1 s, no unpacking; the pull ends there
    assert transfers(world, "prefetched") == [(pytest.approx(1.0), "a", REG, 10 * MB)]
    assert world.now == pytest.approx(1.0)
    assert world.hosts["a"].bytes_pulled == 10 * MB
    world.advance(20)
    # the other 90 MB follow at 10 MB/s: the whole blob is in at 10 s
    assert transfers(world, "downloaded") == [(pytest.approx(10.0), "a", REG, 100 * MB)]
    assert world.hosts["a"].bytes_pulled == 100 * MB
    assert world.services[REG].bytes_served == 100 * MB


def test_a_lazily_pulled_container_runs_long_before_a_fully_pulled_one():
    def running_at(**distribution) -> float:
        world = world_with([layer("big", 100 * MB, 200 * MB)], **distribution)
        assert execute(world, "a", f"docker run -d {REG}/app:1").exit_code == 0
        return next(r.t for r in world.trace.of(ev.ContainerStateChanged)
                    if r.event.state == "running")
    # full: 10 s of data + 2 s unpacking + 0.5 s start; lazy: 1 s + 0.5 s start
    assert running_at() == pytest.approx(12.5)
    assert running_at(lazy_pull=True, lazy_fraction=0.1) == pytest.approx(1.5)


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 40), min_size=1, max_size=7),
       slots=st.integers(1, 4), lazy=st.booleans())
def test_slots_order_and_bytes_hold_for_any_image(sizes, slots, lazy):
    """At most ``slots`` downloads at a time, extraction (or mounting) bottom to top, and
    every byte of every blob pulled exactly once."""
    layers = [layer(f"{i}-{n}", n * MB // 10, n * MB // 5) for i, n in enumerate(sizes)]
    world = world_with(layers, slots=slots, lazy_pull=lazy, lazy_fraction=0.25)
    assert execute(world, "a", f"docker pull {REG}/app:1").exit_code == 0
    world.advance(1000)  # let a lazy pull's background streams end
    active, peak = 0, 0
    for r in world.trace.of(ev.LayerTransfer):
        if r.event.phase == "downloading":
            active += 1
        elif r.event.phase in ("downloaded", "prefetched") and not (
                lazy and r.event.phase == "downloaded"):
            active -= 1
        peak = max(peak, active)
    assert peak <= slots
    done = [r.event.digest for r in world.trace.of(ev.LayerTransfer)
            if r.event.phase == "extracted"]
    assert done == [x.digest for x in layers]
    assert world.hosts["a"].bytes_pulled == sum(x.compressed_size for x in layers)


def test_a_pull_nobody_reads_leaves_the_same_trace_as_one_that_prints() -> None:
    def trace_of(line) -> list:
        blobs = [layer(f"l{i}", (i + 1) * MB, 2 * (i + 1) * MB) for i in range(5)]
        world = world_with(blobs, hosts=("a", "b"), slots=2)
        ref = parse_normalized_named(f"{REG}/app:1")
        for host in ("a", "a", "b"):  # two overlapping pulls on one host share the transfer
            world.env.process(pull(world.hosts[host], ref, line))
        world.env.run()
        return [r.as_json() for r in world.trace]
    printed: list[str] = []
    assert trace_of(discard) == trace_of(printed.append)
    assert any(text.endswith(": Pull complete") for text in printed)
    assert discard("anything") is None
