"""Stateful property test on a fleet: several hosts typing docker lines at the same time,
against registries and links that fail.

A hypothesis ``RuleBasedStateMachine`` builds a World of three hosts, Docker Hub and a local
registry (plain, peer to peer with one upload slot, or lazily pulled), with up to three
faults scheduled at random times (a registry outage, a 429 rate limit, a slow link, a full
disk) and a small disk on one host. Its rules *start* command
lines on a host without waiting for them (pulls, runs, pushes to the local registry and pulls
back from it on another host, rmi, prune, rm), let simulated time pass, or settle (run until
every started line has ended). Checked:

* always: no line's process crashes the world; the clock and the trace never go back; every
  image in a store has all its layers there;
* when the lines have settled: on every host, each layer's refcount equals what holds it,
  disk used = unique layers + writable layers + volumes; every failed line said why on
  stderr; no line printed a traceback or ``internal error``; an image that was complete
  before stays complete unless an rmi or prune ran on its host (a fault loses nothing that
  had completed); a blob is downloaded to a host at most once per chain it is part of,
  plus once per deletion of it or failed pull there (bytes pulled never exceed the missing
  layers);
* at the end, the same rules replayed in a fresh World give a byte-identical trace.

Budget: small for ``make test``; ``DOCKERSIM_LONG=1`` runs a longer search.
"""

from __future__ import annotations

import io
import os
from collections import Counter, defaultdict

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from sim.cli.runner import run_line
from sim.trace import events as ev
from sim.world.world import HUB, Distribution, FaultSpec, HostConfig, World, WorldConfig

from .invariant_checks import check_disk_bytes, check_layer_refcounts

settings.register_profile(
    "dockersim-fleet", max_examples=12, stateful_step_count=20, deadline=None,
    derandomize=True, database=None, print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.register_profile(
    "dockersim-fleet-long", max_examples=200, stateful_step_count=40, deadline=None,
    derandomize=False, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PROFILE = ("dockersim-fleet-long" if os.environ.get("DOCKERSIM_LONG") == "1"
           else "dockersim-fleet")

HOSTS = ("h1", "h2", "h3")
LOCAL = "localhost:5000"
IMAGES = ("alpine:3.24", "nginx:mainline-alpine", "nginx:mainline", "debian:trixie-slim",
          "python:3.14-slim")
PUSHED = (f"{LOCAL}/app:1", f"{LOCAL}/app:2")
LINES = (
    *(f"docker pull {i}" for i in IMAGES),
    *(f"docker pull {i}" for i in IMAGES[:2]),  # shared downloads in flight, often
    "docker run -d alpine:3.24 sleep 1000",
    "docker run -d nginx:mainline-alpine",
    "docker run --rm -v /cache alpine:3.24 sh -c 'head -c 5000 /dev/zero > /cache/f'",
    f"docker tag alpine:3.24 {PUSHED[0]}", f"docker tag nginx:mainline-alpine {PUSHED[1]}",
    f"docker push {PUSHED[0]}", f"docker push {PUSHED[1]}",
    # a release: pull, tag and push, one after the other in one process
    f"docker pull alpine:3.24 | docker tag alpine:3.24 {PUSHED[0]} | docker push {PUSHED[0]}",
    f"docker pull nginx:mainline-alpine | docker tag nginx:mainline-alpine {PUSHED[1]} | "
    f"docker push {PUSHED[1]}",
    f"docker pull {PUSHED[0]}", f"docker pull {PUSHED[1]}",
    "docker run -d --name app alpine:3.24 sleep 1000",
    "docker exec app sh -c 'head -c 2000 /dev/zero > /f; rm -f /etc/hostname'",
    "docker commit app localhost:5000/app:1", "docker rm -f app", "docker stop -t 1 app",
    "docker rm -f $(docker ps -aq)", "docker rmi nginx:mainline", "docker rmi -f alpine:3.24",
    "docker image prune -a -f",
)
DESTRUCTIVE = ("docker rmi", "docker image prune")
FAULTS = st.builds(
    FaultSpec,
    at=st.floats(0, 30).map(lambda x: round(x, 1)),
    kind=st.sampled_from(("registry-outage", "rate-limit", "link-slow", "disk-full")),
    target=st.sampled_from((HUB, LOCAL, *HOSTS)),
    duration=st.sampled_from((2.0, 10.0, 60.0)),
    factor=st.just(0.05),
).filter(lambda f: (f.kind in ("registry-outage", "rate-limit")) == (f.target in (HUB, LOCAL))
         and (f.kind != "disk-full" or f.target in HOSTS))


class FleetMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.config: WorldConfig | None = None
        self.world: World | None = None
        self.steps: list[tuple] = []  # what the rules did, for the replay
        self.running: list[tuple[str, str, object]] = []  # (host, line, process)
        self.ended: list[tuple[str, str, object]] = []
        self.complete: dict[str, set[str]] = {h: set() for h in HOSTS}
        self.destructive: set[str] = set()  # hosts that ran rmi/prune since the last settle
        self.last_t = 0.0
        self.seen = 0

    @initialize(seed=st.integers(0, 3), faults=st.lists(FAULTS, max_size=3),
                small_disk=st.sampled_from((None, 40_000_000, 150_000_000)),
                distribution=st.sampled_from((
                    Distribution(), Distribution(peer_to_peer=True, upload_slots=1),
                    Distribution(lazy_pull=True))))
    def start_world(self, seed, faults, small_disk, distribution):
        hosts = [HostConfig(h) for h in HOSTS]
        hosts[0].disk = small_disk
        self.config = WorldConfig(seed=seed, hosts=hosts, faults=sorted(
            faults, key=lambda f: (f.at, f.kind, f.target)), distribution=distribution)
        self.world = World(self.config)

    # ---- rules ------------------------------------------------------------------------
    @rule(host=st.sampled_from(HOSTS), line=st.sampled_from(LINES))
    def start(self, host, line):
        self.steps.append(("start", host, line))
        self.running.append((host, line, self.world.env.process(
            run_lines(self.world, host, line))))
        if line.startswith(DESTRUCTIVE) or "rmi" in line:
            self.destructive.add(host)

    @rule(host=st.sampled_from(HOSTS), line=st.sampled_from(LINES))
    def start_another(self, host, line):  # lines matter most: twice the weight
        self.start(host, line)

    @rule(seconds=st.sampled_from((0.05, 0.5, 3.0, 20.0)))
    def advance(self, seconds):
        self.steps.append(("advance", seconds))
        self.world.env.run(until=self.world.env.now + seconds)
        self._collect()

    @rule()
    def settle(self):
        self.steps.append(("settle",))
        _settle(self.world, self.running)
        self._collect()
        for name, host in self.world.hosts.items():
            check_layer_refcounts(host.engine)
            check_disk_bytes(host.engine)
            images = {i.id for i in host.engine.images}
            if name not in self.destructive:
                lost = self.complete[name] - images
                assert not lost, f"{name} lost completed images {sorted(lost)}"
            self.complete[name] = images
        self.destructive.clear()
        check_downloads(self.world)

    def _collect(self) -> None:
        for item in [x for x in self.running if x[2].triggered]:
            self.running.remove(item)
            self.ended.append(item)
            host, line, proc = item
            for result in proc.value:
                self._check_result(host, result)

    def _check_result(self, host: str, result) -> None:
        line = result.cmd
        for stream in (result.stdout, result.stderr):
            assert "Traceback" not in stream and "internal error" not in stream, \
                (host, line, stream)
        if result.exit_code != 0:
            assert result.stderr.strip(), f"{host}: {line!r} failed silently"

    # ---- always ---------------------------------------------------------------------------
    @invariant()
    def time_and_stores_hold(self):
        if self.world is None:
            return
        records = self.world.trace.records
        for record in records[self.seen:]:
            assert record.t >= self.last_t - 1e-9, f"trace went back at {record}"
            self.last_t = record.t
        self.seen = len(records)
        for name, host in self.world.hosts.items():
            stored = {ro.chain_id for ro in host.engine.layers}
            for image in host.engine.images:
                missing = [c for c in image.chain_ids if c not in stored]
                assert not missing, f"{name}: image {image.id[7:19]} half registered"

    def teardown(self):
        if self.world is None:
            return
        self.settle()  # every line ends, and the settled checks hold at the end too
        replay = World(self.config)
        running: list = []
        for step in self.steps:
            if step[0] == "start":
                running.append((step[1], step[2],
                                replay.env.process(run_lines(replay, step[1], step[2]))))
            elif step[0] == "advance":
                replay.env.run(until=replay.env.now + step[1])
            else:
                _settle(replay, running)
        assert _jsonl(replay) == _jsonl(self.world), "replayed trace differs"


def run_lines(world: World, host: str, lines: str):
    """One process typing lines one after the other (``a | b``: b starts when a ends)."""
    results = []
    for line in lines.split(" | "):
        results.append((yield from run_line(world, host, line)))
    return results


def _settle(world: World, running: list) -> None:
    procs = [p for _h, _l, p in running if not p.triggered]
    if procs:
        world.env.run(until=world.env.all_of(procs))


def _jsonl(world: World) -> str:
    out = io.StringIO()
    world.trace.write_jsonl(out)
    return out.getvalue()


def check_downloads(world: World) -> None:
    """A blob reaches a host once per chain it is part of, plus once per deletion of it
    there or per failed pull there: never more bytes than the missing layers."""
    chains_of: dict[str, set[str]] = defaultdict(set)
    digest_of: dict[str, str] = {}
    downloads: Counter = Counter()
    deletions: Counter = Counter()
    failed_pulls: Counter = Counter()
    for record in world.trace:
        e = record.event
        if isinstance(e, ev.LayerRegistered):
            chains_of[e.digest].add(e.chain_id)
            digest_of[e.chain_id] = e.digest
        elif isinstance(e, ev.LayerDeleted):
            deletions[e.host, digest_of.get(e.chain_id, "")] += 1
        elif isinstance(e, ev.LayerTransfer) and e.phase == "downloaded":
            downloads[e.host, e.digest] += 1
        elif isinstance(e, ev.CommandFinished) and e.exit_code != 0 and \
                (" pull " in f" {e.line} " or e.line.startswith("docker run")):
            failed_pulls[e.host] += 1
    for (host, digest), n in downloads.items():
        bound = max(1, len(chains_of[digest])) * (
            1 + deletions[host, digest] + failed_pulls[host])
        assert n <= bound, f"{host} downloaded {digest[7:19]} {n} times (bound {bound})"


def test_fleet_command_sequences_with_faults_keep_the_invariants():
    run_state_machine_as_test(FleetMachine, settings=settings.get_profile(PROFILE))


# ---- the shortest sequences behind what the machine found ------------------------------------
def test_an_image_pruned_while_a_run_creates_its_container():
    """``docker image prune -a`` between ``docker run``'s image lookup and its create: the
    run fails with Docker's "No such image", nothing half-created (was a KeyError)."""
    world = World(WorldConfig(seed=0, hosts=[HostConfig("h1")]))
    _settle(world, [("h1", "", world.env.process(
        run_lines(world, "h1", "docker pull nginx:mainline-alpine")))])
    run = world.env.process(run_lines(world, "h1", "docker run -d nginx:mainline-alpine"))
    prune = world.env.process(run_lines(world, "h1", "docker image prune -a -f"))
    _settle(world, [("h1", "", run), ("h1", "", prune)])
    (result,) = run.value
    assert result.exit_code == 125
    assert "No such image: nginx:mainline-alpine" in result.stderr
    engine = world.hosts["h1"].engine
    assert not engine.containers and not list(engine.images)
    check_layer_refcounts(engine)
    check_disk_bytes(engine)


def test_an_image_pruned_while_a_tag_is_under_way():
    """``docker tag`` resolves its source, then the daemon tags it; ``image prune -a`` in
    between removed the image: Docker's "No such image", no reference to a missing image
    (was a KeyError in a later push)."""
    world = World(WorldConfig(seed=0, hosts=[HostConfig("h1")]))
    _settle(world, [("h1", "", world.env.process(
        run_lines(world, "h1", "docker pull nginx:mainline-alpine")))])
    tag = world.env.process(run_lines(
        world, "h1", f"docker tag nginx:mainline-alpine {PUSHED[1]}"))
    prune = world.env.process(run_lines(world, "h1", "docker image prune -a -f"))
    _settle(world, [("h1", "", tag), ("h1", "", prune)])
    (result,) = tag.value
    assert (result.exit_code, result.stderr) == (
        1, "Error response from daemon: No such image: nginx:mainline-alpine\n")
    engine = world.hosts["h1"].engine
    assert not engine.images.refs and not list(engine.images)
    check_layer_refcounts(engine)
