"""``docker volume`` (sim/cli/volumes.py): create, ls, rm, prune, inspect (fact sheet §4.4)."""

from __future__ import annotations

import json
import re

import pytest

from sim.world.world import World, WorldConfig
from tests.cli.helpers import engine, sh

HEX64 = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture
def world() -> World:
    return World(WorldConfig(seed=41))


def test_create_prints_the_name_and_is_idempotent(world):
    assert sh(world, "docker volume create data").stdout == "data\n"
    assert sh(world, "docker volume create data").stdout == "data\n"
    assert sh(world, "docker volume create --name other").stdout == "other\n"
    assert sorted(engine(world).volumes.volumes) == ["data", "other"]


def test_create_without_a_name_makes_an_anonymous_volume(world):
    name = sh(world, "docker volume create").stdout.strip()
    assert HEX64.match(name)
    assert engine(world).volumes.volumes[name].anonymous


def test_ls_is_sorted_by_name(world):
    for name in ("zeta", "alpha", "mid"):
        sh(world, f"docker volume create {name}")
    r = sh(world, "docker volume ls")
    assert r.stdout == ("DRIVER    VOLUME NAME\n"
                        "local     alpha\n"
                        "local     mid\n"
                        "local     zeta\n")
    assert sh(world, "docker volume ls -q").stdout == "alpha\nmid\nzeta\n"


def test_ls_when_empty_prints_the_header(world):
    assert sh(world, "docker volume ls").stdout == "DRIVER    VOLUME NAME\n"


def test_rm_of_a_volume_in_use_even_by_a_stopped_container(world):
    sh(world, "docker create --name c -v data:/data alpine")
    cid = engine(world).container("c").id
    r = sh(world, "docker volume rm data")
    assert r.exit_code == 1
    # §4.4: refused for any referencing container, listing full IDs
    assert r.stderr == f"Error response from daemon: remove data: volume is in use - [{cid}]\n"
    sh(world, "docker rm c")
    assert sh(world, "docker volume rm data").stdout == "data\n"


def test_rm_several_joins_errors(world):
    sh(world, "docker volume create a")
    sh(world, "docker volume create b")
    r = sh(world, "docker volume rm a nosuch b")
    assert r.exit_code == 1
    assert r.stdout == "a\nb\n"
    assert r.stderr == "Error response from daemon: get nosuch: no such volume\n"


def test_rm_force_of_a_missing_volume_succeeds(world):
    r = sh(world, "docker volume rm -f nosuch")
    assert (r.stdout, r.stderr, r.exit_code) == ("nosuch\n", "", 0)


def test_prune_removes_unused_anonymous_volumes_only(world):
    sh(world, "docker run -d --name keep -v /inuse alpine sleep 100")
    sh(world, "docker run -d --name gone -v /unused alpine sleep 100")
    sh(world, "docker exec gone sh -c 'head -c 3000 /dev/zero > /unused/f'")
    sh(world, "docker rm -f gone")  # without -v: its anonymous volume stays
    sh(world, "docker volume create named")
    eng = engine(world)
    anon = {n for n, v in eng.volumes.volumes.items() if v.anonymous}
    inuse = {m.source for m in eng.container("keep").mounts}
    (unused,) = anon - inuse
    r = sh(world, "docker volume prune -f")
    assert r.stdout == f"Deleted Volumes:\n{unused}\n\nTotal reclaimed space: 3kB\n"
    assert set(eng.volumes.volumes) == inuse | {"named"}  # named ones need -a (§4.4)
    assert sh(world, "docker volume prune -f").stdout == "Total reclaimed space: 0B\n"
    r = sh(world, "docker volume prune -a -f")
    assert r.stdout == "Deleted Volumes:\nnamed\n\nTotal reclaimed space: 0B\n"
    assert set(eng.volumes.volumes) == inuse


def test_prune_without_force_asks_and_does_nothing(world):
    sh(world, "docker volume create")
    r = sh(world, "docker volume prune")
    assert r.stdout.startswith("WARNING! This will remove anonymous local volumes not used by "
                               "at least one container.\nAre you sure you want to continue? [y/N] ")
    assert len(engine(world).volumes.volumes) == 1


def test_inspect_shape(world):
    sh(world, "docker volume create data")
    (doc,) = json.loads(sh(world, "docker volume inspect data").stdout)
    assert list(doc) == ["CreatedAt", "Driver", "Labels", "Mountpoint", "Name", "Options",
                         "Scope"]
    assert doc["Name"] == "data" and doc["Driver"] == "local" and doc["Scope"] == "local"
    assert doc["Mountpoint"] == "/var/lib/docker/volumes/data/_data"
    assert doc["CreatedAt"] == "2026-11-27T09:00:00Z"
    assert doc["Labels"] is None


def test_inspect_of_an_anonymous_volume_has_the_label(world):
    name = sh(world, "docker volume create").stdout.strip()
    (doc,) = json.loads(sh(world, f"docker volume inspect {name}").stdout)
    assert doc["Labels"] == {"com.docker.volume.anonymous": ""}
    fmt = sh(world, f"docker volume inspect --format '{{{{.Name}}}} {{{{.Mountpoint}}}}' {name}")
    assert fmt.stdout == f"{name} /var/lib/docker/volumes/{name}/_data\n"


def test_inspect_of_a_missing_volume(world):
    r = sh(world, "docker volume inspect nosuch")
    assert r.exit_code == 1
    assert r.stdout == "[]\n"
    # API client ≥ 23 no longer rewraps 404s (moby#43398): the daemon's own words
    assert r.stderr == "Error response from daemon: get nosuch: no such volume\n"


def test_empty_volume_is_filled_from_the_image(world):
    sh(world, "docker run -d --name web -v html:/usr/share/nginx/html nginx")
    files = engine(world).volumes.volumes["html"].files
    assert "/index.html" in files  # §4.4: pre-populated with the image content
    sh(world, "docker exec web sh -c 'echo mine > /usr/share/nginx/html/index.html'")
    sh(world, "docker rm -f web")
    sh(world, "docker run -d --name web2 -v html:/usr/share/nginx/html nginx")
    out = sh(world, "docker exec web2 cat /usr/share/nginx/html/index.html").stdout
    assert out == "mine\n"  # a non-empty volume hides the image content


def test_create_with_invalid_characters_is_refused(world):
    r = sh(world, "docker volume create 'bad name'")
    assert r.exit_code == 1
    assert r.stderr.startswith('Error response from daemon: create bad name: "bad name" '
                               "includes invalid characters for a local volume name")
    assert sh(world, "docker volume ls -q").stdout == ""
