"""One place for colours (sim/view/theme.py)."""

from __future__ import annotations

import hashlib

from sim.view import theme
from sim.view.scene import ContainerView, LayerView


def test_container_badges_use_the_state_colours():
    c = ContainerView("c", "web", "i", "nginx", None, 0.0, state="running")
    assert theme.portray(c).fill == theme.GREEN
    assert theme.portray(c).label == "Up"
    c.state, c.exit_code = "exited", 137
    assert theme.portray(c).fill == theme.VERMILLION and theme.portray(c).label == "Exited (137)"
    c.exit_code = 0
    assert theme.portray(c).fill == theme.GREY


def test_layer_colour_comes_from_its_digest_and_the_palette():
    a = LayerView("c1", "sha256:" + "ab" * 32, None, 5, "d", "", 0.0)
    b = LayerView("c2", "sha256:" + "ab" * 32, "c1", 9, "e", "", 3.0)
    assert theme.portray(a).fill == theme.portray(b).fill  # same diffID, same colour
    fills = {theme.digest_colour("sha256:" + hashlib.sha256(str(i).encode()).hexdigest())
             for i in range(200)}
    bases = set(theme.OKABE_ITO)
    assert len(fills) > 7
    assert any(f in bases for f in fills)


def test_text_is_readable_on_its_fill():
    for fill in (*theme.OKABE_ITO, theme.BLACK, theme.CARD):
        ink = theme.ink_on(fill)
        luma = lambda c: 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]  # noqa: E731
        assert abs(luma(ink) - luma(fill)) > 90


def test_tags_and_sizes():
    assert theme.portray(("step", "cached")).label == "CACHED"
    assert theme.portray(("phase", "exists")).label == "Already exists"
    assert theme.portray(("phase", "waiting")).label == "Waiting"
    assert theme.human(158_000_000) == "158MB" and theme.human(6) == "6B"
    assert theme.human(1_500) == "1.5kB"
