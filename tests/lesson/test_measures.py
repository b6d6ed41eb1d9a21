"""Measures read the model: each one against a small world built by typing commands."""

from __future__ import annotations

import pytest

from sim.cli.runner import execute
from sim.lesson.measures import ModelView, run
from sim.world.world import World, WorldConfig


@pytest.fixture(scope="module")
def view() -> ModelView:
    world = World(WorldConfig(seed=9))
    for line in ("docker pull nginx", "docker run -d --name web nginx",
                 "docker run -d --name web2 nginx",
                 "docker exec web sh -c 'echo x >> /etc/nginx/nginx.conf'",
                 "docker run -d --name gone alpine sleep 60",
                 "docker exec gone sh -c 'echo hello > /hello.txt'",
                 "docker exec gone sh -c 'echo hi > /note'", "docker rm -f gone",
                 "docker run -d --name gone alpine sleep 60",
                 "docker exec gone sh -c 'echo hello > /hello.txt'",
                 "docker volume create v", "docker run --rm -v v:/data alpine sh -c "
                 "'echo 1 > /data/f'", "docker tag nginx localhost:5000/nginx:1",
                 "docker push localhost:5000/nginx:1", "docker create --name c nginx"):
        assert execute(world, "host1", line).exit_code == 0, line
    return ModelView(world, "host1")


@pytest.mark.parametrize(("name", "params", "expected"), [
    ("containers", {}, 4),
    ("containers", {"image": "nginx", "state": "running"}, 2),
    ("containers", {"image": "nosuch"}, 0),
    ("containers", {"name": "c", "state": "created"}, 1),
    ("container_state", {"name": "web"}, "running"),
    ("container_state", {"name": "never"}, "missing"),
    ("went_through", {"name": "gone", "states": "created,running,removed"}, True),
    ("went_through", {"name": "web", "states": "exited"}, False),
    ("lost_file", {"name": "gone", "path": "/note"}, True),
    ("lost_file", {"name": "web", "path": "/etc/nginx/nginx.conf"}, False),
    ("container_file", {"name": "gone", "path": "/note"}, False),
    ("container_file", {"name": "web", "path": "/etc/nginx/nginx.conf"}, True),
    ("copy_ups", {"name": "web"}, 3),  # /etc, /etc/nginx and the file itself
    ("copy_ups", {"name": "web2"}, 0),
    ("rw_bytes", {"name": "web2"}, 0),
    ("file_text", {"name": "gone", "path": "/note"}, ""),  # the new gone never wrote it
    ("file_text", {"name": "gone", "path": "/hello.txt"}, "hello"),
    ("file_text", {"name": "never", "path": "/hello.txt"}, ""),
    ("restart_policy", {"name": "web"}, "no"),
    ("restart_count", {"name": "web"}, 0),
    ("image_exists", {"ref": "nginx:latest"}, True),
    ("images", {}, 2),
    ("images", {"dangling": True}, 0),
    ("same_image", {"a": "nginx", "b": "localhost:5000/nginx:1"}, True),
    ("tags_of", {"ref": "nginx"}, 2),
    ("image_layers", {"ref": "nginx"}, 7),
    ("layers_stored", {}, 8),
    ("layer_copies", {"ref": "nginx", "layer": 0}, 1),
    ("layer_copies", {"ref": "nginx", "layer": 99}, 0),
    ("shared_layers", {"a": "nginx", "b": "alpine"}, 0),
    ("own_mb", {"ref": "nginx"}, 157.8),  # the localhost:5000 tag names the same image
    ("hidden_mb", {"ref": "nginx"}, 0.0),
    ("volume_exists", {"name": "v"}, True),
    ("volume_file", {"volume": "v", "path": "f"}, True),
    ("registry_tag", {"registry": "localhost:5000", "repository": "nginx", "tag": "1"}, True),
    ("registry_tag", {"registry": "localhost:5000", "repository": "nginx"}, False),
    ("registry_blobs", {"registry": "localhost:5000"}, 7),
    ("last_push", {"outcome": "uploaded"}, 7),
    ("last_push", {"outcome": "exists"}, 0),
    ("vm_disk_mb", {"image": "nginx", "instances": 2}, 315.6),
])
def test_measure(view, name, params, expected):
    assert run(view, name, params) == expected


def test_sizes_agree_with_the_engine(view):
    engine = view.engine
    assert run(view, "disk_mb", {}) == round(engine.disk_bytes() / 1e6, 1)
    nginx = engine.images.get("nginx")
    assert run(view, "image_mb", {"ref": "nginx"}) == round(nginx.size / 1e6, 1)
    rw = sum(engine.container_size(c)[0] for c in engine.containers.values()
             if c.image_id == nginx.id)
    assert run(view, "container_disk_mb", {"image": "nginx"}) == round(
        (nginx.size + rw) / 1e6, 1)
