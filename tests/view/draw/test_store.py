"""Host cards drawn headless and checked by their pixels (sim/view/draw/store.py): a running
badge has the running colour, a shared layer is drawn once, the writable layer grows."""

from __future__ import annotations

from sim.trace import events as ev
from sim.view import theme
from sim.view.draw.store import badge_rect, upper_dir

from ..helpers import boxes, centre, demo, draw, shared


def colour(surf, xy) -> tuple[int, int, int]:
    return tuple(surf.get_at(xy))[:3]


def test_running_badge_has_the_running_colour_at_the_containers_spot():
    _world, scene = demo()
    t = next(r.t for r in scene.records if isinstance(r.event, ev.ContainerStateChanged)
             and r.event.state == "running") + 1.0
    surf, lay, _ = draw(scene, t)
    running = [b for b in boxes(lay, "container") if b.thing.state == "running"]
    assert running
    for b in running:
        assert colour(surf, centre(badge_rect(b, lay.line))) == theme.GREEN
    stopped_at = next(r.t for r in scene.records if isinstance(r.event, ev.ContainerStateChanged)
                      and r.event.state == "exited")
    surf, lay, _ = draw(scene, stopped_at + 0.01)
    web = next(b for b in boxes(lay, "container") if b.thing.name == "web")
    assert colour(surf, centre(badge_rect(web, lay.line))) == theme.GREY


def test_a_shared_layer_is_drawn_once_across_both_images():
    _world, scene = shared()
    t = scene.end + 2
    surf, lay, _ = draw(scene, t)
    host = scene.state_at(t).hosts["host1"]
    base = next(iter(host.images.values())).chain_ids[0]
    blocks = [b for b in boxes(lay, "layer") if b.key == base]
    assert len(blocks) == 1
    x, y, w, h = blocks[0].rect
    fill = theme.portray(host.layers[base]).fill
    row = y + h - 3  # below the label text
    run = [colour(surf, (px, row)) == fill for px in range(x + 2, x + w - 2)]
    assert all(run)  # one unbroken block ...
    images = boxes(lay, "image")
    assert len(images) == 2 and w >= sum(i.rect[2] for i in images) - 2  # ... under both
    # and nowhere else on the card does that colour make another block of the same height
    card = lay.cards["host1"].rect
    others = sum(1 for b in boxes(lay, "layer") if b.key != base and
                 theme.portray(b.thing).fill == fill and b.rect[3] == h)
    assert others == 0 and card[0] <= x


def test_the_writable_layer_grows_after_a_write():
    _world, scene = demo()
    rec = next(r for r in scene.records if isinstance(r.event, ev.ContainerFilesChanged))
    cid = rec.event.container_id

    def rw(t):
        surf, lay, _ = draw(scene, t)
        box = next(b for b in boxes(lay, "container") if b.key == cid)
        rx, ry, rwid, rh = box.extra
        fill = theme.portray(("rw", box.thing)).fill
        painted = sum(1 for yy in range(ry, ry + rh) if colour(surf, (rx + rwid // 2, yy))
                      == fill)
        return rh, painted
    before_h, before_px = rw(rec.t - 0.01)
    after_h, after_px = rw(rec.t + 2.0)  # after the highlight has faded
    assert after_h > before_h
    assert after_px > before_px > 0


def test_a_write_is_highlighted_then_settles():
    _world, scene = demo()
    rec = next(r for r in scene.records if isinstance(r.event, ev.ContainerFilesChanged))
    surf, lay, _ = draw(scene, rec.t)
    box = next(b for b in boxes(lay, "container") if b.key == rec.event.container_id)
    rx, ry, rwid, rh = box.extra
    assert colour(surf, (rx + rwid // 2, ry + rh // 2)) == theme.YELLOW
    c = box.thing
    assert upper_dir(c).startswith("rw 6B: ")


def test_a_removed_container_fades_out():
    _world, scene = demo()
    t = next(r.t for r in scene.records if isinstance(r.event, ev.ContainerRemoved))
    _surf, lay, _ = draw(scene, t + 0.2)
    assert "web" in [b.thing.name for b in boxes(lay, "container")]
    _surf, lay, _ = draw(scene, t + 3.0)
    assert "web" not in [b.thing.name for b in boxes(lay, "container")]


def test_transfers_travel_and_show_progress():
    _world, scene = demo()
    surf, lay, _ = draw(scene, 0.35)
    row = boxes(lay, "transfers")
    assert row and row[0].thing.transfers
    x, y, w, h = row[0].rect
    bar = [colour(surf, (px, y + h - 2)) for px in range(x, x + w)]
    assert theme.BLUE in bar  # a downloading bar, partly filled


def test_an_instruction_is_shortened_for_a_label():
    from sim.view.draw.store import instruction
    assert instruction("RUN /bin/sh -c pip install -r requirements.txt # buildkit", 60) == (
        "RUN pip install -r requirements.txt")
    assert instruction("/bin/sh -c #(nop)  CMD [\"sh\"]", 60) == 'CMD ["sh"]'
    assert instruction("/bin/sh -c apt-get update", 60) == "RUN apt-get update"
    assert instruction("COPY\tapp /app  # buildkit", 8) == "COPY ap…"


def test_a_registry_box_lists_what_was_used_then_how_many_more_it_serves():
    import pygame

    from sim.view.draw.store import draw_registry
    from sim.view.draw.text import Text
    from sim.view.scene import RegistryView
    reg = RegistryView("docker.io", {"nginx": {"latest", "mainline"}, "redis": {"8.2"},
                                     "alpine": {"3.22"}})
    text = Text()
    surf = pygame.Surface((400, 60))
    draw_registry(surf, text, (0, 0, 400, 60), reg, 16)
    assert any(k[0] == "alpine, nginx, redis" for k in text.cache)  # nothing used yet
    reg.use("nginx", "latest")
    draw_registry(surf, text, (0, 0, 400, 60), reg, 16)
    assert any(k[0] == "nginx:latest" for k in text.cache)
    assert any(k[0] == "  + 2 repos" for k in text.cache)


def test_registry_and_card_headers_count_in_the_singular_too():
    from sim.view.draw.store import count, registry_head
    from sim.view.scene import RegistryView
    reg = RegistryView("docker.io", {"alpine": {"latest"}})
    assert registry_head(reg) == "docker.io  1 repo · 0 blobs"
    reg.blobs.add("sha256:" + "a" * 64)
    assert registry_head(reg) == "docker.io  1 repo · 1 blob"
    assert registry_head(reg, present=True) == "docker.io · 1 blob"
    assert (count(1, "layer"), count(0, "layer"), count(7, "layer")) == \
        ("1 layer", "0 layers", "7 layers")
