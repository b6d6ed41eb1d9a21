"""The daemon's rules for containers (fact sheet §0.3 lookups, §1.2 allowed commands, §1.3
exact messages) and disk accounting (§2.4 sharing, §4.4 container size and volumes)."""

from __future__ import annotations

import contextlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.container import Container
from sim.model.engine import CreateOptions, Engine
from sim.model.errors import Conflict, DockerError, InvalidParameter, NotFound, NotModified
from sim.model.image import Image, make_config
from sim.model.layer import Layer, diff_size, dir_entry, file_entry, sized_entry
from sim.model.reference import parse_normalized_named
from sim.model.rmi import image_delete
from sim.model.workload import Workload


@pytest.fixture
def image(build, base_layer, app_layer):
    return build.add(build.image(base_layer, app_layer), "app:1")


@pytest.fixture
def make(engine: Engine, build, image):
    """Containers in each state, named after it."""

    def in_state(state: str, name: str | None = None) -> Container:
        c = build.container(image, name=name or state)
        if state == "created":
            return c
        engine.mark_started(c)
        if state == "paused":
            engine.pause(c)
        elif state == "restarting":
            engine.mark_restarting(c, 1)
        elif state == "exited":
            engine.mark_exited(c, 0)
        elif state == "removing":
            c.removal_in_progress = True
            engine.mark_exited(c, 0)
        elif state == "dead":
            c.dead = True
            engine.mark_exited(c, 0)
        assert c.state == state
        return c

    return in_state


def error(action) -> DockerError:
    with pytest.raises(DockerError) as exc:
        action()
    return exc.value


# ---- start / stop (§1.2, §1.3) -----------------------------------------------------
def test_start_paused_is_e1(engine, make) -> None:
    c = make("paused")
    err = error(lambda: engine.check_start(c))
    assert isinstance(err, Conflict) and err.status == 409
    assert err.message == "cannot start a paused container, try unpause instead"


@pytest.mark.parametrize("state", ["removing", "dead"])
def test_start_removing_or_dead_is_e2(engine, make, state: str) -> None:
    c = make(state)
    assert error(lambda: engine.check_start(c)).message == (
        "container is marked for removal and cannot be started")


@pytest.mark.parametrize("state", ["running", "restarting"])
def test_start_running_is_not_modified(engine, make, state: str) -> None:
    # §1.3: 304, which the client prints as success
    c = make(state)
    err = error(lambda: engine.check_start(c))
    assert isinstance(err, NotModified) and err.status == 304


@pytest.mark.parametrize("state", ["created", "exited"])
def test_start_allowed(engine, make, state: str) -> None:
    c = make(state)
    engine.check_start(c)
    engine.mark_started(c)
    assert c.state == "running"


@pytest.mark.parametrize("state", ["created", "exited"])
def test_stop_stopped_is_not_modified(engine, make, state: str) -> None:
    c = make(state)
    err = error(lambda: engine.check_stop(c))
    assert isinstance(err, NotModified) and err.status == 304


@pytest.mark.parametrize("state", ["running", "paused", "restarting"])
def test_stop_allowed(engine, make, state: str) -> None:
    engine.check_stop(make(state))


# ---- kill (E3) ---------------------------------------------------------------------
@pytest.mark.parametrize("state", ["created", "exited"])
def test_kill_not_running_is_e3(engine, make, state: str) -> None:
    c = make(state)
    typed = c.id[:5]
    err = error(lambda: engine.check_kill(c, typed))
    assert isinstance(err, Conflict)
    assert err.message == (
        f"cannot kill container: {typed}: container {c.id} is not running")
    assert len(c.id) == 64


@pytest.mark.parametrize("state", ["running", "paused"])
def test_kill_allowed(engine, make, state: str) -> None:
    engine.check_kill(make(state), state)


# ---- pause / unpause (E4–E7) -------------------------------------------------------
@pytest.mark.parametrize("state", ["created", "exited"])
def test_pause_not_running_is_e4(engine, make, state: str) -> None:
    c = make(state)
    err = error(lambda: engine.pause(c))
    assert err.status == 409 and err.message == f"container {c.id} is not running"


def test_pause_paused_is_e5(engine, make) -> None:
    # §1.3 E5, Engine 29 wording (lower-case "container"; ≤ v28 had "Container")
    c = make("paused")
    err = error(lambda: engine.pause(c))
    assert err.status == 409 and err.message == f"Container {c.id} is already paused"


def test_pause_restarting_is_e6(engine, make) -> None:
    c = make("restarting")
    assert error(lambda: engine.pause(c)).message == (
        f"Container {c.id} is restarting, wait until the container is running")


@pytest.mark.parametrize("state", ["created", "running", "restarting", "exited"])
def test_unpause_not_paused_is_e7(engine, make, state: str) -> None:
    c = make(state)
    err = error(lambda: engine.unpause(c))
    assert err.status == 500 and err.message == f"Container {c.id} is not paused"


def test_pause_then_unpause(engine, make) -> None:
    c = make("running")
    engine.pause(c)
    assert c.state == "paused" and c.running
    engine.unpause(c)
    assert c.state == "running"


# ---- exec (E8–E10) -----------------------------------------------------------------
@pytest.mark.parametrize("state", ["created", "exited"])
def test_exec_not_running_is_e8(engine, make, state: str) -> None:
    c = make(state)
    assert error(lambda: engine.check_exec(c, state)).message == (
        f"container {c.id} is not running")


def test_exec_paused_is_e9_with_name_as_typed(engine, make) -> None:
    c = make("paused")
    assert error(lambda: engine.check_exec(c, "paus")).message == (
        "Container paus is paused, unpause the container before exec")


def test_exec_restarting_is_e10(engine, make) -> None:
    c = make("restarting")
    assert error(lambda: engine.check_exec(c, "restarting")).message == (
        f"Container {c.id} is restarting, wait until the container is running")


def test_exec_running_allowed(engine, make) -> None:
    engine.check_exec(make("running"), "running")


@pytest.mark.parametrize("end", ["exited", "restarting"])
def test_exit_watchers_are_called_once_when_the_main_process_ends(engine, make,
                                                                  end: str) -> None:
    c, other = make("running"), make("running", "other")
    calls: list[str] = []
    engine.watch_exit(c, lambda: calls.append("exec 1"))
    engine.watch_exit(c, lambda: calls.append("exec 2"))
    gone = lambda: calls.append("unwatched")  # noqa: E731
    engine.watch_exit(c, gone)
    engine.unwatch_exit(c, gone)
    engine.watch_exit(other, lambda: calls.append("other"))
    if end == "exited":
        engine.mark_exited(c, 137)
    else:
        engine.mark_restarting(c, 1)
    assert calls == ["exec 1", "exec 2"]
    engine.mark_started(c)
    engine.mark_exited(c, 0)
    assert calls == ["exec 1", "exec 2"]  # once


# ---- rm (E11–E13) ------------------------------------------------------------------
def test_rm_running_is_e11_with_name_as_typed(engine, make) -> None:
    c = make("running", name="web")
    assert error(lambda: engine.check_remove(c, "web", force=False)).message == (
        'cannot remove container "web": container is running: stop the container before '
        "removing or force remove")
    assert error(lambda: engine.check_remove(c, c.id[:6], force=False)).message == (
        f'cannot remove container "{c.id[:6]}": container is running: stop the container '
        "before removing or force remove")


def test_rm_restarting_is_e11_with_word_restarting(engine, make) -> None:
    c = make("restarting", name="loop")
    assert error(lambda: engine.check_remove(c, "loop", force=False)).message == (
        'cannot remove container "loop": container is restarting: stop the container before '
        "removing or force remove")


def test_rm_paused_is_e12(engine, make) -> None:
    c = make("paused", name="frozen")
    assert error(lambda: engine.check_remove(c, "frozen", force=False)).message == (
        'cannot remove container "frozen": container is paused and must be unpaused first')


def test_rm_removing_is_e13(engine, make) -> None:
    c = make("removing", name="going")
    for force in (False, True):
        assert error(lambda f=force: engine.check_remove(c, "going", f)).message == (
            "removal of container going is already in progress")


@pytest.mark.parametrize("state", ["created", "exited", "dead"])
def test_rm_allowed(engine, make, state: str) -> None:
    engine.check_remove(make(state), state, force=False)


@pytest.mark.parametrize("state", ["running", "paused", "restarting"])
def test_rm_force_allowed(engine, make, state: str) -> None:
    engine.check_remove(make(state), state, force=True)


def test_remove_deletes_container_and_rw_layer(engine, make) -> None:
    c = make("exited")
    engine.filesystem(c).write("/tmp.txt", b"data")
    engine.remove(c, remove_volumes=False)
    assert c.id not in engine.containers
    assert error(lambda: engine.container(c.id)).message == f"No such container: {c.id}"


# ---- names and lookup (§0.3, §1.3) -------------------------------------------------
@pytest.mark.parametrize("second", ["web", "/web"])
def test_name_conflict(engine, build, image, second: str) -> None:
    first = build.container(image, name="web")
    err = error(lambda: build.container(image, name=second))
    assert isinstance(err, Conflict)
    assert err.message == (
        f'Conflict. The container name "/web" is already in use by container "{first.id}". '
        "You have to remove (or rename) that container to be able to reuse that name.")


def test_lookup_by_id_name_and_prefix(engine, build, image) -> None:
    c = build.container(image, name="web")
    assert engine.container(c.id) is c
    assert engine.container("web") is c
    assert engine.container("/web") is c
    assert engine.container(c.id[:12]) is c
    assert engine.container(c.id[:3]) is c


def test_lookup_unknown(engine, image) -> None:
    err = error(lambda: engine.container("nope"))
    assert isinstance(err, NotFound) and err.message == "No such container: nope"


def test_lookup_ambiguous_prefix(engine, build, image) -> None:
    containers = [build.container(image) for _ in range(17)]  # 17 IDs, 16 first digits
    firsts = [c.id[0] for c in containers]
    shared = next(ch for ch in firsts if firsts.count(ch) > 1)
    err = error(lambda: engine.container(shared))
    assert isinstance(err, InvalidParameter)
    assert err.message == f"multiple IDs found with provided prefix: {shared}"


def test_name_wins_over_prefix(engine, build, image) -> None:
    c = build.container(image)
    other = build.container(image, name=c.id[:4])
    assert engine.container(c.id[:4]) is other


def test_generated_ids_and_names(engine, build, image) -> None:
    c = build.container(image)
    assert len(c.id) == 64 and all(ch in "0123456789abcdef" for ch in c.id)
    assert not c.id[:12].isdigit()
    assert "_" in c.name


# ---- disk accounting (§2.4, §4.4) --------------------------------------------------
def expected_disk(engine: Engine) -> int:
    layers = {ro.chain_id: ro.layer.size for ro in engine.layers}
    return (sum(layers.values()) + sum(diff_size(c.upper) for c in engine.containers.values())
            + sum(v.size for v in engine.volumes.volumes.values()))


def test_two_containers_share_the_read_only_data(engine, build, image) -> None:
    # §4.4: two containers from one image share 100 % of the read-only data
    before = engine.disk_bytes()
    assert before == image.size
    a, b = build.container(image), build.container(image)
    assert engine.disk_bytes() == before
    assert engine.container_size(a) == (0, image.size)
    engine.filesystem(a).write("/new.txt", b"12345")
    assert engine.container_size(a) == (5, image.size + 5)
    assert engine.container_size(b) == (0, image.size)
    assert engine.disk_bytes() == image.size + 5
    # summing virtual sizes over-counts
    assert sum(engine.container_size(c)[1] for c in (a, b)) > engine.disk_bytes()


def test_copy_up_counts_the_whole_file(engine, build, image) -> None:
    c = build.container(image)
    engine.filesystem(c).chmod("/usr/lib/libc.so", 0o600)  # 5000 bytes in the base layer
    assert engine.container_size(c)[0] == 5000
    assert engine.disk_bytes() == image.size + 5000


def test_delete_frees_nothing(engine, build, image) -> None:
    c = build.container(image)
    engine.filesystem(c).remove("/usr/lib/libc.so")
    assert engine.container_size(c)[0] == 0
    assert engine.disk_bytes() == image.size


def test_disk_bytes_with_volumes(engine, build, image) -> None:
    a = build.container(image, volumes=["data:/data"])
    b = build.container(image, volumes=["data:/data", "/scratch"])
    engine.filesystem(a).write("/data/a.bin", None, size=700)
    engine.filesystem(b).write("/data/b.bin", None, size=300)
    engine.filesystem(b).write("/scratch/x", None, size=50)
    engine.filesystem(b).write("/etc/os-release", b"ID=changed\n")
    assert engine.volumes.get("data").size == 1000
    assert engine.container_size(a)[0] == 0  # volume writes don't count toward SIZE
    assert engine.container_size(b)[0] == len(b"ID=changed\n")
    assert engine.disk_bytes() == image.size + 1000 + 50 + len(b"ID=changed\n")
    assert engine.disk_bytes() == expected_disk(engine)


def test_remove_frees_the_rw_layer_only(engine, build, image) -> None:
    c = build.container(image)
    engine.filesystem(c).write("/big", None, size=10_000)
    assert engine.disk_bytes() == image.size + 10_000
    engine.remove(c, remove_volumes=False)
    assert engine.disk_bytes() == image.size


# ---- property: disk == unique layers + RW layers + volumes ---------------------------
N_IMAGES = 3
steps = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, N_IMAGES - 1)),
        st.tuples(st.just("create"), st.integers(0, N_IMAGES - 1), st.booleans()),
        st.tuples(st.just("start"), st.integers(0, 30)),
        st.tuples(st.just("stop"), st.integers(0, 30)),
        st.tuples(st.just("write"), st.integers(0, 30), st.sampled_from(
            ["/tmp/a", "/tmp/b", "/usr/lib/libc.so", "/data/v", "/app/data.bin"]),
            st.integers(1, 5000)),
        st.tuples(st.just("rm"), st.integers(0, 30), st.booleans(), st.booleans()),
        st.tuples(st.just("rmi"), st.integers(0, N_IMAGES - 1), st.booleans(), st.booleans()),
    ),
    max_size=40,
)


def check_invariants(engine: Engine, pool: dict) -> None:
    # which layers must exist: every chain prefix of every stored image and of every
    # container's image (a container keeps its layers after its image record is gone)
    needed: dict[str, int] = {}
    for image in [*engine.images, *(pool[c.image_id] for c in engine.containers.values())]:
        for chain, layer in zip(image.chain_ids, image.layers, strict=True):
            needed[chain] = layer.size
    assert {ro.chain_id for ro in engine.layers} == set(needed)
    for ro in engine.layers:
        expected_refs = (
            sum(1 for i in engine.images if i.top_chain == ro.chain_id)
            + sum(1 for other in engine.layers if other.parent == ro.chain_id)
            + sum(1 for c in engine.containers.values() if c.rw_chain == ro.chain_id))
        assert ro.refs == expected_refs > 0
    assert engine.disk_bytes() == sum(needed.values()) + sum(
        diff_size(c.upper) for c in engine.containers.values()) + sum(
        v.size for v in engine.volumes.volumes.values())


@settings(max_examples=200, deadline=None)
@given(steps)
def test_random_lifecycle_keeps_disk_accounting(engine_steps: list[tuple]) -> None:
    engine = Engine("h", clock=lambda: 1_800_000_000.0, emit=lambda e: None,
                    rng=random.Random(0))
    base = Layer.from_files({"/tmp": dir_entry(), "/usr": dir_entry(), "/usr/lib": dir_entry(),
                         "/usr/lib/libc.so": sized_entry(5000, "libc")})
    app = Layer.from_files({"/app": dir_entry(), "/app/data.bin": sized_entry(3000, "data")})
    app2 = Layer.from_files({"/app": dir_entry(), "/app/data.bin": file_entry(b"v2")})
    images = []
    for i, layers in enumerate([(base,), (base, app), (base, app2)]):
        config = make_config(1_700_000_000 + i, ["/bin/sh"], layers, [])
        images.append(Image.create(config, layers))
    pool = {image.id: image for image in images}
    made: list[Container] = []

    def pick(n: int) -> Container | None:
        alive = [c for c in made if c.id in engine.containers]
        return alive[n % len(alive)] if alive else None

    for step in engine_steps:
        kind = step[0]
        if kind == "add":
            image = images[step[1]]
            engine.add_image(image)
            engine.tag(image.id, parse_normalized_named(f"img{step[1]}:latest"))
        elif kind == "create":
            image = images[step[1]]
            if image.id in engine.images:
                vols = ["shared:/data"] if step[2] else []
                made.append(engine.create(image, f"img{step[1]}",
                                          CreateOptions(volumes=vols), Workload()))
        elif kind == "rmi":
            image = images[step[1]]
            text = image.id[7:19] if step[3] else f"img{step[1]}"
            with contextlib.suppress(DockerError):
                image_delete(engine, text, force=step[2])
        elif (c := pick(step[1])) is None:
            continue
        elif kind == "start":
            try:
                engine.check_start(c)
            except DockerError:
                continue
            engine.mark_started(c)
        elif kind == "stop":
            if c.running:
                engine.mark_exited(c, 0)
        elif kind == "write":
            fs = engine.filesystem(c)
            if step[2] == "/data/v" and fs.stat("/data") is None:
                continue
            if fs.stat(step[2]) is None and step[2].startswith("/app/"):
                continue
            fs.write(step[2], None, size=step[3], append=True)
        elif kind == "rm":
            try:
                engine.check_remove(c, c.name, force=step[2])
            except DockerError:
                continue
            engine.remove(c, remove_volumes=step[3])
        check_invariants(engine, pool)
