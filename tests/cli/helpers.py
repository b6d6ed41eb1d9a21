"""What the command tests share: type a line on host1, read the host's engine."""

from __future__ import annotations

from sim.cli.runner import execute
from sim.world.world import World


def sh(world: World, line: str):
    """Type a line; a simulator bug (internal error) fails the test at once."""
    result = execute(world, "host1", line)
    assert "internal error" not in result.stderr, result.stderr
    return result


def engine(world: World):
    return world.hosts["host1"].engine
