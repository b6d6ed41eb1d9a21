"""One frame: every region of the window drawn from the scene at the view's time."""

from __future__ import annotations

import pygame

from ..animate import SETTLE
from ..controls import ViewState
from ..layout import Layout, layout, visible_ghosts
from ..scene import Scene
from ..theme import BACKGROUND
from . import panels
from .store import Cards, draw_links, draw_registry, shared_counts
from .text import Text

Rect = tuple[int, int, int, int]


BASE_LINE = 16  # px per text line at 1280x720
PRESENT_LINE = 28  # presentation mode: readable from the back of a classroom at 1280x720


def line_height(size: tuple[int, int], present: bool = False) -> int:
    """Text size from the window size: 16 px at 1280x720 (28 px in presentation mode),
    scaled with the window, never below 11 (16 presenting)."""
    w, h = size
    base, least = (PRESENT_LINE, 16) if present else (BASE_LINE, 11)
    return max(least, round(base * min(w / 1280, h / 720)))


def regions(size: tuple[int, int], present: bool = False) -> dict[str, Rect]:
    w, h = size
    line = line_height(size, present)
    if present:  # big text, thinner chrome: the hosts keep most of the screen
        top, timeline, strip = round(line * 1.5), round(line * 2.3), round(line * 1.4)
        side = min(round(w * 0.4), max(line * 12, round(w * 0.32)))
    else:
        top, timeline, strip = round(line * 1.8), round(line * 3.2), round(line * 1.6)
        side = max(line * 16, round(w * 0.27))
    main_h = h - top - timeline - strip
    return {
        "top": (0, 0, w, top),
        "main": (0, top, w - side, main_h),
        "side": (w - side, top, side, main_h + strip),
        "metrics": (0, top + main_h, w - side, strip),
        "timeline": (0, h - timeline, w, timeline),
        "command": (0, top + main_h - round(line * 1.8), w - side, round(line * 1.8)),
    }


class Pictures:
    """Surfaces kept by a key: a region is painted again only when its key changes."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple] = {}

    def blit(self, surf: pygame.Surface, name: str, key, rect: Rect, paint) -> None:
        x, y, w, h = rect
        if w < 1 or h < 1:
            return
        kept = self.kept.get(name)
        if kept is None or kept[0] != key:
            picture = kept[1] if kept is not None and kept[1].get_size() == (w, h) else \
                pygame.Surface((w, h))
            picture.fill(BACKGROUND)
            paint(picture)
            kept = self.kept[name] = (key, picture)
        surf.blit(kept[1], (x, y))


class Frame:
    """Draws frames; keeps the caches (text, layout, timeline ticks) between them."""

    def __init__(self) -> None:
        self.text = Text()
        self.timeline = panels.Timeline()
        self._key = None
        self.layout: Layout | None = None
        self._shared: dict = {}
        self._boxes: dict = {}  # per-card layout cache (see layout.layout)
        self.cards = Cards()
        self.pictures = Pictures()
        self._sums: dict = {}  # per-host disk figures, by host version

    def draw(self, surf: pygame.Surface, scene: Scene, view: ViewState,
             now: float | None = None) -> Layout:
        size = surf.get_size()
        present = view.present
        line = line_height(size, present)
        reg = regions(size, present)
        state = scene.state_at(view.t)
        main = reg["main"]
        if view.command is not None:  # the command line takes the bottom: nothing under it
            main = (main[0], main[1], main[2], main[3] - reg["command"][3])
        inner = (main[0] + 8, main[1] + 8, main[2] - 16, main[3] - 16)
        settled = not view.playing  # paused: show each change as it ends up (see Cards)
        ghosts = visible_ghosts(state, view.t + SETTLE if settled else view.t)
        key = (id(scene), scene.generation, state.seq, inner, line, view.zoom, view.pan, ghosts,
               present)
        if key != self._key:
            self._key = key
            self.layout = layout(state, inner, line, view.zoom, view.pan, ghosts, self._boxes,
                                 present)
            self._shared = shared_counts(state)
        lay = self.layout
        t = view.t
        surf.fill(BACKGROUND)
        surf.set_clip(main)
        draw_links(surf, lay, state, scene, t)
        for name, box in lay.registries.items():
            r, (_x, _y, rw, rh) = box.thing, box.rect
            self.pictures.blit(surf, "registry:" + name, (r.version, rw, rh, line, present),
                               box.rect, lambda p, r=r, rw=rw, rh=rh: draw_registry(
                                   p, self.text, (0, 0, rw, rh), r, line, present))
        sel = view.selected[2] if view.selected else None
        self.cards.draw(surf, self.text, lay, state, scene, t, self._shared, sel, settled)
        surf.set_clip(None)
        end = scene.end if now is None else max(now, scene.end)
        build_host = next((h.name for h in state.hosts.values() if h.build is not None and
                           (h.build.finished is None or t - h.build.finished < 30)), None)
        side = reg["side"]
        details = panels.details(state, view.selected)
        build = (build_host, state.hosts[build_host].version) if build_host else None
        key = (id(scene), len(scene.console), scene.console_index(t), side, line,
               tuple(view.overlay), tuple(details), build, len(state.hosts) > 1, present)
        self.pictures.blit(surf, "side", key, side, lambda p: panels.side_panel(
            p, self.text, (0, 0, side[2], side[3]), scene, state, t, line, view.overlay,
            details, build_host, present))
        strip = reg["metrics"]
        self.pictures.blit(surf, "metrics", (id(scene), scene.generation, state.seq, strip,
                                             present),
                           strip, lambda p: panels.metrics(p, self.text, (0, 0, *strip[2:]),
                                                          state, line, self._sums, present))
        self.timeline.draw(surf, self.text, reg["timeline"], scene, t, end, line)
        panels.top_bar(surf, self.text, reg["top"], view.title, t, view.speed, view.playing,
                       end, view.forked, line, present,
                       view.notice if view.command is None else "")
        if view.command is not None:
            panels.command_line(surf, self.text, reg["command"], view.command, view.host,
                                view.notice, line)
        if view.help:
            panels.help_overlay(surf, self.text, line)
        return lay
