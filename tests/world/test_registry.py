"""A registry in time (sim/world/registry.py): one round trip per request, the outage's
"connection refused" naming the API host, Docker Hub's 429, and an outage cutting the
transfers in flight in the order they started."""

from __future__ import annotations

import pytest

from sim.model.errors import DockerError
from sim.world.network import TransferCancelled
from sim.world.registry import HUB, HUB_API, RegistryConfig, Unavailable
from sim.world.world import World, WorldConfig


def world() -> World:
    return World(WorldConfig(registries=[RegistryConfig("hub", HUB, egress=1e6, latency=0.04),
                                         RegistryConfig("reg", "reg.test:5000", latency=0.01)]))


def test_a_request_is_one_round_trip_and_counted():
    w = world()
    hub = w.services[HUB]
    w.run_process(hub.request())
    assert w.now == pytest.approx(0.04)
    assert hub.requests == 1


def test_an_outage_refuses_with_the_api_host():
    w = world()
    hub, reg = w.services[HUB], w.services["reg.test:5000"]
    assert (hub.api_host, reg.api_host) == (HUB_API, "reg.test:5000")
    hub.go_down()
    with pytest.raises(Unavailable) as info:
        w.run_process(hub.request())
    assert info.value.message == (f'Get "https://{HUB_API}/v2/": dial tcp: connect: '
                                  "connection refused")
    assert w.now == 0.0  # refused at once, no round trip


def test_the_hub_rate_limit_answers_the_manifest_with_429():
    w = world()
    hub = w.services[HUB]
    hub.rate_limited = True
    with pytest.raises(DockerError) as info:
        w.run_process(hub.manifest_request())
    assert info.value.status == 429
    assert info.value.message.startswith("toomanyrequests: You have reached your "
                                         "unauthenticated pull rate limit.")


def test_an_outage_cuts_the_transfers_in_flight_in_start_order():
    w = world()
    hub = w.services[HUB]
    down = w.network.link("host:downlink", 1e6)
    cut: list[str] = []

    def fetch(label: str):
        transfer = w.network.transfer([hub.egress, down], 10**6, label)
        hub.active[transfer.flow] = None
        try:
            yield transfer
        except TransferCancelled as exc:
            cut.append(f"{label}: {exc}")

    def outage():
        yield w.env.timeout(0.5)
        hub.go_down()
    procs = [w.env.process(fetch(name)) for name in ("first", "second")]
    w.env.process(outage())
    w.env.run(until=w.env.all_of(procs))
    assert cut == ["first: transfer first cancelled: hub is down",
                   "second: transfer second cancelled: hub is down"]
    assert hub.down and not hub.active and w.now == pytest.approx(0.5)
