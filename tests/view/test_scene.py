"""The Scene (sim/view/scene.py): a fold of the trace; keyframes give the same state as
folding from the start, at every point and in any order of visits."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.trace import events as ev
from sim.view import scene as sc
from sim.view.api import scene_of

from .helpers import demo, shared, world_of


def reference(scene: sc.Scene, n: int) -> tuple:
    """The state after n records, folded from nothing (no keyframe, no cursor)."""
    state = scene._empty()
    for i in range(n):
        sc.fold(state, scene.records[i], i)
    return state.snapshot()


@functools.cache
def long_scene() -> sc.Scene:
    """More records than a few keyframes: two hosts pulling, running, writing, removing."""
    lines = ["a: docker pull nginx", "b: docker pull python:3.14-slim"]
    for i in range(14):
        lines += [f"a: docker run -d --name w{i} nginx",
                  f"a: docker exec w{i} sh -c 'echo {i} > /tmp/f{i}'"]
    lines += ["a: docker rm -f w0 w1", "b: docker run -d --name p python:3.14-slim",
              "a: docker stop w2", "sleep 2", "a: docker rm w2"]
    world, console = world_of(lines, hosts=("a", "b"))
    return scene_of(world, console)


def test_the_long_scene_spans_several_keyframes():
    assert len(long_scene().records) > 2 * sc.KEYFRAME_EVERY
    assert len(long_scene().keyframes) == len(long_scene().records) // sc.KEYFRAME_EVERY + 1


def test_every_index_matches_the_fold_from_the_start():
    scene = long_scene()
    for n in range(len(scene.records) + 1):
        assert scene.state_after(n).snapshot() == reference(scene, n), n


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=-1, max_value=40, allow_nan=False), min_size=1,
                max_size=25))
def test_scrubbing_in_any_order_is_exact(times):
    scene = long_scene()
    for t in times:
        assert scene.state_at(t).snapshot() == reference(scene, scene.index_at(t))


def test_demo_end_state():
    _world, scene = demo()
    host = scene.state_at(scene.end + 10).hosts["host1"]
    assert len(host.images) == 1 and len(host.layers) == 7
    assert [c.name for c in host.containers.values()] == ["web2"]
    assert host.containers and next(iter(host.containers.values())).state == "running"
    from sim.view.animate import fade
    assert all(fade(c.removed, scene.end + 10) == 0 for c in host.ghosts.values())
    sizes = [r.event.size for r in scene.records if isinstance(r.event, ev.LayerTransfer)
             and r.event.phase == "downloaded"]
    assert host.bytes_pulled == sum(sizes) > 0
    reg = scene.state_at(scene.end).registries["docker.io"]
    assert reg.used == ("nginx:latest",) and "latest" in reg.repos["nginx"]
    assert len(reg.blobs) == 7


def test_registries_show_what_they_serve_from_the_start():
    from sim.catalog.loader import repositories
    _world, scene = demo()
    assert isinstance(scene.records[0].event, ev.RegistryOpened)
    start = scene.state_after(1).registries  # before the first command
    assert sorted(start["docker.io"].repos) == repositories()  # Docker Hub: the catalog
    assert start["docker.io"].used == () and "mainline" in start["docker.io"].repos["nginx"]
    assert start["localhost:5000"].repos == {}  # a private registry starts empty
    assert list(scene.state_after(1).hosts) == ["host1"]  # no phantom host


def test_a_removed_container_is_a_ghost_while_it_fades():
    _world, scene = demo()
    removed = next(r.t for r in scene.records if isinstance(r.event, ev.ContainerRemoved))
    host = scene.state_at(removed).hosts["host1"]
    assert [c.name for c in host.ghosts.values()] == ["web"]
    assert next(iter(host.ghosts.values())).removed == removed


def test_a_write_lands_in_the_upper_dir():
    _world, scene = demo()
    rec = next(r for r in scene.records if isinstance(r.event, ev.ContainerFilesChanged))
    before = scene.state_at(rec.t - 1e-6).hosts["host1"].containers[rec.event.container_id]
    assert before.rw_size == 0 and before.files == {}
    after = scene.state_at(rec.t).hosts["host1"].containers[rec.event.container_id]
    assert after.rw_size == rec.event.rw_size > 0
    assert after.files["/usr/share/nginx/html/index.html"] in ("write", "copy-up")


def test_transfers_know_when_they_end():
    _world, scene = demo()
    starts = [r for r in scene.records if isinstance(r.event, ev.LayerTransfer)
              and r.event.phase == "downloading"]
    assert starts and all(r.seq in scene.ends for r in starts)
    for r in starts:
        assert scene.ends[r.seq] >= r.t


def test_shared_base_is_one_layer_in_two_images():
    _world, scene = shared()
    host = scene.state_at(scene.end).hosts["host1"]
    base = {i.chain_ids[0] for i in host.images.values()}
    assert len(base) == 1 and len(host.images) == 2
    assert host.disk() < host.unshared()


def test_console_prints_output_under_its_prompt():
    _world, scene = demo()
    lines = [text for _t, _h, text in scene.console]
    pull = lines.index("$ docker pull nginx")
    run = lines.index("$ docker run -d --name web nginx")
    assert pull < run
    assert any("Pull complete" in ln for ln in lines[pull:run])
    assert not any("Pull complete" in ln for ln in lines[run:])


def test_next_and_previous_event_times():
    _world, scene = demo()
    times = sorted(set(scene.times))
    assert scene.event_time(0.0, +1) == times[1] if times[0] == 0.0 else times[0]
    assert scene.event_time(times[3], -1) == times[2]
    assert scene.event_time(times[-1], +1) == times[-1]
    assert scene.event_time(0.0, -1) == 0.0


def test_build_steps_fold_with_their_status():
    from pathlib import Path

    from sim.scenario.build import build_world
    from sim.scenario.load import load_scenario
    from sim.scenario.run import run_scenario
    path = Path(__file__).resolve().parents[2] / "scenarios" / "classroom" / "build-cache.toml"
    scenario = load_scenario(path)
    world = build_world(scenario)
    run_scenario(scenario, world)
    scene = scene_of(world)
    built = [r for r in scene.records if isinstance(r.event, ev.ImageBuilt)]
    assert len(built) >= 2
    first = scene.state_after(built[0].seq + 1).hosts["host1"].build
    assert first.finished == built[0].t
    assert first.tags == built[0].event.tags
    statuses = {s[2] for s in scene.state_after(built[-1].seq + 1).hosts["host1"].build.steps}
    assert "cached" in statuses and "done" in statuses


def test_output_without_its_command_goes_to_the_command_running_when_printed():
    """A caller that kept neither start nor trace index: a pull's last lines, printed at the
    instant the next command starts, still sort before that command's prompt."""
    from sim.cli.runner import execute
    from sim.view.api import Console
    from sim.world.world import World, WorldConfig
    world = World(WorldConfig())
    console = Console()
    for line in ("docker pull nginx", "docker run -d --name web nginx"):
        console.add_result("host1", execute(world, "host1", line))
    run = next(r for r in world.trace if isinstance(r.event, ev.CommandStarted)
               and r.event.line.startswith("docker run"))
    pulled = [r.t for r in world.trace if isinstance(r.event, ev.CommandFinished)][0]
    assert run.t == pulled  # the tie
    lines = [text for _t, _h, text in scene_of(world, console).console]
    at = lines.index("$ docker run -d --name web nginx")
    assert lines[at - 1] == "docker.io/library/nginx:latest" and len(lines) == at + 2
