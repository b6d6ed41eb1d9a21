"""The public API the lessons call (sim/view/api.py)."""

from __future__ import annotations

import io

from PIL import Image

from sim.cli.runner import execute
from sim.view import api
from sim.world.world import World, WorldConfig


def test_render_a_live_world_to_a_gif(tmp_path):
    world = World(WorldConfig())
    execute(world, "host1", "docker run -d --name w hello-world")
    path = api.render(world, tmp_path / "w.gif", fps=2, size=(320, 200), speed=2.0)
    assert path == tmp_path / "w.gif"
    with Image.open(path) as gif:
        assert gif.n_frames >= 2 and gif.size == (320, 200)


def test_scene_of_reads_the_whole_trace_and_the_console():
    world = World(WorldConfig())
    console = api.Console()
    result = execute(world, "host1", "docker pull hello-world")
    console.add_result("host1", result, 0.0)
    scene = api.scene_of(world, console)
    assert len(scene.records) == len(world.trace)
    lines = [text for _t, _h, text in scene.console]
    assert lines[0] == "$ docker pull hello-world"
    assert any("Pull complete" in ln for ln in lines)


def test_tee_writes_through_and_records():
    world = World(WorldConfig())
    out = io.StringIO()
    console = api.Console()
    tee = console.tee(out, world, "host1")
    tee.write("$ docker ps\n")
    tee.flush()
    assert out.getvalue() == "$ docker ps\n"
    assert console.lines == [(0, "host1", "$ docker ps\n", None)]


def test_play_opens_the_window_with_the_callbacks(monkeypatch):
    seen = {}

    def fake_run(self, frames=None, screenshot=None):
        seen.update(title=self.view.title, host=self.view.host, overlay=self.overlay)
        return 0
    monkeypatch.setattr("sim.view.app.Window.run", fake_run)
    world = World(WorldConfig())
    lines = ["goal: run nginx"]
    assert api.play(world, "host1", title="lesson 1", overlay=lambda: lines) == 0
    assert seen["title"] == "lesson 1" and seen["host"] == "host1"
    assert seen["overlay"]() == lines
