"""Motion as a function of simulated time (sim/view/animate.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sim.trace import events as ev
from sim.view import animate

from .helpers import demo


@given(st.floats(min_value=-10, max_value=10, allow_nan=False))
def test_ease_stays_in_bounds_and_keeps_its_ends(k):
    assert 0.0 <= animate.ease(k) <= 1.0
    assert animate.ease(0) == 0 and animate.ease(1) == 1


def test_a_transfer_moves_at_the_fair_share_rate_of_every_moment():
    """nginx's two big layers download together, each at half the link; when the smaller
    ends, the other speeds up. The bar follows: at that instant it shows the bytes the
    trace's waypoints say (both layers got the same bytes so far), not the average rate."""
    _world, scene = demo()
    downloading = [r for r in scene.records if isinstance(r.event, ev.LayerTransfer)
                   and r.event.phase == "downloading"]
    big, second = sorted(downloading, key=lambda r: r.event.size)[-2:][::-1]
    end, other_end = scene.ends[big.seq], scene.ends[second.seq]
    assert other_end < end and scene.waypoints[big.seq]
    x = scene.state_at(other_end).hosts["host1"].transfers[big.event.digest]
    assert x.phase == "downloading"
    shown = animate.progress(scene, x, other_end)
    assert abs(shown - second.event.size / big.event.size) < 1e-6
    linear = (other_end - big.t) / (end - big.t)
    assert shown < linear - 0.01  # the average rate would draw it further along
    assert animate.progress(scene, x, big.t) == 0.0
    assert animate.progress(scene, x, end + 5) == 1.0
    samples = [big.t + (end - big.t) * k / 50 for k in range(51)]
    values = [animate.progress(scene, x, t) for t in samples]
    assert values == sorted(values)  # never goes back


def test_a_transfer_without_waypoints_moves_linearly():
    _world, scene = demo()
    rec = max((r for r in scene.records if isinstance(r.event, ev.LayerTransfer)
               and r.event.phase == "downloading"), key=lambda r: r.event.size)
    end = scene.ends[rec.seq]
    scene.waypoints.pop(rec.seq, None)  # as a trace written before waypoints existed
    mid = (rec.t + end) / 2
    x = scene.state_at(mid).hosts["host1"].transfers[rec.event.digest]
    assert abs(animate.progress(scene, x, mid) - 0.5) < 1e-9


def test_fade_appear_flash():
    assert animate.fade(None, 5) == 1.0
    assert animate.fade(1.0, 1.0) == 1.0 and animate.fade(1.0, 3.0) == 0.0
    assert animate.appear(2.0, 2.0) == 0.0 and animate.appear(2.0, 9.0) == 1.0
    assert animate.flash(1.0, 1.0) == 1.0 and animate.flash(1.0, 0.5) == 0.0
    assert animate.flash(1.0, 1.0 + animate.FLASH + 0.1) == 0.0


def test_same_time_same_progress_whatever_the_path():
    """A live window at any speed and a video ask for t and get the same answer."""
    _world, scene = demo()
    t = 0.4
    x = dict(scene.state_at(t).hosts["host1"].transfers)
    first = {d: animate.progress(scene, v, t) for d, v in x.items()}
    scene.state_at(5.0)
    scene.state_at(0.1)
    again = scene.state_at(t).hosts["host1"].transfers
    assert {d: animate.progress(scene, v, t) for d, v in again.items()} == first
