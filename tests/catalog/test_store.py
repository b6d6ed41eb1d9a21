"""The data directory: where imports live, written whole, fingerprinted, and a hand-broken
file stopping every command with one line."""

from __future__ import annotations

import json

import pytest

from sim.catalog import loader, store
from sim.catalog.importer import import_file

from .records import ACME, acme


def test_the_env_var_overrides_the_user_data_dir(data_dir, monkeypatch):
    assert store.catalog_dir() == data_dir / "catalog"
    monkeypatch.delenv(store.ENV)
    from platformdirs import user_data_dir
    assert store.data_dir() == store.data_dir().parent / "dockersim"
    assert str(store.data_dir()) == user_data_dir("dockersim", appauthor=False)


def test_write_atomic_leaves_one_whole_file(tmp_path):
    path = tmp_path / "d" / "x.jsonl"
    store.write_atomic(path, ["a", "b"])
    store.write_atomic(path, ["c"])
    assert path.read_text() == "c\n" and sorted(p.name for p in path.parent.iterdir()) == \
        ["x.jsonl"]
    store.write_atomic(path, [])
    assert not path.exists()
    with pytest.raises(FileNotFoundError):
        store.write_atomic(tmp_path / "nope" / "y", ["z"], make_parent=False)


def test_fingerprint_follows_the_bytes_of_the_files():
    assert store.fingerprint() is None
    import_file(ACME)
    one = store.fingerprint()
    path = store.files()[0]
    text = path.read_text()
    path.write_text(text.replace('"celery"', '"celery2"'))
    assert store.fingerprint() != one
    path.write_text(text)
    assert store.fingerprint() == one


def test_a_broken_imported_file_is_one_line_for_every_command():
    import_file(ACME)
    path = store.files()[0]
    lines = path.read_text().splitlines()
    record = json.loads(lines[1])
    record["layers"][0]["digest"] = "sha256:xyz"
    path.write_text(lines[0] + "\n" + json.dumps(record) + "\n")
    loader.reload()
    with pytest.raises(store.CatalogFileError) as info:
        loader.names()
    assert isinstance(info.value, SystemExit)
    assert str(info.value.code).startswith(f"dockersim: imported catalog file {path}:2: "
                                           "layers.0.digest: expected sha256:<64 hex>")


def test_the_same_record_in_two_files_is_refused():
    import_file(ACME)
    (store.catalog_dir() / "more.jsonl").write_text(json.dumps(acme()[1]) + "\n")
    loader.reload()
    with pytest.raises(store.CatalogFileError, match="more.jsonl:1: acme/worker:1.0 is also "
                       "in .*imported.jsonl:2; keep one"):
        loader.records()
