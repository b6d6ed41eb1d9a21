"""Cached labels (sim/view/draw/text.py): unchanged text is never rendered twice."""

from __future__ import annotations

import pygame

from sim.view.draw.text import Text

from ..helpers import demo, draw


def test_same_label_renders_once():
    text = Text()
    surf = pygame.Surface((200, 50))
    for _ in range(5):
        text.blit(surf, "sha256:abc", (0, 0), 14, (0, 0, 0))
    assert text.renders == 1
    assert text.blit(surf, "a long label that is clipped", (0, 0), 14, (0, 0, 0), 20) == 20


def test_a_still_frame_renders_no_text_again():
    _world, scene = demo()
    _surf, _lay, frame = draw(scene, 3.0)
    before = frame.text.renders
    draw(scene, 3.0, frame=frame)
    assert frame.text.renders == before
