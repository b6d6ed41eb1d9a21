"""The view's public entry points: open a window on a live world, or render its trace.

    play(world, host, *, title=None, overlay=None, on_command=None) -> int
    render(world, out, *, fps=30, size=(1280, 720), speed=1.0) -> Path
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from .scene import Scene


class Console:
    """Text a world printed, with the simulated time it was printed at, for the console
    pane (the trace holds state changes, not output)."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str, str, float | None]] = []  # (t, host, text, start)

    def add(self, t: float, host: str, text: str, start: float | None = None) -> None:
        if text:
            self.lines.append((t, host, text, start))

    def add_result(self, host: str, result, start: float | None = None) -> None:
        """A runner Result (of a command started at ``start``): each printed chunk at the
        time it was printed."""
        if result.chunks and len(result.times) == len(result.chunks):
            for (_stream, text), t in zip(result.chunks, result.times, strict=True):
                self.add(t, host, text, start)
        else:
            self.add(result.t, host, result.text, start)
        hint = getattr(result, "hint", None)
        if hint:
            from ..cli.hints import PREFIX
            self.add(result.t, host, f"{PREFIX}{hint}", start)

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
    for t, host, text, start in (console.lines if console else ()):
        scene.add_output(t, host, text, start)
    return scene


def render(world, out: str | Path, *, fps: int = 30, size: tuple[int, int] = (1280, 720),
           speed: float = 1.0, title: str | None = None, console: Console | None = None,
           prompts: bool = True) -> Path:
    """Render the world's trace so far to a .gif, an .mp4 or a directory of PNG frames.
    Raises ``record.RenderError`` with one line when the output cannot be written."""
    from .controls import ViewState
    from .record import write
    view = ViewState(title=title or "dockersim")
    path, _n = write(scene_of(world, console, prompts), out, fps=fps, size=tuple(size),
                     speed=speed, view=view)
    return path


def play(world, host: str, *, title: str | None = None,
         overlay: Callable[[], list[str]] | None = None,
         on_command: Callable[[str, object], None] | None = None) -> int:
    """Open the window on a live world; commands typed in it run on ``host``. Returns 0 when
    the window is closed."""
    from .app import Window
    return Window(world, host, title=title, overlay=overlay, on_command=on_command).run()
