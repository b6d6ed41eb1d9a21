"""The fluid network against hand-computed answers: max-min shares, re-sharing when flows start,
end or links change, stalls, cancellation, byte accounting, and robustness at large sizes."""

from __future__ import annotations

import math

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.world.network import CANCELLED, DONE, Flow, Link, Network, TransferCancelled

MB = 1_000_000


def start_at(env: simpy.Environment, net: Network, when: float, path, nbytes, label, done):
    """Start a transfer at ``when`` and record (label, finish time) when it completes."""

    def proc():
        yield env.timeout(when)
        flow = yield net.transfer(path, nbytes, label)
        done.append((flow.label, env.now))

    return env.process(proc())


def at(env: simpy.Environment, when: float, action) -> None:
    def proc():
        yield env.timeout(when)
        action()

    env.process(proc())


def test_one_flow_alone_takes_size_over_capacity():
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 10 * MB)
    done = []
    start_at(env, net, 0, [link], 100 * MB, "f", done)
    env.run()
    assert done == [("f", pytest.approx(10.0))]
    assert link.bytes_carried == pytest.approx(100 * MB)
    assert net.active_flows == ()


def test_two_flows_starting_together_share_half_and_end_at_twice():
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 10 * MB)
    done = []
    start_at(env, net, 0, [link], 50 * MB, "f1", done)
    start_at(env, net, 0, [link], 50 * MB, "f2", done)
    env.run(until=1)
    assert [f.rate for f in net.active_flows] == [pytest.approx(5 * MB)] * 2
    env.run()
    assert done == [("f1", pytest.approx(10.0)), ("f2", pytest.approx(10.0))]


def test_second_flow_mid_way_then_first_speeds_back_up():
    # 10 MB/s. f1 = 100 MB from 0: 40 MB by t=4 (60 left). f2 = 30 MB from 4: both at 5 MB/s,
    # f2 ends at 4 + 30/5 = 10; f1 has 60 - 30 = 30 left, alone at 10 MB/s: ends at 13.
    env = simpy.Environment()
    rates = []
    net = Network(env, listener=lambda f, phase: rates.append((env.now, f.label, phase, f.rate)))
    link = net.link("a", 10 * MB)
    done = []
    start_at(env, net, 0, [link], 100 * MB, "f1", done)
    start_at(env, net, 4, [link], 30 * MB, "f2", done)
    env.run()
    assert done == [("f2", pytest.approx(10.0)), ("f1", pytest.approx(13.0))]
    f1_rates = [(t, r) for t, label, phase, r in rates if label == "f1" and phase != "end"]
    assert f1_rates == [(0, 10 * MB), (4, 5 * MB), (pytest.approx(10.0), 10 * MB)]
    assert link.bytes_carried == pytest.approx(130 * MB)


def test_three_flows_sharing_one_link():
    # 30 MB/s, sizes 30/60/90 MB: 10 MB/s each until f1 ends at 3; f2 (30 left) and f3
    # (60 left) at 15 MB/s: f2 ends at 5; f3 (30 left) alone at 30 MB/s: ends at 6.
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 30 * MB)
    done = []
    for label, size in (("f1", 30), ("f2", 60), ("f3", 90)):
        start_at(env, net, 0, [link], size * MB, label, done)
    env.run()
    assert done == [
        ("f1", pytest.approx(3.0)),
        ("f2", pytest.approx(5.0)),
        ("f3", pytest.approx(6.0)),
    ]


def test_different_bottlenecks_are_max_min_not_equal_split():
    # A = 10 MB/s carries f1 and f2; f2 also crosses B = 2 MB/s. f2 is held to 2 by B, and f1
    # takes the rest of A: 8 (an equal split would give 5 and 2, wasting 3).
    # f1 = 80 MB, f2 = 10 MB: f2 ends at 10/2 = 5; f1 has 80 - 40 = 40 left at 10: ends at 9.
    env = simpy.Environment()
    net = Network(env)
    a = net.link("A", 10 * MB)
    b = net.link("B", 2 * MB)
    done = []
    start_at(env, net, 0, [a], 80 * MB, "f1", done)
    start_at(env, net, 0, [a, b], 10 * MB, "f2", done)
    env.run(until=1)
    f1, f2 = net.active_flows
    assert (f1.rate, f2.rate) == (pytest.approx(8 * MB), pytest.approx(2 * MB))
    assert a.rate == pytest.approx(10 * MB) and b.rate == pytest.approx(2 * MB)
    env.run()
    assert done == [("f2", pytest.approx(5.0)), ("f1", pytest.approx(9.0))]


def test_water_filling_with_two_levels():
    # A = 10 carries f1, f2, f3; B = 3 carries f3, f4. B is tightest (3/2 = 1.5 < 10/3): f3 and
    # f4 get 1.5, and A's remaining 8.5 is split by f1 and f2: 4.25 each.
    env = simpy.Environment()
    net = Network(env)
    a = net.link("A", 10.0)
    b = net.link("B", 3.0)
    for label, path in (("f1", [a]), ("f2", [a]), ("f3", [a, b]), ("f4", [b])):
        net.transfer(path, 1000, label)
    assert {f.label: f.rate for f in net.active_flows} == {
        "f1": pytest.approx(4.25),
        "f2": pytest.approx(4.25),
        "f3": pytest.approx(1.5),
        "f4": pytest.approx(1.5),
    }


def test_capacity_change_mid_flow():
    # 100 MB at 10 MB/s; at t=5 (50 left) the link drops to 5 MB/s: 10 more seconds, ends at 15.
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 10 * MB)
    done = []
    start_at(env, net, 0, [link], 100 * MB, "f", done)
    at(env, 5, lambda: net.set_capacity(link, 5 * MB))
    env.run()
    assert done == [("f", pytest.approx(15.0))]
    assert link.capacity == 5 * MB


def test_zero_capacity_link_stalls_then_resumes():
    # 100 B at 10 B/s; at t=2 (80 left) the link drops to 0; at t=7 it returns: ends at 15.
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 10.0)
    done = []
    start_at(env, net, 0, [link], 100, "f", done)
    at(env, 2, lambda: net.set_capacity(link, 0))
    at(env, 7, lambda: net.set_capacity(link, 10))
    env.run(until=6)
    (flow,) = net.active_flows
    assert flow.rate == 0 and flow.delivered == pytest.approx(20)
    assert link.bytes_carried == pytest.approx(20)
    env.run()
    assert done == [("f", pytest.approx(15.0))]


def test_flow_started_on_dead_link_waits_for_capacity():
    env = simpy.Environment()
    net = Network(env)
    dead = net.link("dead", 0)
    event = net.transfer([dead], 50, "f")
    env.run(until=100)
    assert not event.triggered and event.flow.rate == 0
    net.set_capacity(dead, 25)
    env.run()
    assert event.ok and event.flow.end == pytest.approx(102.0)


def test_zero_byte_transfer_succeeds_at_once():
    env = simpy.Environment()
    net = Network(env)
    dead = net.link("dead", 0)
    event = net.transfer([dead], 0, "empty")
    assert event.triggered and event.value is event.flow
    assert event.flow.state == DONE and event.flow.end == 0
    assert net.active_flows == ()


def test_bytes_carried_is_sum_of_flows_that_crossed_the_link():
    env = simpy.Environment()
    net = Network(env)
    a = net.link("A", 7.0)
    b = net.link("B", 3.0)
    net.transfer([a], 30, "f1")
    net.transfer([a, b], 20, "f2")
    net.transfer([b], 50, "f3")
    env.run()
    assert a.bytes_carried == pytest.approx(50)
    assert b.bytes_carried == pytest.approx(70)


def test_bytes_carried_mid_flow_is_the_fluid_integral():
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 10.0)
    net.transfer([link], 100, "f")
    env.run(until=3)
    assert link.bytes_carried == pytest.approx(30)


def test_cancel_fails_the_event_and_others_speed_up():
    # Two 100 B flows at 5 B/s each; f2 is cancelled at t=4 (20 delivered); f1 has 80 left
    # and runs alone at 10 B/s: ends at 12. The link carried 100 + 20.
    env = simpy.Environment()
    ends = []
    net = Network(env, listener=lambda f, phase: phase == "end" and ends.append(f.label))
    link = net.link("a", 10.0)
    done: list = []
    caught: list = []
    start_at(env, net, 0, [link], 100, "f1", done)
    t2 = net.transfer([link], 100, "f2")

    def waiter():
        try:
            yield t2
        except TransferCancelled as exc:
            caught.append((exc.flow.label, env.now, exc.reason))

    env.process(waiter())
    at(env, 4, lambda: net.cancel(t2.flow, "registry down"))
    env.run()
    assert caught == [("f2", 4, "registry down")]
    assert t2.flow.state == CANCELLED and t2.flow.delivered == pytest.approx(20)
    assert done == [("f1", pytest.approx(12.0))]
    assert link.bytes_carried == pytest.approx(120)
    assert ends == ["f1", "f2"] or ends == ["f2", "f1"]
    assert net.cancel(t2.flow) is False
    assert net.cancel(net.transfer([link], 0).flow) is False


def test_cancel_of_unwatched_transfer_does_not_crash_the_run():
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 1.0)
    event = net.transfer([link], 100)
    at(env, 1, lambda: net.cancel(event.flow))
    env.run()
    assert not event.ok and isinstance(event.value, TransferCancelled)


def test_same_instant_finishes_in_start_order():
    # a = 20 B from 0 at 10 B/s: 10 left at t=1; b = 10 B from t=1: both at 5 B/s, both end
    # at t=3. x, y, z (30 B each, together on a 30 B/s link) also end at 3. Start order is
    # a, x, y, z (t=0), then b (t=1).
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 10.0)
    other = net.link("b", 30.0)
    done = []
    start_at(env, net, 0, [link], 20, "a", done)
    start_at(env, net, 1, [link], 10, "b", done)
    for label in ("x", "y", "z"):
        start_at(env, net, 0, [other], 30, label, done)
    env.run()
    assert [label for label, _ in done] == ["a", "x", "y", "z", "b"]
    assert [t for _, t in done] == pytest.approx([3.0] * 5)


def test_invalid_arguments_are_refused():
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 1.0)
    with pytest.raises(ValueError):
        net.link("a", 2.0)
    with pytest.raises(ValueError):
        net.link("b", -1.0)
    with pytest.raises(ValueError):
        net.transfer([link], -1)
    with pytest.raises(ValueError):
        net.transfer([Link("stranger", 1.0)], 1)
    with pytest.raises(ValueError):
        net.transfer([link, link], 1)
    with pytest.raises(ValueError):
        net.transfer([], 1)
    with pytest.raises(ValueError):
        net.set_capacity(link, math.inf)


def test_huge_staggered_flows_always_make_progress():
    # 200 flows of 1e12 B on a 1 GB/s link, started at irregular times so remainders carry
    # float noise. Every flow must finish, in monotone time, with a bounded number of steps.
    env = simpy.Environment()
    net = Network(env)
    link = net.link("a", 1e9)
    done = []
    n = 200
    for i in range(n):
        start_at(env, net, i * 37.123456789 + (i % 7) / 3, [link], 10**12, f"f{i}", done)
    steps = 0
    while env.peek() < math.inf:
        env.step()
        steps += 1
        assert steps < 20 * n, "the fluid loop is spinning"
    times = [t for _, t in done]
    assert len(done) == n and times == sorted(times)
    assert link.bytes_carried == pytest.approx(n * 1e12, rel=1e-9)
    assert times[-1] == pytest.approx(n * 1e12 / 1e9 + 0, rel=1e-6)  # link never idles


def run_random(seed_flows, capacities, check=None):
    """Run a scenario; returns per-label (start, finish) and the network."""
    env = simpy.Environment()
    net = Network(env, listener=check)
    links = [net.link(f"l{i}", c) for i, c in enumerate(capacities)]
    done: list = []
    for i, (when, idx, size) in enumerate(seed_flows):
        path = [links[j] for j in sorted(set(idx))]
        start_at(env, net, when, path, size, f"f{i}", done)
    env.run()
    return dict(done), net


def check_invariants(net_ref: list[Network]):
    """Listener asserting capacity and max-min (bottleneck) conditions at every recompute."""

    def check(_flow: Flow, _phase: str) -> None:
        net = net_ref[0]
        for link in net.links.values():
            total = sum(f.rate for f in link.flows)
            assert total <= link.capacity * (1 + 1e-9) + 1e-9
            assert total == pytest.approx(link.rate, rel=1e-9, abs=1e-9)
        for f in net.active_flows:
            # Max-min: some link on the path is saturated and no flow on it is faster.
            assert any(
                link.rate >= link.capacity * (1 - 1e-9) - 1e-9
                and f.rate >= max(g.rate for g in link.flows) * (1 - 1e-9) - 1e-9
                for link in f.path
            ), f

    return check


flows_strategy = st.lists(
    st.tuples(
        st.floats(0, 20, allow_nan=False),
        st.lists(st.integers(0, 3), min_size=1, max_size=3),
        st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=25,
)
caps_strategy = st.lists(st.floats(0.5, 1e5, allow_nan=False), min_size=4, max_size=4)


@settings(max_examples=150, deadline=None)
@given(flows=flows_strategy, caps=caps_strategy)
def test_property_random_networks(flows, caps):
    env = simpy.Environment()
    net = Network(env)
    net.listener = check_invariants([net])
    links = [net.link(f"l{i}", c) for i, c in enumerate(caps)]
    done: list = []
    paths = []
    for i, (when, idx, size) in enumerate(flows):
        path = [links[j] for j in sorted(set(idx))]
        paths.append(path)
        start_at(env, net, when, path, size, f"f{i}", done)
    env.run()
    finish = dict(done)
    assert len(finish) == len(flows) and net.active_flows == ()
    for link in links:
        crossed = sum(size for (_, _, size), path in zip(flows, paths, strict=True) if link in path)
        assert link.bytes_carried == pytest.approx(crossed, rel=1e-9, abs=1e-6)
    for i, ((when, _, size), path) in enumerate(zip(flows, paths, strict=True)):
        tol = max(1e-9 * size, 1e-6)
        lower = when + (size - tol) / min(link.capacity for link in path)
        assert finish[f"f{i}"] >= lower - 1e-9 * max(1.0, lower)


@settings(max_examples=50, deadline=None)
@given(flows=flows_strategy, caps=caps_strategy)
def test_property_every_flow_finishes_despite_capacity_faults(flows, caps):
    # Link 0 drops to 0 at t=5 and returns at t=9; link 1 halves at t=3.
    env = simpy.Environment()
    net = Network(env)
    net.listener = check_invariants([net])
    links = [net.link(f"l{i}", c) for i, c in enumerate(caps)]
    done: list = []
    for i, (when, idx, size) in enumerate(flows):
        start_at(env, net, when, [links[j] for j in sorted(set(idx))], size, f"f{i}", done)
    at(env, 5, lambda: net.set_capacity(links[0], 0))
    at(env, 9, lambda: net.set_capacity(links[0], caps[0]))
    at(env, 3, lambda: net.set_capacity(links[1], caps[1] / 2))
    env.run()
    assert len(done) == len(flows) and net.active_flows == ()


def test_determinism_two_identical_runs_give_identical_finish_times():
    import random

    rng = random.Random(7)
    flows = [
        (rng.uniform(0, 50), [rng.randrange(6) for _ in range(2)], rng.randrange(10**9))
        for _ in range(300)
    ]
    caps = [rng.uniform(1e6, 1e8) for _ in range(6)]
    first, net1 = run_random(flows, caps)
    second, net2 = run_random(flows, caps)
    assert first == second
    assert [link.bytes_carried for link in net1.links.values()] == [
        link.bytes_carried for link in net2.links.values()
    ]


def test_each_flow_ends_exactly_once():
    env = simpy.Environment()
    ends: dict[str, int] = {}
    net = Network(
        env,
        listener=lambda f, p: p == "end" and ends.__setitem__(f.label, ends.get(f.label, 0) + 1),
    )
    a = net.link("a", 3.0)
    b = net.link("b", 5.0)
    done: list = []
    for i in range(30):
        start_at(env, net, i / 7, [a, b] if i % 2 else [a], 10 + i, f"f{i}", done)
    at(env, 2.5, lambda: net.set_capacity(b, 1.0))
    env.run()
    assert len(done) == 30 and set(ends.values()) == {1} and len(ends) == 30


def test_starts_at_one_instant_on_a_shared_link_are_re_rated_once(monkeypatch):
    # 100 hosts, 3 flows each, behind one 300 MB/s egress: 1 MB/s per flow, 10 MB each:
    # all finish at 10 s; the 300 starts cost one re-rating, not 300.
    env = simpy.Environment()
    net = Network(env)
    egress = net.link("egress", 300 * MB)
    calls = []
    real = net._recompute
    monkeypatch.setattr(net, "_recompute", lambda seeds: calls.append(1) or real(seeds))
    done = []
    for h in range(100):
        down = net.link(f"h{h}", 100 * MB)
        for k in range(3):
            start_at(env, net, 0, [egress, down], 10 * MB, f"h{h}.{k}", done)
    env.run(until=1)
    assert len(calls) == 1
    assert [f.rate for f in net.active_flows] == [pytest.approx(1 * MB)] * 300
    env.run()
    assert [t for _, t in done] == [pytest.approx(10.0)] * 300
    assert [label for label, _ in done][:3] == ["h0.0", "h0.1", "h0.2"]  # start order


def test_a_read_right_after_a_start_sees_the_settled_rates():
    env = simpy.Environment()
    net = Network(env)
    a, b = net.link("A", 10.0), net.link("B", 2.0)
    net.transfer([a], 100, "f1")
    net.transfer([a, b], 100, "f2")
    assert b.rate == pytest.approx(2.0) and a.rate == pytest.approx(10.0)
    assert [f.rate for f in net.active_flows] == [pytest.approx(8.0), pytest.approx(2.0)]
