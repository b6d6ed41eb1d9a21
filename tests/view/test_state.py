"""The view's plain state (sim/view/state.py): copies that do not share what changes, disk
figures that count a shared layer once, and a registry's order of use."""

from __future__ import annotations

from sim.view.state import ContainerView, HostView, ImageView, LayerView, RegistryView, State


def host() -> HostView:
    base = LayerView("c1", "d1", None, 100, "b1", "FROM x", 0.0)
    top = LayerView("c2", "d2", "c1", 10, "b2", "RUN y", 0.0)
    return HostView("h", layers={"c1": base, "c2": top}, images={
        "i1": ImageView("i1", ("c1",), 100, ["a:1"], 0.0),
        "i2": ImageView("i2", ("c1", "c2"), 110, ["b:1"], 0.0)},
        containers={"k": ContainerView("k", "web", "i2", "b:1", "c2", 0.0, rw_size=5)})


def test_disk_counts_a_shared_layer_once_and_unshared_counts_it_per_image():
    h = host()
    assert h.disk() == 100 + 10 + 5
    assert h.unshared() == 100 + 110 + 5


def test_a_copy_shares_no_container_dict_or_registry_set():
    state = State({"h": host()}, {"r": RegistryView("r", {"nginx": {"latest"}})})
    kept = state.copy()
    state.hosts["h"].containers.clear()
    state.registries["r"].repos["nginx"].add("mainline")
    assert list(kept.hosts["h"].containers) == ["k"]
    assert kept.registries["r"].repos == {"nginx": {"latest"}}
    assert kept.snapshot() != state.snapshot()


def test_a_registry_lists_each_ref_once_in_order_of_first_use():
    reg = RegistryView("docker.io", {"alpine": {"3.22"}})
    for repo, tag in (("nginx", "latest"), ("redis", "8.2"), ("nginx", "latest")):
        reg.use(repo, tag)
    reg.use("nginx", "sha256:0123456789ab")
    assert reg.used == ("nginx:latest", "redis:8.2", "nginx@sha256:0123456789ab")
    assert reg.repos["nginx"] == {"latest", "sha256:0123456789ab"} and "alpine" in reg.repos
