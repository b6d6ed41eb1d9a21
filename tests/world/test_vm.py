"""VM instances: a full disk per instance, fetched, written and booted, by hand."""

from __future__ import annotations

import pytest

from sim.cli.runner import execute

from .distribution_world import MB, REG, layer, transfers, world_with


def test_each_vm_fetches_and_writes_its_own_full_disk_then_boots():
    blob = layer("os", 10 * MB, 20 * MB)
    world = world_with([blob], instances="vm", vm_boot=30.0)
    execute(world, "a", f"docker pull {REG}/app:1")  # 1 s + 0.2 s
    t0 = world.now
    assert execute(world, "a", f"docker run -d --name vm1 {REG}/app:1").exit_code == 0
    # the disk: 10 MB at 10 MB/s, 20 MB written at 100 MB/s, then a 30 s boot
    assert world.now - t0 == pytest.approx(1.0 + 0.2 + 30.0)
    assert execute(world, "a", f"docker run -d --name vm2 {REG}/app:1").exit_code == 0
    host = world.hosts["a"]
    assert host.bytes_pulled == 3 * 10 * MB  # the image once, then one disk per instance
    assert host.engine.disk_bytes() == 3 * 20 * MB  # the image, and a full copy each
    disks = [t for t in transfers(world, "downloaded")]
    assert len(disks) == 3


def test_containers_share_the_image_where_vms_copy_it():
    def disk(**distribution) -> int:
        world = world_with([layer("os", 10 * MB, 20 * MB)], **distribution)
        for i in range(3):
            assert execute(world, "a", f"docker run -d --name c{i} {REG}/app:1").exit_code == 0
        return world.hosts["a"].engine.disk_bytes()
    assert disk() == 20 * MB
    assert disk(instances="vm") == 4 * 20 * MB


def test_a_vm_restart_boots_again_on_the_disk_it_has():
    world = world_with([layer("os", 10 * MB, 20 * MB)], instances="vm", vm_boot=30.0)
    assert execute(world, "a", f"docker run -d --name vm1 {REG}/app:1").exit_code == 0
    pulled = world.hosts["a"].bytes_pulled
    assert execute(world, "a", "docker stop vm1").exit_code == 0
    t0 = world.now
    assert execute(world, "a", "docker start vm1").exit_code == 0
    assert world.now - t0 == pytest.approx(30.0)  # a boot, no copy
    assert world.hosts["a"].bytes_pulled == pulled
    assert world.hosts["a"].engine.disk_bytes() == 2 * 20 * MB


def test_a_vm_of_a_local_image_copies_its_disk_from_the_host():
    world = world_with([layer("os", 10 * MB, 20 * MB)], instances="vm", vm_boot=30.0)
    assert execute(world, "a", f"docker pull {REG}/app:1").exit_code == 0
    assert execute(world, "a", f"docker create --name base {REG}/app:1").exit_code == 0
    assert execute(world, "a", "docker commit base local:1").exit_code == 0
    pulled = world.hosts["a"].bytes_pulled
    t0 = world.now
    assert execute(world, "a", "docker run -d --name vm1 local:1").exit_code == 0
    # 20 MB at the host's 500 MB/s disk rate, then the boot; nothing over the network
    assert world.now - t0 == pytest.approx(20 * MB / 500e6 + 30.0, abs=0.01)
    assert world.hosts["a"].bytes_pulled == pulled
