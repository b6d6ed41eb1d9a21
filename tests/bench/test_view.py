"""The view's frame-time benchmark (sim/bench/view.py): it measures what it says (no timing
assertions: the figures depend on the machine)."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from sim.bench.view import fleet_world, frame_time  # noqa: E402


def test_the_fleet_has_the_asked_shape():
    world = fleet_world(hosts=3, containers=7, layers=12)
    assert list(world.hosts) == ["node-01", "node-02", "node-03"]
    assert sum(len(h.engine.containers) for h in world.hosts.values()) == 7


def test_frame_time_reports_both_medians():
    row = frame_time(hosts=2, containers=4, layers=8, size=(640, 360), frames=4)
    assert row["hosts"] == 2 and row["containers"] == 4 and row["layers"] >= 8
    assert row["median_frame_ms"] > 0 and row["empty_frame_ms"] > 0
    assert row["size"] == "640x360" and row["frames"] == 4
