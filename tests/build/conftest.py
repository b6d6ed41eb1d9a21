import pytest

from sim.world.world import World, WorldConfig


@pytest.fixture
def world():
    return World(WorldConfig(seed=1))
