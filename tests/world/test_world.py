"""The SimPy world (sim/world/world.py): hosts and registries on one clock, the lazily
filled Docker Hub catalog, the wall clock, and determinism."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from sim.cli.runner import execute
from sim.model.image import rfc3339
from sim.model.workload import JOB, Workload
from sim.trace import events as ev
from sim.world.world import DEFAULT_EPOCH, HUB, World, WorldConfig

SCENARIO = [
    "docker pull alpine",
    "docker run -d nginx",
    "docker run -d --name c alpine sleep 1000",
    "docker exec c sh -c 'echo hi > /f'",
    "docker commit c app:1",
    "docker volume create",
    "sleep 2",
    "docker stop c",
    "docker rm nosuch",
]


def run(world: World, lines: list[str], host: str = "host1") -> list:
    return [execute(world, host, line) for line in lines]


def jsonl(world: World) -> str:
    out = io.StringIO()
    world.trace.write_jsonl(out)
    return out.getvalue()


# ---- construction ------------------------------------------------------------------------
def test_default_world_has_one_host_and_two_registries():
    world = World()
    assert list(world.hosts) == ["host1"]
    assert set(world.registries) == {"docker.io", "localhost:5000"}
    assert world.registries[HUB].docker_hub is True  # answers "denied" for missing repos
    assert world.registries["localhost:5000"].docker_hub is False  # a plain registry:2
    assert world.registry("localhost:5000") is world.registries["localhost:5000"]
    assert world.registry("example.com") is None
    assert world.now == 0
    (opened,) = world.trace.records  # what Docker Hub serves from the start, and nothing else
    assert opened.event.host == HUB and "nginx:latest" in opened.event.refs


def test_hosts_from_the_config_each_with_its_own_daemon():
    world = World(WorldConfig(hosts=["a", "b"]))
    assert list(world.hosts) == ["a", "b"]
    a, b = world.hosts["a"].engine, world.hosts["b"].engine
    assert a is not b
    execute(world, "a", "docker pull alpine")
    assert len(list(a.images)) == 1 and len(list(b.images)) == 0
    c = world.add_host("c")
    assert world.hosts["c"] is c and c.name == "c"


def test_hosts_share_one_clock_and_one_trace():
    world = World(WorldConfig(hosts=["a", "b"]))
    execute(world, "a", "docker pull alpine")
    t = world.now
    assert t > 0
    execute(world, "b", "sleep 3")
    assert world.now == pytest.approx(t + 3)
    assert {r.event.host for r in world.trace if not isinstance(r.event, ev.RegistryOpened)
            } == {"a", "b"}


def test_hosts_and_registries_can_be_configured():
    world = World(WorldConfig(registries=["docker.io", "registry.local:5000"]))
    assert set(world.registries) == {"docker.io", "registry.local:5000"}
    r = execute(world, "host1", "docker pull localhost:5000/x")
    assert r.exit_code == 1
    assert "no such host" in r.stderr  # that registry does not exist in this world


# ---- the catalog is filled lazily --------------------------------------------------------
def test_catalog_repositories_are_filled_only_when_asked():
    world = World()
    hub = world.registries[HUB]
    assert hub.repos == {}  # nothing loaded at construction
    execute(world, "host1", "docker pull nginx")
    assert list(hub.repos) == ["library/nginx"]
    assert "latest" in hub.repos["library/nginx"].tags
    execute(world, "host1", "docker pull nginx:alpine")
    assert list(hub.repos) == ["library/nginx"]  # filled once, all tags at a time


def test_ensure_catalog_repo_ignores_what_is_not_an_official_hub_image():
    world = World()
    world.ensure_catalog_repo("localhost:5000", "library/nginx")
    world.ensure_catalog_repo(HUB, "someone/nginx")
    world.ensure_catalog_repo(HUB, "library/not-in-the-catalog")
    world.ensure_catalog_repo("nowhere:1", "library/nginx")
    assert world.registries[HUB].repos == {}
    assert world.registries["localhost:5000"].repos == {}
    world.ensure_catalog_repo(HUB, "library/alpine")
    assert list(world.registries[HUB].repos) == ["library/alpine"]


# ---- clocks ------------------------------------------------------------------------------
def test_wall_clock_starts_2026_11_27_09_00_utc():
    world = World()
    epoch = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC).timestamp()
    assert epoch == DEFAULT_EPOCH
    assert world.wall() == DEFAULT_EPOCH
    assert rfc3339(world.wall()) == "2026-11-27T09:00:00Z"
    world.advance(90)
    assert rfc3339(world.wall()) == "2026-11-27T09:01:30Z"


def test_epoch_is_configurable():
    epoch = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC).timestamp()
    world = World(WorldConfig(epoch=epoch))
    execute(world, "host1", "docker volume create v")
    assert execute(world, "host1", "docker volume inspect -f '{{.CreatedAt}}' v").stdout == (
        "2030-01-02T03:04:05Z\n")


def test_advance_moves_time_and_is_traced():
    world = World()
    world.advance(2.5, "host1")
    assert world.now == 2.5
    (record,) = world.trace.of(ev.ClockAdvanced)
    assert (record.t, record.event.host, record.event.seconds) == (0, "host1", 2.5)
    world.advance(0)
    world.advance(-4)
    assert world.now == 2.5 and len(world.trace.of(ev.ClockAdvanced)) == 1  # nothing passes,
    # nothing is traced


def test_advance_lets_containers_run_their_course():
    world = World()
    execute(world, "host1", "docker run -d --name j -l sim.workload=job:duration=5:exit=4 "
                            "alpine")
    c = world.hosts["host1"].engine.container("j")
    world.advance(4)
    assert c.state == "running"
    world.advance(2)
    assert (c.state, c.exit_code) == ("exited", 4)


def test_run_process_runs_until_the_process_ends():
    world = World()

    def proc():
        yield world.env.timeout(1.5)
        return "done"

    p = world.run_process(proc())
    assert p.value == "done" and world.now == 1.5


def test_workload_overrides_by_repository():
    world = World()
    world.workloads["nginx"] = Workload(JOB, duration=1, exit_code=7)
    execute(world, "host1", "docker run -d --name w nginx")
    world.advance(2)
    c = world.hosts["host1"].engine.container("w")
    assert (c.state, c.exit_code) == ("exited", 7)


# ---- determinism -------------------------------------------------------------------------
def test_same_seed_gives_a_byte_identical_trace():
    a, b = World(WorldConfig(seed=9)), World(WorldConfig(seed=9))
    outs = [[(r.stdout, r.stderr, r.exit_code, r.t) for r in run(w, SCENARIO)] for w in (a, b)]
    assert outs[0] == outs[1]
    assert jsonl(a) == jsonl(b)
    assert len(a.trace) > 30


def test_different_seeds_give_different_ids_and_names():
    a, b = World(WorldConfig(seed=1)), World(WorldConfig(seed=2))
    for w in (a, b):
        run(w, ["docker create alpine", "docker create alpine"])
    ids = [[c.id for c in w.hosts["host1"].engine.containers.values()] for w in (a, b)]
    names = [[c.name for c in w.hosts["host1"].engine.containers.values()] for w in (a, b)]
    assert set(ids[0]).isdisjoint(ids[1])
    assert names[0] != names[1]
    assert jsonl(a) != jsonl(b)


def test_hosts_draw_ids_independently():
    """Each host has its own RNG seeded from (seed, name): what one host does never
    changes the IDs another host generates."""
    alone = World(WorldConfig(seed=4, hosts=["a", "b"]))
    busy = World(WorldConfig(seed=4, hosts=["a", "b"]))
    run(busy, ["docker create alpine", "docker create alpine"], host="a")
    for w in (alone, busy):
        execute(w, "b", "docker create --name x alpine")
    assert (alone.hosts["b"].engine.container("x").id
            == busy.hosts["b"].engine.container("x").id)


def test_a_host_name_twice_is_refused_with_its_name():
    with pytest.raises(ValueError, match="host 'a' is already in this world"):
        World(WorldConfig(hosts=["a", "a"]))
    world = World(WorldConfig(hosts=["a"]))
    with pytest.raises(ValueError, match="'a'"):
        world.add_host("a")
    assert list(world.hosts) == ["a"]


def test_a_crash_elsewhere_does_not_end_later_commands_early():
    world = World(WorldConfig(seed=1))

    def crasher():
        yield world.env.timeout(0.05)
        raise RuntimeError("a simulator bug in a background process")
    world.env.process(crasher())
    r = execute(world, "host1", "docker pull alpine")  # still pulling when it crashes
    assert r.exit_code == 70 and "internal error" in r.stderr
    r = execute(world, "host1", "docker run -d --name c alpine sleep 100")
    assert r.exit_code == 0 and len(r.stdout.strip()) == 64
    world.advance(5)
    assert world.hosts["host1"].engine.container("c").state == "running"
    assert execute(world, "host1", "docker ps -q").stdout.strip() == r.stdout.strip()[:12]
