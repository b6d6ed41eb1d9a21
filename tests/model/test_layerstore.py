"""The classic layer store (fact sheet §2.4 reference counting and deletion, §2.6 depth)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.digest import chain_ids, sha256_digest
from sim.model.errors import DockerError
from sim.model.layer import Layer, file_entry
from sim.model.layerstore import MAX_DEPTH, LayerStore


def numbered(i: int) -> Layer:
    return Layer.from_files({f"/f{i}": file_entry(f"layer {i}".encode())})


def push_chain(store: LayerStore, layers: list[Layer]) -> list[str]:
    """Register layers base first, keeping only the top reference (as an image does)."""
    held: list[str] = []
    parent = None
    for layer in layers:
        parent, _ = store.register(layer, parent)
        held.append(parent)
    for chain in held[:-1]:
        store.release(chain)
    return held


def test_register_keys_by_chain_id() -> None:
    store = LayerStore()
    a, b = numbered(1), numbered(2)
    ca, created_a = store.register(a, None)
    cb, created_b = store.register(b, ca)
    assert (created_a, created_b) == (True, True)
    assert [ca, cb] == chain_ids([a.diff_id, b.diff_id])  # §2.1 chainID
    assert store.get(cb).parent == ca
    assert store.get(cb).depth == 2


def test_register_dedups_by_chain_id() -> None:
    # §2.4: registering an existing chainID discards the new copy, returns the existing one
    store = LayerStore()
    a = numbered(1)
    first, _ = store.register(a, None)
    copy = Layer.from_files(dict(a.files), created_by="another build")
    again, created = store.register(copy, None)
    assert (again, created) == (first, False)
    assert len(store) == 1
    assert store.get(first).layer is a
    assert store.get(first).refs == 2
    assert store.size() == a.size  # stored once


def test_same_diff_on_other_parent_is_a_new_layer() -> None:
    store = LayerStore()
    x, y, top = numbered(1), numbered(2), numbered(3)
    cx, _ = store.register(x, None)
    cy, _ = store.register(y, None)
    c1, _ = store.register(top, cx)
    c2, new = store.register(top, cy)
    assert new and c1 != c2
    assert store.size() == x.size + y.size + 2 * top.size


def test_refcounts_from_images_children_and_containers(engine, build, base_layer,
                                                       app_layer) -> None:
    # §2.4: image holds its top layer; a child holds its parent; an RW layer holds the top
    one = build.add(build.image(base_layer), "base:1")
    two = build.add(build.image(base_layer, app_layer), "app:1")
    base_chain, app_chain = two.chain_ids
    assert one.top_chain == base_chain
    layers = engine.layers
    assert layers.get(base_chain).refs == 2  # image "base:1" + child layer
    assert layers.get(app_chain).refs == 1  # image "app:1"
    build.container(two)
    build.container(two, running=True)
    assert layers.get(app_chain).refs == 3
    assert layers.get(base_chain).refs == 2


def test_cascade_release_top_first() -> None:
    # §2.4: deletion cascades downward; records list the top layer first
    store = LayerStore()
    held = push_chain(store, [numbered(i) for i in range(3)])
    assert [store.get(c).refs for c in held] == [1, 1, 1]
    deleted = store.release(held[-1])
    assert deleted == held[::-1]
    assert len(store) == 0


def test_cascade_stops_at_a_shared_layer() -> None:
    store = LayerStore()
    base = numbered(0)
    first = push_chain(store, [base, numbered(1), numbered(2)])
    second = push_chain(store, [base, numbered(9)])
    assert first[0] == second[0]
    assert store.release(first[-1]) == [first[2], first[1]]
    assert first[0] in store and store.get(first[0]).refs == 1
    assert store.release(second[-1]) == [second[1], second[0]]
    assert len(store) == 0


def test_nothing_deleted_while_a_container_holds_the_top(engine, build, base_layer,
                                                         app_layer) -> None:
    image = build.add(build.image(base_layer, app_layer), "app:1")
    c = build.stopped(image)
    assert engine.delete_image_record(image.id) == []
    assert set(image.chain_ids) <= {ro.chain_id for ro in engine.layers}
    engine.remove(c, remove_volumes=False)
    assert len(engine.layers) == 0


def test_release_held_only_counts_down_while_another_reference_stays() -> None:
    store = LayerStore()
    held = push_chain(store, [numbered(i) for i in range(2)])
    store.acquire(held[0])  # the caller's reference beside the child's
    assert store.release_held(held[0]) is True
    assert store.get(held[0]).refs == 1  # the child's
    assert store.release_held(held[-1]) is False  # the last one: nothing done
    assert store.get(held[-1]).refs == 1 and len(store) == 2


def test_release_of_none_deletes_nothing() -> None:
    assert LayerStore().release(None) == []


def test_max_depth_125() -> None:
    # §2.6: "max depth exceeded" beyond 125 layers
    assert MAX_DEPTH == 125
    store = LayerStore()
    parent = None
    for i in range(MAX_DEPTH):
        parent, _ = store.register(numbered(i), parent)
    assert store.get(parent).depth == 125
    before = {ro.chain_id: ro.refs for ro in store}
    with pytest.raises(DockerError) as exc:
        store.register(numbered(MAX_DEPTH), parent)
    assert exc.value.message == "max depth exceeded"
    assert {ro.chain_id: ro.refs for ro in store} == before
    # an existing chain of 125 can still be referenced again
    again, created = store.register(numbered(MAX_DEPTH - 1), store.get(parent).parent)
    assert (again, created) == (parent, False)


def test_image_too_deep_leaves_no_orphan_layers(engine, build) -> None:
    # §2.6 + §2.4: a refused image must not leave references nobody holds
    image = build.image(*[numbered(i) for i in range(MAX_DEPTH + 1)])
    with pytest.raises(DockerError, match="^max depth exceeded$"):
        engine.add_image(image)
    assert image.id not in engine.images
    assert len(engine.layers) == 0


def test_size_counts_each_chain_once(engine, build, base_layer, app_layer) -> None:
    build.add(build.image(base_layer), "a:1")
    build.add(build.image(base_layer, app_layer), "b:1")
    build.add(build.image(base_layer, app_layer), "c:1")
    assert engine.layers.size() == base_layer.size + app_layer.size


# ---- property: references stay consistent -------------------------------------------
POOL = [numbered(i) for i in range(4)]
actions = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, len(POOL) - 1), st.integers(-1, 50)),
        st.tuples(st.just("acquire"), st.integers(0, 50)),
        st.tuples(st.just("release"), st.integers(0, 50)),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(actions)
def test_random_register_acquire_release(sequence: list[tuple]) -> None:
    """Every reference the caller holds plus one per child layer is exactly a layer's
    refcount; a layer exists iff that count is > 0."""
    store = LayerStore()
    held: list[str] = []  # references owned by this test
    ever: set[str] = set()
    for op in sequence:
        if op[0] == "register":
            _, which, parent_idx = op
            parent = held[parent_idx % len(held)] if held and parent_idx >= 0 else None
            expected = POOL[which].diff_id if parent is None else sha256_digest(
                f"{parent} {POOL[which].diff_id}".encode())
            chain, _ = store.register(POOL[which], parent)
            assert chain == expected
            held.append(chain)
        elif op[0] == "acquire" and held:
            chain = held[op[1] % len(held)]
            store.acquire(chain)
            held.append(chain)
        elif op[0] == "release" and held:
            chain = held.pop(op[1] % len(held))
            deleted = store.release(chain)
            assert all(d not in store for d in deleted)
            if chain in held:
                assert chain not in deleted
        ever.update(held)
        expected_refs = Counter(held)
        for ro in store:
            if ro.parent is not None:
                expected_refs[ro.parent] += 1
        assert {ro.chain_id: ro.refs for ro in store} == {
            c: n for c, n in expected_refs.items() if n > 0}
        assert all(ro.refs > 0 for ro in store)
        for ro in store:
            assert ro.parent is None or ro.parent in store
            assert ro.depth == (1 if ro.parent is None else store.get(ro.parent).depth + 1)
    for chain in held[:]:
        held.remove(chain)
        store.release(chain)
    assert len(store) == 0


def test_hosts_share_one_chain_id_string_per_chain() -> None:
    base, top = numbered(1), numbered(2)
    stores = [LayerStore(), LayerStore()]
    chains = []
    for store in stores:
        parent, _ = store.register(base, None)
        chain, _ = store.register(top, parent)
        chains.append(chain)
    assert chains[0] == sha256_digest(f"{base.diff_id} {top.diff_id}".encode())
    assert chains[0] is chains[1]  # one string, not a copy per host
    assert chain_ids([base.diff_id, top.diff_id])[1] is chains[0]
