"""The public API the lessons call (sim/view/api.py)."""

from __future__ import annotations

import io

import pytest
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
    assert console.lines == [(0, "host1", "$ docker ps\n", None, None)]


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


ZERO_TIME = ("docker ps", "docker images", "docker ps -a")  # all three at one instant


def test_each_output_stays_under_its_own_prompt_at_one_instant():
    world = World(WorldConfig())
    console = api.Console()
    for line in ZERO_TIME:
        console.run(world, "host1", lambda line=line: execute(world, "host1", line))
    assert len({r.t for r in world.trace}) == 1  # the tie the order must break
    lines = [text for _t, _h, text in api.scene_of(world, console).console]
    assert lines == ["$ docker ps", "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    "
                     "PORTS     NAMES", "$ docker images", "REPOSITORY   TAG       IMAGE ID   "
                     "CREATED   SIZE", "$ docker ps -a", "CONTAINER ID   IMAGE     COMMAND   "
                     "CREATED   STATUS    PORTS     NAMES"]


def test_command_index_finds_the_lines_own_command_or_none():
    world = World(WorldConfig())
    execute(world, "host1", "docker ps")
    since = len(world.trace)
    execute(world, "host1", "sleep 1")
    assert api.command_index(world.trace, since, "host1") is None
    execute(world, "host1", "docker images")
    found = api.command_index(world.trace, since, "host1")
    assert world.trace.records[found].event.line == "docker images"


def test_play_and_render_take_the_presentation_mode(monkeypatch, tmp_path):
    seen = {}

    def fake_run(self, frames=None, screenshot=None):
        seen.update(present=self.view.present, explainer=self.explainer)
        return 0
    monkeypatch.setattr("sim.view.app.Window.run", fake_run)
    world = World(WorldConfig())
    assert api.play(world, "host1", present=True, hints=False) == 0
    assert seen == {"present": True, "explainer": None}
    execute(world, "host1", "docker run -d --name w hello-world")
    out = api.render(world, tmp_path / "big", fps=1, size=(1280, 720), speed=4.0,
                     present=True)
    assert sorted(p.suffix for p in out.iterdir())[0] == ".png"


def test_play_without_a_display_is_one_line(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    with pytest.raises(SystemExit, match="^dockersim: the window needs a display"):
        api.play(World(WorldConfig()), "host1")
