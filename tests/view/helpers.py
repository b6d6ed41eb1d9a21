"""Worlds and frames shared by the view tests (built once per session: runs are pure)."""

from __future__ import annotations

import functools
from pathlib import Path

from sim.cli.runner import execute
from sim.view.api import Console, scene_of
from sim.view.controls import ViewState
from sim.world.world import World, WorldConfig

ROOT_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
DEMO = (
    "docker pull nginx",
    "docker run -d --name web nginx",
    "docker run -d --name web2 nginx",
    "docker exec web sh -c 'echo hello > /usr/share/nginx/html/index.html'",
    "docker stop web",
    "sleep 3",
    "docker rm web",
)
SHARED = ("docker pull python:3.14-slim", "docker pull debian:trixie-slim",
          "docker run -d --name app python:3.14-slim")


def world_of(lines, hosts=("host1",), seed: int = 0):
    world = World(WorldConfig(seed=seed, hosts=list(hosts)))
    console = Console()
    for line in lines:
        host, _, cmd = line.partition(": ") if ": " in line[:12] else (hosts[0], "", line)
        start = world.now
        console.add(start, host, f"$ {cmd}", start)
        console.add_result(host, execute(world, host, cmd), start)
    return world, console


@functools.cache
def demo():
    """The demo world and its scene (do not mutate)."""
    world, console = world_of(DEMO)
    return world, scene_of(world, console, prompts=False)


@functools.cache
def shared():
    world, console = world_of(SHARED)
    return world, scene_of(world, console, prompts=False)


def draw(scene, t: float, size=(1280, 720), frame=None, **view):
    """One headless frame: (surface, layout, frame)."""
    import pygame

    from sim.view.draw.frame import Frame
    pygame.font.init()
    surf = pygame.Surface(size)
    frame = frame or Frame()
    lay = frame.draw(surf, scene, ViewState(t=t, **view))
    return surf, lay, frame


def boxes(lay, kind: str):
    return [b for b in lay.boxes if b.kind == kind]


def centre(rect) -> tuple[int, int]:
    x, y, w, h = rect
    return x + w // 2, y + h // 2
