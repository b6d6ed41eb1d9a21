"""The view's public entry points: open a window on a live world, or render its trace.

    play(world, host, *, title=None, overlay=None, on_command=None, present=False,
         hints=True, explainer=None, console=None, command_line=False) -> int
    render(world, out, *, fps=30, size=(1280, 720), speed=1.0, present=False) -> Path

``present=True`` is the presentation mode: large text, fewer details, for a projector.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from ..trace.events import CommandStarted
from .scene import Scene


def command_index(trace, since: int, host: str) -> int | None:
    """The record index of the ``CommandStarted`` a line run on ``host`` emitted, the trace
    holding ``since`` records before it; None for a line that started no command
    (``sleep``, a comment, a line that did not parse)."""
    records = trace.records
    for i in range(since, len(records)):
        e = records[i].event
        if isinstance(e, CommandStarted) and e.host == host:
            return i
    return None


class Console:
    """Text a world printed, with the simulated time it was printed at, for the console
    pane (the trace holds state changes, not output). Each line keeps the start time and
    trace index of the command that printed it, so that it sorts under its own prompt."""

    def __init__(self) -> None:
        # (t, host, text, start, seq)
        self.lines: list[tuple[float, str, str, float | None, int | None]] = []

    def add(self, t: float, host: str, text: str, start: float | None = None,
            seq: int | None = None) -> None:
        if text:
            self.lines.append((t, host, text, start, seq))

    def add_result(self, host: str, result, start: float | None = None,
                   seq: int | None = None) -> None:
        """A runner Result (of a command started at ``start``, record ``seq``): each printed
        chunk at the time it was printed."""
        if result.chunks and len(result.times) == len(result.chunks):
            for (_stream, text), t in zip(result.chunks, result.times, strict=True):
                self.add(t, host, text, start, seq)
        else:
            self.add(result.t, host, result.text, start, seq)
        hint = getattr(result, "hint", None)
        if hint:
            from ..cli.hints import PREFIX
            self.add(result.t, host, f"{PREFIX}{hint}", start, seq)

    def run(self, world, host: str, call: Callable[[], object]) -> object:
        """Run ``call()`` (one line on ``host``, returning the runner's Result) and keep what
        it printed, tied to its own command."""
        since, start = len(world.trace.records), world.now
        result = call()
        found = command_index(world.trace, since, host)
        self.add_result(host, result, start, since if found is None else found)
        return result

    def tee(self, out: IO[str], world, host: str) -> IO[str]:
        """A stream that writes to ``out`` and records what was written, and when."""
        console = self

        class Tee:
            def write(self, text: str) -> int:
                console.add(world.now, host, text)
                return out.write(text)

            def flush(self) -> None:
                out.flush()
        return Tee()  # type: ignore[return-value]


def scene_of(world, console: Console | None = None, prompts: bool = True) -> Scene:
    """A Scene of everything the world's trace holds so far."""
    scene = Scene(list(world.hosts), list(world.services), prompts=prompts)
    scene.extend(world.trace.records)
    for t, host, text, start, seq in (console.lines if console else ()):
        scene.add_output(t, host, text, start, seq)
    return scene


def render(world, out: str | Path, *, fps: int = 30, size: tuple[int, int] = (1280, 720),
           speed: float = 1.0, title: str | None = None, console: Console | None = None,
           prompts: bool = True, present: bool = False) -> Path:
    """Render the world's trace so far to a .gif, an .mp4 or a directory of PNG frames.
    Raises ``record.RenderError`` with one line when the output cannot be written."""
    from .controls import ViewState
    from .record import write
    view = ViewState(title=title or "dockersim", present=present)
    path, _n = write(scene_of(world, console, prompts), out, fps=fps, size=tuple(size),
                     speed=speed, view=view)
    return path


def play(world, host: str, *, title: str | None = None,
         overlay: Callable[[], list[str]] | None = None,
         on_command: Callable[[str, object], None] | None = None, present: bool = False,
         hints: bool = True, explainer=None, console: Console | None = None,
         command_line: bool = False) -> int:
    """Open the window on a live world; commands typed in it run on ``host``. Returns 0 when
    the window is closed. ``hints=False``: no mistake hints; ``explainer``: the caller's own
    ``sim.cli.hints.Explainer`` (a lesson's, with its teaching notes); ``console``: what the
    world printed before (a lesson's setup); ``command_line``: open it at the start."""
    import os
    import sys
    if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            or os.environ.get("SDL_VIDEODRIVER") == "dummy"):  # dummy: a deliberate no-window
        raise SystemExit("dockersim: the window needs a display (DISPLAY is not set); "
                         "without one, play in the terminal or render a video")
    from .app import Window
    return Window(world, host, title=title, overlay=overlay, on_command=on_command,
                  present=present, hints=hints, explainer=explainer, console=console,
                  command_line=command_line).run()
