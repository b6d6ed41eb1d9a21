"""Frame time of the window's renderer, headless: a fleet on screen, against an empty frame
measured in the same run (so the figure says what the drawing costs on this machine)."""

from __future__ import annotations

import os
import statistics
import time

IMAGES = ("nginx:mainline", "python:3.14-slim", "redis:8.2", "node:24-slim", "postgres:18",
          "debian:trixie-slim", "alpine:3.22", "httpd:2.4")


def fleet_world(hosts: int = 20, containers: int = 300, layers: int = 200, seed: int = 0):
    """A world of ``hosts`` hosts that pulled official images until about ``layers`` layers
    are stored across the fleet, then ran ``containers`` containers spread over the hosts."""
    from ..cli.runner import execute
    from ..world.world import World, WorldConfig
    names = [f"node-{i + 1:02d}" for i in range(hosts)]
    world = World(WorldConfig(seed=seed, hosts=names))
    stored = 0
    k = 0
    while stored < layers and k < hosts * len(IMAGES):
        host = names[k % hosts]
        image = IMAGES[(k // hosts + k) % len(IMAGES)]
        execute(world, host, f"docker pull -q {image}")
        stored = _layer_count(world)
        k += 1
    for i in range(containers):
        host = names[i % hosts]
        execute(world, host, f"docker run -d {_pulled(world, host, i // hosts)}")
    return world


def _layer_count(world) -> int:
    """Layers stored across the fleet, read from the trace."""
    from ..trace import events as ev
    live: set[tuple[str, str]] = set()
    for rec in world.trace:
        e = rec.event
        if isinstance(e, ev.LayerRegistered):
            live.add((e.host, e.chain_id))
        elif isinstance(e, ev.LayerDeleted):
            live.discard((e.host, e.chain_id))
    return len(live)


def _pulled(world, host: str, i: int) -> str:
    from ..trace import events as ev
    refs = sorted({r.event.ref for r in world.trace.of(ev.PullFinished) if r.event.host == host})
    return refs[i % len(refs)]


def frame_time(hosts: int = 20, containers: int = 300, layers: int = 200,
               size: tuple[int, int] = (1280, 720), frames: int = 120) -> dict:
    """Median milliseconds per frame with the fleet on screen, and for an empty world."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from ..view.api import scene_of
    from ..view.controls import ViewState
    from ..view.draw.frame import Frame
    from ..world.world import World, WorldConfig
    pygame.font.init()
    world = fleet_world(hosts, containers, layers)
    scene = scene_of(world)
    empty = scene_of(World(WorldConfig(hosts=["host1"])))
    surf = pygame.Surface(size)

    def median_ms(sc, still: bool = False) -> tuple[float, object]:
        """Frames over the second half of the run (everything on screen, the state changing
        under the play head), or all at its end (``still``: nothing changes)."""
        frame, view, times = Frame(), ViewState(title="bench"), []
        end = sc.end
        for k in range(frames + 1):
            view.t = end if still else end * (0.5 + 0.5 * k / frames)
            t0 = time.perf_counter()
            frame.draw(surf, sc, view)
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times[1:]), frame  # the first frame fills the caches
    fleet_ms, frame = median_ms(scene)
    empty_ms, _ = median_ms(empty)
    still_ms, _ = median_ms(scene, still=True)
    state = scene.state_at(scene.end)
    return {
        "hosts": len(state.hosts),
        "containers": sum(len(h.containers) for h in state.hosts.values()),
        "layers": sum(len(h.layers) for h in state.hosts.values()),
        "size": f"{size[0]}x{size[1]}", "frames": frames,
        "median_frame_ms": round(fleet_ms, 3), "empty_frame_ms": round(empty_ms, 3),
        "still_frame_ms": round(still_ms, 3),
        "text_renders_per_frame": round(frame.text.renders / (frames + 1), 2),
    }
