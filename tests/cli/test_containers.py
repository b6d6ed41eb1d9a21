"""Container commands (sim/cli/containers.py): run, create, start, stop, kill, pause,
unpause, rm, exec, logs, commit — their output streams, exact messages and exit codes."""

from __future__ import annotations

import re

import pytest

from sim.model.workload import HELLO_WORLD
from sim.world.world import World, WorldConfig
from tests.cli.helpers import engine, sh

HEX64 = re.compile(r"^[0-9a-f]{64}$")
RUN_HINT = "\n\nRun 'docker run --help' for more information\n"


@pytest.fixture
def world() -> World:
    return World(WorldConfig(seed=21))


def state(world: World, name: str) -> str:
    return engine(world).container(name).state


# ---- run and create ----------------------------------------------------------------------
def test_run_detached_prints_the_full_id(world):
    sh(world, "docker pull nginx")
    r = sh(world, "docker run -d --name web nginx")
    assert r.exit_code == 0
    assert HEX64.match(r.stdout.strip()) and r.stdout.count("\n") == 1  # §1.6
    assert r.stderr == ""
    assert r.stdout.strip() == engine(world).container("web").id
    assert state(world, "web") == "running"


def test_create_prints_the_id_and_leaves_it_created(world):
    r = sh(world, "docker create --name c alpine")
    assert HEX64.match(r.stdout.strip())
    assert state(world, "c") == "created"
    assert sh(world, "docker start c").stdout == "c\n"


def test_run_of_a_missing_image_pulls_it_on_stderr(world):
    r = sh(world, "docker run -d --name web nginx")
    lines = r.stderr.splitlines()
    assert lines[0] == "Unable to find image 'nginx:latest' locally"  # §1.6
    assert lines[1] == "latest: Pulling from library/nginx"
    assert lines[-1] == "Status: Downloaded newer image for nginx:latest"
    assert "docker.io/library/nginx:latest" not in r.stdout  # only `docker pull` prints it
    assert HEX64.match(r.stdout.strip())
    again = sh(world, "docker run -d nginx")
    assert again.stderr == ""  # present now: no pull


def test_run_with_a_tag_names_the_tag(world):
    r = sh(world, "docker run -d alpine:3 sleep 10")
    assert r.stderr.startswith("Unable to find image 'alpine:3' locally\n3: Pulling from "
                               "library/alpine\n")


def test_run_of_an_unknown_repository(world):
    r = sh(world, "docker run nosuchimage")
    assert r.exit_code == 125  # §0.3: daemon/CLI error of docker run
    assert r.stderr == (
        "Unable to find image 'nosuchimage:latest' locally\n"
        "docker: Error response from daemon: pull access denied for nosuchimage, repository "
        "does not exist or may require 'docker login': denied: requested access to the "
        "resource is denied" + RUN_HINT)  # §1.6


def test_attached_job_prints_and_returns_its_exit_code(world):
    r = sh(world, "docker run --name j alpine sh -c 'echo out; echo err >&2; exit 3'")
    assert r.exit_code == 3  # anything else is the container's exit code (§0.3)
    assert r.stdout == "out\n"
    assert r.stderr.endswith("err\n")
    c = engine(world).container("j")
    assert (c.state, c.exit_code) == ("exited", 3)


def test_hello_world(world):
    r = sh(world, "docker run hello-world")
    assert r.exit_code == 0
    assert r.stdout == HELLO_WORLD
    assert r.stdout.startswith("\nHello from Docker!\n")
    assert r.stderr.startswith("Unable to find image 'hello-world:latest' locally\n")


def test_attached_service_detaches_with_a_note(world):
    r = sh(world, "docker run --name web nginx")
    assert r.exit_code == 0
    assert "Configuration complete; ready for start up" in r.stdout
    assert r.stderr.endswith("Stop it with: docker stop web)\n")
    assert state(world, "web") == "running"


def test_missing_program_exits_127(world):
    r = sh(world, "docker run alpine nosuchprogram")
    assert r.exit_code == 127  # command not found (§0.3)
    assert 'exec: "nosuchprogram": executable file not found in $PATH: unknown' in r.stderr
    assert r.stderr.startswith("Unable to find image")
    assert r.stderr.endswith(RUN_HINT)


def test_name_conflict(world):
    first = sh(world, "docker create --name web alpine").stdout.strip()
    r = sh(world, "docker run -d --name web alpine")
    assert r.exit_code == 125
    assert r.stderr == (
        'docker: Error response from daemon: Conflict. The container name "/web" is already in '
        f'use by container "{first}". You have to remove (or rename) that container to be able '
        "to reuse that name." + RUN_HINT)  # §1.3


def test_rm_flag_removes_the_container_after_it_exits(world):
    r = sh(world, "docker run --rm --name gone -v /scratch alpine sh -c 'echo bye'")
    assert r.exit_code == 0 and r.stdout == "bye\n"
    assert sh(world, "docker ps -aq").stdout == ""
    # --rm also removes the anonymous volumes (§4.4)
    assert sh(world, "docker volume ls -q").stdout == ""


def test_rm_flag_with_a_restart_policy_is_refused(world):
    r = sh(world, "docker run --rm --restart always alpine")
    assert r.exit_code == 125
    assert r.stderr == ("docker: conflicting options: cannot specify both --restart and --rm"
                        + RUN_HINT)


def test_env_is_visible_to_exec(world):
    sh(world, "docker run -d --name c -e FOO=bar -e PATH=/bin alpine sleep 100")
    r = sh(world, "docker exec c printenv FOO")
    assert (r.stdout, r.exit_code) == ("bar\n", 0)
    assert sh(world, "docker exec c printenv PATH").stdout == "/bin\n"  # -e overrides the image
    assert sh(world, "docker exec -e FOO=baz c printenv FOO").stdout == "baz\n"
    assert sh(world, "docker exec c printenv NOPE").exit_code == 1


# ---- volumes and bind mounts -------------------------------------------------------------
def test_named_volume_outlives_the_container(world):
    sh(world, "docker run -d --name a -v data:/data alpine sleep 100")
    sh(world, "docker exec a sh -c 'echo kept > /data/f; echo lost > /tmp/f'")
    sh(world, "docker rm -f a")
    sh(world, "docker run -d --name b -v data:/data alpine sleep 100")
    assert sh(world, "docker exec b cat /data/f").stdout == "kept\n"
    assert sh(world, "docker exec b cat /tmp/f").exit_code == 1  # the RW layer died (§4.4)


def test_anonymous_volume_gets_a_64_hex_name(world):
    sh(world, "docker run -d --name a -v /cache alpine sleep 100")
    (name,) = sh(world, "docker volume ls -q").stdout.split()
    assert HEX64.match(name)
    mounts = engine(world).container("a").mounts
    assert [(m.type, m.source, m.destination, m.anonymous) for m in mounts] == [
        ("volume", name, "/cache", True)]


def test_bind_mount_is_shared_between_containers(world):
    sh(world, "docker run -d --name a -v /srv/share:/data alpine sleep 100")
    sh(world, "docker run -d --name b -v /srv/share:/mnt alpine sleep 100")
    sh(world, "docker exec a sh -c 'echo hi > /data/note'")
    assert sh(world, "docker exec b cat /mnt/note").stdout == "hi\n"
    assert sh(world, "docker volume ls -q").stdout == ""  # a bind mount is not a volume
    mount = engine(world).container("a").mounts[0]
    assert (mount.type, mount.source) == ("bind", "/srv/share")


def test_volume_and_bind_writes_do_not_count_in_size(world):
    sh(world, "docker run -d --name a -v data:/data -v /srv/b:/b alpine sleep 100")
    sh(world, "docker exec a sh -c 'head -c 5000 /dev/zero > /data/v'")
    sh(world, "docker exec a sh -c 'head -c 7000 /dev/zero > /b/v'")
    size = sh(world, "docker ps -s --format '{{.Size}}'").stdout
    assert size.startswith("0B (virtual ")  # §4.4: volume writes are not the RW layer
    sh(world, "docker exec a sh -c 'head -c 1000 /dev/zero > /tmp/x'")
    assert sh(world, "docker ps -s --format '{{.Size}}'").stdout.startswith("1kB (virtual ")


# ---- logs --------------------------------------------------------------------------------
def test_logs_replays_both_streams(world):
    sh(world, "docker run --name j alpine sh -c 'echo out; echo err >&2'")
    r = sh(world, "docker logs j")
    assert (r.stdout, r.stderr, r.exit_code) == ("out\n", "err\n", 0)


def test_logs_accumulate_over_restarts_and_tail(world):
    sh(world, "docker run -d --name c --restart on-failure:2 alpine sh -c 'echo boom; exit 2'")
    sh(world, "sleep 2")
    assert sh(world, "docker logs c").stdout == "boom\nboom\nboom\n"  # first run + 2 restarts
    assert sh(world, "docker logs --tail 1 c").stdout == "boom\n"


def test_tail_counts_lines_even_when_a_process_printed_several_at_once(world):
    sh(world, "docker run --name p alpine sh -c 'printf \"a\\nb\\nc\\n\"'")
    assert sh(world, "docker logs p").stdout == "a\nb\nc\n"
    assert sh(world, "docker logs --tail 2 p").stdout == "b\nc\n"
    assert sh(world, "docker logs -n 0 p").stdout == ""
    stamped = sh(world, "docker logs -t --tail 1 p").stdout
    assert stamped.endswith("Z c\n") and stamped.count("\n") == 1
    for every in ("-5", "all", "x"):  # moby: not a whole number, or negative: every line
        r = sh(world, f"docker logs --tail {every} p")
        assert (r.stdout, r.exit_code) == ("a\nb\nc\n", 0)


def test_logs_of_a_missing_container(world):
    r = sh(world, "docker logs nosuch")
    assert r.exit_code == 1
    assert r.stderr == "Error response from daemon: No such container: nosuch\n"


# ---- multi-target commands (§0.3) --------------------------------------------------------
@pytest.fixture
def two(world):
    sh(world, "docker run -d --name a nginx")
    sh(world, "docker run -d --name b nginx")
    return world


def test_stop_prints_names_and_joins_errors(two):
    r = sh(two, "docker stop a nosuch b other")
    assert r.exit_code == 1
    assert r.stdout == "a\nb\n"
    assert r.stderr == ("Error response from daemon: No such container: nosuch\n"
                        "Error response from daemon: No such container: other\n")
    assert state(two, "a") == state(two, "b") == "exited"


def test_stop_of_a_stopped_container_is_a_silent_success(two):
    sh(two, "docker stop a")
    r = sh(two, "docker stop a")
    assert (r.stdout, r.stderr, r.exit_code) == ("a\n", "", 0)  # 304 (§1.3, §7.1)


def test_stop_of_several_containers_runs_in_parallel(world):
    sh(world, "docker run -d --name s1 alpine sleep 1000")  # PID 1 ignores SIGTERM (§1.4)
    sh(world, "docker run -d --name s2 alpine sleep 1000")
    t0 = world.now
    assert sh(world, "docker stop s1 s2").stdout == "s1\ns2\n"
    assert world.now - t0 == pytest.approx(10.0, abs=0.5)  # one grace period, not two


def test_start_prints_each_error_then_a_summary(two):
    sh(two, "docker stop a")
    r = sh(two, "docker start a x b y")
    assert r.exit_code == 1
    assert r.stdout == "a\nb\n"  # b was running: a no-op success
    assert r.stderr == ("Error response from daemon: No such container: x\n"
                        "Error response from daemon: No such container: y\n"
                        "Error: failed to start containers: x, y\n")  # CLI ≤ v28 wording
    assert state(two, "a") == "running"


def test_kill_and_its_not_running_error(two):
    r = sh(two, "docker kill a")
    assert (r.stdout, r.exit_code) == ("a\n", 0)
    assert engine(two).container("a").exit_code == 137  # SIGKILL: 128 + 9 (§1.4)
    r = sh(two, "docker kill a b")
    cid = engine(two).container("a").id
    assert r.exit_code == 1
    assert r.stdout == "b\n"
    assert r.stderr == ("Error response from daemon: cannot kill container: a: container "
                        f"{cid} is not running\n")  # E3


def test_pause_and_unpause(two):
    cid = engine(two).container("a").id
    r = sh(two, "docker pause a b")
    assert (r.stdout, r.exit_code) == ("a\nb\n", 0)
    assert state(two, "a") == "paused"
    r = sh(two, "docker pause a")
    assert r.stderr == f"Error response from daemon: Container {cid} is already paused\n"  # E5
    r = sh(two, "docker unpause a nosuch")
    assert (r.stdout, r.exit_code) == ("a\n", 1)
    assert r.stderr == "Error response from daemon: No such container: nosuch\n"
    r = sh(two, "docker unpause a")
    assert r.stderr == f"Error response from daemon: Container {cid} is not paused\n"  # E7


def test_pause_of_a_stopped_container(two):
    sh(two, "docker stop a")
    cid = engine(two).container("a").id
    r = sh(two, "docker pause a")
    assert r.stderr == f"Error response from daemon: container {cid} is not running\n"  # E4


def test_rm_rules(two):
    r = sh(two, "docker rm a")
    assert r.exit_code == 1
    assert r.stderr == ('Error response from daemon: cannot remove container "a": container is '
                        "running: stop the container before removing or force remove\n")  # E11
    r = sh(two, "docker rm -f a nosuch")
    assert (r.stdout, r.stderr, r.exit_code) == ("a\n", "", 0)  # -f ignores NotFound (§1.3)
    sh(two, "docker pause b")
    r = sh(two, "docker rm b")
    assert r.stderr == ('Error response from daemon: cannot remove container "b": container is '
                        "paused and must be unpaused first\n")  # E12


def test_rm_v_removes_anonymous_volumes_only(world):
    sh(world, "docker run -d --name a -v /anon -v named:/named alpine sleep 100")
    sh(world, "docker rm -f -v a")
    assert sh(world, "docker volume ls -q").stdout == "named\n"  # §4.4


# ---- exec --------------------------------------------------------------------------------
def test_exec_in_stopped_and_paused_containers(two):
    cid = engine(two).container("a").id
    sh(two, "docker pause a")
    r = sh(two, "docker exec a ls /")
    assert r.stderr == ("Error response from daemon: Container a is paused, unpause the "
                        "container before exec\n")  # E9
    sh(two, "docker unpause a")
    sh(two, "docker stop a")
    r = sh(two, "docker exec a ls /")
    assert r.exit_code == 1
    assert r.stderr == f"Error response from daemon: container {cid} is not running\n"  # E8
    r = sh(two, "docker exec nosuch ls /")
    assert r.stderr == "Error response from daemon: No such container: nosuch\n"


def test_exec_exit_codes(world):
    sh(world, "docker run -d --name c alpine sleep 100")
    assert sh(world, "docker exec c sh -c 'exit 4'").exit_code == 4
    r = sh(world, "docker exec c nosuchprogram")
    assert r.exit_code == 127
    assert r.stdout.startswith("OCI runtime exec failed: exec failed:")


# ---- commit ------------------------------------------------------------------------------
def test_commit_prints_the_image_id_and_adds_the_diff_as_a_layer(world):
    sh(world, "docker run -d --name c alpine sleep 100")
    sh(world, "docker exec c sh -c 'echo hello > /greeting'")
    r = sh(world, "docker commit c app:1")
    assert re.fullmatch(r"sha256:[0-9a-f]{64}\n", r.stdout)  # §4.5
    eng = engine(world)
    app, base = eng.images.get("app:1"), eng.images.get("alpine")
    assert app.id == r.stdout.strip()
    assert len(app.layers) == len(base.layers) + 1
    assert app.layers[:-1] == base.layers
    top = app.layers[-1]
    assert top.files["/greeting"].size == 6 and top.size == 6
    assert app.parent == base.id
    assert app.cmd == ["sleep", "100"]
    ctr = sh(world, "docker run --rm app:1 cat /greeting")
    assert ctr.stdout == "hello\n"


def test_commit_without_tag_makes_an_untagged_image(world):
    sh(world, "docker run -d --name c alpine sleep 100")
    sh(world, "docker exec c touch /x")
    image_id = sh(world, "docker commit c").stdout.strip()
    rows = sh(world, "docker images --format '{{.Repository}} {{.Tag}} {{.ID}}'").stdout
    assert f"<none> <none> {image_id[7:19]}\n" in rows


def test_commit_of_an_unchanged_container_adds_no_layer(world):
    """moby image.NewChildImage: an empty diff is recorded as an empty_layer history entry,
    not appended to rootfs.diff_ids."""
    sh(world, "docker run -d --name c alpine sleep 100")
    sh(world, "docker commit c same:1")
    eng = engine(world)
    same, base = eng.images.get("same:1"), eng.images.get("alpine")
    assert same.diff_ids == base.diff_ids
    assert same.history[-1].get("empty_layer") is True
    top = sh(world, "docker history same:1").stdout.splitlines()[1]
    assert "0B" in top.split()


def test_commit_of_a_missing_container(world):
    r = sh(world, "docker commit nosuch")
    assert r.exit_code == 1
    assert r.stderr == "Error response from daemon: No such container: nosuch\n"


@pytest.mark.parametrize("flags, message", [
    ("-p 99999:80", "invalid hostPort: 99999"),
    ("-v :/x", "invalid spec: :/x: empty section between colons"),
])
def test_the_cli_refuses_bad_flag_values_before_it_pulls(world, flags, message):
    r = sh(world, f"docker run -d {flags} nginx")
    assert r.exit_code == 125
    assert r.stderr == f"docker: {message}" + RUN_HINT
    assert sh(world, "docker images -q").stdout == ""  # nothing was pulled


def test_an_invalid_container_name_is_the_daemons_error_after_the_pull(world):
    r = sh(world, "docker run -d --name 'my app' alpine")
    assert r.exit_code == 125
    assert r.stderr.startswith("Unable to find image 'alpine:latest' locally\n")
    assert r.stderr.endswith(
        "docker: Error response from daemon: Invalid container name (my app), only "
        "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed" + RUN_HINT)
    assert sh(world, "docker ps -aq").stdout == ""


def test_an_exec_dies_with_the_main_process(world):
    # pid_namespaces(7): when PID 1 ends, the kernel SIGKILLs the rest of the namespace
    sh(world, "docker run -d --name c alpine sleep 100")
    began = world.now
    r = sh(world, "docker exec c sh -c 'echo started; sleep 300'")
    assert r.exit_code == 137 and r.stdout == "started\n"
    assert world.now == pytest.approx(began + 100, abs=0.1)  # when sleep 100 ended
    assert state(world, "c") == "exited"
    assert engine(world)._exit_watchers == {}


def test_an_exec_that_ends_first_keeps_its_code_and_leaves_no_watcher(world):
    sh(world, "docker run -d --name c alpine sleep 100")
    assert sh(world, "docker exec c sh -c 'sleep 2; exit 3'").exit_code == 3
    assert state(world, "c") == "running"
    assert engine(world)._exit_watchers == {}


def test_exec_detached_returns_at_once_and_prints_nothing(world):
    sh(world, "docker run -d --name c alpine sleep 100")
    began = world.now
    r = sh(world, "docker exec -d c sh -c 'echo hidden > /f; sleep 50'")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    assert world.now - began < 1
    assert sh(world, "docker exec c cat /f").stdout == "hidden\n"


def test_an_endless_exec_leaves_the_shell_free(world):
    sh(world, "docker run -d --name c alpine sleep 100")
    r = sh(world, "docker exec c sleep infinity")
    assert r.exit_code == 0
    assert "keeps running until c stops" in r.stderr


# ---- container prune (cli container/prune.go) ---------------------------------------------
def test_container_prune_asks_then_removes_stopped_ones_newest_first(world):
    sh(world, "docker run --name first alpine sh -c 'echo hi > /f'")
    sh(world, "docker create --name second alpine")
    sh(world, "docker run -d --name up alpine sleep 100")
    r = sh(world, "docker container prune")
    assert r.stdout == ("WARNING! This will remove all stopped containers.\n"
                        "Are you sure you want to continue? [y/N] \n")
    assert len(engine(world).containers) == 3
    ids = [engine(world).container(n).id for n in ("second", "first")]
    r = sh(world, "docker container prune -f")
    assert r.stdout == f"Deleted Containers:\n{ids[0]}\n{ids[1]}\n\nTotal reclaimed space: 3B\n"
    assert [c.name for c in engine(world).containers.values()] == ["up"]
    assert sh(world, "docker container prune -f").stdout == "Total reclaimed space: 0B\n"


# ---- diff (cli container/diff.go) ---------------------------------------------------------
def test_diff_lists_the_writable_layer_and_nothing_of_volumes(world):
    sh(world, "docker run -d --name c -v /data alpine sleep 100")
    assert sh(world, "docker diff c").stdout == "A /data\n"  # the mountpoint, made at start
    sh(world, "docker exec c sh -c 'echo x >> /etc/os-release; rm /etc/hostname; "
              "mkdir /srv/app; echo hi > /srv/app/f; echo kept > /data/v'")
    r = sh(world, "docker container diff c")
    assert r.stdout == ("A /data\nC /etc\nD /etc/hostname\nC /etc/os-release\nC /srv\n"
                        "A /srv/app\nA /srv/app/f\n")  # /data/v is in the volume
    assert sh(world, "docker diff nosuch").stderr == \
        "Error response from daemon: No such container: nosuch\n"


# ---- port (cli container/port.go) ---------------------------------------------------------
def test_port_shows_the_host_port_the_allocator_picked(world):
    sh(world, "docker run -d --name web -p 80 nginx")  # no host port: one is picked
    r = sh(world, "docker port web")
    assert r.stdout == "80/tcp -> 0.0.0.0:32768\n80/tcp -> [::]:32768\n"
    assert sh(world, "docker port web 80/tcp").stdout == "0.0.0.0:32768\n[::]:32768\n"
    r = sh(world, "docker port web 443")
    assert (r.exit_code, r.stderr) == (1, "Error: No public port '443' published for web\n")
    sh(world, "docker stop web")
    assert sh(world, "docker port web").stdout == ""
