"""Layers and their diffs (fact sheet §2.1 diffID and empty diff, §4.4 size counting)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.digest import EMPTY_TAR_DIFFID, is_digest
from sim.model.layer import (
    WHITEOUT_ENTRY,
    Layer,
    diff_id_of,
    diff_size,
    dir_entry,
    file_entry,
    sized_entry,
)

FILES = {
    "/etc": dir_entry(),
    "/etc/hosts": file_entry(b"127.0.0.1 localhost\n"),
    "/usr": dir_entry(),
    "/usr/bin": dir_entry(),
    "/usr/bin/tool": file_entry(b"\x7fELF" + b"x" * 100, mode=0o755),
}


def test_diff_id_is_a_digest() -> None:
    assert is_digest(diff_id_of(FILES))


def test_diff_id_ignores_insertion_order() -> None:
    # §2.1: diffID is a hash of the content, not of how it was assembled
    reordered = dict(reversed(list(FILES.items())))
    assert list(reordered) != list(FILES)
    assert diff_id_of(reordered) == diff_id_of(FILES)


@given(st.permutations(list(FILES)))
def test_diff_id_any_order(order: list[str]) -> None:
    assert diff_id_of({p: FILES[p] for p in order}) == diff_id_of(FILES)


def test_diff_id_changes_with_content_mode_and_owner() -> None:
    base = diff_id_of(FILES)
    variants = [
        {**FILES, "/etc/hosts": file_entry(b"127.0.0.1 other\n")},
        {**FILES, "/etc/hosts": file_entry(b"127.0.0.1 localhost\n", mode=0o600)},
        {**FILES, "/etc/hosts": file_entry(b"127.0.0.1 localhost\n", uid=1000)},
        {**FILES, "/etc/hosts": file_entry(b"127.0.0.1 localhost\n", gid=1000)},
        {**FILES, "/etc/hosts2": file_entry(b"127.0.0.1 localhost\n")},
        {**FILES, "/etc/hosts": WHITEOUT_ENTRY},
    ]
    ids = {diff_id_of(v) for v in variants}
    assert base not in ids
    assert len(ids) == len(variants)


def test_diff_id_depends_on_path() -> None:
    assert diff_id_of({"/a": file_entry(b"x")}) != diff_id_of({"/b": file_entry(b"x")})


def test_empty_diff_is_empty_tar() -> None:
    # §2.1: the empty tar has diffID sha256:5f70bf18…c6ef
    assert diff_id_of({}) == EMPTY_TAR_DIFFID
    layer = Layer.from_files({})
    assert layer.diff_id == EMPTY_TAR_DIFFID
    assert layer.size == 0


def test_diff_size_counts_regular_files_only() -> None:
    # §4.4: directories and whiteouts count 0
    files = {
        "/d": dir_entry(),
        "/d/a": sized_entry(1000, "a"),
        "/d/b": file_entry(b"12345"),
        "/gone": WHITEOUT_ENTRY,
        "/opaque": dir_entry(opaque=True),
    }
    assert diff_size(files) == 1005
    assert diff_size({"/d": dir_entry(), "/gone": WHITEOUT_ENTRY}) == 0


def test_from_files_is_content_addressed() -> None:
    a = Layer.from_files(FILES, created_by="RUN a")
    b = Layer.from_files(dict(reversed(list(FILES.items()))), created_by="RUN b")
    assert a.diff_id == b.diff_id
    assert a.digest == b.digest
    assert a.size == diff_size(FILES)


def test_from_files_freezes_its_files() -> None:
    source = dict(FILES)
    layer = Layer.from_files(source)
    source["/new"] = file_entry(b"late")
    assert "/new" not in layer.files
    with pytest.raises(TypeError):
        layer.files["/x"] = file_entry(b"x")  # type: ignore[index]


def test_file_entry_keeps_small_bytes_only() -> None:
    small = file_entry(b"abc")
    assert small.data == b"abc" and small.size == 3
    big = file_entry(b"x" * 70000)
    assert big.data is None and big.size == 70000
