"""Stateful property test: random docker command lines, typed as a user would, against one
World, with the model's invariants checked after every line.

A hypothesis ``RuleBasedStateMachine`` types lines from a small vocabulary (a few catalog
images that share layers, a small pool of container, volume and tag names, so that name
clashes, shared layers, in-use conflicts and auto-removal happen often) through
``sim.cli.runner.execute``, and after each line checks:

* no traceback or ``internal error``; every exit code is one Docker (or the shell the
  container runs) gives;
* layer store: each layer's refcount equals what its holders (images, child layers,
  container RW layers, build-cache records) account for, never below one, and every layer a
  holder needs is in the store;
* ``engine.disk_bytes()`` equals unique layers + RW uppers + volumes;
* a removed container leaves nothing behind but its volumes; images never change;
* the clock never goes backwards;
* ``docker ps -a -q`` and ``docker images -q`` list exactly what the engine holds.

At the end of every run the typed lines are replayed in a fresh World with the same seed:
the trace JSONL and every output must be byte-identical.

After the machine come the shortest sequences behind what it found, kept as regression
tests: a docker rm racing an --rm auto-removal, docker restart of an --rm container, and a
docker stop that must return as soon as the process ends by itself.

Budget: the default profile is small for ``make test``; ``DOCKERSIM_LONG=1`` runs a longer
search (300 examples x 50 steps, random).
"""

from __future__ import annotations

import io
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from sim.cli.runner import Result, execute
from sim.model.digest import canonical_json, sha256_digest
from sim.trace import events as ev
from sim.world.world import World, WorldConfig

from .invariant_checks import check_disk_bytes, check_layer_refcounts

HOST = "host1"

settings.register_profile(
    "dockersim-invariants", max_examples=25, stateful_step_count=25, deadline=None,
    derandomize=True, database=None, print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.register_profile(
    "dockersim-invariants-long", max_examples=300, stateful_step_count=50, deadline=None,
    derandomize=False, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PROFILE = ("dockersim-invariants-long" if os.environ.get("DOCKERSIM_LONG") == "1"
           else "dockersim-invariants")

# ---- vocabulary ---------------------------------------------------------------------------
# alpine's base layer is shared by nginx:mainline-alpine and the builds; debian's by python.
CATALOG = ("alpine:3.24", "nginx:mainline", "nginx:mainline-alpine", "debian:trixie-slim",
           "python:3.14-slim", "hello-world")
LOCAL = ("img:1", "img:2", "b:1", "b:2", "t:1")  # made by commit / build / tag
IMAGE_REFS = CATALOG + LOCAL
RUN_IMAGES = CATALOG + ("alpine:3.24", "nginx:mainline-alpine", "img:1", "b:1")  # weighted
TAG_TARGETS = ("t:1", "t:2", "img:1", "b:1", "alpine:3.24")  # collisions on purpose
NAMES = ("c1", "c2", "c3")
VOLUMES = ("vol1", "vol2")
PROGRAMS = ("", "sleep 1000", "sleep 1000", "sh -c 'exit 3'", "true")  # "": the image's own
POLICIES = ("", "", "--rm", "--restart always", "--restart on-failure:2",
            "--rm --restart always")  # the last one is refused by the CLI
LIFECYCLE = ("start", "stop", "kill", "pause", "unpause", "restart")
EXEC_SCRIPT = ("sh -c 'head -c 1000 /dev/zero > /tmp/f; rm -f /etc/hostname; "
               "chmod 600 /etc/passwd; echo x > /data/v'")

DOCKERFILE = """\
FROM alpine:3.24
COPY hello.txt /app/hello.txt
RUN mkdir -p /data && echo built > /app/built && head -c 2000 /dev/zero > /app/blob
"""
DOCKERFILE_ALT = """\
FROM alpine:3.24
COPY hello.txt /app/hello.txt
RUN rm -f /etc/hostname && chmod 600 /etc/passwd && echo alt > /app/alt
VOLUME /data
"""

# Exit codes Docker uses: 0, 1 (daemon/CLI error), 125 (docker run/create itself failed),
# 126 (cannot invoke), 127 (not found), 137 (SIGKILL). A container's own status passes
# through `docker run` (attached) and `docker exec`: 3 for the `exit 3` job; `exec`'s shell
# script also ends with the status of its last command (1 from rm/chmod/echo, 2 when dash
# cannot create a redirection target, e.g. /data/v without a volume on /data).
DOCKER_CODES = frozenset({0, 1, 125, 126, 127, 137})


def allowed_codes(line: str) -> frozenset[int]:
    codes = set(DOCKER_CODES)
    if "exit 3" in line:
        codes.add(3)
    if line.startswith("docker exec "):
        codes.update({1, 2})
    return frozenset(codes)


@dataclass
class Seen:
    """What a container was, for the checks after it is gone."""

    name: str
    auto_remove: bool
    named_volumes: tuple[str, ...]
    anonymous_volumes: tuple[str, ...]


def layer_fingerprint(layer) -> tuple:
    return (layer.diff_id, layer.digest, layer.size, layer.compressed_size,
            tuple(sorted((p, e.line(p)) for p, e in layer.files.items())))


def image_fingerprint(image) -> tuple:
    return (image.id, canonical_json(image.config), tuple(image.chain_ids),
            tuple(layer_fingerprint(x) for x in image.layers), image.parent)


def trace_jsonl(world: World) -> str:
    out = io.StringIO()
    world.trace.write_jsonl(out)
    return out.getvalue()


class DockerMachine(RuleBasedStateMachine):
    """Drives one World through typed lines; checks the model after each."""

    context_dir: Path | None = None  # set by the test before running

    def __init__(self) -> None:
        super().__init__()
        self.seed = 0
        self.world = World(WorldConfig(seed=self.seed))
        self.lines: list[str] = []
        self.results: list[Result] = []
        self.last_now = 0.0
        self.trace_seen = 0
        self.removed_ids: set[str] = set()
        self.pulled_ids: set[str] = set()  # catalog images keep their real (published) IDs
        self.containers: dict[str, Seen] = {}
        self.images: dict[str, tuple] = {}
        self.layers: dict[str, tuple] = {}  # chainID -> fingerprint while it is stored

    # ---- plumbing ---------------------------------------------------------------------
    @property
    def engine(self):
        return self.world.hosts[HOST].engine

    def sh(self, line: str) -> Result:
        self.lines.append(line)
        result = execute(self.world, HOST, line)
        self.results.append(result)
        for stream in (result.stdout, result.stderr):
            assert "Traceback" not in stream, (line, stream)
            assert "internal error" not in stream, (line, stream)
        assert result.exit_code in allowed_codes(line), (line, result.exit_code, result.text)
        assert result.t >= self.last_now - 1e-9, (line, result.t, self.last_now)
        self.after(line)
        return result

    def container_ref(self, pick: int) -> str:
        """0-1: a name from the pool; 2-4: the name of an existing container; 5: the 12-hex
        ID prefix of one (the pool's last name when there is none)."""
        if pick < 2:
            return NAMES[pick]
        existing = sorted(self.engine.containers.values(), key=lambda c: c.name)
        if not existing:
            return NAMES[-1]
        c = existing[pick % len(existing)]
        return c.name if pick < 5 else c.id[:12]

    def image_ref(self, pick: int) -> str:
        """0-10: a reference from the pool; 11-13: a reference an image has now (a tag or a
        digest reference); 14-15: an image ID prefix (a bogus one when there is none)."""
        if pick < len(IMAGE_REFS):
            return IMAGE_REFS[pick]
        store = self.engine.images
        if pick < 14:
            refs = sorted(store.refs)
            if refs:
                return store._parsed[refs[pick % len(refs)]].familiar_string()
        ids = sorted(store.images)
        if not ids:
            return "0123456789ab"
        return ids[pick % len(ids)][7:19]

    # ---- rules --------------------------------------------------------------------------
    @initialize(seed=st.integers(0, 3))
    def start_world(self, seed):
        self.seed = seed
        self.world = World(WorldConfig(seed=seed))

    @rule(image=st.sampled_from(CATALOG))
    def pull(self, image):
        self.sh(f"docker pull {image}")

    def _run(self, create, detach, name, named_vol, anon_vol, policy, image, program):
        words = ["docker", "create" if create else "run"]
        if not create and detach:
            words.append("-d")
        if name:
            words += ["--name", name]
        if named_vol:
            words += ["-v", f"{named_vol}:/data"]
        if anon_vol:
            words += ["-v", "/cache"]
        if policy:
            words.append(policy)
        words.append(image)
        if program:
            words.append(program)
        self.sh(" ".join(words))

    run_args = dict(
        create=st.sampled_from((False, False, False, True)),
        detach=st.sampled_from((True, True, True, False)),
        name=st.sampled_from((None, *NAMES)), named_vol=st.sampled_from((None, *VOLUMES)),
        anon_vol=st.booleans(), policy=st.sampled_from(POLICIES),
        image=st.sampled_from(RUN_IMAGES), program=st.sampled_from(PROGRAMS))

    @rule(**run_args)
    def run(self, **kwargs):
        self._run(**kwargs)

    @rule(**run_args)
    def run_another(self, **kwargs):  # containers matter most: twice the weight
        self._run(**kwargs)

    @rule(policy=st.sampled_from(POLICIES[2:5]), anon_vol=st.booleans(),
          image=st.sampled_from(CATALOG), program=st.sampled_from(PROGRAMS),
          action=st.sampled_from((*LIFECYCLE, "rm -f", "rm", "rm -f -v", "exec", "commit")))
    def run_then_act(self, policy, anon_vol, image, program, action):
        """A container with --rm or a restart policy, and at once (no time passing) a command
        on it: the command races the main process exiting, auto-removal and restarts."""
        volume = "-v /cache " if anon_vol else ""
        ran = self.sh(f"docker run -d {volume}{policy} {image} {program}".rstrip())
        if ran.exit_code != 0:
            return
        cid = ran.stdout.split()[-1][:12]
        if action == "exec":
            self.sh(f"docker exec {cid} {EXEC_SCRIPT}")
        elif action == "commit":
            self.sh(f"docker commit {cid} img:2")
        else:
            self.sh(f"docker {action} {cid}")

    @rule(command=st.sampled_from(LIFECYCLE), pick=st.integers(0, 5))
    def lifecycle(self, command, pick):
        self.sh(f"docker {command} {self.container_ref(pick)}")

    @rule(force=st.booleans(), volumes=st.booleans(), pick=st.integers(0, 5))
    def rm(self, force, volumes, pick):
        flags = ("-f " if force else "") + ("-v " if volumes else "")
        self.sh(f"docker rm {flags}{self.container_ref(pick)}")

    @rule(pick=st.integers(0, 5))
    def exec_(self, pick):
        self.sh(f"docker exec {self.container_ref(pick)} {EXEC_SCRIPT}")

    @rule(pick=st.integers(0, 5), n=st.integers(1, 2))
    def commit(self, pick, n):
        self.sh(f"docker commit {self.container_ref(pick)} img:{n}")

    @rule(source=st.integers(0, 15), dest=st.sampled_from(TAG_TARGETS))
    def tag(self, source, dest):
        self.sh(f"docker tag {self.image_ref(source)} {dest}")

    @rule(force=st.booleans(), pick=st.integers(0, 15))
    def rmi(self, force, pick):
        self.sh(f"docker rmi {'-f ' if force else ''}{self.image_ref(pick)}")

    @rule(line=st.sampled_from(("docker image prune -f", "docker image prune -a -f",
                                "docker builder prune -af")))
    def prune(self, line):
        self.sh(line)

    @rule(action=st.sampled_from(("create", "create", "rm", "prune -f")),
          name=st.sampled_from(VOLUMES))
    def volume(self, action, name):
        self.sh(f"docker volume {action}" + ("" if action.startswith("prune") else f" {name}"))

    @precondition(lambda self: self.context_dir is not None)
    @rule(n=st.integers(1, 2), alt=st.booleans())
    def build(self, n, alt):
        ctx = shlex.quote(str(self.context_dir))
        dockerfile = f"-f {shlex.quote(str(self.context_dir / 'Dockerfile.alt'))} " if alt else ""
        self.sh(f"docker build -q {dockerfile}-t b:{n} {ctx}")

    @rule()
    def sleep(self):
        self.sh("sleep 2")

    # ---- bookkeeping after each line ----------------------------------------------------
    def after(self, line: str) -> None:
        """Checks that need the state just before and just after one line."""
        eng = self.engine
        now = self.world.now
        assert now >= self.last_now, f"clock went back: {self.last_now} -> {now} ({line})"
        self.last_now = now
        records = self.world.trace.records[self.trace_seen:]
        self.trace_seen = len(self.world.trace.records)
        last_t = records[0].t if records else 0.0
        for record in records:
            assert record.t >= last_t - 1e-9, f"trace time went back in {line!r}"
            last_t = record.t
            cid = getattr(record.event, "container_id", None)
            if cid is not None and not isinstance(record.event, ev.ContainerRemoved):
                assert cid not in self.removed_ids, \
                    f"{record.event} for a removed container after {line!r}"
            if isinstance(record.event, ev.ContainerRemoved):
                self.removed_ids.add(record.event.container_id)
            if isinstance(record.event, ev.PullFinished):
                self.pulled_ids.add(record.event.image_id)

        current = set(eng.containers)
        assert not current & self.removed_ids, f"a removed container came back ({line})"
        argv = shlex.split(line)
        explicit_rm = argv[:2] == ["docker", "rm"]
        with_volumes = explicit_rm and "-v" in argv[2:]
        for cid in sorted(set(self.containers) - current):
            seen = self.containers.pop(cid)
            assert cid in self.removed_ids, f"{seen.name} vanished without ContainerRemoved"
            for vol in seen.named_volumes:  # never removed with a container
                assert vol in eng.volumes.volumes, \
                    f"named volume {vol} of {seen.name} went with it ({line})"
            for vol in seen.anonymous_volumes:
                present = vol in eng.volumes.volumes
                if with_volumes or (seen.auto_remove and not explicit_rm):
                    assert not present, f"anonymous volume of {seen.name} left by {line!r}"
                elif not seen.auto_remove:
                    assert present, f"anonymous volume of {seen.name} removed by {line!r}"
        for cid, c in eng.containers.items():
            mounts = [m for m in c.mounts if m.type == "volume"]
            self.containers[cid] = Seen(
                c.name, c.auto_remove, tuple(m.source for m in mounts if not m.anonymous),
                tuple(m.source for m in mounts if m.anonymous))

        for image_id in set(self.images) - set(eng.images.images):
            del self.images[image_id]
        for image_id, image in eng.images.images.items():
            assert image.id == image_id, f"image stored under {image_id[7:19]}"
            if image_id not in self.pulled_ids:  # committed or built: content-addressed
                assert image_id == sha256_digest(canonical_json(image.config)), \
                    f"image {image_id[7:19]} is not the digest of its config ({line!r})"
            fp = image_fingerprint(image)
            before = self.images.setdefault(image_id, fp)
            assert before == fp, f"image {image_id[7:19]} changed after {line!r}"
        for chain in set(self.layers) - {ro.chain_id for ro in eng.layers}:
            del self.layers[chain]
        for ro in eng.layers:
            fp = layer_fingerprint(ro.layer)
            before = self.layers.setdefault(ro.chain_id, fp)
            assert before == fp, f"layer {ro.chain_id[7:19]} changed after {line!r}"

    # ---- invariants -----------------------------------------------------------------------
    @invariant()
    def layer_refcounts_match_holders(self):
        check_layer_refcounts(self.engine)

    @invariant()
    def disk_bytes_add_up(self):
        check_disk_bytes(self.engine)

    @invariant()
    def container_states_are_coherent(self):
        """moby's state booleans: paused and restarting imply running (fact sheet 1.1)."""
        for c in self.engine.containers.values():
            # only an --rm container whose process ended is "Removal In Progress" between
            # commands: its auto-removal is pending (a docker rm then says "already in
            # progress")
            assert not c.dead, f"{c.name} dead"
            assert not c.removal_in_progress or (c.auto_remove and not c.running), \
                f"{c.name} half removed"
            assert not c.paused or (c.running and not c.restarting), f"{c.name} paused?"
            assert not c.restarting or c.running, f"{c.name} restarting but not running"
            if not c.running:
                assert c.pid == 0 and not c.bound, f"{c.name} stopped but holds a pid/ports"
            if c.running and not c.restarting:
                assert c.pid != 0, f"{c.name} running without a pid"

    @invariant()
    def listings_match_the_engine(self):
        eng = self.engine
        ps = self.sh("docker ps -a -q")
        assert (ps.exit_code, ps.stderr) == (0, ""), ps.text
        shown = ps.stdout.split()
        assert len(shown) == len(set(shown)), f"docker ps -a -q repeats: {shown}"
        want = {c.id[:12] for c in eng.containers.values()}
        assert set(shown) == want, f"docker ps -a -q: {sorted(shown)}, engine: {sorted(want)}"
        images = self.sh("docker images -q")
        assert (images.exit_code, images.stderr) == (0, ""), images.text
        # moby image_list.go: an image with a tag or a digest reference, or a dangling one
        # (no reference at all) that is not the parent of another image
        referenced = set(eng.images.refs.values())
        want = {i.id[7:19] for i in eng.images
                if i.id in referenced or not eng.images.children(i.id)}
        shown = images.stdout.split()
        assert set(shown) == want, f"docker images -q: {sorted(shown)}, want {sorted(want)}"

    # ---- determinism --------------------------------------------------------------------
    def teardown(self):
        if not self.lines:
            return
        replay = World(WorldConfig(seed=self.seed))
        for line, first in zip(self.lines, self.results, strict=True):
            again = execute(replay, HOST, line)
            assert (again.stdout, again.stderr, again.exit_code, again.t) == \
                (first.stdout, first.stderr, first.exit_code, first.t), \
                f"replay differs at {line!r}"
        assert trace_jsonl(replay) == trace_jsonl(self.world), "replayed trace differs"


@pytest.fixture(scope="module")
def build_context(tmp_path_factory) -> Path:
    ctx = tmp_path_factory.mktemp("invariants-ctx")
    (ctx / "Dockerfile").write_text(DOCKERFILE)
    (ctx / "Dockerfile.alt").write_text(DOCKERFILE_ALT)
    (ctx / "hello.txt").write_text("hello\n")
    return ctx


def test_random_command_sequences_keep_the_invariants(build_context, monkeypatch):
    monkeypatch.setattr(DockerMachine, "context_dir", build_context)
    run_state_machine_as_test(DockerMachine, settings=settings.get_profile(PROFILE))


def test_replaying_a_session_gives_a_byte_identical_trace(build_context):
    """One fixed session with every kind of line, replayed: same trace, byte for byte."""
    ctx = shlex.quote(str(build_context))
    lines = [
        "docker pull alpine:3.24", "docker pull nginx:mainline-alpine",
        "docker run -d --name c1 -v vol1:/data -v /cache --restart on-failure:2 "
        "alpine:3.24 sh -c 'exit 3'",
        "docker run -d --name c2 nginx:mainline-alpine sleep 1000",
        f"docker exec c2 {EXEC_SCRIPT}", "docker commit c2 img:1", "docker tag img:1 t:1",
        f"docker build -q -t b:1 {ctx}", "sleep 2", "docker pause c2", "docker stop c2",
        "docker restart c1", "docker kill c1", "docker rm -f -v c1", "docker rmi -f t:1",
        "docker image prune -a -f", "docker builder prune -af", "docker volume prune -f",
        "docker volume rm vol1", "docker run --rm -v /cache hello-world",
        "docker ps -a -q", "docker images -q",
    ]
    outputs = []
    for _ in range(2):
        world = World(WorldConfig(seed=5))
        results = [execute(world, HOST, line) for line in lines]
        outputs.append(([(r.stdout, r.stderr, r.exit_code) for r in results],
                        trace_jsonl(world)))
    assert outputs[0] == outputs[1]
    assert outputs[0][1].count("\n") > len(lines)


# ---- the shortest sequences behind what the machine found ------------------------------------
def _session(lines: list[str], seed: int = 0) -> tuple[World, list[Result]]:
    world = World(WorldConfig(seed=seed))
    return world, [execute(world, HOST, line) for line in lines]


@pytest.mark.parametrize("lines", [
    ["docker run -d --name c1 --rm alpine:3.24", "docker ps -a -q", "docker rm c1"],
    ["docker run -d --name c1 --rm alpine:3.24 sh -c 'exit 3'", "docker rm -f c1"],
    ["docker run -d --name c1 --rm alpine:3.24 true", "docker ps -a -q", "docker rm -f -v c1"],
], ids=["rm", "rm-f-while-exiting", "rm-f-v-while-removing"])
def test_docker_rm_racing_the_auto_removal_of_an_rm_container(lines):
    """Found by the machine: a ``docker rm`` typed while an ``--rm`` container's own removal
    was pending removed it twice (KeyError, ``internal error``, exit 70)."""
    world, results = _session([*lines, "sleep 1"])
    for r in results:
        assert "internal error" not in r.stderr, r.stderr
        assert r.exit_code in (0, 1), (r.cmd, r.exit_code, r.text)
    engine = world.hosts[HOST].engine
    assert not engine.containers
    assert [ro.refs for ro in engine.layers] == [1]  # only the alpine image holds its layer


def test_restart_keeps_a_running_rm_container():
    world, results = _session(["docker run -d --name c1 --rm alpine:3.24 sleep 1000",
                               "docker restart c1"])
    assert (results[-1].stdout, results[-1].stderr, results[-1].exit_code) == ("c1\n", "", 0)
    (c,) = world.hosts[HOST].engine.containers.values()
    assert c.name == "c1" and c.running


def test_stop_returns_when_the_container_exits_by_itself():
    world, results = _session(["docker run -d --name c1 alpine:3.24 sleep 3",
                               "docker stop c1"])
    ran, stop = results
    assert stop.exit_code == 0
    assert stop.t <= ran.t + 3 + 0.5, \
        f"docker stop ended at t={stop.t:.2f}; sleep 3 ended at t={ran.t + 3:.2f}"
