"""Forking the future (sim/view/fork.py): a world rebuilt at t has the same past."""

from __future__ import annotations

from sim.cli.runner import execute
from sim.trace import events as ev
from sim.view import fork
from sim.world.world import World, WorldConfig


def lines_of(trace, before):
    return [r.as_json() for r in trace if r.t < before]


def test_top_level_skips_substituted_inner_commands_inside_a_command():
    world = World(WorldConfig())
    for line in ("docker run -d --name a nginx", "docker stop $(docker ps -q)", "sleep 2"):
        execute(world, "host1", line)
    top = fork.top_level(world.trace, world.now + 1)
    kinds = [type(r.event).__name__ for r in top]
    assert kinds.count("ClockAdvanced") == 1
    assert all(isinstance(r.event, ev.CommandStarted | ev.ClockAdvanced) for r in top)


def test_a_rebuilt_world_has_the_same_past_and_drops_the_future():
    world = World(WorldConfig(seed=3))
    for line in ("docker pull nginx", "docker run -d --name a nginx", "sleep 1",
                 "docker run -d --name b nginx", "docker rm -f a"):
        execute(world, "host1", line)
    t = next(r.t for r in world.trace if isinstance(r.event, ev.CommandStarted)
             and r.event.line == "docker run -d --name b nginx")
    new = fork.trace_recipe(world)(t, world.trace)
    assert new.now == t
    assert lines_of(new.trace, t) == lines_of(world.trace, t)
    names = sorted(c.name for c in new.hosts["host1"].engine.containers.values())
    assert names == ["a"]


def test_adopt_keeps_the_callers_object():
    world = World(WorldConfig())
    execute(world, "host1", "docker run -d --name a nginx")
    keep = world
    new = fork.trace_recipe(world)(0.0, world.trace)
    fork.adopt(world, new)
    assert keep is world and world.trace is new.trace
    assert world.hosts["host1"].world is world
    assert execute(world, "host1", "docker ps -q").stdout == ""
