"""``dockersim play`` / ``render`` / ``demo`` / ``shell --gui`` (sim/cli/view_cmd.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from sim.cli import app, view_cmd

ROOT = Path(__file__).resolve().parents[2]
LESSON = str(ROOT / "scenarios" / "classroom" / "one-image-many-containers.toml")


@pytest.fixture
def no_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")


def test_render_png_frames_of_the_classroom_scenario(tmp_path, capsys):
    out = tmp_path / "frames"
    assert app.main(["render", LESSON, "-o", str(out), "--fps", "2", "--size", "320x200"]) == 0
    frames = sorted(out.iterdir())
    assert frames and Image.open(frames[0]).size == (320, 200)
    assert capsys.readouterr().out == f"wrote {out} ({len(frames)} frames, 2 fps, 1x)\n"


def test_render_a_gif_with_a_speed(tmp_path, capsys):
    out = tmp_path / "lesson.gif"
    assert app.main(["render", LESSON, "-o", str(out), "--fps", "1", "--size", "320x200",
                     "--speed", "4"]) == 0
    assert out.exists() and "4x" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--size", "big"], "--size big: expected WIDTHxHEIGHT"),
    (["--size", "10x10"], "--size 10x10: between 320x200"),
    (["--speed", "1000"], "--speed 1000: a number from 0.1 to 100"),
    (["--fps", "0"], "--fps 0: from 1 to 120"),
])
def test_bad_render_flags_are_one_clean_line(tmp_path, args, message):
    with pytest.raises(SystemExit, match=message):
        app.main(["render", LESSON, "-o", str(tmp_path / "x.gif"), *args])
    assert list(tmp_path.iterdir()) == []


def test_bad_output_and_bad_scenario(tmp_path):
    with pytest.raises(SystemExit, match=r"dockersim render: .*unknown video format '.avi'"):
        app.main(["render", LESSON, "-o", str(tmp_path / "x.avi")])
    with pytest.raises(SystemExit, match="dockersim render: "):
        app.main(["render", str(tmp_path / "nope.toml"), "-o", str(tmp_path / "x.gif")])


def test_play_without_a_display_says_what_to_do(no_display):
    with pytest.raises(SystemExit, match="no display .* dockersim render"):
        app.main(["play", LESSON])


def test_shell_gui_without_a_display(no_display):
    with pytest.raises(SystemExit, match="--gui needs a display"):
        app.main(["shell", "--gui"])


def test_demo_without_a_display_writes_a_gif(tmp_path, monkeypatch, capsys, no_display):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(view_cmd, "DEMO_SIZE", (320, 200))
    monkeypatch.setattr(view_cmd, "DEMO_FPS", 2)
    assert app.main(["demo"]) == 0
    out = capsys.readouterr().out
    golden = (ROOT / "tests" / "golden" / "demo.txt").read_text()
    assert out.startswith(golden)  # the transcript, unchanged, then the video's path
    last = out[len(golden):]
    assert last.startswith("wrote dockersim-demo.gif (") and last.endswith(" frames)\n")
    with Image.open(tmp_path / "dockersim-demo.gif") as gif:
        assert gif.size == (320, 200)


def test_demo_text_is_the_transcript_only(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert app.main(["demo", "--text"]) == 0
    assert capsys.readouterr().out == (ROOT / "tests" / "golden" / "demo.txt").read_text()
    assert list(tmp_path.iterdir()) == []


def test_play_opens_a_window_on_the_played_scenario(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":99")
    seen = {}

    def fake_run(self, frames=None, screenshot=None):
        state = self.scene.state_at(self.end)
        seen.update(speed=self.view.speed, containers=len(state.hosts["laptop"].containers),
                    console=len(self.scene.console))
        return 0
    monkeypatch.setattr("sim.view.app.Window.run", fake_run)
    assert app.main(["play", LESSON, "--speed", "2"]) == 0
    assert seen["speed"] == 2.0 and seen["containers"] == 3 and seen["console"] > 10


def test_auto_speed():
    assert view_cmd.auto_speed(6.0) == 1.0
    assert view_cmd.auto_speed(300.0) == 10.0


def test_a_simulator_bug_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    def broken(scenario, world, on_step=None):
        raise RuntimeError("no scheduled events left")
    monkeypatch.setattr("sim.scenario.run.run_scenario", broken)
    monkeypatch.delenv("DOCKERSIM_DEBUG", raising=False)
    with pytest.raises(SystemExit, match="dockersim render: internal error while running .*"
                       "RuntimeError: no scheduled events left"):
        app.main(["render", LESSON, "-o", str(tmp_path / "x.gif")])
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def fake_window(monkeypatch):
    """A display that is not there: the Window's loop records what it was given."""
    monkeypatch.setenv("DISPLAY", ":99")
    seen = {}

    def fake_run(self, frames=None, screenshot=None):
        seen.update(present=self.view.present, explainer=self.explainer,
                    command=self.view.command, line=self.view.present)
        return 0
    monkeypatch.setattr("sim.view.app.Window.run", fake_run)
    return seen


def test_shell_gui_threads_no_hints_and_present(fake_window):
    assert app.main(["shell", "--gui", "--no-hints", "--present"]) == 0
    assert fake_window["present"] and fake_window["explainer"] is None
    assert fake_window["command"] == ""  # the command line is open
    assert app.main(["shell", "--gui"]) == 0
    assert not fake_window["present"] and fake_window["explainer"] is not None


def test_shell_present_without_the_window_is_refused():
    with pytest.raises(SystemExit, match=r"^dockersim shell: --present is for the window"):
        app.main(["shell", "--present"])


def test_play_present_and_no_hints(fake_window):
    assert app.main(["play", LESSON, "--present", "--no-hints"]) == 0
    assert fake_window["present"] and fake_window["explainer"] is None


def test_render_present_draws_larger_text(tmp_path, capsys):
    def top_bar_rows(folder) -> int:
        """Rows of the top bar: the panel colour down the left edge from the top."""
        image = Image.open(sorted(folder.iterdir())[-1]).convert("RGB")
        panel = image.getpixel((2, 2))
        return next(y for y in range(720) if image.getpixel((2, y)) != panel)
    outs = []
    for flags in ([], ["--present"]):
        out = tmp_path / f"frames{len(flags)}"
        assert app.main(["render", LESSON, "-o", str(out), "--fps", "1", "--speed", "10",
                         *flags]) == 0
        outs.append(top_bar_rows(out))
    assert outs[1] > outs[0]  # 42 px against 29 px at 1280x720
