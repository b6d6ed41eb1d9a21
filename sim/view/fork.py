"""Forking the future: a command typed while the view is scrubbed back to time t runs in a
world rebuilt to t by replaying, with the same seed, what happened before t.

Two recipes: a world driven one command line at a time (the shell, a lesson, the window)
replays the top-level commands of its trace; a scenario's world replays the scenario's steps
that had started before t. Either way a command in flight at t finishes before the new one
starts, as a shell prompt would wait for it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..trace import events as ev


def _fresh(world):
    """A new world with the same configuration and scenario attachments."""
    from ..world.world import World
    new = World(world.config)
    for attr in ("base_dir", "effects", "contexts"):
        setattr(new, attr, getattr(world, attr, None))
    return new


def top_level(trace, before: float) -> list:
    """Records to replay: commands started at depth 0 on their host, and sleeps."""
    depth: dict[str, int] = {}
    out = []
    for rec in trace:
        if rec.t >= before - 1e-12:
            break
        e = rec.event
        if isinstance(e, ev.CommandStarted):
            if depth.get(e.host, 0) == 0:
                out.append(rec)
            depth[e.host] = depth.get(e.host, 0) + 1
        elif isinstance(e, ev.CommandFinished):
            depth[e.host] = max(0, depth.get(e.host, 0) - 1)
        elif isinstance(e, ev.ClockAdvanced) and depth.get(e.host, 0) == 0:
            out.append(rec)
    return out


def replay_commands(world, records: list) -> None:
    """Run the recorded top-level commands again, each at its recorded time."""
    from ..cli.runner import execute
    for rec in records:
        if world.now < rec.t:
            world.env.run(until=rec.t)
        e = rec.event
        if isinstance(e, ev.ClockAdvanced):
            world.advance(e.seconds, e.host)
        else:
            execute(world, e.host, e.line)


def trace_recipe(original) -> Callable[[float], object]:
    """Rebuild an execute-driven world at t from its own trace."""
    template = original

    def rebuild(t: float, trace) -> object:
        new = _fresh(template)
        replay_commands(new, top_level(trace, t))
        if new.now < t:
            new.env.run(until=t)
        return new
    return rebuild


def scenario_recipe(scenario, report, window_start: float) -> Callable[[float], object]:
    """Rebuild a scenario's world at t: the steps that had started, then the window's own
    commands (those after ``window_start``)."""
    def rebuild(t: float, trace) -> object:
        from ..scenario.build import build_world
        from ..scenario.run import run_scenario
        started = [s.index for s in report.steps if s.started_at < t]
        keep = sorted(set(started))
        prefix = keep[:next((i for i, k in enumerate(keep) if k != i), len(keep))]
        truncated = scenario.model_copy(update={"steps": scenario.steps[:len(prefix)]})
        new = build_world(truncated, getattr(report.world, "base_dir", None))
        if truncated.steps:
            run_scenario(truncated, new)
        window = [r for r in top_level(trace, t) if r.t >= window_start]
        replay_commands(new, window)
        if new.now < t:
            new.env.run(until=t)
        return new
    return rebuild


def adopt(world, new) -> None:
    """Make ``world`` be ``new`` in place, so that callers holding the old object (a lesson
    checking its goal) see the forked world."""
    world.__dict__.update(new.__dict__)
    for host in world.hosts.values():
        host.world = world
    for service in world.services.values():
        service.world = world
