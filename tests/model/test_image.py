"""Images (sim/model/image.py): content-addressed IDs, derived identifiers and sizes, Go's
RFC 3339 time format, and the config shape ``make_config`` writes (fact sheet §2.1)."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.model.digest import canonical_json, chain_ids, sha256_digest
from sim.model.image import Image, make_config, parse_rfc3339, rfc3339

NOW = 1_800_000_000.0
PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@pytest.fixture
def layers(base_layer, app_layer):
    return (base_layer, app_layer)


@pytest.fixture
def config(layers):
    history = [{"created": "2026-01-01T00:00:00Z", "created_by": "ADD rootfs /"},
               {"created": "2026-01-01T00:00:01Z", "created_by": "ENV A=1", "empty_layer": True},
               {"created": "2026-01-01T00:00:02Z", "created_by": "COPY app /app"}]
    return make_config(NOW, ["python3", "/app/main.py"], layers, history)


def test_image_id_is_the_sha256_of_the_canonical_config(config, layers):
    image = Image.create(config, layers)
    assert image.id == sha256_digest(canonical_json(config))  # §2.1 image ID
    assert image.id.startswith("sha256:") and len(image.id) == 71


def test_equal_configs_give_equal_ids_and_any_change_a_new_one(config, layers):
    same = Image.create(dict(config), layers)
    assert same.id == Image.create(config, layers).id
    changed = dict(config, created=rfc3339(NOW + 1))
    assert Image.create(changed, layers).id != same.id


def test_a_real_id_is_kept(config, layers):
    real = "sha256:" + "c" * 64
    assert Image.create(config, layers, image_id=real).id == real


def test_derived_identifiers_and_size(config, layers):
    image = Image.create(config, layers, parent="sha256:" + "p" * 64)
    assert image.diff_ids == [layer.diff_id for layer in layers]
    assert image.chain_ids == chain_ids(image.diff_ids)
    assert image.chain_ids[0] == layers[0].diff_id  # chainID(L0) = diffID(L0) (§2.1)
    assert image.top_chain == image.chain_ids[-1]
    assert image.size == sum(layer.size for layer in layers)  # `docker images` SIZE (§1.8)
    assert image.parent == "sha256:" + "p" * 64
    assert image.cmd == ["python3", "/app/main.py"] and image.entrypoint is None
    assert image.created == NOW
    assert [h["created_by"] for h in image.history] == ["ADD rootfs /", "ENV A=1",
                                                        "COPY app /app"]


def test_an_image_without_layers():
    image = Image.create({"config": {}}, ())
    assert image.top_chain is None and image.chain_ids == [] and image.size == 0
    assert image.created == 0.0 and image.history == [] and image.cmd is None


@pytest.mark.parametrize(("unix", "text"), [
    (0, "1970-01-01T00:00:00Z"),
    (1.5, "1970-01-01T00:00:01.5Z"),
    (1.25, "1970-01-01T00:00:01.25Z"),  # trailing zeros trimmed, as Go's RFC3339Nano does
    (dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC).timestamp(), "2026-11-27T09:00:00Z"),
])
def test_rfc3339(unix, text):
    assert rfc3339(unix) == text
    assert parse_rfc3339(text) == pytest.approx(unix)


def test_make_config_shape(layers):
    history = [{"created_by": "x"}]
    config = make_config(NOW, ["/bin/sh"], layers, history)
    assert list(config) == ["architecture", "os", "created", "config", "rootfs", "history"]
    assert (config["architecture"], config["os"]) == ("amd64", "linux")
    assert config["created"] == rfc3339(NOW)
    assert config["config"] == {"Env": [PATH], "Cmd": ["/bin/sh"]}
    assert config["rootfs"] == {"type": "layers",
                                "diff_ids": [layer.diff_id for layer in layers]}
    assert config["history"] is history


def test_make_config_options(layers):
    config = make_config(NOW, None, layers, [], entrypoint=["/entry"], env=["A=1"],
                         working_dir="/app", extra={"StopSignal": "SIGQUIT"})
    assert config["config"] == {"Env": ["A=1"], "Cmd": None, "Entrypoint": ["/entry"],
                                "WorkingDir": "/app", "StopSignal": "SIGQUIT"}
    image = Image.create(config, layers)
    assert image.entrypoint == ["/entry"] and image.cmd is None
    assert image.run_config["WorkingDir"] == "/app"
