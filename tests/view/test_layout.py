"""Layout (sim/view/layout.py): every layer once, a shared base as wide as its images, cards
that fit from 1 to 20 hosts, containers that collapse into groups when many."""

from __future__ import annotations

from sim.view.layout import FULL, TINY, grid, layer_height, layout
from sim.view.scene import ContainerView, HostView, ImageView, LayerView, State

from .helpers import boxes, demo, shared

AREA = (0, 0, 900, 560)


def inside(inner, outer) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and oy <= y and x + w <= ox + ow + 1 and y + h <= oy + oh + 1


def test_each_layer_is_drawn_once_and_the_shared_base_spans_both_images():
    _world, scene = shared()
    state = scene.state_at(scene.end)
    lay = layout(state, AREA)
    layers = boxes(lay, "layer")
    host = state.hosts["host1"]
    assert sorted(b.key for b in layers) == sorted(host.layers)
    base = next(iter(host.images.values())).chain_ids[0]
    base_box = next(b for b in layers if b.key == base)
    images = boxes(lay, "image")
    assert len(images) == 2
    for img in images:  # the base lies under both image brackets
        assert base_box.rect[0] <= img.rect[0] + 1
        assert img.rect[0] + img.rect[2] <= base_box.rect[0] + base_box.rect[2] + 2
    assert base_box.rect[2] >= sum(i.rect[2] for i in images) - 2


def test_a_stack_sits_on_its_parent():
    _world, scene = demo()
    lay = layout(scene.state_at(scene.end), AREA)
    by_key = {b.key: b for b in boxes(lay, "layer")}
    for b in by_key.values():
        parent = by_key.get(b.thing.parent)
        if parent is not None:
            assert b.rect[1] + b.rect[3] <= parent.rect[1] + 1  # above its parent


def test_bigger_layers_are_taller_on_a_log_scale():
    assert layer_height(1_000, 16) < layer_height(1_000_000, 16) < layer_height(10**8, 16)
    assert layer_height(10**8, 16) < 4 * layer_height(10**6, 16)


def test_grid_fits_any_count():
    for n in range(1, 25):
        cols, rows = grid(n, 1000, 560)
        assert cols * rows >= n and (cols - 1) * rows < n or cols * (rows - 1) < n


def fleet(hosts: int, containers_per_host: int) -> State:
    state = State({}, {})
    for i in range(hosts):
        h = state.hosts[f"n{i}"] = HostView(f"n{i}")
        h.layers["L1"] = LayerView("L1", "sha256:" + "1" * 64, None, 10**7, "d1", "RUN x", 0)
        h.layers["L2"] = LayerView("L2", "sha256:" + "2" * 64, "L1", 10**5, "d2", "COPY", 0)
        h.images["I"] = ImageView("I", ("L1", "L2"), 10**7 + 10**5, ["app:1"], 0)
        for k in range(containers_per_host):
            cid = f"c{i}-{k}"
            h.containers[cid] = ContainerView(cid, f"app{k}", "I", "app:1", "L2", 0,
                                              state="running" if k % 3 else "exited")
    return state


def test_twenty_hosts_fit_without_overlap_and_lose_detail():
    lay = layout(fleet(20, 15), AREA)
    cards = [c.rect for c in lay.cards.values()]
    assert len(cards) == 20
    for r in cards:
        assert inside(r, AREA)
    for i, a in enumerate(cards):
        for b in cards[i + 1:]:
            assert a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or \
                a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
    assert layout(fleet(1, 2), AREA).lod["n0"] == FULL
    assert max(lay.lod.values()) < FULL


def test_many_containers_become_squares_then_one_group():
    few = layout(fleet(1, 4), AREA)
    assert len(boxes(few, "container")) == 4
    for b in boxes(few, "container"):
        assert inside(b.rect, few.cards["n0"].rect)
    many = layout(fleet(1, 300), AREA)
    squares, groups = boxes(many, "container"), boxes(many, "group")
    assert len(squares) == 300 or (groups and sum(len(g.extra) for g in groups) == 300)
    crowd = layout(fleet(20, 300), AREA)
    groups = boxes(crowd, "group")
    assert len(groups) == 20 and all(len(g.extra) == 300 for g in groups)


def test_hit_finds_the_container_over_the_card():
    lay = layout(fleet(1, 3), AREA)
    box = boxes(lay, "container")[0]
    x, y, w, h = box.rect
    assert lay.hit(x + w // 2, y + h // 2) is box
    cx, cy, _w, _h = lay.cards["n0"].rect
    assert lay.hit(cx + 2, cy + 2).kind == "card"
    assert lay.hit(-50, -50) is None


def test_tiny_cards_when_the_area_is_small():
    lay = layout(fleet(20, 1), (0, 0, 400, 200))
    assert set(lay.lod.values()) == {TINY}


def test_zoom_and_pan_move_everything():
    state = fleet(2, 2)
    a = layout(state, AREA)
    b = layout(state, AREA, zoom=2.0, pan=(10, 20))
    ra, rb = a.cards["n1"].rect, b.cards["n1"].rect
    assert rb[2] > ra[2] * 1.8 and rb[0] != ra[0]


def test_a_click_on_a_layer_finds_the_layer_and_on_the_label_the_image():
    _world, scene = shared()
    lay = layout(scene.state_at(scene.end), AREA)
    for b in boxes(lay, "layer"):
        x, y, w, h = b.rect
        assert lay.hit(x + w // 2, y + h // 2).key == b.key  # not the image over it
    image = boxes(lay, "image")[0]
    x, y, w, _h = image.rect
    assert lay.hit(x + w // 2, y + 3).kind == "image"
