"""Links, flows and transfer events: validation and what they report on their own."""

import itertools

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.world.links import TRAIL_TOLERANCE, Link, Trail, TransferCancelled
from sim.world.network import Network


@pytest.mark.parametrize("capacity", [-1.0, float("inf"), float("nan")])
def test_a_link_refuses_an_impossible_capacity(capacity):
    with pytest.raises(ValueError, match="link capacity must be finite and >= 0"):
        Link("l", capacity)


def test_a_flow_reports_its_progress_and_a_link_its_bytes():
    env = simpy.Environment()
    net = Network(env)
    link = net.link("l", 10.0)
    event = net.transfer([link], 100, "blob")
    env.run(until=4)
    assert event.flow.delivered == pytest.approx(40.0)
    assert link.bytes_carried == pytest.approx(40.0)
    assert "blob" in repr(event.flow) and "l" in repr(link)
    env.run()
    assert event.flow.remaining == 0.0 and event.flow.end == pytest.approx(10.0)


def test_a_cancelled_transfer_says_which_and_why():
    assert str(TransferCancelled(None, "registry down")) == \
        "transfer cancelled: registry down"


def _interpolate(points, t):
    for (t0, b0), (t1, b1) in itertools.pairwise(points):
        if t0 <= t <= t1:
            return b0 + (b1 - b0) * ((t - t0) / (t1 - t0) if t1 > t0 else 1.0)
    raise AssertionError(f"{t} outside the waypoints")


def _drive(rates_and_spans, size):
    """A flow's progress through rate changes; returns (trail, every true kink, end)."""
    trail = Trail(size)
    t, done, kinks = 0.0, 0.0, [(0.0, 0.0)]
    trail.note(t, done)
    for rate, span in rates_and_spans:
        t, done = t + span, min(size, done + rate * span)
        kinks.append((t, done))
        if done >= size:
            break
        trail.note(t, done)
    return trail, kinks, t


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 1e6), st.floats(1e-3, 50.0)), min_size=1,
                max_size=400))
def test_a_trail_keeps_the_drawn_progress_within_its_tolerance(changes):
    size = 5e7
    trail, kinks, end = _drive(changes, size)
    drawn = [*trail.waypoints(end, kinks[-1][1]), (end, kinks[-1][1])]
    for t, done in kinks:
        assert abs(_interpolate(drawn, t) - done) <= 2 * TRAIL_TOLERANCE * size + 1e-6


def test_a_thousand_small_rate_changes_leave_a_few_waypoints_and_a_big_one_stays():
    # a flow whose share of a registry link shrinks as 1,000 others join, one by one
    changes = [(1e9 / n, 0.001) for n in range(1, 1001)]
    trail, kinks, end = _drive(changes, 1e12)
    assert len(kinks) > 1000 and len(trail.waypoints(end, kinks[-1][1])) < 60
    # the rate halves once, for good: that bend is a waypoint
    trail, kinks, end = _drive([(100.0, 10.0), (50.0, 10.0), (50.0, 10.0)], 10_000)
    assert (10.0, 1000.0) in trail.waypoints(end, kinks[-1][1])
