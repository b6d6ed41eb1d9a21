"""What the viewer is looking at (time, speed, zoom, selection) and what each key does.

Keys map to named actions first, so the help overlay, the window loop and the tests share
one table; the actions change a ``ViewState`` and never the world."""

from __future__ import annotations

from dataclasses import dataclass, field

SPEEDS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0)


@dataclass
class ViewState:
    t: float = 0.0
    playing: bool = True
    speed: float = 1.0
    zoom: float = 1.0
    pan: tuple[int, int] = (0, 0)
    selected: tuple[str, str, str] | None = None  # (kind, host, key)
    help: bool = False
    command: str | None = None  # the typed text while the command line is open
    notice: str = ""
    forked: float | None = None  # the time the future was forked from, if it was
    title: str = "dockersim"
    host: str = ""  # the host typed commands run on
    overlay: list[str] = field(default_factory=list)
    fullscreen: bool = False
    present: bool = False  # presentation mode: large text, fewer details (a projector)
    quit: bool = False


# pygame key names (pygame.key.name) -> action
KEYS: dict[str, str] = {
    "space": "play", "right": "next", "left": "previous", "[": "slower", "]": "faster",
    "-": "slower", "=": "faster", "+": "faster", "[-]": "slower", "[+]": "faster",
    "home": "start", "end": "end", "/": "command", ":": "command", "s": "screenshot",
    "f": "fullscreen", "?": "help", "q": "quit", "escape": "quit", "0": "reset-zoom",
}


def step_speed(speed: float, direction: int) -> float:
    """The next speed on the 0.1x .. 100x ladder."""
    if direction > 0:
        return next((s for s in SPEEDS if s > speed + 1e-9), SPEEDS[-1])
    return next((s for s in reversed(SPEEDS) if s < speed - 1e-9), SPEEDS[0])


def apply(view: ViewState, action: str, scene, end: float) -> str | None:
    """Apply a navigation action; return an action the window must do itself (screenshot,
    fullscreen, command) or None."""
    if action == "play":
        if not view.playing and view.t >= end - 1e-9:
            view.t = 0.0  # play again from the start, as a video player does
        view.playing = not view.playing
    elif action == "next":
        view.playing = False
        view.t = min(end, scene.event_time(view.t, +1))
    elif action == "previous":
        view.playing = False
        view.t = scene.event_time(view.t, -1)
    elif action == "slower":
        view.speed = step_speed(view.speed, -1)
    elif action == "faster":
        view.speed = step_speed(view.speed, +1)
    elif action == "start":
        view.t = 0.0
    elif action == "end":
        view.t = end
    elif action == "help":
        view.help = not view.help
    elif action == "reset-zoom":
        view.zoom, view.pan = 1.0, (0, 0)
    elif action == "quit":
        if view.help:
            view.help = False
        else:
            view.quit = True
    else:
        return action
    return None


def advance(view: ViewState, seconds: float, end: float) -> None:
    """Move the play head by wall-clock seconds times the speed; stop at the end."""
    if view.playing:
        view.t = min(end, view.t + seconds * view.speed)
        if view.t >= end:
            view.playing = False
