"""Hosts, their layer stores, images, containers and volumes; registries and transfers."""

from __future__ import annotations

import pygame

from .. import animate
from ..layout import FULL, SMALL, TINY, Box, Layout
from ..scene import FADE, LINGER, Scene, State
from ..theme import (
    BACKGROUND,
    BLUE,
    CARD,
    GREY,
    INK,
    MUTED,
    YELLOW,
    human,
    ink_on,
    mix,
    portray,
    short,
    state_label,
)
from .text import Text


def badge_rect(box: Box, line: int) -> tuple[int, int, int, int]:
    """Where a container's state badge is (tests look for its colour there)."""
    x, y, w, h = box.rect
    rw = box.extra[3]
    body = h - rw
    if body >= line:  # a full container box: a badge at the left of its body
        return (x + 3, y + rw + 3, max(4, min(w - 6, round(line * 4.2))), body - 6)
    return (x, y + rw, w, max(1, h - rw))


def upper_dir(c) -> str:
    """What the writable layer holds: ``rw 6B: 1 write, 3 copy-ups, 1 whiteout``."""
    counts: dict[str, int] = {}
    for what in c.files.values():
        counts[what] = counts.get(what, 0) + 1
    parts = [f"{n} {what}{'s' * (n != 1)}" for what, n in sorted(counts.items())
             if not what.startswith("volume:")]
    parts += [f"{n} in volume {what[7:]}" for what, n in sorted(counts.items())
              if what.startswith("volume:")]
    return f"rw {human(c.rw_size)}: " + ", ".join(parts)


def count(n: int, noun: str) -> str:
    """``1 blob``, ``7 blobs``: a header reads like a sentence."""
    return f"{n} {noun}{'s' * (n != 1)}"


def registry_head(r, present: bool = False) -> str:
    """A registry box's first line: ``docker.io  29 repos · 1 blob``."""
    if present:
        return f"{r.name} · {count(len(r.blobs), 'blob')}"
    return f"{r.name}  {count(len(r.repos), 'repo')} · {count(len(r.blobs), 'blob')}"


def instruction(created_by: str, n: int) -> str:
    """A layer's instruction, short: BuildKit's ``# buildkit`` comment and the shell
    wrapper add nothing a reader needs."""
    text = " ".join(created_by.replace("\t", " ").removesuffix("# buildkit").split())
    text = text.replace("RUN /bin/sh -c ", "RUN ").replace("/bin/sh -c #(nop) ", "")
    if text.startswith("/bin/sh -c "):  # the legacy builder's history
        text = "RUN " + text.removeprefix("/bin/sh -c ")
    return text if len(text) <= n else text[:n - 1] + "…"


def shared_counts(state: State) -> dict[tuple[str, str], int]:
    """(host, chainID) -> how many images use the layer."""
    counts: dict[tuple[str, str], int] = {}
    for h in state.hosts.values():
        for img in h.images.values():
            for c in img.chain_ids:
                counts[(h.name, c)] = counts.get((h.name, c), 0) + 1
    return counts


class Cards:
    """Each host card's picture, kept while the host does not change and nothing in it
    moves (a growing layer, a fading container, a transfer): then a frame is one blit."""

    def __init__(self) -> None:
        self.pictures: dict[str, tuple] = {}  # host -> (key, local boxes, Surface)
        self.settle: dict[tuple[str, int], float] = {}  # (host, version) -> still after
        self.scratch: dict[tuple[int, int], pygame.Surface] = {}

    def still_after(self, host) -> float:
        key = (host.name, host.version)
        t = self.settle.get(key)
        if t is None:
            if len(self.settle) > 4096:
                self.settle.clear()
            t = max((ly.born + animate.APPEAR for ly in host.layers.values()), default=0.0)
            for c in (*host.containers.values(), *host.ghosts.values()):
                t = max(t, c.born + animate.APPEAR, c.changed_at + animate.FLASH,
                        (c.removed or 0.0) + FADE)
            for x in host.transfers.values():  # in flight: moving till its end record
                t = max(t, float("inf") if x.done_at is None else x.done_at + LINGER)
            self.settle[key] = t
        return t

    def draw(self, surf: pygame.Surface, text: Text, lay: Layout, state: State, scene: Scene,
             t: float, shared: dict, selected: str | None, settled: bool = False) -> None:
        """``settled`` (the view is paused): what grows in or fades out is drawn as it ends
        up, so that a step to an event shows what the event did."""
        for name, card in lay.cards.items():
            host = state.hosts[name]
            local = lay.local[name]
            x, y, w, h = card.rect
            if w < 2 or h < 2:
                continue
            key = (host.version, w, h, lay.lod[name], lay.line, selected, lay.present)
            quiet = t >= self.still_after(host)
            kept = self.pictures.get(name)
            if quiet and kept is not None and kept[0] == key and kept[1] is local:
                surf.blit(kept[2], (x, y))
                continue
            if quiet:
                picture = pygame.Surface((w, h))
                self.pictures[name] = (key, local, picture)
            else:
                picture = self.scratch.get((w, h))
                if picture is None:
                    picture = self.scratch[(w, h)] = pygame.Surface((w, h))
            _card(picture, text, lay, host, local, scene, t, shared, selected, settled)
            surf.blit(picture, (x, y))


def _card(surf, text: Text, lay: Layout, host, local: list[Box], scene: Scene, t: float,
          shared: dict, selected: str | None, settled: bool = False) -> None:
    """One card in its own coordinates: frame, header, then its boxes."""
    line = lay.line
    small = max(9, round(line * 0.8))
    name = host.name
    w, h = surf.get_size()
    surf.fill(BACKGROUND)
    style = portray(host)
    pygame.draw.rect(surf, style.fill, (0, 0, w, h), border_radius=6)
    pygame.draw.rect(surf, style.edge, (0, 0, w, h), 2 if host.faults else 1, border_radius=6)
    lod = lay.lod[name]
    pad = max(3, line // 4)
    n_img, n_lay = len(host.images), len(host.layers)
    disk, unshared = host.disk(), host.unshared()
    present = lay.present
    motion = t + animate.SETTLE if settled else t
    if lod == FULL and present:  # the sharing figure only when sharing saves something
        head = f"{n_img} img · {count(n_lay, 'layer')} · {human(disk)}" + (
            f" (unshared {human(unshared)})" if unshared > disk else "")
    elif lod == FULL:
        head = (f"{count(n_img, 'image')}, {count(n_lay, 'layer')}, {human(disk)} on disk, "
                f"{human(unshared)} if unshared")
    elif lod == SMALL:
        head = f"{n_img} img · {count(n_lay, 'layer')} · {human(disk)}"
    else:
        head = ""
    size = line if lod > TINY else small
    used = text.blit(surf, name, (pad, pad), size, INK, w - 2 * pad, bold=True)
    text.blit(surf, head, (pad * 3 + used, pad + (size - small) // 2), small, MUTED,
              w - used - pad * 4)
    if host.faults:
        text.blit(surf, ", ".join(host.faults), (pad, h - small - pad), small, style.edge,
                  w - 2 * pad)
    if lod < FULL and host.transfers:  # no room for a row per blob: one bar for the pull
        total = sum(x.size for x in host.transfers.values()) or 1
        moved = sum(x.size * animate.progress(scene, x, t) for x in host.transfers.values())
        bar_y = pad + size + 2
        pygame.draw.rect(surf, mix(CARD, BLUE, 0.2), (pad, bar_y, w - 2 * pad, 4))
        pygame.draw.rect(surf, BLUE, (pad, bar_y, round((w - 2 * pad) * moved / total), 4))
    for b in local:
        kind = b.kind
        if kind == "layer":
            _layer(surf, text, b, line, lod, motion, shared.get((name, b.key), 0),
                   b.key == selected, present)
        elif kind == "image":
            _image(surf, text, b, line, lod, b.key == selected)
        elif kind == "container":
            _container(surf, text, b, line, lod, t, b.key == selected, present, motion)
        elif kind == "group":
            _group(surf, text, b, line)
        elif kind == "volume":
            _volume(surf, text, b, line)
        elif kind == "transfers":
            _transfer_row(surf, text, b, host, line, scene, t, present)


def _layer(surf, text: Text, b: Box, line: int, lod: int, t: float, users: int,
           selected: bool, present: bool = False) -> None:
    ly = b.thing
    style = portray(ly)
    x, y, w, h = b.rect
    grow = animate.appear(ly.born, t)
    if grow < 1.0:
        nh = max(1, round(h * grow))
        y, h = y + h - nh, nh
    pygame.draw.rect(surf, style.fill, (x, y, w, h))
    pygame.draw.rect(surf, INK if selected else style.edge, (x, y, w, h), 2 if selected else 1)
    small = max(9, round(line * 0.8))
    if lod == TINY or h < small - 2 or w < line * 2:
        return
    label = human(ly.size) if present else f"{style.label} {human(ly.size)}"
    if users > 1:
        label += f" ×{users} shared"
    if lod == FULL and ly.created_by:
        label += "  " + instruction(ly.created_by, 28 if present else 60)
    text.blit(surf, label, (x + 3, y + (h - small) // 2 + 1), small, style.text, w - 6)


def _image(surf, text: Text, b: Box, line: int, lod: int, selected: bool) -> None:
    img = b.thing
    x, y, w, h = b.rect
    colour = INK if not selected else (0, 114, 178)
    # a bracket over the column: everything under it, down to the base, is this image
    top = y + line if lod > TINY else y + 2
    pygame.draw.line(surf, colour, (x + 1, top - 1), (x + w - 2, top - 1), 2)
    pygame.draw.line(surf, colour, (x + 1, top - 1), (x + 1, top + 3), 2)
    pygame.draw.line(surf, colour, (x + w - 2, top - 1), (x + w - 2, top + 3), 2)
    if lod > TINY:
        small = max(9, round(line * 0.8))
        names = [r for r in img.tags if "@" not in r] or img.tags[:1]  # digest refs: noise
        label = ", ".join(names) if names else f"<none> {short(img.image_id, 12)}"
        text.blit(surf, label, (x + 4, y + 1), small, colour, w - 8, bold=True)


def _container(surf, text: Text, b: Box, line: int, lod: int, t: float, selected: bool,
               present: bool = False, motion: float | None = None) -> None:
    c = b.thing
    x, y, w, h = b.rect
    motion = t if motion is None else motion  # the time growth and fading are drawn at
    alpha = min(animate.fade(c.removed, motion), animate.appear(c.born, motion))
    if alpha <= 0.01:
        return
    style = portray(c)
    rw_style = portray(("rw", c))
    rx, ry, rwid, rh = b.extra

    def tint(col):
        return col if alpha >= 0.999 else mix(col, CARD, 1 - alpha)
    hot = animate.flash(c.changed_at, t)
    rw_fill = mix(rw_style.fill, YELLOW, hot) if hot else rw_style.fill
    pygame.draw.rect(surf, tint(rw_fill), (rx, ry, rwid, max(1, rh)))
    bx, by, bw, bh = badge_rect(b, line)
    if h - rh >= line:
        if rh >= 3:  # one mark per path in the upper dir: copy-up, whiteout, new file
            for i, what in enumerate(list(c.files.values())[-max(0, (rwid - 8) // 5):]):
                mark = portray(("change", what)).fill
                pygame.draw.rect(surf, tint(mark), (rx + rwid - 6 - i * 5, ry, 3, rh))
        pygame.draw.rect(surf, tint(CARD), (x, y + rh, w, h - rh))
        pygame.draw.rect(surf, tint(INK if selected else GREY), (x, y, w, h),
                         2 if selected else 1)
        pygame.draw.rect(surf, tint(style.fill), (bx, by, bw, bh), border_radius=3)
        small = max(9, round(line * 0.75))
        text.blit(surf, state_label(c), (bx + 3, by + (bh - small) // 2 + 1), small,
                  tint(ink_on(style.fill)), bw - 4)
        if alpha >= 0.999:
            if present:  # the name and how big the writable layer is, no counts
                label = f"{c.name}  rw {human(c.rw_size)}" if c.files else c.name
            else:
                label = f"{c.name}  {upper_dir(c)}" if c.files else c.name
            text.blit(surf, label, (bx + bw + 4, by + (bh - small) // 2 + 1), small, INK,
                      w - bw - 10)
    else:
        pygame.draw.rect(surf, tint(style.fill), (bx, by, bw, bh))
        if selected:
            pygame.draw.rect(surf, INK, (x - 1, y - 1, w + 2, h + 2), 1)


def _group(surf, text: Text, b: Box, line: int) -> None:
    cs = b.extra
    x, y, w, h = b.rect
    pygame.draw.rect(surf, CARD, b.rect)
    counts: dict[str, int] = {}
    for c in cs:
        counts[c.state] = counts.get(c.state, 0) + 1
    bar_h = max(3, h // 4)
    cx = x
    for state, n in sorted(counts.items()):
        seg = round(w * n / len(cs))
        pygame.draw.rect(surf, portray(("state", state)).fill, (cx, y + h - bar_h, seg, bar_h))
        cx += seg
    pygame.draw.rect(surf, GREY, b.rect, 1)
    small = max(9, round(line * 0.75))
    small = min(small, h - bar_h)  # the label fits over the bar or is smaller
    if small >= 9:
        label = f"×{len(cs)} " + " ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        text.blit(surf, label, (x + 3, y + 1), small, INK, w - 6)


def _volume(surf, text: Text, b: Box, line: int) -> None:
    style = portray(("volume", b.key))
    x, y, w, h = b.rect
    pygame.draw.rect(surf, style.fill, b.rect, border_radius=h // 2)
    pygame.draw.rect(surf, style.edge, b.rect, 1, border_radius=h // 2)
    small = max(9, round(line * 0.75))
    name = short(b.key, 12) if b.extra else b.key
    text.blit(surf, "vol " + name, (x + h // 2, y + (h - small) // 2 + 1), small, INK,
              w - h)


SHORT_PHASES = {"downloaded": "Downloaded", "extracted": "Complete", "exists": "Exists",
                "uploaded": "Pushed", "mounted": "Mounted"}


def _transfer_row(surf, text: Text, b: Box, host, line: int, scene: Scene, t: float,
                  present: bool = False) -> None:
    xs = sorted(host.transfers.values(), key=lambda x: x.order)
    x, y, w, h = b.rect
    seg = max(line * 2, min(line * 10, w // max(1, len(xs))))
    small = max(9, round(line * 0.7))
    for i, tr in enumerate(xs):
        sx = x + i * seg
        if sx + seg > x + w:
            text.blit(surf, f"+{len(xs) - i}", (sx, y), small, MUTED)
            break
        vis = animate.linger(tr, t)
        if vis <= 0.02:
            continue
        style = portray(tr)
        frame = (sx, y, seg - 3, h)
        pygame.draw.rect(surf, mix(CARD, style.fill, 0.25 * vis), frame)
        p = animate.progress(scene, tr, t)
        pygame.draw.rect(surf, mix(CARD, style.fill, vis), (sx, y + h - 4, round((seg - 3) * p), 4))
        pygame.draw.rect(surf, mix(CARD, GREY, vis), frame, 1)
        if present:  # no digest; a word short enough for a narrow cell
            label = f"{p:.0%}" if tr.phase in ("downloading", "uploading") else \
                SHORT_PHASES.get(tr.phase, style.label)
        else:
            label = f"{short(tr.digest, 6)} {style.label}"
            if tr.phase in ("downloading", "uploading"):
                label = f"{short(tr.digest, 6)} {human(tr.size * p)}/{human(tr.size)}"
        text.blit(surf, label, (sx + 2, y + 1), small, mix(CARD, INK, vis), seg - 6)


def draw_registry(surf, text: Text, rect, r, line: int, present: bool = False) -> None:
    """One registry: its name, repositories and tags, and a mark per blob."""
    small = max(9, round(line * 0.75))
    mark = max(4, line // 4)  # a blob's mark: 4 px at 16 px text
    style = portray(r)
    pygame.draw.rect(surf, style.fill, rect, border_radius=6)
    pygame.draw.rect(surf, style.edge, rect, 2 if r.faults else 1, border_radius=6)
    x, y, w, h = rect
    head = registry_head(r, present)
    if r.faults:
        head += "  " + ", ".join(r.faults)
    text.blit(surf, head, (x + 5, y + 3), line, INK, w - 10, bold=True)
    used = "  ".join(r.used)  # what was pulled or pushed, then what else it serves
    more = len(r.repos) - len({u.split("@")[0].rpartition(":")[0] or u for u in r.used})
    wu = text.blit(surf, used, (x + 5, y + 5 + line), small, INK, w - 10)
    if more > 0:
        rest = f"{'  + ' if used else ''}{more} repos" if used or present else \
            ", ".join(sorted(r.repos))
        text.blit(surf, rest, (x + 5 + wu, y + 5 + line), small, MUTED, w - 10 - wu)
    bx = x + 5
    for d in sorted(r.blobs):
        if bx + mark + 1 > x + w - 5:
            break
        pygame.draw.rect(surf, portray(("blob", d)).fill,
                         (bx, y + h - mark - 4, mark, mark + 1))
        bx += mark + 2


LINKED_HOSTS = 6  # above this, links would cross other cards: each card shows a bar


def draw_links(surf, lay: Layout, state: State, scene: Scene, t: float) -> None:
    """Transfers in flight: blocks travelling along the registry -> host link."""
    line = lay.line
    if len(lay.cards) > LINKED_HOSTS:
        return
    for _name, card in lay.cards.items():
        host = card.thing
        if not host.transfers:
            continue
        cx, cy = card.rect[0] + card.rect[2] // 2, card.rect[1]
        for tr in host.transfers.values():
            reg = lay.registries.get(tr.registry)
            if reg is None or tr.done_at is not None:
                continue
            rx, ry = reg.rect[0] + reg.rect[2] // 2, reg.rect[1] + reg.rect[3]
            pygame.draw.line(surf, GREY, (rx, ry), (cx, cy), 1)
            if tr.phase not in ("downloading", "uploading"):
                continue
            p = animate.progress(scene, tr, t)
            if tr.phase == "uploading":
                p = 1 - p
            px, py = rx + (cx - rx) * p, ry + (cy - ry) * p
            s = max(5, line // 2)
            block = (round(px - s / 2), round(py - s / 2), s, s)
            pygame.draw.rect(surf, portray(("blob", tr.digest)).fill, block)
            pygame.draw.rect(surf, INK, block, 1)
