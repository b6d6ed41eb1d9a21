"""Full collections are deferred while the clock runs, and the thresholds come back after."""

import contextlib
import gc
import weakref

from sim.world.gcpolicy import DEFERRED, YOUNG, deferred_full_gc
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


def test_young_collections_come_less_often_and_still_reclaim_cycles():
    class Node:
        pass
    with deferred_full_gc():
        assert gc.get_threshold()[0] >= YOUNG
        node = Node()
        node.me = node  # a cycle: only the collector frees it
        gone = weakref.ref(node)
        del node
        keep = [[] for _ in range(YOUNG + 100)]  # enough allocations for a young collection
        assert gone() is None
    assert len(keep) == YOUNG + 100


def test_survivors_are_frozen_inside_and_thawed_after():
    keep = []
    with deferred_full_gc():
        keep.extend([i] for i in range(2000))  # lists: tracked containers
        gc.collect(0)  # a young collection: its survivors are frozen
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    assert len(keep) == 2000


def test_someone_elses_frozen_objects_are_left_alone():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with deferred_full_gc():
            gc.collect(0)
            assert gc.get_freeze_count() == frozen  # no freezing of ours
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
