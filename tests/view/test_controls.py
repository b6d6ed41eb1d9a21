"""Keys and their actions (sim/view/controls.py)."""

from __future__ import annotations

from sim.view import controls
from sim.view.controls import ViewState
from sim.view.draw.panels import HELP

from .helpers import demo


def test_speed_ladder_runs_from_a_tenth_to_a_hundred():
    speed = 1.0
    for _ in range(20):
        speed = controls.step_speed(speed, +1)
    assert speed == 100.0
    for _ in range(20):
        speed = controls.step_speed(speed, -1)
    assert speed == 0.1


def test_stepping_visits_event_times_both_ways():
    _world, scene = demo()
    view = ViewState(t=0.0)
    seen = []
    for _ in range(5):
        controls.apply(view, "next", scene, scene.end)
        seen.append(view.t)
    assert seen == sorted(seen) and len(set(seen)) == 5 and not view.playing
    controls.apply(view, "previous", scene, scene.end)
    assert view.t == seen[-2]


def test_play_at_the_end_starts_over_and_advance_stops_at_the_end():
    _world, scene = demo()
    view = ViewState(t=scene.end, playing=False)
    controls.apply(view, "play", scene, scene.end)
    assert view.playing and view.t == 0.0
    view.speed = 100.0
    controls.advance(view, 1.0, scene.end)
    assert view.t == scene.end and not view.playing


def test_window_actions_are_returned():
    _world, scene = demo()
    view = ViewState()
    for action in ("command", "screenshot", "fullscreen"):
        assert controls.apply(view, action, scene, scene.end) == action
    assert controls.apply(view, "help", scene, scene.end) is None and view.help
    controls.apply(view, "quit", scene, scene.end)  # Esc closes the help first
    assert not view.help and not view.quit
    controls.apply(view, "quit", scene, scene.end)
    assert view.quit


def test_every_key_has_an_action_and_help_names_them():
    actions = set(controls.KEYS.values())
    assert {"play", "next", "previous", "slower", "faster", "start", "end", "command",
            "screenshot", "fullscreen", "help", "quit"} <= actions
    text = " ".join(k for k, _ in HELP)
    for key in ("Space", "[", "]", "Home", "End", "/", "s", "f", "?", "q"):
        assert key in text
