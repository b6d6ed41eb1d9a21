"""Full collections are deferred while the clock runs, and the thresholds come back after."""

import contextlib
import gc

from sim.world.gcpolicy import DEFERRED, deferred_full_gc
from sim.world.world import World, WorldConfig


def test_thresholds_are_restored_after_nested_blocks():
    before = gc.get_threshold()
    with deferred_full_gc():
        assert gc.get_threshold()[2] >= DEFERRED
        with deferred_full_gc():
            assert gc.get_threshold()[2] >= DEFERRED
        assert gc.get_threshold()[2] >= DEFERRED  # the inner block does not restore early
    assert gc.get_threshold() == before


def test_thresholds_are_restored_when_the_run_raises():
    before = gc.get_threshold()
    world = World(WorldConfig())

    def boom():
        yield world.env.timeout(1)
        raise RuntimeError("inside the run")
    with contextlib.suppress(RuntimeError):
        world.run_process(boom())
    assert gc.get_threshold() == before


def test_young_collections_still_run_inside():
    with deferred_full_gc():
        assert gc.get_threshold()[0] > 0 and gc.isenabled()
