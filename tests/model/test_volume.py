"""Volumes (fact sheet §4.4 "Container size and lifetime")."""

from __future__ import annotations

import pytest

from sim.model.errors import Conflict, NotFound
from sim.model.image import Image, make_config


@pytest.fixture
def image(build, base_layer, app_layer):
    return build.add(build.image(base_layer, app_layer), "app:1")


def test_in_use_error_names_the_full_container_id(engine, build, image) -> None:
    # §4.4: "remove <vol>: volume is in use - [<full container id>, …]", even when stopped
    c = build.stopped(image, volumes=["data:/data"])
    with pytest.raises(Conflict) as exc:
        engine.remove_volume("data")
    assert exc.value.status == 409
    assert exc.value.message == f"remove data: volume is in use - [{c.id}]"
    assert len(c.id) == 64
    assert "data" in engine.volumes.volumes


def test_in_use_error_lists_every_user(engine, build, image) -> None:
    a = build.container(image, volumes=["data:/data"])
    b = build.container(image, volumes=["data:/srv"], running=True)
    with pytest.raises(Conflict) as exc:
        engine.remove_volume("data")
    assert exc.value.message == f"remove data: volume is in use - [{a.id}, {b.id}]"


def test_unknown_volume(engine) -> None:
    with pytest.raises(NotFound) as exc:
        engine.remove_volume("nope")
    assert exc.value.message == "get nope: no such volume"


def test_volumes_outlive_containers(engine, build, image) -> None:
    c = build.stopped(image, volumes=["data:/data", "/cache"])
    anon = next(m.source for m in c.mounts if m.anonymous)
    engine.filesystem(c).write("/data/db", b"rows")
    engine.filesystem(c).write("/cache/x", b"tmp")
    engine.remove(c, remove_volumes=False)
    assert set(engine.volumes.volumes) == {"data", anon}
    assert engine.volumes.get("data").files["/db"].data == b"rows"
    engine.remove_volume("data")  # no user any more
    assert "data" not in engine.volumes.volumes


def test_rm_v_removes_anonymous_volumes_only(engine, build, image) -> None:
    # §4.4: anonymous volumes go with `docker rm -v` / `--rm`; named ones are never removed
    c = build.stopped(image, volumes=["data:/data", "/cache"])
    anon = next(m.source for m in c.mounts if m.anonymous)
    assert engine.volumes.get(anon).anonymous
    engine.remove(c, remove_volumes=True)
    assert set(engine.volumes.volumes) == {"data"}


def test_rm_v_keeps_anonymous_volume_still_in_use(engine, build, image) -> None:
    c = build.stopped(image, volumes=["/cache"])
    anon = c.mounts[0].source
    other = build.container(image, volumes=[f"{anon}:/cache"])
    engine.remove(c, remove_volumes=True)
    assert anon in engine.volumes.volumes
    assert engine.volume_users(anon) == [other.id]


def test_image_volume_makes_anonymous_volume(engine, build, base_layer) -> None:
    layers = (base_layer,)
    config = make_config(1_700_000_000, ["/bin/sh"], layers, [],
                         extra={"Volumes": {"/var/lib/db": {}}})
    image = build.add(Image.create(config, layers), "db:1")
    c = build.container(image, "db:1")
    [mount] = c.mounts
    assert (mount.type, mount.destination, mount.anonymous) == ("volume", "/var/lib/db", True)
    assert engine.volumes.get(mount.source).anonymous


def test_bind_mount_creates_no_volume(engine, build, image) -> None:
    c = build.container(image, volumes=["/srv/host:/mnt"])
    assert c.mounts[0].type == "bind"
    assert engine.volumes.volumes == {}


def test_volume_writes_do_not_count_toward_container_size(engine, build, image) -> None:
    c = build.container(image, volumes=["data:/data"])
    engine.filesystem(c).write("/data/big", None, size=1_000_000)
    assert engine.container_size(c)[0] == 0
    assert engine.volumes.get("data").size == 1_000_000
    assert engine.disk_bytes() == image.size + 1_000_000


def test_empty_volume_is_populated_from_image(engine, build, image) -> None:
    # §4.4: an empty volume mounted over image content is pre-populated with that content
    c = build.container(image, volumes=["appdata:/app"])
    engine.mark_started(c)
    vol = engine.volumes.get("appdata")
    assert set(vol.files) == {"/main.py", "/data.bin"}
    assert engine.filesystem(c).read("/app/main.py") == b"print('hi')\n"


def test_non_empty_volume_hides_image_content(engine, build, image) -> None:
    seed = build.container(image, volumes=["appdata:/mnt"])
    engine.filesystem(seed).write("/mnt/own.txt", b"mine")
    c = build.container(image, volumes=["appdata:/app"])
    engine.mark_started(c)
    assert engine.filesystem(c).listdir("/app") == ["own.txt"]
    assert set(engine.volumes.get("appdata").files) == {"/own.txt"}


def test_create_volume_is_idempotent(engine) -> None:
    first = engine.create_volume("data")
    assert engine.create_volume("data") is first
    anon = engine.create_volume(None)
    assert anon.anonymous and len(anon.name) == 64
    assert first.mountpoint == "/var/lib/docker/volumes/data/_data"


@pytest.mark.parametrize("mode, ro", [("ro", True), ("rw", False), ("ro,z", True),
                                      ("Z,nocopy", False)])
def test_known_mount_modes(engine, build, image, mode: str, ro: bool) -> None:
    c = build.container(image, volumes=[f"data:/data:{mode}"])
    assert [m.read_only for m in c.mounts] == [ro]


def test_an_unknown_mount_mode_is_the_daemons_error(engine, build, image) -> None:
    from sim.model.errors import InvalidParameter
    with pytest.raises(InvalidParameter, match=r"^invalid mode: zz$"):
        build.container(image, volumes=["/a:/b:zz"])


def test_a_bad_volume_name_creates_nothing(engine, build, image) -> None:
    from sim.model.errors import InvalidParameter
    with pytest.raises(InvalidParameter, match="includes invalid characters"):
        build.container(image, volumes=["bad name:/x"])
    with pytest.raises(InvalidParameter, match="includes invalid characters"):
        engine.create_volume("bad name")
    assert engine.volumes.volumes == {}
