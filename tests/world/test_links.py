"""Links, flows and transfer events: validation and what they report on their own."""

import pytest
import simpy

from sim.world.links import Link, TransferCancelled
from sim.world.network import Network


@pytest.mark.parametrize("capacity", [-1.0, float("inf"), float("nan")])
def test_a_link_refuses_an_impossible_capacity(capacity):
    with pytest.raises(ValueError, match="link capacity must be finite and >= 0"):
        Link("l", capacity)


def test_a_flow_reports_its_progress_and_a_link_its_bytes():
    env = simpy.Environment()
    net = Network(env)
    link = net.link("l", 10.0)
    event = net.transfer([link], 100, "blob")
    env.run(until=4)
    assert event.flow.delivered == pytest.approx(40.0)
    assert link.bytes_carried == pytest.approx(40.0)
    assert "blob" in repr(event.flow) and "l" in repr(link)
    env.run()
    assert event.flow.remaining == 0.0 and event.flow.end == pytest.approx(10.0)


def test_a_cancelled_transfer_says_which_and_why():
    assert str(TransferCancelled(None, "registry down")) == \
        "transfer cancelled: registry down"
