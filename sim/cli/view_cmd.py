"""``dockersim play`` (a window on a scenario) and ``dockersim render`` (its video).

Both run the scenario headless first (a run is a pure function of scenario and seed), then
play its trace back; the window stays live, so commands typed in it continue the world.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

VIDEO_SECONDS = 30.0  # --speed auto: the whole run fits in about this long a video


def has_display() -> bool:
    """Whether a window can open here (Linux needs an X11 or Wayland display)."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def parse_size(text: str, cmd: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"dockersim {cmd}: --size {text}: expected WIDTHxHEIGHT, e.g. "
                         "1280x720") from None
    if not (320 <= w <= 7680 and 200 <= h <= 4320):
        raise SystemExit(f"dockersim {cmd}: --size {text}: between 320x200 and 7680x4320")
    return w, h


def parse_speed(text: str | None, cmd: str) -> float | None:
    if text is None or text == "auto":
        return None
    try:
        speed = float(text.rstrip("x"))
    except ValueError:
        speed = -1.0
    if not 0.1 <= speed <= 100:
        raise SystemExit(f"dockersim {cmd}: --speed {text}: a number from 0.1 to 100 (or auto)")
    return speed


def auto_speed(end: float) -> float:
    """1x when the run is short; faster so a long run fits in VIDEO_SECONDS."""
    return max(1.0, round(end / VIDEO_SECONDS, 1))


def run_scenario_file(path: str, sets: list[str], cmd: str):
    """Load, build and run a scenario; return (scenario, report, console)."""
    from ..scenario.build import build_world
    from ..scenario.load import ScenarioError, load_scenario
    from ..scenario.run import run_scenario
    from ..view.api import Console
    try:
        scenario = load_scenario(path, sets)
        world = build_world(scenario)
    except ScenarioError as exc:
        raise SystemExit(f"dockersim {cmd}: {exc}") from None
    try:
        report = run_scenario(scenario, world)
    except Exception as exc:  # a simulator bug: one line, as the shell reports it
        if os.environ.get("DOCKERSIM_DEBUG"):
            raise
        raise SystemExit(f"dockersim {cmd}: internal error while running {path}: "
                         f"{type(exc).__name__}: {exc} (set DOCKERSIM_DEBUG=1 for details)"
                         ) from None
    console = Console()
    for step in report.steps:
        if step.result is not None:
            if step.run.strip():  # the prompt, then what the step printed, in step order
                console.add(step.started_at, step.host, f"$ {step.run.strip()}",
                            step.started_at)
            console.add_result(step.host, step.result, step.started_at)
    return scenario, report, console


def play(args: argparse.Namespace) -> int:
    speed = parse_speed(args.speed, "play")
    if not has_display():
        raise SystemExit("dockersim play: no display (DISPLAY is not set); make a video "
                         f"instead: dockersim render {args.scenario} -o out.gif")
    scenario, report, console = run_scenario_file(args.scenario, args.set, "play")
    from ..view import fork
    from ..view.app import Window
    world = report.world
    host = args.host or next(iter(world.hosts))
    if host not in world.hosts:
        raise SystemExit(f"dockersim play: --host {host}: no such host (hosts: "
                         f"{', '.join(world.hosts)})")
    window = Window(world, host, title=f"dockersim play {args.scenario}", console=console,
                    prompts=False, rebuild=fork.scenario_recipe(scenario, report, world.now),
                    present=args.present, hints=not args.no_hints)
    window.view.speed = speed or auto_speed(world.now)
    return window.run()


def render(args: argparse.Namespace) -> int:
    size = parse_size(args.size, "render")
    speed = parse_speed(args.speed, "render")
    if args.fps < 1 or args.fps > 120:
        raise SystemExit(f"dockersim render: --fps {args.fps}: from 1 to 120")
    from ..view.record import RenderError, check_output
    try:
        check_output(args.output)
    except RenderError as exc:
        raise SystemExit(f"dockersim render: {exc}") from None
    _scenario, report, console = run_scenario_file(args.scenario, args.set, "render")
    from ..view.api import scene_of
    from ..view.controls import ViewState
    from ..view.record import write
    scene = scene_of(report.world, console, prompts=False)
    speed = speed or auto_speed(scene.end)
    try:
        path, n = write(scene, args.output, fps=args.fps, size=size, speed=speed,
                        view=ViewState(title=f"dockersim {args.scenario}",
                                       present=args.present))
    except RenderError as exc:
        raise SystemExit(f"dockersim render: {exc}") from None
    print(f"wrote {path} ({n} frames, {args.fps} fps, {speed:g}x)")
    return 0


def register(sub) -> dict[str, Callable[[argparse.Namespace], int]]:
    p = sub.add_parser("play", help="open a window that plays a scenario (type commands in it)")
    p.add_argument("scenario", metavar="FILE", help="a scenario TOML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a dotted parameter")
    p.add_argument("--speed", default=None, metavar="X",
                   help="playback speed, 0.1 to 100 (default: auto, 1x for short runs)")
    p.add_argument("--host", default=None, help="the host typed commands run on")
    p.add_argument("--present", action="store_true",
                   help="large-font presentation mode, fewer details (for a projector)")
    p.add_argument("--no-hints", action="store_true",
                   help="no 'hint (dockersim): ...' lines after mistaken typed commands")
    r = sub.add_parser("render", help="render a scenario to a .gif, an .mp4 or PNG frames")
    r.add_argument("scenario", metavar="FILE", help="a scenario TOML file")
    r.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="out.gif, out.mp4, or a directory for PNG frames")
    r.add_argument("--fps", type=int, default=30, help="frames per second (default 30)")
    r.add_argument("--size", default="1280x720", metavar="WxH", help="default 1280x720")
    r.add_argument("--speed", default=None, metavar="X",
                   help="simulated seconds per video second (default: auto)")
    r.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a dotted parameter")
    r.add_argument("--present", action="store_true",
                   help="large-font presentation mode, fewer details (for slides)")
    return {"play": play, "render": render}


DEMO_VIDEO = "dockersim-demo.gif"
DEMO_SIZE, DEMO_FPS = (960, 540), 10  # small enough to mail, big enough to read


def demo_view(world, host: str, console) -> int:
    """After the demo's transcript: the window when there is a display, else a GIF of it in
    the current directory."""
    if has_display():
        from ..view.app import Window
        return Window(world, host, title="dockersim demo", console=console,
                      prompts=False).run()
    from ..view.api import scene_of
    from ..view.controls import ViewState
    from ..view.record import RenderError, write
    try:
        path, n = write(scene_of(world, console, prompts=False), DEMO_VIDEO, fps=DEMO_FPS,
                        size=DEMO_SIZE, speed=1.0, view=ViewState(title="dockersim demo"))
    except (RenderError, OSError) as exc:
        raise SystemExit(f"dockersim demo: cannot write {DEMO_VIDEO}: {exc}") from None
    print(f"wrote {path} ({n} frames)")
    return 0


def shell_gui(world, host: str, hints: bool = True, present: bool = False) -> int:
    """``dockersim shell --gui``: the window, with its command line open; ``hints`` as the
    shell's ``--no-hints`` says, ``present`` for the projector."""
    if not has_display():
        raise SystemExit("dockersim shell: --gui needs a display (DISPLAY is not set)")
    from ..view.app import Window
    return Window(world, host, title="dockersim shell", hints=hints, present=present,
                  command_line=True).run()
