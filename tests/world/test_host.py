"""The host daemon in time: pull concurrency and ordering, stop/kill timing and exit codes,
restart policies, ``--rm``. Driven through the same runner the shell uses."""

from __future__ import annotations

import pytest

from sim.cli.runner import execute
from sim.trace import events as ev
from sim.world.world import World, WorldConfig


@pytest.fixture
def world() -> World:
    return World(WorldConfig(seed=1))


def sh(world: World, line: str):
    result = execute(world, "host1", line)
    assert "internal error" not in result.stderr, result.stderr
    return result


def container(world: World, name: str):
    return world.hosts["host1"].engine.container(name)


def test_pull_downloads_three_at_a_time_and_extracts_in_order(world):
    sh(world, "docker pull nginx")
    phases = [r.event for r in world.trace.of(ev.LayerTransfer)]
    active = peak = 0
    for e in phases:
        if e.phase == "downloading":
            active += 1
            peak = max(peak, active)
        elif e.phase == "downloaded":
            active -= 1
    assert peak == 3  # max-concurrent-downloads (fact sheet §5.3)
    extracted = [e.digest for e in phases if e.phase == "extracted"]
    image = world.hosts["host1"].engine.images.get("nginx")
    assert extracted == [layer.digest for layer in image.layers]


def test_second_pull_prints_no_layer_lines_and_is_up_to_date(world):
    sh(world, "docker pull nginx")
    again = sh(world, "docker pull nginx")
    assert "Pulling fs layer" not in again.stdout
    assert "Status: Image is up to date for nginx:latest" in again.stdout


def test_already_exists_is_a_prefix_property(world):
    # python:3.14 is built on buildpack-deps:trixie: its lower layers already exist
    sh(world, "docker pull buildpack-deps:trixie")
    out = sh(world, "docker pull python:3.14").stdout
    assert "Already exists" in out
    lines = [ln.split(": ", 1)[1] for ln in out.splitlines()
             if ln[:12].isalnum() and ": " in ln and len(ln.split(": ")[0]) == 12]
    first_pull = lines.index("Pulling fs layer")
    assert "Already exists" not in lines[first_pull:]


def test_alias_resolves_to_the_same_record(world):
    sh(world, "docker pull python:3")
    out = sh(world, "docker pull python:3.14").stdout
    assert "Pulling fs layer" not in out
    assert "Status: Downloaded newer image for python:3.14" in out  # new tag, known image


def test_stop_service_exits_0_quickly_and_sleep_pid1_is_killed_after_grace(world):
    sh(world, "docker run -d --name web nginx")
    t0 = world.now
    assert sh(world, "docker stop web").stdout == "web\n"
    assert world.now - t0 < 1
    assert container(world, "web").exit_code == 0
    sh(world, "docker run -d --name s alpine sleep 1000")
    t0 = world.now
    sh(world, "docker stop s")
    assert world.now - t0 == pytest.approx(10.0, abs=0.01)  # default grace, then SIGKILL
    assert container(world, "s").exit_code == 137


def test_stop_timeout_flag(world):
    sh(world, "docker run -d --name s alpine sleep 1000")
    t0 = world.now
    sh(world, "docker stop -t 2 s")
    assert world.now - t0 == pytest.approx(2.0, abs=0.01)


def test_job_exits_with_its_code_and_status_ages(world):
    result = sh(world, "docker run --name j alpine sh -c 'echo out; exit 3'")
    assert result.exit_code == 3
    assert result.stdout == "out\n"
    sh(world, "sleep 3")
    ps = sh(world, "docker ps -a --format '{{.Status}}'").stdout
    assert ps == "Exited (3) 3 seconds ago\n"


def test_rm_flag_removes_after_exit(world):
    sh(world, "docker run --rm --name gone alpine true")
    assert sh(world, "docker ps -aq").stdout == ""


def test_restart_on_failure_backs_off_and_counts(world):
    sh(world, "docker run -d --name crash --restart on-failure:3 alpine sh -c 'exit 1'")
    sh(world, "sleep 5")
    c = container(world, "crash")
    assert c.restart_count == 3
    assert c.state == "exited" and c.exit_code == 1
    states = [r.event.state for r in world.trace.of(ev.ContainerStateChanged)
              if r.event.container_id == c.id]
    assert states.count("restarting") == 3


def test_restart_always_stopped_by_hand_stays_stopped(world):
    sh(world, "docker run -d --name a --restart always alpine sh -c 'exit 0'")
    sh(world, "sleep 1")
    assert container(world, "a").state in ("running", "restarting")
    sh(world, "docker stop a")
    sh(world, "sleep 120")
    assert container(world, "a").state == "exited"


def test_kill_gives_137_and_hup_is_not_fatal(world):
    sh(world, "docker run -d --name web nginx")
    assert sh(world, "docker kill -s HUP web").stdout == "web\n"
    assert container(world, "web").state == "running"
    sh(world, "docker kill web")
    assert container(world, "web").exit_code == 137


def test_same_scenario_same_trace():
    lines = ["docker run -d nginx", "docker run -d nginx", "docker ps -a", "sleep 2",
             "docker stop nothing"]
    dumps = []
    for _ in range(2):
        w = World(WorldConfig(seed=5))
        for line in lines:
            execute(w, "host1", line)
        dumps.append([r.as_json() for r in w.trace])
    assert dumps[0] == dumps[1]


def test_container_writes_stop_at_a_full_disk():
    """A host's disk bounds what containers write too, not only layers: head into a
    redirection and dd fail with ENOSPC as coreutils words it, and the file keeps what it
    had; during a disk-full fault nothing more fits."""
    from sim.world.world import FaultSpec, HostConfig
    world = World(WorldConfig(hosts=[HostConfig("h", disk=100_000_000)], faults=[
        FaultSpec(at=100.0, kind="disk-full", target="h", duration=50.0)]))
    assert execute(world, "h", "docker run -d --name big -v data:/data alpine:3.24 "
                   "sleep 1000").exit_code == 0
    assert execute(world, "h", "docker exec big sh -c 'head -c 50M /dev/zero > /f1'"
                   ).exit_code == 0
    r = execute(world, "h", "docker exec big sh -c 'head -c 50M /dev/zero > /f2; "
                "echo rc=$?; wc -c < /f2'")
    assert r.stdout == "rc=1\n0\n"
    assert r.stderr == "head: error writing 'standard output': No space left on device\n"
    r = execute(world, "h", "docker exec big dd if=/dev/zero of=/data/x bs=1M count=80")
    assert (r.exit_code, r.stderr) == (
        1, "dd: error writing '/data/x': No space left on device\n")
    execute(world, "h", "sleep 100")
    r = execute(world, "h", "docker exec big sh -c 'echo hi > /small'")
    assert r.exit_code == 1 and "No space left on device" in r.stderr
    execute(world, "h", "sleep 60")  # the fault is over
    assert execute(world, "h", "docker exec big sh -c 'echo hi > /small'").exit_code == 0


def test_an_exec_process_ends_on_time_or_with_the_main_process(world):
    sh(world, "docker run -d --name c alpine sleep 100")
    host, c = world.hosts["host1"], container(world, "c")
    outcomes = {}

    def run(key, duration):
        outcomes[key] = (yield from host.exec_process(c, duration)), world.now
    start = world.now
    world.env.process(run("short", 5))
    world.env.process(run("long", 500))
    world.env.process(run("endless", float("inf")))
    world.env.run(until=start + 200)
    assert outcomes["short"] == (True, pytest.approx(start + 5))
    assert outcomes["long"][0] is False and outcomes["endless"][0] is False
    assert outcomes["long"][1] == outcomes["endless"][1] == pytest.approx(start + 100, abs=0.1)
