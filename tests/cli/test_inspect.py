"""``docker inspect`` documents (sim/cli/inspect.py) and the inspect command's output rules
(docker/cli cli/command/inspect/inspector.go, system/inspect.go)."""

from __future__ import annotations

import json

import pytest

from sim.world.world import World, WorldConfig
from tests.cli.helpers import engine, sh


@pytest.fixture(scope="module")
def world() -> World:
    world = World(WorldConfig(seed=61))
    sh(world, "docker pull nginx")
    sh(world, "docker run -d --name web nginx")
    sh(world, "docker run --name job alpine sh -c 'exit 3'")
    sh(world, "docker create --name made -v data:/data -v /srv:/srv:ro "
              "--restart on-failure:2 -e A=1 alpine echo hi")
    return world


def inspect(world: World, line: str) -> list[dict]:
    r = sh(world, line)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("[\n    {\n")  # 4-space indent, like json.MarshalIndent
    return json.loads(r.stdout)


# ---- container documents -----------------------------------------------------------------
def test_container_document(world):
    (doc,) = inspect(world, "docker inspect web")
    c = engine(world).container("web")
    image = engine(world).images.get("nginx")
    assert doc["Id"] == c.id and len(doc["Id"]) == 64
    assert doc["Name"] == "/web"  # the internal name has a leading slash (§1.3)
    assert doc["Image"] == image.id
    assert doc["State"]["Status"] == "running"
    assert doc["State"]["Running"] is True and doc["State"]["Paused"] is False
    assert doc["State"]["ExitCode"] == 0
    assert doc["State"]["StartedAt"].startswith("2026-11-27T09:00:")
    assert doc["State"]["FinishedAt"] == "0001-01-01T00:00:00Z"  # Go's zero time
    assert doc["Config"]["Cmd"] == image.cmd
    assert doc["Config"]["Image"] == "nginx"
    assert doc["Path"] == "/docker-entrypoint.sh"
    assert doc["Driver"] == "overlay2"
    assert doc["SizeRootFs"] == image.size + doc["SizeRw"]


def test_exited_container_document(world):
    (doc,) = inspect(world, "docker container inspect job")
    assert doc["State"]["Status"] == "exited"
    assert doc["State"]["ExitCode"] == 3
    assert doc["State"]["Running"] is False
    assert doc["State"]["FinishedAt"] != "0001-01-01T00:00:00Z"


def test_created_container_document(world):
    (doc,) = inspect(world, "docker inspect made")
    assert doc["State"]["Status"] == "created"
    assert doc["State"]["StartedAt"] == "0001-01-01T00:00:00Z"
    assert doc["HostConfig"]["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 2}
    assert doc["HostConfig"]["Binds"] == ["data:/data", "/srv:/srv"]
    assert "A=1" in doc["Config"]["Env"]
    assert doc["Config"]["Cmd"] == ["echo", "hi"]
    mounts = {m["Destination"]: m for m in doc["Mounts"]}
    assert mounts["/data"]["Type"] == "volume" and mounts["/data"]["Name"] == "data"
    assert mounts["/data"]["Source"] == "/var/lib/docker/volumes/data/_data"
    assert mounts["/srv"]["Type"] == "bind" and mounts["/srv"]["RW"] is False


# ---- image documents ---------------------------------------------------------------------
def test_image_document(world):
    (doc,) = inspect(world, "docker image inspect nginx")
    image = engine(world).images.get("nginx")
    assert doc["Id"] == image.id
    assert doc["RepoTags"] == ["nginx:latest"]
    assert len(doc["RepoDigests"]) == 1 and doc["RepoDigests"][0].startswith("nginx@sha256:")
    assert doc["RootFS"] == {"Type": "layers", "Layers": image.diff_ids}
    assert doc["Size"] == image.size == sum(layer.size for layer in image.layers)
    assert doc["Config"]["Cmd"] == ["nginx", "-g", "daemon off;"]
    assert doc["Config"]["Entrypoint"] == ["/docker-entrypoint.sh"]
    assert doc["Os"] == "linux" and doc["Architecture"] == "amd64"


def test_generic_inspect_finds_containers_before_images(world):
    sh(world, "docker create --name alpine alpine")  # a container named like an image
    (doc,) = inspect(world, "docker inspect alpine")
    assert doc["Name"] == "/alpine"
    (img,) = inspect(world, "docker inspect --type image alpine")
    assert img["RepoTags"] == ["alpine:latest"]
    sh(world, "docker rm alpine")


def test_several_objects_in_one_array(world):
    docs = inspect(world, "docker inspect web nginx data")
    assert [d.get("Name") or d.get("RepoTags") for d in docs] == ["/web", ["nginx:latest"],
                                                                   "data"]


# ---- --format fields named in the issue ------------------------------------------------
@pytest.mark.parametrize(("fmt", "target", "expected"), [
    ("{{.State.Status}}", "web", "running"),
    ("{{.State.ExitCode}}", "job", "3"),
    ("{{.State.Status}} {{.State.ExitCode}}", "job", "exited 3"),
    ("{{.Config.Cmd}}", "made", "[echo hi]"),
    ("{{.RepoTags}}", "nginx", "[nginx:latest]"),
    ("{{.Config.Cmd}}", "nginx", "[nginx -g daemon off;]"),
])
def test_format_fields(world, fmt, target, expected):
    r = sh(world, f"docker inspect --format '{fmt}' {target}")
    assert (r.stdout, r.stderr, r.exit_code) == (expected + "\n", "", 0)


def test_format_id_and_size(world):
    image = engine(world).images.get("nginx")
    assert sh(world, "docker inspect -f '{{.Id}}' nginx").stdout == image.id + "\n"
    assert sh(world, "docker inspect -f '{{.Size}}' nginx").stdout == f"{image.size}\n"
    web = engine(world).container("web")
    assert sh(world, "docker inspect -f '{{.Id}}' web").stdout == web.id + "\n"


def test_format_json_and_len_of_layers(world):
    image = engine(world).images.get("nginx")
    r = sh(world, "docker inspect --format '{{json .RootFS.Layers}}' nginx")
    assert json.loads(r.stdout) == image.diff_ids
    assert r.stdout == json.dumps(image.diff_ids, separators=(",", ":")) + "\n"
    r = sh(world, "docker inspect --format '{{len .RootFS.Layers}}' nginx")
    assert r.stdout == f"{len(image.layers)}\n"


def test_format_runs_once_per_object(world):
    r = sh(world, "docker inspect -f '{{.Id}}' web nginx")
    assert r.stdout.splitlines() == [engine(world).container("web").id,
                                     engine(world).images.get("nginx").id]


def test_format_json_keyword_prints_compact_json(world):
    r = sh(world, "docker inspect --format json web")  # NewJSONInspector
    (doc,) = json.loads(r.stdout)
    assert doc["Name"] == "/web"
    assert r.stdout.startswith('[{"Id":')


# ---- errors ------------------------------------------------------------------------------
def test_unknown_object(world):
    r = sh(world, "docker inspect nosuch")
    assert (r.stdout, r.exit_code) == ("[]\n", 1)  # the empty array is still printed
    assert r.stderr == "Error: No such object: nosuch\n"


def test_every_missing_name_is_reported(world):
    r = sh(world, "docker inspect a web b")
    assert r.exit_code == 1
    assert [d["Name"] for d in json.loads(r.stdout)] == ["/web"]
    assert r.stderr == "Error: No such object: a\nError: No such object: b\n"


@pytest.mark.parametrize(("command", "message"), [
    ("docker image inspect nosuch", "No such image: nosuch:latest"),
    ("docker container inspect nosuch", "No such container: nosuch"),
    ("docker inspect --type image nosuch", "No such image: nosuch:latest"),
    ("docker inspect --type container nosuch", "No such container: nosuch"),
])
def test_typed_inspect_prints_the_daemon_error(world, command, message):
    # since moby#43398 (API client ≥ 23) a 404 is not rewritten to "Error: No such …"
    r = sh(world, command)
    assert (r.stdout, r.exit_code) == ("[]\n", 1)
    assert r.stderr == f"Error response from daemon: {message}\n"


def test_template_error_on_execution(world):
    r = sh(world, "docker inspect --format '{{.Nope}}' nginx")
    assert r.exit_code == 1
    assert r.stdout == "\n"  # TemplateInspector.Flush prints a newline when nothing was written
    assert r.stderr == ('template parsing error: template: :1:2: executing "" at <.Nope>: '
                        'map has no entry for key "Nope"\n')


def test_template_syntax_error_exits_64(world):
    r = sh(world, "docker inspect --format '{{.Id' nginx")
    assert r.exit_code == 64  # inspector.go: StatusError{StatusCode: 64}
    assert r.stdout == ""
    assert r.stderr.startswith("template parsing error: ")


def test_format_with_a_missing_object_still_flushes(world):
    r = sh(world, "docker inspect -f '{{.Id}}' nosuch")
    assert (r.stdout, r.exit_code) == ("\n", 1)
    assert r.stderr == "Error: No such object: nosuch\n"
