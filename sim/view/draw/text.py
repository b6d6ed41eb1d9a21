"""Cached text: a label is rendered once per (text, size, colour), then only blitted."""

from __future__ import annotations

import pygame

from ..theme import RGB

MAX_CACHED = 6000


FACES = {  # a system face when there is one (crisper than pygame's default at small sizes)
    (False, False): "dejavusans,liberationsans,arial,helvetica",
    (True, False): "dejavusansbold,liberationsansbold,arialbold",
    (False, True): "dejavusansmono,liberationmono,couriernew,monospace",
    (True, True): "dejavusansmonobold,liberationmonobold",
}


def _face(bold: bool, mono: bool) -> str | None:
    found = pygame.font.match_font(FACES[(bold, mono)])
    if found is None and bold:
        found = pygame.font.match_font(FACES[(False, mono)])
    return found


class Text:
    """Fonts by pixel size and a cache of rendered labels. A size is the line height in
    pixels; the face is scaled so its capitals fill about 70% of it."""

    faces: dict[tuple[bool, bool], str | None] = {}

    def __init__(self) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self.fonts: dict[tuple[int, bool, bool], pygame.font.Font] = {}
        self.cache: dict[tuple, pygame.Surface] = {}
        self.renders = 0  # how many times a font actually rendered (tests, bench)

    def font(self, size: int, bold: bool = False, mono: bool = False) -> pygame.font.Font:
        key = (size, bold, mono)
        f = self.fonts.get(key)
        if f is None:
            if (bold, mono) not in Text.faces:
                Text.faces[(bold, mono)] = _face(bold, mono)
            face = Text.faces[(bold, mono)]
            f = pygame.font.Font(face, max(6, round(size * 0.78)) if face else size)
            if face is None or "bold" not in face.lower():
                f.set_bold(bold)
            self.fonts[key] = f
        return f

    def get(self, text: str, size: int, colour: RGB, bold: bool = False,
            mono: bool = False) -> pygame.Surface:
        key = (text, size, colour, bold, mono)
        s = self.cache.get(key)
        if s is None:
            if len(self.cache) > MAX_CACHED:
                self.cache.clear()
            s = self.cache[key] = self.font(size, bold, mono).render(text, True, colour)
            self.renders += 1
        return s

    def blit(self, surface: pygame.Surface, text: str, pos: tuple[int, int], size: int,
             colour: RGB, width: int | None = None, bold: bool = False,
             mono: bool = False) -> int:
        """Draw text at pos, clipped to ``width``; return the width drawn."""
        if not text:
            return 0
        s = self.get(text, size, colour, bold, mono)
        if width is not None and s.get_width() > width:
            if width <= 0:
                return 0
            surface.blit(s, pos, (0, 0, width, s.get_height()))
            return width
        surface.blit(s, pos)
        return s.get_width()

    def width(self, text: str, size: int, mono: bool = False) -> int:
        return self.get(text, size, (0, 0, 0), mono=mono).get_width()
