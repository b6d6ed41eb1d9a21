"""Images, tags and lookups on one host (fact sheet §2.1 image ID, §2.2 tags, §2.3 dangling
images, §2.5 last row: unknown images)."""

from __future__ import annotations

import pytest

from sim.model.digest import canonical_json, sha256_digest
from sim.model.errors import NotFound
from sim.model.imagestore import no_such_image
from sim.model.reference import parse_normalized_named
from sim.trace import events as ev

DIGEST = "sha256:" + "ab" * 32


@pytest.fixture
def image(build, base_layer, app_layer):
    return build.add(build.image(base_layer, app_layer), "app:1")


def test_image_id_is_digest_of_config(image) -> None:
    # §2.1: image ID = sha256 of the config JSON
    assert image.id == sha256_digest(canonical_json(image.config))
    assert image.config["rootfs"]["diff_ids"] == image.diff_ids


def test_equal_configs_are_one_image(engine, build, base_layer) -> None:
    image = build.image(base_layer)
    assert engine.add_image(image) is True
    assert engine.add_image(image) is False
    assert len(engine.images) == 1
    assert engine.layers.get(image.top_chain).refs == 1  # the second add took no reference


@pytest.mark.parametrize("text", ["app:1", "docker.io/library/app:1", "library/app:1"])
def test_get_by_reference(engine, image, text: str) -> None:
    assert engine.images.get(text) is image


def test_get_by_id_forms(engine, image) -> None:
    hexid = image.id.removeprefix("sha256:")
    for text in (image.id, hexid, hexid[:12], hexid[:4]):
        assert engine.images.get(text) is image


def test_name_without_tag_means_latest(engine, build, base_layer) -> None:
    image = build.add(build.image(base_layer), "web")
    assert engine.images.get("web") is image
    assert engine.images.get("web:latest") is image


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x", "No such image: x:latest"),  # §2.5: tag defaults to latest
        ("x:2", "No such image: x:2"),
        ("docker.io/library/x", "No such image: x:latest"),
        ("registry.example.com/team/x", "No such image: registry.example.com/team/x:latest"),
        ("app:2", "No such image: app:2"),
    ],
)
def test_no_such_image(engine, image, text: str, message: str) -> None:
    with pytest.raises(NotFound) as exc:
        engine.images.get(text)
    assert exc.value.message == message
    assert exc.value.status == 404
    assert no_such_image(text).message == message


def test_unknown_full_id(engine, image) -> None:
    with pytest.raises(NotFound) as exc:
        engine.images.get(DIGEST)
    assert exc.value.message == f"No such image: {DIGEST}"


def test_several_tags_share_one_image(engine, image) -> None:
    # §2.2: several tags of one image share one IMAGE ID and store the data once
    before = engine.layers.size()
    engine.tag(image.id, parse_normalized_named("app:latest"))
    engine.tag(image.id, parse_normalized_named("other/app:v2"))
    assert engine.images.get("app") is engine.images.get("other/app:v2") is image
    assert [r.familiar_string() for r in engine.images.tags(image.id)] == [
        "app:1", "app:latest", "other/app:v2"]
    assert engine.layers.size() == before
    assert len(engine.images) == 1


def test_digest_reference_is_not_a_tag(engine, image) -> None:
    engine.tag(image.id, parse_normalized_named(f"app@{DIGEST}"))
    assert [r.familiar_string() for r in engine.images.references(image.id)] == [
        "app:1", f"app@{DIGEST}"]
    assert [r.familiar_string() for r in engine.images.tags(image.id)] == ["app:1"]
    assert engine.images.get(f"app@{DIGEST}") is image


def test_retag_leaves_old_image_dangling(engine, build, base_layer, app_layer, image,
                                         events) -> None:
    # §2.3: `docker tag` of another image onto the same name leaves the old one <none>:<none>
    newer = build.image(base_layer, app_layer)
    engine.add_image(newer)
    events.clear()
    engine.tag(newer.id, parse_normalized_named("app:1"))
    assert engine.images.get("app:1") is newer
    assert engine.images.is_dangling(image.id)
    assert not engine.images.is_dangling(newer.id)
    assert image.id in engine.images  # stays on disk
    assert events == [ev.ImageUntagged("h", image.id, "app:1"),
                      ev.ImageTagged("h", newer.id, "app:1")]


def test_tag_again_to_same_image_is_silent(engine, image, events) -> None:
    events.clear()
    engine.tag(image.id, parse_normalized_named("app:1"))
    assert events == []


def test_untagged_image_is_dangling(engine, build, base_layer) -> None:
    image = build.image(base_layer)
    engine.add_image(image)
    assert engine.images.is_dangling(image.id)


def test_children(engine, build, image, mk_layer) -> None:
    child = build.add(build.image(*image.layers, mk_layer({"/x": b"x"}), parent=image.id))
    assert engine.images.children(image.id) == [child.id]
    assert engine.images.children(child.id) == []
