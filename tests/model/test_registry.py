"""Registry storage (fact sheet §5.1 registry model, §1.6/§1.7 pull failures)."""

from __future__ import annotations

import pytest

from sim.model.digest import canonical_json, sha256_digest
from sim.model.errors import DockerError, NotFound
from sim.model.image import Image, make_config
from sim.model.layer import Layer, file_entry
from sim.model.registry import (
    CONFIG_V1,
    Descriptor,
    ImageBlob,
    Manifest,
    RegistryStorage,
)

DENIED = ("pull access denied for {}, repository does not exist or may require 'docker login': "
          "denied: requested access to the resource is denied")


def layer(text: str) -> Layer:
    return Layer.from_files({f"/{text}": file_entry(text.encode() * 100)})


def push(storage: RegistryStorage, path: str, tag: str, layers: tuple[Layer, ...]) -> Manifest:
    config = make_config(1_700_000_000, ["/bin/sh"], layers, [])
    image = Image.create(config, layers)
    for item in layers:
        storage.put_blob(path, item)
    manifest = Manifest.build(
        Descriptor(CONFIG_V1, image.id, len(canonical_json(config))),
        tuple(Descriptor(x.media_type, x.digest, x.compressed_size) for x in layers))
    storage.put_image(path, tag, ImageBlob(image.id, config, layers), manifest)
    return manifest


@pytest.fixture
def hub() -> RegistryStorage:
    storage = RegistryStorage("registry-1.docker.io", docker_hub=True)
    push(storage, "library/app", "1", (layer("base"), layer("app")))
    return storage


# ---- pull errors (§1.6, §1.7) ------------------------------------------------------
@pytest.mark.parametrize("tag", ["latest", "1"])
def test_hub_missing_repository_is_access_denied(hub: RegistryStorage, tag: str) -> None:
    # §1.6: Hub answers "denied", not "not found"
    with pytest.raises(DockerError) as exc:
        hub.resolve("library/nope", "nope", tag, None)
    assert exc.value.message == DENIED.format("nope")


def test_hub_missing_user_repository(hub: RegistryStorage) -> None:
    with pytest.raises(DockerError) as exc:
        hub.resolve("someone/nope", "someone/nope", None, None)
    assert exc.value.message == DENIED.format("someone/nope")


def test_missing_tag_is_manifest_unknown(hub: RegistryStorage) -> None:
    # §1.7: manifest for <name>:<tag> not found: manifest unknown: manifest unknown
    with pytest.raises(NotFound) as exc:
        hub.resolve("library/app", "app", "2", None)
    assert exc.value.message == "manifest for app:2 not found: manifest unknown: manifest unknown"


def test_missing_default_tag(hub: RegistryStorage) -> None:
    with pytest.raises(NotFound) as exc:
        hub.resolve("library/app", "app", None, None)
    assert exc.value.message == (
        "manifest for app:latest not found: manifest unknown: manifest unknown")


def test_plain_registry_missing_repository_is_manifest_unknown() -> None:
    # §1.7: a plain registry:2 answers MANIFEST_UNKNOWN for a missing repo too (per code
    # reading, marked UNCONFIRMED in the fact sheet)
    storage = RegistryStorage("localhost:5000")
    with pytest.raises(NotFound) as exc:
        storage.resolve("team/app", "localhost:5000/team/app", "1", None)
    assert exc.value.message == (
        "manifest for localhost:5000/team/app:1 not found: manifest unknown: manifest unknown")


def test_missing_digest(hub: RegistryStorage) -> None:
    with pytest.raises(NotFound):
        hub.resolve("library/app", "app", None, "sha256:" + "0" * 64)


def test_resolve_by_tag_and_digest(hub: RegistryStorage) -> None:
    manifest = hub.resolve("library/app", "app", "1", None)
    assert hub.resolve("library/app", "app", None, manifest.digest) is manifest
    assert hub.image_for(manifest).layers[0].digest == manifest.layers[0].digest


def test_tags_are_mutable(hub: RegistryStorage) -> None:
    # §5.1: tags point at manifests and are mutable
    old = hub.resolve("library/app", "app", "1", None)
    new = push(hub, "library/app", "1", (layer("base"), layer("app v2")))
    assert new.digest != old.digest
    assert hub.resolve("library/app", "app", "1", None) is new


# ---- blobs: stored once, linked per repository (§5.1) ------------------------------
def test_blob_stored_once_and_linked_per_repository() -> None:
    storage = RegistryStorage("registry.example.com")
    base = layer("base")
    push(storage, "team/a", "1", (base, layer("a")))
    push(storage, "team/b", "1", (base, layer("b")))
    assert list(storage.blobs).count(base.digest) == 1
    assert len(storage.blobs) == 3
    assert storage.stored_bytes() == sum(x.compressed_size for x in storage.blobs.values())
    assert base.digest in storage.repos["team/a"].links
    assert base.digest in storage.repos["team/b"].links


def test_blob_exists_only_in_linked_repositories() -> None:
    # §5.1: "A blob is only reachable through a repository that links it"
    storage = RegistryStorage("registry.example.com")
    own = layer("own")
    push(storage, "team/a", "1", (own,))
    push(storage, "team/b", "1", (layer("other"),))
    assert storage.blob_exists("team/a", own.digest)
    assert not storage.blob_exists("team/b", own.digest)
    assert not storage.blob_exists("team/missing", own.digest)
    assert not storage.blob_exists("team/a", "sha256:" + "0" * 64)


def test_cross_repository_mount() -> None:
    # §5.1: mount links an existing blob without sending data
    storage = RegistryStorage("registry.example.com")
    own = layer("own")
    push(storage, "team/a", "1", (own,))
    before = storage.stored_bytes()
    assert storage.mount("team/b", own.digest, "team/a") is True
    assert storage.blob_exists("team/b", own.digest)
    assert storage.stored_bytes() == before
    assert len(storage.blobs) == 1


def test_mount_from_repository_without_the_blob_fails() -> None:
    storage = RegistryStorage("registry.example.com")
    own = layer("own")
    push(storage, "team/a", "1", (own,))
    push(storage, "team/c", "1", (layer("c"),))
    assert storage.mount("team/b", own.digest, "team/c") is False
    assert not storage.blob_exists("team/b", own.digest)


# ---- manifests (§2.2) --------------------------------------------------------------
def test_manifest_digest_is_hash_of_payload() -> None:
    config = Descriptor(CONFIG_V1, "sha256:" + "1" * 64, 100)
    layers = (Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + "2" * 64, 5),)
    manifest = Manifest.build(config, layers)
    payload = canonical_json({
        "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": config.as_json(), "layers": [d.as_json() for d in layers]})
    assert manifest.digest == sha256_digest(payload)
    assert manifest.size == len(payload)
    assert manifest.pull_digest == manifest.digest


def test_pull_digest_prefers_the_index() -> None:
    # §2.2: the Digest: printed is the list/index digest when a list was pulled
    index = "sha256:" + "9" * 64
    manifest = Manifest("sha256:" + "8" * 64, Descriptor(CONFIG_V1, "sha256:" + "7" * 64, 1),
                        (), 10, index_digest=index)
    assert manifest.pull_digest == index


def test_resolve_by_index_digest() -> None:
    storage = RegistryStorage("registry.example.com")
    manifest = push(storage, "team/a", "1", (layer("x"),))
    index = "sha256:" + "9" * 64
    indexed = Manifest(manifest.digest, manifest.config, manifest.layers, manifest.size,
                       index_digest=index)
    storage.repos["team/a"].manifests[manifest.digest] = indexed
    assert storage.resolve("team/a", "team/a", None, index) is indexed
