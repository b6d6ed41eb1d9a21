"""Peer-to-peer distribution: the seeding rule and the choice of peer, by hand."""

from __future__ import annotations

import pytest

from sim.cli.runner import execute, run_line

from .distribution_world import MB, REG, all_of, layer, pull_together, transfers, world_with


def test_the_first_copy_comes_from_the_registry_then_peers_serve_it():
    blob = layer("one", 10 * MB, 10 * MB)
    world = world_with([blob], hosts=("a", "b", "c"), egress=10 * MB, peer_to_peer=True)
    execute(world, "a", f"docker pull {REG}/app:1")
    t0 = world.now  # 1 s of data + 0.1 s extraction
    assert t0 == pytest.approx(1.1)
    pull_together(world, ["b", "c"])
    got = transfers(world, "downloaded")
    assert got[0] == (pytest.approx(1.0), "a", REG, 10 * MB)
    # b and c both fetch from a, whose 10 MB/s uplink they share: 2 s each
    assert [(h, src) for _t, h, src, _s in got[1:]] == [("b", "peer:a"), ("c", "peer:a")]
    assert [t for t, *_ in got[1:]] == pytest.approx([t0 + 2.0, t0 + 2.0])
    assert world.services[REG].bytes_served == 10 * MB  # only the first copy
    assert world.hosts["a"].bytes_served == 20 * MB
    assert world.hosts["b"].bytes_pulled == world.hosts["c"].bytes_pulled == 10 * MB


def test_a_host_seeds_what_it_downloaded_and_load_spreads_over_seeders():
    blob = layer("one", 10 * MB, 10 * MB)
    world = world_with([blob], hosts=("a", "b", "c", "d"), peer_to_peer=True)
    execute(world, "a", f"docker pull {REG}/app:1")
    execute(world, "b", f"docker pull {REG}/app:1")  # from a; b now seeds too
    pull_together(world, ["c", "d"])  # one from each seeder, ties to the earlier seeder
    sources = {h: src for _t, h, src, _s in transfers(world, "downloaded")}
    assert sources == {"a": REG, "b": "peer:a", "c": "peer:a", "d": "peer:b"}


def test_without_peer_to_peer_every_host_pulls_from_the_registry():
    blob = layer("one", 10 * MB, 10 * MB)
    world = world_with([blob], hosts=("a", "b"))
    execute(world, "a", f"docker pull {REG}/app:1")
    execute(world, "b", f"docker pull {REG}/app:1")
    assert {src for *_x, src, _s in transfers(world, "downloaded")} == {REG}
    assert world.services[REG].bytes_served == 20 * MB


def test_a_registry_outage_does_not_cut_a_transfer_from_a_peer():
    blob = layer("one", 10 * MB, 10 * MB)
    world = world_with([blob], hosts=("a", "b"), peer_to_peer=True)
    execute(world, "a", f"docker pull {REG}/app:1")
    proc = world.env.process(run_line(world, "b", f"docker pull {REG}/app:1"))
    world.advance(0.5)
    world.services[REG].go_down()  # the manifest is already in; the blob comes from a
    world.run_process(all_of(world, [proc]))
    assert proc.value.exit_code == 0
    assert "Retrying" not in proc.value.stdout


def test_a_busy_seeder_makes_the_others_wait_and_the_swarm_grows_in_waves():
    """Each seeder serves at most upload_slots downloads at once; the rest wait, first come
    first served, for a free slot or a new seeder. With one slot and hosts b, c, d asking
    together: b gets a's slot (1 s at 10 MB/s); then c and d each get one of a's and b's
    freed slots and finish together, 1 s later. The registry serves one copy."""
    blob = layer("one", 10 * MB, 10 * MB)
    world = world_with([blob], hosts=("a", "b", "c", "d"), peer_to_peer=True,
                       upload_slots=1)
    execute(world, "a", f"docker pull {REG}/app:1")
    t0 = world.now
    pull_together(world, ["b", "c", "d"])
    got = {h: (t, src) for t, h, src, _s in transfers(world, "downloaded")}
    assert got["b"] == (pytest.approx(t0 + 1.0), "peer:a")
    assert got["c"] == (pytest.approx(t0 + 2.0), "peer:a")
    assert got["d"] == (pytest.approx(t0 + 2.0), "peer:b")
    assert world.services[REG].bytes_served == 10 * MB
    assert world.peers.uploads == {"a": 0, "b": 0} and not world.peers.waiting
