"""Where things go: a pure function of the state and the area, giving rectangles.

Each host is a card; inside it the layer store is an icicle of the layer tree (a layer is
drawn once, as wide as the images that use it, so a shared base is visibly shared), images
are brackets over their column, containers sit on top of their image. From 1 to about 20
hosts the cards shrink and the detail drops (labels, then names); containers that do not fit
are grouped into one box per image with counts per state.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from .scene import FADE, ContainerView, HostView, ImageView, LayerView, State

Rect = tuple[int, int, int, int]

FULL, SMALL, TINY = 2, 1, 0  # level of detail of a host card


@dataclass(slots=True)
class Box:
    kind: str  # layer | image | container | group | volume | card | registry | transfers
    host: str
    key: str
    rect: Rect
    thing: object = None
    extra: object = None  # container: its rw rect; group: the containers


@dataclass
class Layout:
    """Cards and registries in window coordinates; each card's boxes in card coordinates
    (so a card's boxes, and its picture, can be reused while the card does not change)."""

    area: Rect
    line: int  # text line height the layout was made for
    present: bool = False  # presentation mode: the cards draw fewer details
    cards: dict[str, Box] = field(default_factory=dict)
    registries: dict[str, Box] = field(default_factory=dict)
    local: dict[str, list[Box]] = field(default_factory=dict)  # host -> boxes in its card
    lod: dict[str, int] = field(default_factory=dict)
    _boxes: list[Box] | None = None

    @property
    def boxes(self) -> list[Box]:
        """Every box in window coordinates (built on first use: clicks and tests)."""
        if self._boxes is None:
            out = []
            for name, items in self.local.items():
                cx, cy = self.cards[name].rect[:2]
                out += [Box(b.kind, b.host, b.key, (b.rect[0] + cx, b.rect[1] + cy, *b.rect[2:]),
                            b.thing, _shift(b.extra, cx, cy)) for b in items]
            self._boxes = out
        return self._boxes

    def hit(self, x: int, y: int) -> Box | None:
        """The topmost box under a point (containers over images over layers over cards).
        An image answers on its label and bracket only: the layers under it stay
        clickable."""
        for b in reversed(self.boxes):
            rx, ry, rw, rh = b.rect
            if b.kind == "image":
                rh = min(rh, self.line + 4)
            if rx <= x < rx + rw and ry <= y < ry + rh:
                return b
        for b in (*self.cards.values(), *self.registries.values()):
            rx, ry, rw, rh = b.rect
            if rx <= x < rx + rw and ry <= y < ry + rh:
                return b
        return None


def _shift(extra, dx: int, dy: int):
    """A container's rw rect moves with its box; other extras are not rectangles."""
    if isinstance(extra, tuple) and len(extra) == 4 and all(isinstance(v, int) for v in extra):
        return (extra[0] + dx, extra[1] + dy, extra[2], extra[3])
    return extra


def grid(n: int, w: int, h: int, aspect: float = 1.5) -> tuple[int, int]:
    """Columns and rows for n cards in w x h whose cards come closest to ``aspect``."""
    best, best_cost = (1, max(1, n)), math.inf
    for cols in range(1, max(1, n) + 1):
        rows = math.ceil(n / cols)
        cw, ch = w / cols, h / rows
        cost = abs(math.log((cw / ch) / aspect)) + 0.15 * (cols * rows - n)
        if cost < best_cost:
            best, best_cost = (cols, rows), cost
    return best


def layer_height(size: int, line: int) -> float:
    """Height grows with the size on a log scale: 1 kB and 100 MB both stay visible."""
    return line * (0.45 + 0.32 * max(0.0, math.log10(max(size, 1)) - 2))


def visible_ghosts(state: State, t: float) -> tuple[str, ...]:
    """Removed containers still fading out at t (the layout keeps their place till then)."""
    return tuple(sorted(cid for h in state.hosts.values() for cid, c in h.ghosts.items()
                        if c.removed is not None and c.removed > t - FADE))


def layout(state: State, area: Rect, line: int = 16, zoom: float = 1.0,
           pan: tuple[int, int] = (0, 0), ghosts: tuple[str, ...] | None = None,
           cache: dict | None = None, present: bool = False) -> Layout:
    """Rectangles for everything in ``state``; ``ghosts``: the removed containers to keep
    (default: all that the state still holds). ``cache`` keeps each card's boxes by the
    host's version, so only the cards that changed are laid out again."""
    x0, y0, w0, h0 = area
    w, h = round(w0 * zoom), round(h0 * zoom)
    x0, y0 = x0 + pan[0], y0 + pan[1]
    out = Layout(area, line, present)
    gap = round(max(4, line // 3) * zoom)  # everything scales with the zoom
    regs = list(state.registries.values())
    reg_h = round(line * 3.2 * zoom) if regs else 0
    if regs:
        rw = min(line * 20 * zoom, (w - gap * (len(regs) - 1)) / len(regs))
        for i, r in enumerate(regs):
            out.registries[r.name] = Box("registry", "", r.name, (
                round(x0 + i * (rw + gap)), y0, round(rw), reg_h), r)
    top = y0 + reg_h + (gap * 3 if regs else 0)
    hosts = list(state.hosts.values())
    if not hosts:
        return out
    cols, rows = grid(len(hosts), w, h - (top - y0))
    cw = (w - gap * (cols - 1)) / cols
    ch = (h - (top - y0) - gap * (rows - 1)) / rows
    for i, host in enumerate(hosts):
        r, c = divmod(i, cols)
        rect = (round(x0 + c * (cw + gap)), round(top + r * (ch + gap)), round(cw), round(ch))
        lod = FULL if cw >= line * 20 and ch >= line * 12 else SMALL if ch >= line * 5 else TINY
        out.lod[host.name] = lod
        out.cards[host.name] = Box("card", host.name, host.name, rect, host)
        mine = None if ghosts is None else tuple(g for g in ghosts if g in host.ghosts)
        key = (host.name, host.version, rect[2], rect[3], lod, line, mine)
        local = cache.get(key) if cache is not None else None
        if local is None:
            local = []
            _card(local, host, (0, 0, rect[2], rect[3]), lod, line, mine)
            if cache is not None:
                if len(cache) > 4 * len(hosts) + 64:
                    cache.clear()
                cache[key] = local
        out.local[host.name] = local
    return out


def _card(out: list[Box], host: HostView, rect: Rect, lod: int, line: int,
          ghosts: tuple[str, ...] | None) -> None:
    x, y, w, h = rect
    pad = max(3, line // 4)
    header = line + pad if lod > TINY else round(line * 0.9)
    body_top = y + header + pad
    body_bottom = y + h - pad
    if lod == FULL and host.transfers:
        out.append(Box("transfers", host.name, host.name,
                       (x + pad, body_top, w - 2 * pad, line), host))
        body_top += line + pad
    if host.volumes and lod > TINY:
        body_bottom -= line + pad
        vx = x + pad
        vw = max(line * 3, min(line * 8, (w - 2 * pad) // max(1, len(host.volumes)) - pad))
        for name in sorted(host.volumes):
            if vx + vw > x + w - pad:
                break
            out.append(Box("volume", host.name, name, (vx, body_bottom + pad, vw, line),
                           name, host.volumes[name]))
            vx += vw + pad
    shown = list(host.containers.values()) + [
        c for cid, c in host.ghosts.items() if ghosts is None or cid in ghosts]
    _store(out, host, shown, (x + pad, body_top, w - 2 * pad, body_bottom - body_top), lod,
           line)


def _columns(host: HostView):
    """Icicle columns: each image gets one, each layer spans the columns of its subtree."""
    children: dict[str | None, list[LayerView]] = defaultdict(list)
    for ly in host.layers.values():
        parent = ly.parent if ly.parent in host.layers else None
        children[parent].append(ly)
    for kids in children.values():
        kids.sort(key=lambda ly: (ly.born, ly.chain_id))
    tops: dict[str | None, list[ImageView]] = defaultdict(list)
    for img in sorted(host.images.values(), key=lambda i: (i.born, i.image_id)):
        top = img.chain_ids[-1] if img.chain_ids else None
        tops[top if top in host.layers else None].append(img)
    span: dict[str, tuple[int, int]] = {}
    image_col: dict[str, int] = {}
    col = 0
    for img in tops.get(None, []):  # images with no layer here (scratch)
        image_col[img.image_id] = col
        col += 1
    stack = [(ly, False) for ly in reversed(children[None])]
    starts: dict[str, int] = {}
    while stack:
        ly, closing = stack.pop()
        if closing:
            if col == starts[ly.chain_id]:
                col += 1  # a layer no image uses (cache, a container's base)
            span[ly.chain_id] = (starts[ly.chain_id], col)
            continue
        starts[ly.chain_id] = col
        for img in tops.get(ly.chain_id, []):
            image_col[img.image_id] = col
            col += 1
        stack.append((ly, True))
        stack.extend((kid, False) for kid in reversed(children.get(ly.chain_id, [])))
    return children, span, image_col, max(col, 1)


def _store(out: list[Box], host: HostView, shown: list[ContainerView], rect: Rect, lod: int,
           line: int) -> None:
    x, y, w, h = rect
    if w <= 4 or h <= 4:
        return
    children, span, image_col, ncols = _columns(host)
    colw = min(w / ncols, max(line * 14, w * 0.6))
    # heights: the deepest stack must leave room above it for the containers
    heights = {c: layer_height(ly.size, line) for c, ly in host.layers.items()}
    depth: dict[str, float] = {}
    for ly in _preorder(children):
        depth[ly.chain_id] = depth.get(ly.parent, 0.0) + heights[ly.chain_id] \
            if ly.parent in host.layers else heights[ly.chain_id]
    tallest = max(depth.values(), default=0.0)
    room = h * (0.62 if shown else 0.85)
    if shown and lod == FULL:  # leave the containers their full boxes when that is enough
        per_image: dict[str, int] = defaultdict(int)
        for c in shown:
            per_image[c.image_id] += 1
        need = max(per_image.values()) * (round(line * 1.25) + rw_height(shown[0], line) + 2)
        room = max(h * 0.3, min(room, h - need - line - 4))
    k = min(1.8, room / tallest) if tallest else 1.0  # fill a big card, shrink to fit
    bottom = y + h
    tops: dict[str, float] = {}
    for ly in _preorder(children):
        base = tops.get(ly.parent, bottom)
        top = base - heights[ly.chain_id] * k
        tops[ly.chain_id] = top
        a, b = span[ly.chain_id]
        out.append(Box("layer", host.name, ly.chain_id, (
            round(x + a * colw), round(top), max(1, round((b - a) * colw) - 1),
            max(1, round(base - top) - 1)), ly))
    for img_id, col in image_col.items():
        img = host.images[img_id]
        top_chain = img.chain_ids[-1] if img.chain_ids else None
        img_top = tops.get(top_chain, bottom)
        label_h = line if lod > TINY else 0
        rect = (round(x + col * colw), round(img_top - label_h - 2), max(2, round(colw) - 1),
                round(bottom - img_top + label_h + 2))
        out.append(Box("image", host.name, img_id, rect, img))
        mine = [c for c in shown if c.image_id == img_id]
        if mine:
            _place(out, host, sorted(mine, key=lambda c: (c.born, c.container_id)),
                   (rect[0], y, rect[2], max(0, rect[1] - y - 2)), lod, line)
    orphans = [c for c in shown if c.image_id not in image_col]
    if orphans:  # the image was deleted with -f, or its layers are not shown yet
        _place(out, host, orphans, (x + w - round(colw), y, round(colw), h // 3), lod, line)


def _preorder(children: dict[str | None, list[LayerView]]):
    stack = list(reversed(children.get(None, [])))
    while stack:
        ly = stack.pop()
        yield ly
        stack.extend(reversed(children.get(ly.chain_id, [])))


def rw_height(c: ContainerView, line: int) -> int:
    """The writable layer: thin when empty, thicker (log scale) as files are written."""
    return round(line * 0.3 + line * 0.12 * max(0.0, math.log10(max(c.rw_size, 1))))


def _place(out: list[Box], host: HostView, cs: list[ContainerView], rect: Rect, lod: int,
           line: int) -> None:
    """Stack containers upwards from the image; small squares when many; one group box
    with counts when even those do not fit."""
    x, y, w, h = rect
    if w < 3 or h < 3:
        return
    bottom = y + h
    tall = round(line * 1.25) + rw_height(cs[0], line) if lod == FULL else 0
    if lod == FULL and len(cs) * (tall + 2) <= h:
        for c in cs:
            rw = rw_height(c, line)
            body = round(line * 1.25)
            top = bottom - body - rw
            out.append(Box("container", host.name, c.container_id,
                           (x + 2, top, w - 4, body + rw), c, (x + 2, top, w - 4, rw)))
            bottom = top - 2
        return
    side = max(4, min(line, round(math.sqrt(w * h / max(1, len(cs))) - 2)))
    per_row = max(1, (w - 2) // (side + 2))
    rows = math.ceil(len(cs) / per_row)
    if rows * (side + 2) <= h and side >= 4:
        for i, c in enumerate(cs):
            r, col = divmod(i, per_row)
            rect = (x + 1 + col * (side + 2), bottom - (r + 1) * (side + 2), side, side)
            rw = max(1, min(side // 2, rw_height(c, line) // 3))
            out.append(Box("container", host.name, c.container_id, rect, c,
                           (rect[0], rect[1], side, rw)))
        return
    gh = min(h, line + 4)
    out.append(Box("group", host.name, cs[0].image_id, (x + 1, bottom - gh, w - 2, gh),
                   None, cs))
