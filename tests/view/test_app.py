"""The window (sim/view/app.py): typed commands, forking, keys and mouse under SDL's dummy
driver, and once for real under Xvfb."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest

from sim.cli.runner import execute
from sim.view.app import Window
from sim.view.draw.frame import Frame, regions
from sim.world.world import World, WorldConfig

ROOT = Path(__file__).resolve().parents[2]


def window() -> Window:
    world = World(WorldConfig())
    execute(world, "host1", "docker run -d --name web nginx")
    return Window(world, "host1", title="test")


@contextlib.contextmanager
def drawn_window(size: tuple[int, int] = (640, 400)):
    """A window on SDL's display with its first frame drawn; the display closes after."""
    pygame.display.init()
    try:
        screen = pygame.display.set_mode(size)
        win = window()
        frame = Frame()
        frame.draw(screen, win.scene, win.view, now=win.end)
        yield win, screen, frame
    finally:
        pygame.display.quit()


def test_a_typed_line_runs_as_in_the_shell_and_plays():
    win = window()
    calls = []
    win.on_command = lambda line, result: calls.append((line, result.exit_code))
    win.view.t, win.view.playing = win.end, True
    result = win.submit("docker run -d --name web2 nginx")
    assert result.exit_code == 0 and calls == [("docker run -d --name web2 nginx", 0)]
    assert win.view.forked is None and win.view.playing
    state = win.scene.state_at(win.end)
    assert sorted(c.name for c in state.hosts["host1"].containers.values()) == ["web", "web2"]
    assert any(ln == "$ docker run -d --name web2 nginx" for _t, _h, ln in win.scene.console)
    bad = win.submit("docker rm web")
    assert bad.exit_code == 1
    assert any("cannot remove container" in ln for _t, _h, ln in win.scene.console)


def test_typing_while_scrubbed_back_forks_the_future():
    win = window()
    world = win.world
    win.submit("docker run -d --name later nginx")
    typed = next(r.t for r in world.trace if getattr(r.event, "line", "") ==
                 "docker run -d --name later nginx")
    win.view.t, win.view.playing = typed - 1e-3, False  # before 'later' was typed
    win.submit("docker run -d --name instead nginx")
    names = sorted(c.name for c in world.hosts["host1"].engine.containers.values())
    assert names == ["instead", "web"]
    assert win.view.forked is not None and win.view.forked <= typed
    assert win.world is world  # the caller's object is the forked world


def key(pg, k, uni=""):
    return pg.event.Event(pg.KEYDOWN, key=k, unicode=uni, mod=0)


def test_keys_and_mouse_drive_the_view():
    pygame.display.init()
    try:
        screen = pygame.display.set_mode((1280, 720))
        win = window()
        frame = Frame()
        reg = regions((1280, 720))
        frame.draw(screen, win.scene, win.view, now=win.end)
        view = win.view
        view.playing = False
        win.handle(key(pygame, pygame.K_SPACE, " "), pygame, screen, frame, reg)
        assert view.playing
        win.handle(key(pygame, pygame.K_RIGHTBRACKET, "]"), pygame, screen, frame, reg)
        assert view.speed == 2.0
        win.handle(key(pygame, pygame.K_END), pygame, screen, frame, reg)
        assert view.t == win.end
        tl = reg["timeline"]
        win.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1,
                                      pos=(tl[0] + 8, tl[1] + 10)), pygame, screen, frame, reg)
        assert view.t == 0.0 and not view.playing
        win.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=(0, 0)), pygame,
                   screen, frame, reg)
        view.t = win.end
        frame.draw(screen, win.scene, view, now=win.end)
        box = next(b for b in frame.layout.boxes if b.kind == "container")
        x, y, w, h = box.rect
        win.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1,
                                      pos=(x + w // 2, y + h // 2)), pygame, screen, frame, reg)
        assert view.selected == ("container", "host1", box.key)
        win.handle(key(pygame, pygame.K_SLASH, "/"), pygame, screen, frame, reg)
        assert view.command == ""
        win.handle(pygame.event.Event(pygame.TEXTINPUT, text="/"), pygame, screen, frame, reg)
        for ch in "docker ps":
            win.handle(pygame.event.Event(pygame.TEXTINPUT, text=ch), pygame, screen, frame,
                       reg)
        assert view.command == "docker ps"
        win.handle(key(pygame, pygame.K_RETURN), pygame, screen, frame, reg)
        assert view.command is None and win.history == ["docker ps"]
        win.handle(key(pygame, pygame.K_q, "q"), pygame, screen, frame, reg)
        assert view.quit
    finally:
        pygame.display.quit()


def test_a_screenshot_is_saved(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with drawn_window() as (win, screen, frame):
        win.handle(key(pygame, pygame.K_s, "s"), pygame, screen, frame, regions((640, 400)))
        assert (tmp_path / "dockersim-001.png").exists()
        assert win.view.notice == "saved dockersim-001.png"


def test_a_screenshot_never_overwrites_an_earlier_sessions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dockersim-001.png").write_bytes(b"kept")
    with drawn_window() as (win, screen, frame):
        for _ in range(2):
            win.handle(key(pygame, pygame.K_s, "s"), pygame, screen, frame,
                       regions((640, 400)))
        assert (tmp_path / "dockersim-001.png").read_bytes() == b"kept"
        assert (tmp_path / "dockersim-003.png").exists()
        assert win.view.notice == "saved dockersim-003.png"


def test_a_screenshot_in_a_folder_it_cannot_write_is_a_notice_not_a_crash(tmp_path,
                                                                          monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # the working folder no longer exists: nothing can be saved in it
    with drawn_window() as (win, screen, frame):
        win.handle(key(pygame, pygame.K_s, "s"), pygame, screen, frame, regions((640, 400)))
        assert win.view.notice.startswith("cannot save ")
        assert not win.view.quit


SHOT = """
import sys
from sim.cli.runner import execute
from sim.view.app import Window
from sim.world.world import World, WorldConfig
world = World(WorldConfig())
execute(world, "host1", "docker run -d --name web nginx")
win = Window(world, "host1", title="xvfb")
win.view.playing = False
win.view.t = world.now
sys.exit(win.run(frames=10, screenshot=sys.argv[1]))
"""


def free_display() -> int:
    for n in range(91, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    pytest.skip("no free X display number")


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_the_real_window_under_xvfb(tmp_path):
    n = free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten",
                             "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):  # wait until the server listens (not a timing assertion)
            if Path(f"/tmp/.X11-unix/X{n}").exists():
                break
            time.sleep(0.05)
        env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER",)}
        env.update(DISPLAY=f":{n}", SDL_AUDIODRIVER="dummy")
        shot = tmp_path / "shot.png"
        done = subprocess.run([sys.executable, "-c", SHOT, str(shot)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        image = pygame.image.load(str(shot))
        assert image.get_size() == (1280, 720)
        colours = {tuple(image.get_at((x, y)))[:3] for x in range(0, 1280, 11)
                   for y in range(0, 720, 7)}
        assert len(colours) > 20  # not blank: cards, layers, badges, text
        assert (0, 158, 115) in colours  # the running badge
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def test_wheel_zoom_keeps_the_point_under_the_mouse():
    from sim.view.layout import layout
    win = window()
    main = regions((1280, 720))["main"]
    inner = (main[0] + 8, main[1] + 8, main[2] - 16, main[3] - 16)
    state = win.scene.state_at(win.end)
    at = (300, 420)

    def where() -> tuple[float, float]:
        x, y, w, h = layout(state, inner, 16, win.view.zoom, win.view.pan).cards["host1"].rect
        return (at[0] - x) / w, (at[1] - y) / h
    before = where()
    win._zoom(at, 1.5, main)
    assert win.view.zoom == 1.5
    after = where()
    assert abs(before[0] - after[0]) < 0.01 and abs(before[1] - after[1]) < 0.01
    win._zoom(at, 100, main)
    assert win.view.zoom == 4.0  # bounded


ZERO_TIME = ("docker ps", "docker images", "docker ps -a")  # three lines at one instant


def console_lines(win) -> list[str]:
    return [text for _t, _h, text in win.scene.console]


def test_outputs_stay_under_their_prompts_after_a_fork_rebuilds_the_scene():
    win = window()
    for line in ZERO_TIME:
        win.submit(line)
    win.submit("sleep 2")
    win.view.t, win.view.playing = win.world.now - 1, False
    win.submit("docker ps -q")  # forks: the scene is built again from the trace and console
    assert win.view.forked is not None
    lines = console_lines(win)
    prompts = [i for i, ln in enumerate(lines) if ln.startswith("$ ")]
    assert [lines[i] for i in prompts] == [
        "$ docker run -d --name web nginx", "$ docker ps", "$ docker images", "$ docker ps -a",
        "$ sleep 2", "$ docker ps -q"]
    for i, head in zip(prompts[1:4], ("CONTAINER ID", "REPOSITORY", "CONTAINER ID"),
                       strict=True):
        assert lines[i + 1].startswith(head), lines


def test_no_hints_means_no_explainer_in_the_window():
    world = World(WorldConfig())
    execute(world, "host1", "docker pull nginx")
    quiet = Window(world, "host1", hints=False)
    assert quiet.explainer is None
    assert quiet.submit("docker stop nginx").hint is None
    loud = Window(world, "host1")
    assert "images don't run" in loud.submit("docker stop nginx").hint


def test_a_fork_keeps_what_the_command_in_flight_printed():
    world = World(WorldConfig())
    win = Window(world, "host1")
    win.submit("docker pull nginx")
    win.view.t, win.view.playing = world.now / 2, False  # in the middle of the pull
    win.submit("docker images -q")
    lines = console_lines(win)
    at = lines.index("$ docker images -q")
    assert lines[at - 1] == "docker.io/library/nginx:latest"  # the pull's last line, kept
    assert lines.index("$ docker pull nginx") == 0


def test_paused_frames_show_each_change_as_it_ends_up():
    from .helpers import boxes, demo, draw
    _world, scene = demo()
    born = max(ly.born for ly in scene.state_at(scene.end).hosts["host1"].layers.values())
    surf, lay, _ = draw(scene, born, playing=False)
    top = next(b for b in boxes(lay, "layer") if b.thing.born == born)
    x, y, w, h = top.rect
    stepped = tuple(surf.get_at((x + w // 2, y + 2)))[:3]
    surf, _lay, _ = draw(scene, born, playing=True)
    moving = tuple(surf.get_at((x + w // 2, y + 2)))[:3]
    from sim.view.theme import portray
    assert stepped == portray(top.thing).fill  # stepped onto: drawn whole
    assert moving != stepped  # playing: it is only starting to grow in


def test_a_shell_window_keeps_its_command_line_open_after_each_line():
    world = World(WorldConfig())
    win = Window(world, "host1", command_line=True)
    assert win.view.command == ""
    win.view.command = "docker ps"
    win._edit(key(pygame, pygame.K_RETURN), pygame)
    assert win.view.command == "" and win.history == ["docker ps"]
    win._edit(key(pygame, pygame.K_ESCAPE), pygame)
    assert win.view.command is None


def test_shift_slash_is_help_even_without_a_character():
    with drawn_window() as (win, screen, frame):
        event = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SLASH, unicode="",
                                   mod=pygame.KMOD_LSHIFT)
        win.handle(event, pygame, screen, frame, regions((640, 400)))
        assert win.view.help and win.view.command is None
