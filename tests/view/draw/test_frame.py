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


def test_presentation_mode_has_larger_text_that_scales():
    assert line_height((1280, 720), present=True) == 28
    assert line_height((1920, 1080), present=True) == 42
    assert line_height((640, 360), present=True) == 16
    for size in ((1280, 720), (1920, 1080), (800, 600)):
        reg = regions(size, present=True)
        for name, (x, y, w, h) in reg.items():
            assert x >= 0 and y >= 0 and x + w <= size[0] and y + h <= size[1], name
        assert reg["top"][3] > regions(size)["top"][3]
        assert reg["main"][2] >= size[0] * 0.55  # the hosts keep most of the width


def texts(frame) -> dict[str, int]:
    """Every label the frame rendered, with its pixel size."""
    return {key[0]: key[1] for key in frame.text.cache}


def test_presentation_mode_draws_fewer_details_in_larger_text():
    _world, scene = demo()
    _surf, lay, normal = draw(scene, 5.0)
    _surf, big_lay, big = draw(scene, 5.0, present=True)
    assert big_lay.present and big_lay.line == 28 and lay.line == 16
    plain, present = texts(normal), texts(big)
    assert "web  rw 6B: 5 copy-ups" in plain and "web  rw 6B" in present  # no counts
    assert not any("copy-up" in t for t in present)
    assert any(t.startswith("bac7ea7b 3.5kB") for t in plain)  # layer: digest, size, ...
    assert not any(t.startswith("bac7ea7b") for t in present)  # ... size and instruction
    assert any(t.startswith("3.5kB  COPY 30-tune") for t in present)
    assert min(present.values()) >= 21 > max(v for t, v in plain.items() if t != "Console")
    assert "  … 33 more lines" in present  # the pull's per-layer lines fold into one
