"""``docker version``, ``docker info``, ``docker system df`` and ``docker system prune``
(sim/cli/system.py)."""

from __future__ import annotations

import pytest

from sim.cli.runner import execute
from sim.cli.specs import API_VERSION, CLIENT_VERSION
from sim.world.world import World, WorldConfig
from tests.cli.helpers import sh


@pytest.fixture
def world() -> World:
    return World(WorldConfig(seed=51))


def fields(text: str) -> dict[str, str]:
    """``Key: value`` lines, keyed by their indented key (first occurrence wins)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out.setdefault(key, value.strip())
    return out


def test_version_has_client_and_server(world):
    r = sh(world, "docker version")
    assert r.exit_code == 0 and r.stderr == ""
    client, server = r.stdout.split("\n\n")
    assert client.startswith("Client:\n")
    assert server.startswith("Server: Docker Engine - Community")
    c, s = fields(client), fields(server)
    assert c[" Version"] == CLIENT_VERSION and CLIENT_VERSION.startswith("28.5.")
    assert c[" API version"] == API_VERSION
    assert c[" OS/Arch"] == "linux/amd64"
    assert s["  Version"] == CLIENT_VERSION  # the engine release the simulator models
    assert s["  API version"] == f"{API_VERSION} (minimum version 1.24)"


def test_version_flag_of_docker_itself(world):
    r = sh(world, "docker --version")
    assert r.stdout.startswith(f"Docker version {CLIENT_VERSION}, build ")


def test_info_on_an_empty_host(world):
    info = fields(sh(world, "docker info").stdout)
    assert info[" Containers"] == "0"
    assert info[" Images"] == "0"
    assert info[" Storage Driver"] == "overlay2"  # the classic store (§0.2)
    assert info["  Layers"] == "0"
    assert info["  Using metacopy"] == "false"  # §4.2: full copy-up
    assert info[" Server Version"] == CLIENT_VERSION
    assert info[" Name"] == "host1"
    assert info[" Docker Root Dir"] == "/var/lib/docker"


def test_info_counts_containers_images_and_layers(world):
    sh(world, "docker pull python:3.14-slim")
    sh(world, "docker pull debian:trixie-slim")  # one layer shared with python
    sh(world, "docker run -d --name up python:3.14-slim sleep 100")
    sh(world, "docker run -d --name paused debian:trixie-slim sleep 100")
    sh(world, "docker pause paused")
    sh(world, "docker create --name made debian:trixie-slim")
    info = fields(sh(world, "docker info").stdout)
    assert (info[" Containers"], info["  Running"], info["  Paused"], info["  Stopped"]) == (
        "3", "1", "1", "1")
    assert info[" Images"] == "2"
    eng = world.hosts["host1"].engine
    unique = {c for image in eng.images for c in image.chain_ids}
    assert info["  Layers"] == str(len(unique)) == str(len(eng.layers))


def test_info_names_the_host_it_runs_on():
    world = World(WorldConfig(seed=1, hosts=["build", "prod"]))
    assert fields(execute(world, "prod", "docker info").stdout)[" Name"] == "prod"
    assert fields(execute(world, "build", "docker info").stdout)[" Name"] == "build"


def test_system_df_on_an_empty_host(world):
    r = sh(world, "docker system df")
    assert r.stdout == ("TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\n"
                        "Images          0         0         0B        0B\n"
                        "Containers      0         0         0B        0B\n"
                        "Local Volumes   0         0         0B        0B\n"
                        "Build Cache     0         0         0B        0B\n")


def test_system_df_after_removing_everything_is_empty_again(world):
    sh(world, "docker run -d --name c -v data:/data alpine sleep 100")
    sh(world, "docker rm -f c")
    sh(world, "docker volume rm data")
    sh(world, "docker rmi alpine")
    assert sh(world, "docker system df").stdout == sh(World(WorldConfig()), "docker system df"
                                                      ).stdout
    assert world.hosts["host1"].engine.disk_bytes() == 0


# ---- system prune (cli system/prune.go) ---------------------------------------------------
def test_system_prune_asks_first_and_lists_what_it_would_remove(world):
    sh(world, "docker run --name done alpine true")
    r = sh(world, "docker system prune")
    assert r.stdout == ("WARNING! This will remove:\n"
                        "  - all stopped containers\n"
                        "  - all networks not used by at least one container\n"
                        "  - all dangling images\n"
                        "  - unused build cache\n"
                        "\nAre you sure you want to continue? [y/N] \n")
    assert "done" in sh(world, "docker ps -a --format '{{.Names}}'").stdout  # nothing gone
    r = sh(world, "docker system prune -a --volumes")
    assert ("  - all anonymous volumes not used by at least one container\n"
            "  - all images without at least one container associated to them\n"
            "  - all build cache\n") in r.stdout


def test_system_prune_removes_each_kind_in_docker_order_then_one_total(world):
    sh(world, "docker run --name done -v /anon alpine sh -c 'echo hi > /f'")
    sh(world, "docker run -d --name up nginx")
    done = engine_of(world).container("done").id
    r = sh(world, "docker system prune -f")  # alpine is still tagged: not dangling
    assert r.stdout == f"Deleted Containers:\n{done}\n\nTotal reclaimed space: 3B\n"
    r = sh(world, "docker system prune -a -f --volumes")
    lines = r.stdout.splitlines()
    assert lines[0] == "Deleted Volumes:" and lines[2] == ""
    assert lines[3] == "Deleted Images:" and lines[4] == "untagged: alpine:latest"
    assert lines[-1].startswith("Total reclaimed space: ") and lines[-1] != \
        "Total reclaimed space: 0B"
    assert "nginx" in sh(world, "docker images").stdout  # up uses it
    assert sh(world, "docker system prune -a -f --volumes").stdout == \
        "Total reclaimed space: 0B\n"


def engine_of(world: World):
    return world.hosts["host1"].engine
