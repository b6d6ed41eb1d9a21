"""The official-image catalog: real data kept as published (fact sheet §2.1 identifiers,
§2.2 manifests and tags, §3.2 history rows with empty_layer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sim.catalog
from sim.catalog.loader import (
    DEFAULT_RATIO,
    EMPTY_GZIP_LAYER,
    catalog_image,
    fill_repository,
    names,
)
from sim.model.digest import EMPTY_TAR_DIFFID
from sim.model.registry import RegistryStorage

DATA = Path(sim.catalog.__file__).with_name("official-images.jsonl")
RECORDS = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
NAMES = [(r["image"], n, i) for i, r in enumerate(RECORDS) for n in [r["tag"], *r["aliases"]]]


def record_id(r: dict) -> str:
    return f"{r['image']}:{r['tag']}"


@pytest.mark.parametrize(("image", "name", "index"), NAMES,
                         ids=[f"{i}:{n}" for i, n, _ in NAMES])
def test_every_tag_and_alias_resolves_to_its_record(image: str, name: str, index: int) -> None:
    r = RECORDS[index]
    item = catalog_image(image, name)
    assert item is not None
    assert (item.image, item.tag) == (r["image"], r["tag"])
    assert item.blob.image_id == r["image_id"]  # §2.1: the real image ID
    assert item.manifest.digest == r["manifest_digest"]
    assert item.manifest.index_digest == r["index_digest"]
    assert item.manifest.pull_digest == r["index_digest"]  # §2.2: Digest: is the index


@pytest.mark.parametrize(
    ("image", "name", "tag"),
    [("nginx", "latest", "mainline"), ("python", "3", "3.14"), ("python", "latest", "3.14"),
     ("alpine", "latest", "3.24"), ("debian", "13", "trixie"), ("ubuntu", "noble", "24.04"),
     ("node", "lts", "24"), ("nginx", "alpine", "mainline-alpine")],
)
def test_aliases(image: str, name: str, tag: str) -> None:
    item = catalog_image(image, name)
    assert item is not None and item.tag == tag
    assert item.blob == catalog_image(image, tag).blob


def test_unknown_names() -> None:
    assert catalog_image("nginx", "0.0.1") is None
    assert catalog_image("nope", "latest") is None


def test_names_lists_every_tag_and_alias() -> None:
    assert names() == sorted(f"{i}:{n}" for i, n, _ in NAMES)


@pytest.mark.parametrize("r", RECORDS, ids=record_id)
def test_layers_keep_real_digests_and_sizes(r: dict) -> None:
    item = catalog_image(r["image"], r["tag"])
    layers = item.blob.layers
    assert [x.digest for x in layers] == [d["digest"] for d in r["layers"]]
    assert [x.compressed_size for x in layers] == [d["compressed_bytes"] for d in r["layers"]]
    assert [(d.digest, d.size, d.media_type) for d in item.manifest.layers] == [
        (d["digest"], d["compressed_bytes"], d["media_type"]) for d in r["layers"]]
    assert sum(x.compressed_size for x in layers) == r["total_compressed_bytes"]
    # uncompressed size is derived: compressed × 2.5, except the well-known empty-diff blob
    # (gzip of an empty tar), whose diffID is the empty tar's and whose size is 0
    assert DEFAULT_RATIO == 2.5
    assert [x.size for x in layers] == [
        0 if d["digest"] == EMPTY_GZIP_LAYER else int(d["compressed_bytes"] * 2.5)
        for d in r["layers"]]
    assert all(x.diff_id == EMPTY_TAR_DIFFID for x in layers if x.digest == EMPTY_GZIP_LAYER)
    assert item.blob.config["rootfs"]["diff_ids"] == [x.diff_id for x in layers]


@pytest.mark.parametrize("r", RECORDS, ids=record_id)
def test_history_rows_make_one_layer_each(r: dict) -> None:
    # §3.2: metadata-only steps carry empty_layer: true; the others made the layers
    item = catalog_image(r["image"], r["tag"])
    history = item.blob.config["history"]
    assert [h["created_by"] for h in history] == r["history"]
    assert sum(1 for h in history if not h.get("empty_layer")) == len(r["layers"])


@pytest.mark.parametrize("r", RECORDS, ids=record_id)
def test_run_config_kept(r: dict) -> None:
    item = catalog_image(r["image"], r["tag"])
    run = item.blob.config["config"]
    assert run["Cmd"] == r["cmd"]
    assert run.get("Entrypoint") == (r["entrypoint"] or None)


def all_layers() -> list:
    return [(record_id(r), x) for r in RECORDS
            for x in catalog_image(r["image"], r["tag"]).blob.layers]


def test_same_digest_same_identity_and_size() -> None:
    # §2.1: same layer -> same diffID (and the same bytes)
    seen: dict[str, object] = {}
    for _, x in all_layers():
        first = seen.setdefault(x.digest, x)
        assert (first.diff_id, first.size, first.compressed_size) == (
            x.diff_id, x.size, x.compressed_size)


def test_shared_base_layers_exist() -> None:
    owners: dict[str, set[str]] = {}
    for rid, x in all_layers():
        owners.setdefault(x.digest, set()).add(rid.split(":")[0])
    assert any(len(images) > 1 for images in owners.values())


def test_same_digest_is_the_same_layer_object() -> None:
    seen: dict[str, object] = {}
    for _, x in all_layers():
        assert seen.setdefault(x.digest, x) is x


def test_same_digest_has_the_same_files() -> None:
    # §2.1: a blob digest names its bytes, so every image sees the same files in it
    seen: dict[str, object] = {}
    for rid, x in all_layers():
        first = seen.setdefault(x.digest, x)
        assert dict(first.files) == dict(x.files), rid


def test_fill_repository() -> None:
    storage = RegistryStorage("registry-1.docker.io", docker_hub=True)
    fill_repository(storage, "nginx")
    mainline = catalog_image("nginx", "mainline")
    manifest = storage.resolve("library/nginx", "nginx", "latest", None)
    assert manifest == mainline.manifest
    assert storage.image_for(manifest).image_id == mainline.blob.image_id
    assert all(storage.blob_exists("library/nginx", d.digest) for d in manifest.layers)
    assert not storage.blob_exists("library/alpine", manifest.layers[0].digest)


def test_imported_records_fill_their_own_registry(data_dir):
    from sim.catalog import loader
    from sim.catalog.importer import import_file

    from .records import ACME, acme
    import_file(ACME)
    api, worker = acme()
    ghcr, hub = RegistryStorage("ghcr.io"), RegistryStorage("docker.io", docker_hub=True)
    assert loader.fill_path(ghcr, "ghcr.io", "acme/api")
    assert not loader.fill_path(ghcr, "ghcr.io", "acme/worker")  # that one is on Docker Hub
    assert loader.fill_path(hub, "docker.io", "acme/worker")
    manifest = ghcr.resolve("acme/api", "ghcr.io/acme/api", "latest", None)
    assert manifest.digest == api["manifest_digest"]
    assert [d.digest for d in manifest.layers] == [x["digest"] for x in api["layers"]]
    assert [d.size for d in manifest.layers] == [x["compressed_bytes"] for x in api["layers"]]
    assert hub.resolve("acme/worker", "acme/worker", "1.0", None).digest == \
        worker["manifest_digest"]
