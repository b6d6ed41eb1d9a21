"""``catalog import``/``remove``: a file is taken whole or not at all; every refusal is one
line naming the file, the line and the field; duplicates only with ``replace``."""

from __future__ import annotations

import copy
import json

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.catalog import graph, importer, loader, store
from sim.catalog.importer import ImportRefused, import_file, parse, remove
from sim.catalog.schema import familiar

from .records import ACME, acme, shipped, variant, write


def _refused(path, replace: bool = False) -> str:
    with pytest.raises(ImportRefused) as info:
        import_file(path, replace)
    text = str(info.value)
    assert "\n" not in text and text.startswith(str(path))
    assert not store.catalog_dir().exists() or store.files() == []
    return text


def test_import_adds_records_marked_and_fingerprinted():
    assert loader.fingerprint() is None
    result = import_file(ACME)
    assert result.imported == ["ghcr.io/acme/api:1.0", "acme/worker:1.0"]
    assert result.stored_in == store.catalog_dir() / "imported.jsonl"
    stored = [json.loads(line) for line in result.stored_in.open()]
    assert [r["image"] for r in stored] == ["acme/api", "acme/worker"]
    item = loader.catalog_image("acme/api", "latest", registry="ghcr.io")
    assert item is not None and item.blob.image_id == acme()[0]["image_id"]
    assert loader.catalog_image("acme/api", "latest") is None  # not on Docker Hub
    imported = [r for r in loader.records() if loader.is_imported(r)]
    assert len(imported) == 2 and len(loader.records()) == len(shipped()) + 2
    assert "acme/worker:1.0" in loader.names() and "ghcr.io/acme/api:1.0" not in loader.names()
    assert "ghcr.io/acme/api:latest" in loader.all_names()
    first = loader.fingerprint()
    assert first and first.startswith("sha256:") and loader.fingerprint() == first
    remove("acme/worker:1.0")
    assert loader.fingerprint() not in (None, first)


def test_duplicates_need_replace(tmp_path):
    import_file(ACME)
    before = store.files()[0].read_bytes()
    with pytest.raises(ImportRefused, match=r"acme.jsonl:1: ghcr.io/acme/api:1.0 is already "
                       r"in the catalog \(imported\); use --replace"):
        import_file(ACME)
    assert store.files()[0].read_bytes() == before
    result = import_file(ACME, replace=True)
    assert result.replaced == ["ghcr.io/acme/api:1.0", "acme/worker:1.0"]
    assert len([r for r in loader.records() if loader.is_imported(r)]) == 2


def test_a_shipped_record_is_replaced_only_with_replace_and_restored_by_remove(tmp_path):
    new = variant("3.12", image="python", registry=None)
    path = write(tmp_path / "py.jsonl", [new])
    assert "python:3.12 is already in the catalog (shipped with dockersim)" in _refused(path)
    import_file(path, replace=True)
    assert loader.catalog_image("python", "3.12").blob.image_id == new["image_id"]
    assert remove("python:3.12") == "python:3.12"
    assert loader.catalog_image("python", "3.12").blob.image_id == \
        shipped()["python:3.12"]["image_id"]
    assert store.files() == []


@pytest.mark.parametrize(("records", "message"), [
    (lambda: [variant("2"), variant("2")], ":2: ghcr.io/acme/api:2 is already named on line 1"),
    (lambda: [variant("2"), {**variant("3"), "aliases": ["2"]}],
     ":2: ghcr.io/acme/api:2 is already named on line 1"),
    (lambda: [{**variant("9", "python", None), "aliases": ["latest"]}],
     ":1: aliases: python:latest already names python:3.14; one name, one image"),
    (lambda: [variant("2"), _resized(variant("3"), 0, 1)],
     ":2: layers.0.compressed_bytes: blob sha256:26c307b5e35a... is 29780765 bytes in "
     "debian:trixie-slim, not 29780766 (a digest names its bytes)"),
])
def test_clashes_are_refused(tmp_path, records, message):
    assert message in _refused(write(tmp_path / "x.jsonl", records()))
    assert message in _refused(write(tmp_path / "x.jsonl", records()), replace=True)


def _resized(r: dict, index: int, more: int) -> dict:
    r = copy.deepcopy(r)
    r["layers"][index]["compressed_bytes"] += more
    r["total_compressed_bytes"] += more
    return r


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfe{}\n", "x.jsonl:1: not UTF-8 (byte 0xff at column 1)"),
    (b"\n\n{\"image\": 1e999999}\n", "x.jsonl:3: image: Input should be a valid string"),
    (b"{\"n\": " + b"9" * 5000 + b"}", "x.jsonl:1: number too large (5000 digits"),
    (b"{\"n\": -Infinity}", "x.jsonl:1: -Infinity is not a number JSON allows"),
    (b"{\"image\": \"a\", \"image\": \"b\"}", "x.jsonl:1: field 'image' is given twice"),
    (b"[" * 100000, "x.jsonl:1: not "),
    (b"{\"image\": ", "x.jsonl:1: not JSON: Expecting value at column 11"),
    (b"\"text\"", "x.jsonl:1: expected one JSON object per line, got str"),
    (b"\n  \n", "x.jsonl: no records"),
    (b"{}\n" * 1_000_000, "x.jsonl:1: image: required field is missing"),
])
def test_hostile_files_are_one_line(tmp_path, data, message):
    path = tmp_path / "x.jsonl"
    path.write_bytes(data)
    assert message in _refused(path)


def test_too_many_records_and_too_big_files(tmp_path, monkeypatch):
    path = write(tmp_path / "x.jsonl", [variant(str(i)) for i in range(4)])
    monkeypatch.setattr(importer, "MAX_RECORDS", 3)
    assert "x.jsonl:4: more than 3 records; split the file" in _refused(path)
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1000)
    assert _refused(path).endswith("x.jsonl: larger than 0 MiB; split it")
    assert _refused(tmp_path / "none.jsonl").endswith("No such file or directory")


def test_remove_refuses_what_was_not_imported():
    with pytest.raises(ImportRefused, match="python:3.12: python:3.12 is shipped with "
                       "dockersim, not imported"):
        remove("python:3.12")
    with pytest.raises(ImportRefused, match="acme/api:9: not in the catalog"):
        remove("acme/api:9")
    with pytest.raises(ImportRefused, match="Bad: invalid reference format"):
        remove("Bad")
    import_file(ACME)
    assert remove("ghcr.io/acme/api:latest") == "ghcr.io/acme/api:1.0"  # by its alias
    assert [r["image"] for r in loader.records() if loader.is_imported(r)] == ["acme/worker"]


# ---- fuzz: whatever the bytes, one line or a record the loader can build -------------
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _check(data: bytes) -> None:
    try:
        rows = parse(data, "fuzz.jsonl")
        importer.check(rows, "fuzz.jsonl")
    except ImportRefused as exc:
        assert str(exc).startswith("fuzz.jsonl") and "\n" not in str(exc)
        return
    where = store.catalog_dir() / "fuzz.jsonl"  # accepted: the loader must serve it
    store.write_atomic(where, [json.dumps(r) for _line, r in rows])
    loader.reload()
    try:
        for _line, r in rows:
            item = loader.catalog_image(r["image"], r["tag"], registry=r.get("registry")
                                        or "docker.io")
            assert item is not None and len(item.blob.layers) == len(r["layers"])
            g = graph.build([familiar(r)])  # and its graph survives GraphML
            back = nx.parse_graphml("\n".join(nx.generate_graphml(g)))
            assert sorted(back.nodes) == sorted(g.nodes)
    finally:
        store.write_atomic(where, [])
        loader.reload()


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


RECORD = variant("fuzz")
PATHS = [p for p in _paths(RECORD) if p]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATHS), JSON)
def test_fuzz_a_field_replaced_by_anything(path, value):
    r = copy.deepcopy(RECORD)
    target = r
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    _check(json.dumps(r).encode())


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 4000), st.integers(0, 60), st.binary(max_size=40))
def test_fuzz_bytes_spliced_into_a_record(at, cut, noise):
    text = json.dumps(RECORD).encode()
    _check(text[:at] + noise + text[at + cut:])


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_fuzz_import_never_writes_on_refusal(tmp_path, data):
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(data)
    with pytest.raises(ImportRefused):
        import_file(path)
    assert store.files() == []
