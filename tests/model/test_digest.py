"""Content addressing (fact sheet §2.1 "The four identifiers", §0.3 short IDs)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.digest import (
    EMPTY_TAR_DIFFID,
    chain_id,
    chain_ids,
    hex_part,
    is_digest,
    sha256_digest,
    short_id,
)

# §2.1 test vector: diffIDs [empty tar, sha256(b"layer-2")] -> chainID2.
LAYER2 = "sha256:6bdb18f83935f1d97220ee8035e6ccd7e764c32102587be4488f940f943ebda6"
CHAIN2 = "sha256:1e302ce426f3dc66e6114e544a02d60585fcdf16f4e9e54f1c3ec87c14b36c17"
WRONG_BARE_HEX_PREFIX, WRONG_BARE_HEX_SUFFIX = "sha256:d19b6d8c", "0506"

digests = st.binary(max_size=64).map(sha256_digest)


def test_empty_tar_diffid() -> None:
    # §2.1 "Empty diff": moby daemon/internal/layer/empty.go
    assert EMPTY_TAR_DIFFID == (
        "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef")
    # a real empty tar archive is two 512-byte zero blocks
    assert sha256_digest(b"\0" * 1024) == EMPTY_TAR_DIFFID


def test_sha256_digest_format() -> None:
    assert sha256_digest(b"layer-2") == LAYER2
    assert is_digest(LAYER2)
    assert not is_digest(hex_part(LAYER2))
    assert not is_digest("sha256:" + "A" * 64)


def test_chain_id_test_vector() -> None:
    # §2.1: full "sha256:" strings joined by one space, hashed again
    assert chain_id([EMPTY_TAR_DIFFID, LAYER2]) == CHAIN2


def test_chain_id_bare_hex_variant_is_wrong() -> None:
    # §2.1: "hashing the bare hex strings instead would give the wrong sha256:d19b6d8c…0506"
    bare = "sha256:" + hashlib.sha256(
        f"{hex_part(EMPTY_TAR_DIFFID)} {hex_part(LAYER2)}".encode()).hexdigest()
    assert bare.startswith(WRONG_BARE_HEX_PREFIX)
    assert bare.endswith(WRONG_BARE_HEX_SUFFIX)
    assert chain_id([EMPTY_TAR_DIFFID, LAYER2]) != bare


def test_chain_id_of_one_layer_is_its_diffid() -> None:
    # §2.1: chainID(L0) = diffID(L0)
    assert chain_id([LAYER2]) == LAYER2


def test_chain_id_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        chain_id([])


def test_same_diff_on_other_parent_is_other_layer() -> None:
    # §2.1: "the same diff on top of a different parent is a different layer"
    other = sha256_digest(b"other base")
    assert chain_id([EMPTY_TAR_DIFFID, LAYER2]) != chain_id([other, LAYER2])


def test_chain_ids_prefixes_vector() -> None:
    assert chain_ids([EMPTY_TAR_DIFFID, LAYER2]) == [EMPTY_TAR_DIFFID, CHAIN2]
    assert chain_ids([]) == []


@given(st.lists(digests, min_size=1, max_size=8))
def test_chain_ids_are_chain_id_of_every_prefix(diff_ids: list[str]) -> None:
    ids = chain_ids(diff_ids)
    assert len(ids) == len(diff_ids)
    for n in range(1, len(diff_ids) + 1):
        assert ids[n - 1] == chain_id(diff_ids[:n])
    assert all(is_digest(i) for i in ids)


def test_short_id() -> None:
    # §0.3: TruncateID strips "sha256:" and keeps 12 hex characters
    assert short_id(CHAIN2) == "1e302ce426f3"
    assert short_id(hex_part(CHAIN2)) == "1e302ce426f3"
    assert short_id("sha256:abc") == "abc"
