"""A whole frame (sim/view/draw/frame.py): regions tile the window at any size."""

from __future__ import annotations

from sim.view.draw.frame import line_height, regions

from ..helpers import demo, draw


def test_regions_stay_inside_and_do_not_overlap():
    for size in ((1280, 720), (640, 400), (2560, 1440), (1000, 1000)):
        reg = regions(size)
        for name, (x, y, w, h) in reg.items():
            assert x >= 0 and y >= 0 and x + w <= size[0] and y + h <= size[1], name
            assert w > 0 and h > 0
        mx, my, mw, mh = reg["main"]
        sx = reg["side"][0]
        assert mx + mw <= sx and my + mh <= reg["timeline"][1]


def test_text_scales_with_the_window():
    assert line_height((1280, 720)) == 16
    assert line_height((2560, 1440)) == 32
    assert line_height((640, 360)) == 11


def test_frames_at_several_sizes_are_not_blank():
    _world, scene = demo()
    for size in ((640, 400), (1920, 1080)):
        surf, lay, _ = draw(scene, 3.0, size=size)
        colours = {tuple(surf.get_at((x, y)))[:3] for x in range(0, size[0], 17)
                   for y in range(0, size[1], 13)}
        assert len(colours) > 10
        assert lay.cards
