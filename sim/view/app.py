"""The window loop: play the scene, take keys and clicks, run typed command lines.

Typed lines go through the shell's own path (``run_hinted`` -> ``execute``), so the window
accepts exactly what ``dockersim shell`` accepts. A line typed at the end of time runs
there; typed while paused earlier in time it forks the future (see ``fork.py``), and the top
bar says so.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from . import controls, fork
from .animate import SETTLE
from .api import Console, command_index, scene_of
from .controls import ViewState

FPS = 60


class Window:
    def __init__(self, world, host: str, *, title: str | None = None,
                 overlay: Callable[[], list[str]] | None = None,
                 on_command: Callable[[str, object], None] | None = None,
                 console: Console | None = None, prompts: bool = True,
                 rebuild: Callable | None = None, size: tuple[int, int] = (1280, 720),
                 present: bool = False, hints: bool = True, explainer=None,
                 command_line: bool = False) -> None:
        self.world, self.size = world, size
        self.console = console or Console()
        self.prompts = prompts
        self.scene = scene_of(world, self.console, prompts)
        self.overlay, self.on_command = overlay, on_command
        self.rebuild = rebuild or fork.trace_recipe(world)
        self.view = ViewState(title=title or "dockersim", host=host, t=0.0,
                              playing=bool(self.scene.records), present=present)
        self.history: list[str] = []
        # a shell or a lesson: the command line is open from the start and stays open after
        # each line, as a terminal's prompt does (Esc closes it, / opens it again)
        self.typing = command_line
        if command_line:
            self.view.command = ""
        self.shots = 0
        self._skip_text = ""
        self._drag: str | None = None
        self._drag_from = (0, 0, (0, 0))
        self._console_seen = len(self.console.lines)
        if explainer is None and hints:
            from ..cli.hints import Explainer
            explainer = Explainer()
        self.explainer = explainer  # hints after mistakes, as the shell prints them; or None

    # ---- time and commands --------------------------------------------------------------
    @property
    def now(self) -> float:
        """The live world's time: new commands start here."""
        return max(self.scene.end, self.world.now)

    @property
    def end(self) -> float:
        """Where the play head may go: a little past now, so that the last changes finish
        moving (a layer grows in, a container fades out)."""
        return self.now + SETTLE

    def submit(self, line: str) -> object:
        """Run a typed line as the shell would; fork first when scrubbed back."""
        from ..cli.shell import run_hinted
        view = self.view
        scrubbed = not view.playing and view.t < self.now - 1e-6
        if scrubbed and line.strip() and not line.strip().startswith("#"):
            self.fork(view.t)
        view.t = min(view.t, self.world.now)  # the new work plays from where it starts
        self.history.append(line)
        stripped = line.strip()
        start, since = self.world.now, len(self.world.trace.records)
        result = run_hinted(self.world, view.host, line, self.explainer)
        found = command_index(self.world.trace, since, view.host)
        seq = since if found is None else found
        if not self.prompts or found is None:  # the trace holds no prompt for this line
            self.console.add(start, view.host, f"$ {stripped}", start, seq)
        self.scene.sync(self.world.trace)
        self.console.add_result(view.host, result, start, seq)
        for t, host, text, begun, cmd in self.console.lines[self._console_seen:]:
            self.scene.add_output(t, host, text, begun, cmd)
        self._console_seen = len(self.console.lines)
        view.playing = True  # watch the new work happen
        if self.on_command is not None:
            self.on_command(line, result)
        return result

    def fork(self, t: float) -> None:
        """Rebuild the world at t with the same seed; the old future is dropped."""
        new = self.rebuild(t, self.world.trace)
        fork.adopt(self.world, new)
        # what was printed by then, and the rest of what commands in flight at t printed:
        # the rebuilt world ran them to their end again, with the same seed and output
        kept = [c for c in self.console.lines if c[0] <= t or c[3] is not None and c[3] < t]
        self.console.lines[:] = kept
        self._console_seen = len(kept)
        self.scene = scene_of(self.world, self.console, self.prompts)
        self.view.forked = self.world.now
        self.view.t = min(self.view.t, self.world.now)

    # ---- the loop -----------------------------------------------------------------------
    def run(self, frames: int | None = None, screenshot: str | Path | None = None) -> int:
        """Open the window and loop until closed (or for ``frames`` frames, then save a
        screenshot: the tests use this under Xvfb)."""
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        os.environ.setdefault("SDL_WINDOWS_DPI_AWARENESS", "permonitorv2")  # crisp on HiDPI
        import pygame

        from .draw.frame import Frame, regions
        pygame.display.init()  # not pygame.init(): no audio device wanted
        pygame.font.init()
        pygame.display.set_caption(self.view.title)
        flags = pygame.RESIZABLE
        screen = pygame.display.set_mode(self.size, flags)
        pygame.key.start_text_input()  # keys carry their characters ('?', ':') throughout
        clock = pygame.time.Clock()
        frame = Frame()
        n = 0
        try:
            while not self.view.quit:
                dt = clock.tick(FPS) / 1000.0
                for event in pygame.event.get():
                    self.handle(event, pygame, screen, frame,
                                regions(screen.get_size(), self.view.present))
                screen = pygame.display.get_surface()
                self.scene.sync(self.world.trace)  # whatever else ran (a lesson's own steps)
                controls.advance(self.view, dt, self.end)
                self.view.t = min(self.view.t, self.end)
                if self.overlay is not None:
                    self.view.overlay = list(self.overlay())
                frame.draw(screen, self.scene, self.view, now=self.end)
                pygame.display.flip()
                n += 1
                if frames is not None and n >= frames:
                    if screenshot is not None:
                        pygame.image.save(screen, str(screenshot))
                    break
        finally:
            pygame.display.quit()
        return 0

    def handle(self, event, pygame, screen, frame, reg) -> None:
        view = self.view
        if event.type == pygame.QUIT:
            view.quit = True
        elif event.type == pygame.TEXTINPUT and view.command is not None:
            if self._skip_text and event.text == self._skip_text:
                self._skip_text = ""
                return
            view.command += event.text
        elif event.type == pygame.KEYDOWN:
            if view.command is not None:
                self._edit(event, pygame)
                return
            char = event.unicode or ("?" if event.key == pygame.K_SLASH and
                                     event.mod & pygame.KMOD_SHIFT else "")
            action = controls.KEYS.get(char) or controls.KEYS.get(pygame.key.name(event.key))
            if action is None:
                return
            view.notice = ""  # the last key's message goes with the next key
            rest = controls.apply(view, action, self.scene, self.end)
            if rest == "command":
                view.command, view.notice = "", ""
                self._skip_text = event.unicode
                pygame.key.start_text_input()
            elif rest == "screenshot":
                path = next_screenshot(Path("."), self.shots)
                try:
                    pygame.image.save(screen, str(path))
                except (pygame.error, OSError) as exc:  # a read-only folder: say so, go on
                    view.notice = f"cannot save {path}: {exc}"
                else:
                    self.shots = int(path.stem.rsplit("-", 1)[1])
                    view.notice = f"saved {path}"
            elif rest == "fullscreen":
                pygame.display.toggle_fullscreen()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            x, y = event.pos
            if _inside(reg["timeline"], x, y):
                self._drag = "scrub"
                self._scrub(x, frame, reg)
            elif _inside(reg["main"], x, y):
                box = frame.layout.hit(x, y) if frame.layout else None
                view.selected = (box.kind, box.host, box.key) if box else None
                self._drag = "pan"
                self._drag_from = (x, y, view.pan)
        elif event.type == pygame.MOUSEBUTTONUP:
            self._drag = None
        elif event.type == pygame.MOUSEMOTION and self._drag:
            if self._drag == "scrub":
                self._scrub(event.pos[0], frame, reg)
            else:
                x0, y0, (px, py) = self._drag_from
                view.pan = (px + event.pos[0] - x0, py + event.pos[1] - y0)
        elif event.type == pygame.MOUSEWHEEL:
            self._zoom(pygame.mouse.get_pos(), 1.1 if event.y > 0 else 1 / 1.1, reg["main"])

    def _zoom(self, at: tuple[int, int], factor: float, main) -> None:
        """Zoom the host area, keeping the point under the mouse where it is."""
        view = self.view
        new = min(4.0, max(0.5, view.zoom * factor))
        ox, oy = main[0] + 8, main[1] + 8  # the layout's origin (frame.py: inner)
        cx = (at[0] - ox - view.pan[0]) / view.zoom
        cy = (at[1] - oy - view.pan[1]) / view.zoom
        view.pan = (round(at[0] - ox - cx * new), round(at[1] - oy - cy * new))
        view.zoom = new

    def _scrub(self, x: int, frame, reg) -> None:
        self.view.playing = False
        self.view.t = frame.timeline.time_at(reg["timeline"], x, self.scene, self.end)

    def _edit(self, event, pygame) -> None:
        view = self.view
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            line = view.command
            view.command = "" if self.typing else None
            if line.strip():
                self.submit(line)
        elif event.key == pygame.K_ESCAPE:  # text input stays on: with it off, SDL gives
            view.command = None              # shifted keys ('?') no character
        elif event.key == pygame.K_BACKSPACE:
            view.command = view.command[:-1]
        elif event.key == pygame.K_UP and self.history:
            view.command = self.history[-1]


def next_screenshot(folder: Path, after: int = 0) -> Path:
    """``dockersim-NNN.png`` with the first number past ``after`` that no file has yet, so a
    new session never overwrites the screenshots of an earlier one."""
    n = after + 1
    while (folder / f"dockersim-{n:03d}.png").exists():
        n += 1
    return folder / f"dockersim-{n:03d}.png"


def _inside(rect, x: int, y: int) -> bool:
    rx, ry, rw, rh = rect
    return rx <= x < rx + rw and ry <= y < ry + rh
