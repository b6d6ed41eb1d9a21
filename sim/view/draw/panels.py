"""The frame around the hosts: top bar, metrics strip, timeline, side panel (lesson text,
details of the selected thing, the build, the console), the help overlay, the command line."""

from __future__ import annotations

import pygame

from ...cli.hints import PREFIX
from ..scene import Scene, State
from ..theme import (
    BLUE,
    CARD,
    GREEN,
    GRID,
    INK,
    MUTED,
    PANEL,
    VERMILLION,
    human,
    ink_on,
    mix,
    portray,
    short,
    state_label,
)
from .store import instruction
from .text import Text


def top_bar(surf, text: Text, rect, title: str, t: float, speed: float, playing: bool,
            live_end: float, forked: float | None, line: int, present: bool = False,
            notice: str = "") -> None:
    x, y, w, h = rect
    pygame.draw.rect(surf, PANEL, rect)
    mode = "playing" if playing else "paused"
    if present:
        right = f"{t:.1f}s / {live_end:.1f}s   {speed:g}×   {mode}"
        if forked is not None:
            right = f"forked at {forked:.1f}s   " + right
    else:
        right = f"t = {t:.2f}s / {live_end:.2f}s   {speed:g}×   {mode}   ? help"
        if forked is not None:
            right = f"forked at {forked:.2f}s   " + right
    wr = text.width(right, line)
    if notice:  # what a key just did (a screenshot saved): in place of the title
        wn = text.width(notice, line)
        pygame.draw.rect(surf, GREEN, (x + 4, y + 2, min(wn + 12, w - wr - 30), h - 4),
                         border_radius=4)
        text.blit(surf, notice, (x + 10, y + (h - line) // 2 + 1), line, CARD, w - wr - 40)
    else:
        text.blit(surf, title, (x + 8, y + (h - line) // 2 + 1), line, INK, w - wr - 30,
                  bold=True)
    text.blit(surf, right, (x + w - wr - 10, y + (h - line) // 2 + 1), line,
              VERMILLION if forked is not None else INK)


def host_sums(host, memo: dict) -> tuple[int, int, dict[str, int]]:
    """(disk, unshared, containers per state) of a host, kept per host version."""
    key = (host.name, host.version)
    sums = memo.get(key)
    if sums is None:
        if len(memo) > 4096:
            memo.clear()
        counts: dict[str, int] = {}
        for c in host.containers.values():
            counts[c.state] = counts.get(c.state, 0) + 1
        sums = memo[key] = (host.disk(), host.unshared(), counts)
    return sums


def metrics(surf, text: Text, rect, state: State, line: int, memo: dict | None = None,
            present: bool = False) -> None:
    x, y, w, h = rect
    pygame.draw.rect(surf, PANEL, rect)
    memo = {} if memo is None else memo
    disk = unshared = 0
    counts: dict[str, int] = {}
    for h_ in state.hosts.values():
        d, u, cs = host_sums(h_, memo)
        disk, unshared = disk + d, unshared + u
        for k, n in cs.items():
            counts[k] = counts.get(k, 0) + n
    pulled = sum(h_.bytes_pulled for h_ in state.hosts.values())
    states = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    if present:  # the two figures a class needs: what is on disk, what sharing saves
        parts = [f"disk {human(disk)}", f"sharing saves {human(max(0, unshared - disk))}",
                 states or "no containers"]
    else:
        parts = [f"disk {human(disk)}", f"if unshared {human(unshared)}",
                 f"sharing saves {human(max(0, unshared - disk))}", f"pulled {human(pulled)}",
                 "containers: " + (states or "none")]
    text.blit(surf, "   ·   ".join(parts), (x + 8, y + (h - line) // 2 + 1), line, INK, w - 16)


class Timeline:
    """Events as ticks under a time axis; the tick strip is drawn once per trace length."""

    def __init__(self) -> None:
        self.key = None
        self.strip: pygame.Surface | None = None

    def span(self, scene: Scene, now: float) -> float:
        return max(scene.end, now, 1e-6)

    def time_at(self, rect, px: int, scene: Scene, now: float) -> float:
        x, _y, w, _h = rect
        k = min(1.0, max(0.0, (px - x - 8) / max(1, w - 16)))
        return k * self.span(scene, now)

    def draw(self, surf, text: Text, rect, scene: Scene, t: float, now: float,
             line: int) -> None:
        x, y, w, h = rect
        pygame.draw.rect(surf, PANEL, rect)
        span = self.span(scene, now)
        inner = (x + 8, y + 6, w - 16, h - line - 8)
        key = (len(scene.records), inner[2], inner[3], span)
        if key != self.key:
            self.key = key
            self.strip = pygame.Surface((max(1, inner[2]), max(1, inner[3])))
            self.strip.fill(CARD)
            ih = inner[3]
            last = {}
            for rec in scene.records:
                px = round(rec.t / span * (inner[2] - 1))
                kind = rec.event.kind
                if last.get(kind) == px:
                    continue
                last[kind] = px
                style = portray(("event", kind))
                tall = ih if kind in ("CommandStarted", "FaultStarted") else ih // 2
                pygame.draw.line(self.strip, style.fill, (px, ih - tall), (px, ih - 1))
        surf.blit(self.strip, inner[:2])
        cx = inner[0] + round(min(t, span) / span * (inner[2] - 1))
        shade = pygame.Surface((max(1, cx - inner[0]), inner[3]), pygame.SRCALPHA)
        shade.fill((*BLUE, 40))
        surf.blit(shade, inner[:2])
        pygame.draw.rect(surf, GRID, inner, 1)
        pygame.draw.line(surf, VERMILLION, (cx, inner[1] - 3), (cx, inner[1] + inner[3] + 2), 3)
        small = max(9, round(line * 0.8))
        text.blit(surf, "0s", (inner[0], y + h - small - 2), small, MUTED)
        end = f"{span:.2f}s"
        text.blit(surf, end, (inner[0] + inner[2] - text.width(end, small), y + h - small - 2),
                  small, MUTED)


def side_panel(surf, text: Text, rect, scene: Scene, state: State, t: float, line: int,
               overlay: list[str], details: list[str], build_host: str | None,
               present: bool = False) -> None:
    x, y, w, h = rect
    pygame.draw.rect(surf, PANEL, rect)
    pygame.draw.line(surf, GRID, (x, y), (x, y + h), 1)
    small = max(9, round(line * 0.8))
    cy = y + 6
    for title, lines in (("Lesson", overlay), ("Details", details)):
        if not lines:
            continue
        text.blit(surf, title, (x + 8, cy), line, BLUE, w - 16, bold=True)
        cy += line + 2
        for ln in lines:
            for part in _wrap(text, ln, small, w - 20):
                text.blit(surf, part, (x + 12, cy), small, INK, w - 20)
                cy += small + 1
        cy += 6
    if build_host is not None and state.hosts[build_host].build is not None:
        cy = _build(surf, text, (x, cy, w, h), state.hosts[build_host], line, small)
    text.blit(surf, "Console", (x + 8, cy), line, BLUE, w - 16, bold=True)
    cy += line + 2
    room = (y + h - cy - 4) // (small + 1)
    if room <= 0:
        return
    lines = scene.console_at(t, room * (8 if present else 2))
    shown = console_rows(text, lines, small, w - 14, present, len(state.hosts) > 1)
    for ln, kind in shown[-room:]:
        colour = BLUE if kind == "prompt" else HINT if kind == "hint" else INK
        text.blit(surf, ln, (x + 8, cy), small, colour, w - 14, bold=kind == "prompt",
                  mono=True)
        cy += small + 1


def console_rows(text: Text, lines: list[tuple[float, str, str]], size: int, width: int,
                 present: bool, many_hosts: bool) -> list[tuple[str, str]]:
    """The console's rows as (text, prompt | hint | out). On a projector what was typed,
    hints and Docker's prose (an error, a status) wrap whole; a table row (columns apart by
    three or more spaces, as Docker's tabwriter pads them) is cut at the edge instead, since
    a wrapped table is harder to read than a clipped one."""
    if present:
        lines = brief(lines)
    shown: list[tuple[str, str]] = []
    for _t, host, ln in lines:
        kind = "prompt" if ln.startswith("$ ") else "hint" if ln.startswith(PREFIX) else "out"
        if kind == "prompt" and many_hosts:
            ln = f"{host}$ {ln[2:]}"
        elif many_hosts:
            ln = f"{host}| {ln}"
        if present and (kind != "out" or "   " not in ln.strip()):
            shown += [(part, kind) for part in _wrap(text, ln, size, width, mono=True)]
        else:
            shown.append((ln, kind))
    return shown


HINT = mix(GREEN, INK, 0.3)  # the simulator's own voice, apart from Docker's output


def dockerfile_steps(steps: list[list]) -> list[list]:
    """The build's Dockerfile steps (``[2/5] RUN ...``), without BuildKit's internal ones."""
    return [s for s in steps if s[1].startswith("[") and not s[1].startswith("[internal")]


def cache_break(steps: list[list]) -> int | None:
    """The vertex of the first step that was not CACHED after some were: where the cache
    broke. None for a cold build (nothing cached) or a fully cached one."""
    if not any(s[2] == "cached" for s in steps):
        return None
    return next((s[0] for s in steps if s[2] != "cached" and " FROM " not in f" {s[1]}"),
                None)


def _build(surf, text: Text, rect, host, line: int, small: int) -> int:
    x, cy, w, _h = rect
    b = host.build
    title = f"Build on {host.name}" + (f" → {', '.join(b.tags)}" if b.finished else " …")
    text.blit(surf, title, (x + 8, cy), line, BLUE, w - 16, bold=True)
    cy += line + 2
    steps = dockerfile_steps(b.steps)
    broke = cache_break(steps)
    for vertex, name, status, _t in steps:
        style = portray(("step", status))
        bw = text.width("CACHED", small) + 8
        pygame.draw.rect(surf, style.fill, (x + 10, cy, bw, small + 1), border_radius=3)
        text.blit(surf, style.label if status != "started" else "running",
                  (x + 14, cy + 1), small, ink_on(style.fill), bw - 6)
        label = name + ("   ← cache broke here" if vertex == broke else "")
        text.blit(surf, label, (x + 16 + bw, cy + 1), small,
                  VERMILLION if vertex == broke else INK, w - bw - 24)
        cy += small + 3
    return cy + 6


def brief(lines: list[tuple[float, str, str]], head: int = 2,
          tail: int = 2) -> list[tuple[float, str, str]]:
    """The console for a projector: each command's output cut to its first ``head`` and
    last ``tail`` lines (a pull's per-layer lines fold into one ``…``), without blank
    lines; prompts and hints are kept whole."""
    out: list[tuple[float, str, str]] = []
    block: list[tuple[float, str, str]] = []

    def flush() -> None:
        if len(block) > head + tail + 1:
            cut = len(block) - head - tail
            out.extend(block[:head])
            out.append((block[head][0], block[head][1], f"  … {cut} more lines"))
            out.extend(block[-tail:])
        else:
            out.extend(block)
        block.clear()
    for item in lines:
        ln = item[2]
        if not ln.strip():  # blank lines cost a row a projector cannot spare
            continue
        if ln.startswith("$ ") or ln.startswith(PREFIX):
            flush()
            out.append(item)
        else:
            block.append(item)
    flush()
    return out


def _wrap(text: Text, ln: str, size: int, width: int, mono: bool = False) -> list[str]:
    if text.width(ln, size, mono) <= width:
        return [ln]
    out, cur = [], ""
    for word in ln.split(" "):
        trial = f"{cur} {word}" if cur else word
        if text.width(trial, size, mono) > width and cur:
            out.append(cur)
            cur = word
        else:
            cur = trial
    return [*out, cur] if cur else out


def details(state: State, sel: tuple[str, str, str] | None) -> list[str]:
    """What a click shows: digest, diffID, chainID, size, who shares it, files."""
    if sel is None:
        return []
    kind, host_name, key = sel
    host = state.hosts.get(host_name)
    if kind == "layer" and host and key in host.layers:
        ly = host.layers[key]
        users = [i.tags[0] if i.tags else short(i.image_id) for i in host.images.values()
                 if key in i.chain_ids]
        lines = [f"layer on {host_name}", f"size {human(ly.size)}",
                 f"diffID {short(ly.diff_id, 24)}", f"chainID {short(ly.chain_id, 24)}",
                 f"blob digest {short(ly.digest, 24)}",
                 f"shared by {len(users)} image(s): {', '.join(users) or 'none'}"]
        if ly.created_by:
            lines.append("created by: " + instruction(ly.created_by, 160))
        return lines
    if kind == "image" and host and key in host.images:
        img = host.images[key]
        used = [c.name for c in host.containers.values() if c.image_id == key]
        return [f"image {short(key)} on {host_name}", "tags: " + (", ".join(img.tags) or
                "<none>"), f"{len(img.chain_ids)} layers, {human(img.size)}",
                f"containers: {', '.join(used) or 'none'}"]
    if kind == "container" and host:
        c = host.containers.get(key) or host.ghosts.get(key)
        if c is None:
            return []
        lines = [f"container {c.name} ({short(key)}) on {host_name}",
                 f"image {c.image_ref}", f"state {state_label(c)}",
                 f"writable layer {human(c.rw_size)}"]
        for path, what in list(c.files.items())[-8:]:
            lines.append(f"  {what:8} {path}")
        return lines
    if kind == "card" and host:
        return [f"host {host_name}", f"{len(host.images)} images, {len(host.layers)} layers",
                f"{len(host.containers)} containers, {len(host.volumes)} volumes",
                f"disk {human(host.disk())}, unshared {human(host.unshared())}",
                f"pulled {human(host.bytes_pulled)}"]
    if kind == "registry":
        r = state.registries.get(key)
        if r is None:
            return []
        used = {u.split("@")[0].rpartition(":")[0] for u in r.used}
        rest = sorted(set(r.repos) - used)
        return [f"registry {key}", f"{len(r.repos)} repositories, {len(r.blobs)} blobs seen",
                *(f"  {u}" for u in r.used)] + (
            [("also serves: " if r.used else "serves: ") + ", ".join(rest)] if rest else [])
    return []


HELP = [
    ("Space", "play / pause"), ("→ / ←", "next / previous event"),
    ("[ ] or + -", "speed 0.1× … 100×"), ("Home / End", "start / end"),
    ("click timeline", "scrub (drag too)"), ("/ or :", "type a docker command (Esc closes)"),
    ("wheel / drag", "zoom / pan   (0 resets)"), ("click", "details of a layer, image, container"),
    ("s", "save a screenshot"), ("f", "fullscreen"), ("?", "this help"), ("q / Esc", "quit"),
]


def help_overlay(surf, text: Text, line: int) -> None:
    w, h = surf.get_size()
    bw, bh = min(w - 40, line * 34), line * (len(HELP) + 4)
    x, y = (w - bw) // 2, (h - bh) // 2
    shade = pygame.Surface((w, h), pygame.SRCALPHA)
    shade.fill((0, 0, 0, 110))
    surf.blit(shade, (0, 0))
    pygame.draw.rect(surf, CARD, (x, y, bw, bh), border_radius=8)
    pygame.draw.rect(surf, INK, (x, y, bw, bh), 2, border_radius=8)
    text.blit(surf, "Keys", (x + 16, y + 10), line + 4, INK, bold=True)
    for i, (key, what) in enumerate(HELP):
        yy = y + 16 + (i + 1) * line + 4
        text.blit(surf, key, (x + 20, yy), line, GREEN, bold=True)
        text.blit(surf, what, (x + 20 + line * 9, yy), line, INK, bw - line * 10)


def command_line(surf, text: Text, rect, buffer: str, host: str, notice: str,
                 line: int) -> None:
    x, y, w, h = rect
    pygame.draw.rect(surf, INK, rect)
    prompt = f"{host}$ {buffer}_"
    text.blit(surf, prompt, (x + 8, y + (h - line) // 2 + 1), line, CARD, w - 16)
    if notice:
        wn = text.width(notice, line)
        text.blit(surf, notice, (x + w - wn - 8, y + (h - line) // 2 + 1), line, VERMILLION)
