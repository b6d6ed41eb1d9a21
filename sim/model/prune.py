"""What the prune commands remove (moby daemon/prune.go), beside ``image_prune`` in
sim.model.rmi: the daemon's choice of victims and the bytes it reports, without the CLI's
wording (sim.cli)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Engine


def container_prune(engine: Engine) -> tuple[list[str], int]:
    """``docker container prune``: every container that is not running (created, exited,
    dead; a paused or restarting one counts as running), newest first as the daemon lists
    them (container/history.go). Anonymous volumes stay (the prune removes no volumes).
    Returns the IDs and the bytes of their writable layers."""
    newest_first = sorted(reversed(list(engine.containers.values())),
                          key=lambda c: -c.created)
    removed, reclaimed = [], 0
    for c in newest_first:
        if c.running or c.removal_in_progress:  # ContainerRm would refuse: skipped
            continue
        reclaimed += engine.container_size(c)[0]
        engine.remove(c, remove_volumes=False)
        removed.append(c.id)
    return removed, reclaimed


def volume_prune(engine: Engine, all_volumes: bool) -> tuple[list[str], int]:
    """``docker volume prune``: anonymous volumes no container uses (every unused one with
    ``-a``), by name. Returns the names and their bytes."""
    removed, reclaimed = [], 0
    for vol in sorted(engine.volumes.volumes.values(), key=lambda v: v.name):
        if engine.volume_users(vol.name) or (not vol.anonymous and not all_volumes):
            continue
        reclaimed += vol.size
        engine.remove_volume(vol.name)
        removed.append(vol.name)
    return removed, reclaimed
