"""The record model: every shipped record passes; each kind of bad field is named with
what was expected (the first error only, on one line)."""

from __future__ import annotations

import copy

import pytest
from pydantic import ValidationError

from sim.catalog.schema import Record, familiar, first_error, path_of

from .records import acme, shipped


def test_every_shipped_record_is_valid():
    for r in shipped().values():
        assert Record.model_validate(r).domain == "docker.io"


def _bad(mutate) -> str:
    r = copy.deepcopy(acme()[0])
    mutate(r)
    with pytest.raises(ValidationError) as info:
        Record.model_validate(r)
    return first_error(info.value)


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda r: r["layers"][0].update(digest="abc"),
     "layers.0.digest: expected sha256:<64 hex>, got 'abc'"),
    (lambda r: r.update(image_id="sha256:" + "A" * 64), "image_id: expected sha256:<64 hex>"),
    (lambda r: r["layers"][1].update(compressed_bytes=-1),
     "layers.1.compressed_bytes: Input should be greater than or equal to 0, got -1"),
    (lambda r: r["layers"][1].update(compressed_bytes=2**60),
     "layers.1.compressed_bytes: Input should be less than or equal to 107374182400"),
    (lambda r: r["layers"][1].update(compressed_bytes="12"),
     "layers.1.compressed_bytes: Input should be a valid integer, got '12'"),
    (lambda r: r["layers"][1].update(compressed_bytes=True),
     "layers.1.compressed_bytes: Input should be a valid integer, got True"),
    (lambda r: r.update(layers=[]), "layers: List should have at least 1 item"),
    (lambda r: r.update(layers=r["layers"] * 20), "layers: List should have at most 125"),
    (lambda r: r.pop("tag"), "tag: required field is missing"),
    (lambda r: r.update(layer=[]), "layer: unknown field"),
    (lambda r: r.update(tag="1.0 beta"), "tag: expected a tag like 3.12 or latest"),
    # Go's \w is ASCII: a Unicode "word" character is no tag (the fuzz test found it)
    (lambda r: r.update(tag="\u00b9"), "tag: expected a tag like 3.12 or latest"),
    (lambda r: r.update(tag="caf\u00e9"), "tag: expected a tag like 3.12 or latest"),
    (lambda r: r.update(aliases=["ok", "-bad"]), "aliases.1: expected a tag"),
    (lambda r: r.update(aliases=["1.0"]), "aliases: '1.0' is named twice"),
    (lambda r: r.update(image="Acme/API"), "image: expected a repository name"),
    (lambda r: r.update(registry=None, image="ghcr.io/acme/api"),
     "image: 'ghcr.io' is a registry host: put it in the registry field"),
    (lambda r: r.update(registry="not a host"), "registry: expected a registry host"),
    (lambda r: r.update(registry="acme"), "registry: expected a registry host"),
    (lambda r: r.update(total_compressed_bytes=1),
     "total_compressed_bytes: 1 is not the sum of the layers' compressed_bytes"),
    (lambda r: r["history_created"].pop(), "history_created: 13 dates for 14 history rows"),
    (lambda r: r["history_created"].__setitem__(2, "yesterday"),
     "history_created.2: expected an RFC 1123 date"),
    (lambda r: r.update(history=["CMD x"] * 14), "history: 0 rows make a layer"),
    (lambda r: r.update(cmd="python"), "cmd: Input should be a valid list, got 'python'"),
    (lambda r: r["history"].__setitem__(3, "COPY . . \x1b[31m"),
     "history.3: control character U+001B at position 10 (only tab and newline"),
    (lambda r: r.update(source="\x00"), "source: control character U+0000 at position 1"),
])
def test_bad_fields_are_named(mutate, message):
    text = _bad(mutate)
    assert text.startswith(message) and "\n" not in text


def test_registry_and_path():
    api, worker = acme()
    assert Record.model_validate(api).domain == "ghcr.io"
    assert (path_of(api), familiar(api)) == ("acme/api", "ghcr.io/acme/api:1.0")
    assert (path_of(worker), familiar(worker, "x")) == ("acme/worker", "acme/worker:x")
    official = shipped()["python:3.12"]
    assert (path_of(official), familiar(official)) == ("library/python", "python:3.12")
    assert Record.model_validate({**api, "registry": "index.docker.io"}).registry is None
    assert Record.model_validate({**worker, "image": "library/python"}).image == "python"
    assert Record.model_validate({**api, "image": "library/python"}).image == "library/python"
