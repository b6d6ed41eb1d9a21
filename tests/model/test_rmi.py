"""``docker rmi`` and ``docker image prune`` (fact sheet §2.4 records, §2.5 decision table,
§2.3 prune, §7 surprises 2 and 3)."""

from __future__ import annotations

import pytest

from sim.model.errors import Conflict, NotFound
from sim.model.reference import parse_normalized_named
from sim.model.rmi import image_delete, image_prune

DIGEST = "sha256:" + "cd" * 32


def lines(records: list[tuple[str, str]]) -> list[str]:
    """What the CLI prints for each record."""
    return [f"{kind}: {value}" for kind, value in records]


def rmi(engine, text: str, force: bool = False) -> list[str]:
    return lines(image_delete(engine, text, force))


def conflict(engine, text: str, force: bool = False) -> str:
    with pytest.raises(Conflict) as exc:
        image_delete(engine, text, force)
    assert exc.value.status == 409
    return exc.value.message


@pytest.fixture
def image(build, base_layer, app_layer):
    return build.add(build.image(base_layer, app_layer), "app:1")


def short(image_id: str) -> str:
    return image_id.removeprefix("sha256:")[:12]


def layer_ids(engine) -> set[str]:
    return {ro.chain_id for ro in engine.layers}


# ---- row: X = tag, image has other tags --------------------------------------------
@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("other", ["app:2", "mirror/app:1"])
def test_tag_with_other_tags_only_untags(engine, image, force: bool, other: str) -> None:
    engine.tag(image.id, parse_normalized_named(other))
    build_ids = layer_ids(engine)
    assert rmi(engine, "app:1", force) == ["Untagged: app:1"]
    assert image.id in engine.images
    assert layer_ids(engine) == build_ids
    assert [r.familiar_string() for r in engine.images.tags(image.id)] == [other]


def test_tag_with_other_tags_untags_even_with_containers(engine, build, image) -> None:
    engine.tag(image.id, parse_normalized_named("app:2"))
    build.container(image, running=True)
    assert rmi(engine, "app:1") == ["Untagged: app:1"]


# ---- row: X = only tag, no containers ----------------------------------------------
@pytest.mark.parametrize("force", [False, True])
def test_only_tag_no_containers_deletes_everything(engine, image, force: bool) -> None:
    base_chain, top_chain = image.chain_ids
    assert rmi(engine, "app:1", force) == [
        "Untagged: app:1",
        f"Deleted: {image.id}",
        f"Deleted: {top_chain}",  # §2.4: one line per layer removed, top layer first
        f"Deleted: {base_chain}",
    ]
    assert len(engine.images) == 0
    assert len(engine.layers) == 0


def test_only_tag_frees_only_unshared_layers(engine, build, base_layer, image) -> None:
    build.add(build.image(base_layer), "base:1")
    base_chain, top_chain = image.chain_ids
    assert rmi(engine, "app:1") == [
        "Untagged: app:1", f"Deleted: {image.id}", f"Deleted: {top_chain}"]
    assert layer_ids(engine) == {base_chain}


def test_name_without_tag_means_latest(engine, build, base_layer) -> None:
    image = build.add(build.image(base_layer), "web:latest")
    assert rmi(engine, "web") == [
        "Untagged: web:latest", f"Deleted: {image.id}", f"Deleted: {image.top_chain}"]


def test_pulled_image_untags_its_digest_reference(engine, image) -> None:
    # §2.4: pulled images also have digest references: Untagged nginx:latest and nginx@sha256
    engine.tag(image.id, parse_normalized_named(f"app@{DIGEST}"))
    out = rmi(engine, "app:1")
    assert out[:3] == ["Untagged: app:1", f"Untagged: app@{DIGEST}", f"Deleted: {image.id}"]
    assert len(out) == 5


# ---- row: X = only tag, a container uses the image ---------------------------------
@pytest.mark.parametrize("running", [True, False])
def test_only_tag_in_use_must_force(engine, build, image, running: bool) -> None:
    c = build.container(image, running=running)
    if not running:
        engine.mark_exited(c, 0)
    assert conflict(engine, "app:1") == (
        'conflict: unable to remove repository reference "app:1" (must force) - '
        f"container {c.id[:12]} is using its referenced image {short(image.id)}")
    assert engine.images.get("app:1") is image  # nothing changed


def test_in_use_message_quotes_what_was_typed(engine, build, base_layer) -> None:
    # §2.5: "X" is the reference exactly as typed ("nginx", not "nginx:latest")
    image = build.add(build.image(base_layer), "web:latest")
    c = build.container(image, "web", running=True)
    assert conflict(engine, "web") == (
        'conflict: unable to remove repository reference "web" (must force) - '
        f"container {c.id[:12]} is using its referenced image {short(image.id)}")


def test_force_only_tag_running_container_only_untags(engine, build, image) -> None:
    # §2.5 / §7.2: the image lives on as <none>
    build.container(image, running=True)
    before = layer_ids(engine)
    assert rmi(engine, "app:1", force=True) == ["Untagged: app:1"]
    assert image.id in engine.images
    assert engine.images.is_dangling(image.id)
    assert layer_ids(engine) == before


def test_force_only_tag_running_container_untags_digest_too(engine, build, image) -> None:
    engine.tag(image.id, parse_normalized_named(f"app@{DIGEST}"))
    build.container(image, running=True)
    assert rmi(engine, "app:1", force=True) == [
        "Untagged: app:1", f"Untagged: app@{DIGEST}"]
    assert image.id in engine.images


def test_force_only_tag_stopped_container_deletes_record_not_layers(engine, build,
                                                                   image) -> None:
    # §2.5 / §7.3: Deleted: sha256:<id>, no layer lines; the container keeps the layers
    c = build.stopped(image)
    before = layer_ids(engine)
    assert rmi(engine, "app:1", force=True) == ["Untagged: app:1", f"Deleted: {image.id}"]
    assert image.id not in engine.images
    assert c.id in engine.containers
    assert layer_ids(engine) == before
    engine.remove(c, remove_volumes=False)
    assert len(engine.layers) == 0


# ---- rows: X = image ID ------------------------------------------------------------
def id_forms(image) -> list[str]:
    hexid = image.id.removeprefix("sha256:")
    return [image.id, hexid, hexid[:12]]


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("form", [0, 1, 2])
def test_id_running_container_cannot_be_forced(engine, build, image, force: bool,
                                               form: int) -> None:
    c = build.container(image, running=True)
    assert conflict(engine, id_forms(image)[form], force) == (
        f"conflict: unable to delete {short(image.id)} (cannot be forced) - "
        f"image is being used by running container {c.id[:12]}")
    assert engine.images.get("app:1") is image


@pytest.mark.parametrize("force", [False, True])
def test_id_running_container_with_two_tags_cannot_be_forced(engine, build, image,
                                                             force: bool) -> None:
    engine.tag(image.id, parse_normalized_named("app:2"))
    c = build.container(image, running=True)
    assert conflict(engine, short(image.id), force) == (
        f"conflict: unable to delete {short(image.id)} (cannot be forced) - "
        f"image is being used by running container {c.id[:12]}")


def test_id_stopped_container_must_be_forced(engine, build, image) -> None:
    c = build.stopped(image)
    assert conflict(engine, short(image.id)) == (
        f"conflict: unable to delete {short(image.id)} (must be forced) - "
        f"image is being used by stopped container {c.id[:12]}")
    assert engine.images.get("app:1") is image


def test_id_stopped_container_forced(engine, build, image) -> None:
    c = build.stopped(image)
    before = layer_ids(engine)
    assert rmi(engine, short(image.id), force=True) == [
        "Untagged: app:1", f"Deleted: {image.id}"]
    assert layer_ids(engine) == before  # still held by the container's RW layer
    assert c.id in engine.containers


@pytest.mark.parametrize("second", ["app:2", "other:1"])
def test_id_with_two_tags_must_be_forced(engine, image, second: str) -> None:
    # §2.5: "even when both tags are in the same repo"
    engine.tag(image.id, parse_normalized_named(second))
    assert conflict(engine, short(image.id)) == (
        f"conflict: unable to delete {short(image.id)} (must be forced) - "
        "image is referenced in multiple repositories")
    assert image.id in engine.images


def test_id_with_two_tags_forced(engine, image) -> None:
    engine.tag(image.id, parse_normalized_named("other:1"))
    base_chain, top_chain = image.chain_ids
    assert rmi(engine, short(image.id), force=True) == [
        "Untagged: app:1", "Untagged: other:1", f"Deleted: {image.id}",
        f"Deleted: {top_chain}", f"Deleted: {base_chain}"]


def test_id_with_one_tag_and_no_containers(engine, image) -> None:
    out = rmi(engine, short(image.id))
    assert out[:2] == ["Untagged: app:1", f"Deleted: {image.id}"]
    assert len(engine.images) == 0


def test_id_of_untagged_image(engine, build, base_layer) -> None:
    image = build.image(base_layer)
    engine.add_image(image)
    assert rmi(engine, image.id) == [f"Deleted: {image.id}", f"Deleted: {image.top_chain}"]


# ---- row: X = image ID with child images -------------------------------------------
@pytest.fixture
def family(build, image, mk_layer):
    child = build.add(build.image(*image.layers, mk_layer({"/x": b"x"}), parent=image.id),
                      "child:1")
    return image, child


@pytest.mark.parametrize("force", [False, True])
def test_id_with_children_cannot_be_forced(engine, family, force: bool) -> None:
    parent, _child = family
    assert conflict(engine, short(parent.id), force) == (
        f"conflict: unable to delete {short(parent.id)} (cannot be forced) - "
        "image has dependent child images")
    assert parent.id in engine.images


def test_tag_of_parent_with_children_only_untags(engine, family) -> None:
    # moby image_delete.go: after the last tag is removed the helper runs quietly and ignores
    # conflicts unless the image is dangling, where dangling = no references AND no children.
    parent, _child = family
    assert rmi(engine, "app:1") == ["Untagged: app:1"]
    assert parent.id in engine.images


def test_deleting_child_prunes_untagged_parent(engine, build, base_layer, mk_layer) -> None:
    # classic-builder chains: the untagged intermediate parent goes with its child
    parent = build.image(base_layer)
    engine.add_image(parent)
    child = build.add(build.image(base_layer, mk_layer({"/x": b"x"}), parent=parent.id),
                      "child:1")
    out = rmi(engine, "child:1")
    assert out == ["Untagged: child:1", f"Deleted: {child.id}", f"Deleted: {child.top_chain}",
                   f"Deleted: {parent.id}", f"Deleted: {parent.top_chain}"]
    assert len(engine.images) == 0 and len(engine.layers) == 0


def test_deleting_child_keeps_tagged_parent(engine, family) -> None:
    parent, child = family
    out = rmi(engine, "child:1")
    assert out == ["Untagged: child:1", f"Deleted: {child.id}", f"Deleted: {child.top_chain}"]
    assert parent.id in engine.images


# ---- row: X unknown ----------------------------------------------------------------
@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize(("text", "message"), [("x", "No such image: x:latest"),
                                               ("x:2", "No such image: x:2"),
                                               ("app:2", "No such image: app:2")])
def test_unknown(engine, image, force: bool, text: str, message: str) -> None:
    with pytest.raises(NotFound) as exc:
        image_delete(engine, text, force)
    assert exc.value.message == message


# ---- image prune (§2.3) ------------------------------------------------------------
@pytest.fixture
def retagged(engine, build, base_layer, app_layer, mk_layer, image):
    """``app:1`` moved to a rebuilt image: the old one is dangling."""
    newer = build.add(build.image(base_layer, mk_layer({"/app/main.py": b"v2"})), "app:1")
    assert engine.images.is_dangling(image.id)
    return image, newer


def test_prune_removes_dangling_only(engine, retagged) -> None:
    old, newer = retagged
    records, reclaimed = image_prune(engine, all_images=False)
    assert lines(records) == [f"deleted: {old.id}", f"deleted: {old.top_chain}"]
    assert reclaimed == old.layers[-1].size  # the shared base stays
    assert newer.id in engine.images and old.id not in engine.images


def test_prune_keeps_dangling_image_used_by_container(engine, build, retagged) -> None:
    old, _newer = retagged
    build.stopped(old)
    assert image_prune(engine, all_images=False) == ([], 0)
    assert old.id in engine.images


def test_prune_all_removes_every_unused_image(engine, build, retagged, base_layer) -> None:
    old, newer = retagged
    in_use = build.add(build.image(base_layer), "base:1")
    build.stopped(in_use, "base:1")
    records, reclaimed = image_prune(engine, all_images=True)
    out = lines(records)
    assert "untagged: app:1" in out
    assert f"deleted: {old.id}" in out and f"deleted: {newer.id}" in out
    assert f"deleted: {in_use.id}" not in out
    assert f"deleted: {in_use.top_chain}" not in out  # the base layer is still in use
    assert set(engine.images.images) == {in_use.id}
    assert reclaimed == old.layers[-1].size + newer.layers[-1].size


def test_prune_with_nothing_to_do(engine, image) -> None:
    assert image_prune(engine, all_images=False) == ([], 0)


def test_prune_removes_image_with_only_a_digest_reference(engine, build, base_layer) -> None:
    # moby daemon/images/image_prune.go: "Only delete if it has no references which is a
    # valid NamedTagged" (a pulled image whose tag moved keeps only repo@sha256:...)
    image = build.image(base_layer)
    engine.add_image(image)
    engine.tag(image.id, parse_normalized_named(f"app@{DIGEST}"))
    records, _ = image_prune(engine, all_images=False)
    assert f"untagged: app@{DIGEST}" in lines(records)
    assert image.id not in engine.images
