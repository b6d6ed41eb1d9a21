"""Checks of one engine's state shared by the invariant machines (one host and a fleet)."""

from __future__ import annotations

from sim.model.digest import sha256_digest
from sim.model.layer import FILE, diff_id_of


def check_layer_refcounts(eng) -> None:
    """Each layer's refcount equals what its holders account for; every needed layer is
    stored, keyed by its chainID."""
    store = {ro.chain_id: ro for ro in eng.layers}
    expected = dict.fromkeys(store, 0)
    needed: dict[str, str] = {}  # chainID -> who needs it

    def hold(chain: str | None, who: str) -> None:
        if chain is None:
            return
        expected[chain] = expected.get(chain, 0) + 1
        needed.setdefault(chain, who)

    for ro in store.values():
        hold(ro.parent, f"child layer {ro.chain_id[7:19]}")
    for image in eng.images:
        hold(image.top_chain, f"image {image.id[7:19]}")
        for chain in image.chain_ids:
            needed.setdefault(chain, f"image {image.id[7:19]}")
    for c in eng.containers.values():
        hold(c.rw_chain, f"container {c.name}")
    for record in eng.build_cache.records.values():
        hold(record.chain, f"build cache record {record.id}")
    missing = {c: who for c, who in needed.items() if c not in store}
    assert not missing, f"layers missing from the store: {missing}"
    for chain, ro in store.items():
        assert ro.refs >= 1, f"layer {chain[7:19]} kept with refs={ro.refs}"
        assert ro.refs == expected[chain], \
            f"layer {chain[7:19]}: refs={ro.refs}, holders account for {expected[chain]}"
        want = ro.layer.diff_id if ro.parent is None else sha256_digest(
            f"{ro.parent} {ro.layer.diff_id}".encode())
        assert chain == want, f"layer {chain[7:19]} is not keyed by its chainID"
        assert ro.depth == (1 if ro.parent is None else store[ro.parent].depth + 1), \
            f"layer {chain[7:19]}: wrong depth {ro.depth}"
        if ro.layer.files_complete:
            assert ro.layer.diff_id == diff_id_of(ro.layer.files), \
                f"layer {chain[7:19]}: diffID is not the digest of its files"
    for image in eng.images:
        assert [ro.chain_id for ro in eng.layers.chain(image.top_chain)] == \
            image.chain_ids, f"image {image.id[7:19]}: store chain differs"
        rootfs = (image.config.get("rootfs") or {}).get("diff_ids")
        if rootfs is not None:
            assert rootfs == image.diff_ids, f"image {image.id[7:19]}: rootfs != layers"
    for c in eng.containers.values():
        image = eng.images.images.get(c.image_id)
        if image is not None:
            assert c.rw_chain == image.top_chain, f"container {c.name} on the wrong layer"


def check_disk_bytes(eng) -> None:
    """Disk used = unique layers + RW uppers + volumes; nothing unheld is stored."""
    store = {ro.chain_id: ro for ro in eng.layers}
    reachable: set[str] = set()
    tops = [i.top_chain for i in eng.images] + [c.rw_chain for c in
                                                 eng.containers.values()]
    tops += [r.chain for r in eng.build_cache.records.values()]
    for top in tops:
        while top is not None and top not in reachable:
            reachable.add(top)
            top = store[top].parent
    assert reachable == set(store), "layers nothing holds are still stored"
    layers = sum(store[c].layer.size for c in reachable)
    uppers = sum(e.size for c in eng.containers.values() for e in c.upper.values()
                 if e.kind == FILE)
    volumes = sum(e.size for v in eng.volumes.volumes.values() for e in v.files.values()
                  if e.kind == FILE)
    assert eng.disk_bytes() == layers + uppers + volumes, \
        f"disk_bytes {eng.disk_bytes()} != layers {layers} + RW {uppers} + volumes {volumes}"
    for c in eng.containers.values():
        rw, virtual = eng.container_size(c)
        image = sum(ro.layer.size for ro in eng.layers.chain(c.rw_chain))
        assert rw == sum(e.size for e in c.upper.values() if e.kind == FILE), c.name
        assert virtual == image + rw, f"{c.name}: virtual {virtual} != {image} + {rw}"
