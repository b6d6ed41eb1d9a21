"""``docker container prune`` and ``docker volume prune`` as the daemon chooses (moby
daemon/prune.go): which containers and volumes go, in which order, and the bytes."""

from __future__ import annotations

import pytest

from sim.model.layer import file_entry
from sim.model.prune import container_prune, volume_prune


@pytest.fixture
def image_app(build, base_layer, app_layer):
    return build.add(build.image(base_layer, app_layer), "app:1")


def test_stopped_and_created_containers_go_newest_first_running_ones_stay(engine, build,
                                                                           image_app) -> None:
    old = build.stopped(image_app, name="old")
    created = build.container(image_app, name="created")
    running = build.container(image_app, name="running", running=True)
    paused = build.container(image_app, name="paused", running=True)
    engine.pause(paused)
    newer = build.stopped(image_app, name="newer")
    old.created -= 60  # made a minute earlier than the rest (same instant otherwise)
    removed, reclaimed = container_prune(engine)
    assert removed == [newer.id, created.id, old.id]  # newest first; a tie: last made first
    assert reclaimed == 0
    assert set(engine.containers) == {running.id, paused.id}


def test_reclaimed_bytes_are_the_writable_layers(engine, build, image_app) -> None:
    c = build.stopped(image_app, name="c")
    c.upper["/notes"] = file_entry(b"x" * 300)
    assert container_prune(engine) == ([c.id], 300)
    assert container_prune(engine) == ([], 0)


def test_a_container_being_removed_is_skipped(engine, build, image_app) -> None:
    c = build.stopped(image_app, name="c")
    c.removal_in_progress = True
    assert container_prune(engine) == ([], 0)
    assert c.id in engine.containers


def test_anonymous_volumes_outlive_the_container_prune(engine, build, image_app) -> None:
    build.stopped(image_app, name="c", volumes=["/data"])
    (anon,) = engine.volumes.volumes
    container_prune(engine)
    assert anon in engine.volumes.volumes
    assert volume_prune(engine, False) == ([anon], 0)


def test_volume_prune_keeps_named_and_used_volumes_unless_all(engine, build,
                                                              image_app) -> None:
    engine.create_volume("named")
    build.container(image_app, name="user", volumes=["kept:/data"])
    assert volume_prune(engine, False) == ([], 0)
    assert volume_prune(engine, True) == (["named"], 0)
    assert set(engine.volumes.volumes) == {"kept"}
