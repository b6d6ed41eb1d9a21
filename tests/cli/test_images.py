"""Image commands (sim/cli/images.py): pull, push, tag, rmi, image prune — Docker's
progress lines, statuses and exact errors (fact sheet §2, §5, §7)."""

from __future__ import annotations

import re

import pytest

from sim.world.world import World, WorldConfig
from tests.cli.helpers import engine, sh

LAYER_LINE = re.compile(r"^([0-9a-f]{12}): (.+)$")


@pytest.fixture
def world() -> World:
    return World(WorldConfig(seed=31))


def layer_lines(text: str) -> list[tuple[str, str]]:
    return [m.groups() for line in text.splitlines() if (m := LAYER_LINE.match(line))]


# ---- pull --------------------------------------------------------------------------------
def test_pull_output_skeleton(world):
    r = sh(world, "docker pull nginx")
    assert r.exit_code == 0 and r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[0] == "Using default tag: latest"  # only when no tag was given (§5.3)
    assert lines[1] == "latest: Pulling from library/nginx"
    assert re.fullmatch(r"Digest: sha256:[0-9a-f]{64}", lines[-3])
    assert lines[-2] == "Status: Downloaded newer image for nginx:latest"
    assert lines[-1] == "docker.io/library/nginx:latest"
    image = engine(world).images.get("nginx")
    ids = {short for short, _ in layer_lines(r.stdout)}
    # layer lines carry the first 12 hex of the compressed blob digest (§5.3)
    assert ids == {layer.digest[7:19] for layer in image.layers}
    for layer in image.layers:
        statuses = [s for short, s in layer_lines(r.stdout) if short == layer.digest[7:19]]
        assert statuses[0] == "Pulling fs layer"
        assert statuses[-3:] == ["Verifying Checksum", "Download complete", "Pull complete"]
    # three downloads at a time: the fourth layer on waits (§5.3, §6)
    waiting = [short for short, s in layer_lines(r.stdout) if s == "Waiting"]
    assert waiting == [layer.digest[7:19] for layer in image.layers[3:]]


def test_pull_with_a_tag_prints_no_default_tag_line(world):
    r = sh(world, "docker pull alpine:3")
    assert r.stdout.splitlines()[0] == "3: Pulling from library/alpine"
    assert r.stdout.splitlines()[-1] == "docker.io/library/alpine:3"


def test_pull_again_is_up_to_date_and_prints_no_layers(world):
    sh(world, "docker pull nginx")
    r = sh(world, "docker pull nginx")
    assert layer_lines(r.stdout) == []  # config present: no layer lines (§5.3)
    # pull_v2.go pullTag prints "Pulling from" after the manifest, before the config check
    assert r.stdout.splitlines()[1:4] == [
        "latest: Pulling from library/nginx",
        f"Digest: {r.stdout.splitlines()[2].split()[-1]}",
        "Status: Image is up to date for nginx:latest"]


def test_new_tag_for_a_known_image_says_downloaded_newer(world):
    sh(world, "docker pull python:3.14-slim")
    r = sh(world, "docker pull python:slim")
    assert layer_lines(r.stdout) == []
    # §5.3 / §7.4: "Downloaded newer image" even though nothing was downloaded
    assert "Status: Downloaded newer image for python:slim" in r.stdout


def test_already_exists_is_a_chain_prefix(world):
    sh(world, "docker pull python:3.14-slim")
    r = sh(world, "docker pull debian:trixie-slim")
    lines = layer_lines(r.stdout)
    eng = engine(world)
    python, debian = eng.images.get("python:3.14-slim"), eng.images.get("debian:trixie-slim")
    shared = 0
    while (shared < min(len(python.layers), len(debian.layers))
           and python.chain_ids[shared] == debian.chain_ids[shared]):
        shared += 1
    assert shared >= 1
    existing = [short for short, s in lines if s == "Already exists"]
    assert existing == [layer.digest[7:19] for layer in debian.layers[:shared]]
    statuses = [s for _, s in lines]
    if "Pulling fs layer" in statuses:  # nothing after the first download "already exists"
        assert "Already exists" not in statuses[statuses.index("Pulling fs layer"):]
    assert "Status: Downloaded newer image for debian:trixie-slim" in r.stdout


def test_pull_quiet_prints_only_the_reference(world):
    r = sh(world, "docker pull -q alpine")
    # cli pull.go prints "Using default tag" only when not quiet
    assert r.stdout == "docker.io/library/alpine:latest\n"
    assert r.stderr == ""


def test_pull_errors(world):
    r = sh(world, "docker pull nginx:nope")
    assert r.exit_code == 1
    assert r.stderr == ("Error response from daemon: manifest for nginx:nope not found: "
                        "manifest unknown: manifest unknown\n")  # §1.7
    r = sh(world, "docker pull nosuchimage")
    assert r.stdout == "Using default tag: latest\n"
    assert r.stderr == ("Error response from daemon: pull access denied for nosuchimage, "
                        "repository does not exist or may require 'docker login': denied: "
                        "requested access to the resource is denied\n")
    r = sh(world, "docker pull Nginx")
    assert r.stderr == ("invalid reference format: repository name (library/Nginx) must be "
                        "lowercase\n")
    r = sh(world, "docker pull localhost:5000/nothing:1")
    assert r.stderr == ("Error response from daemon: manifest for localhost:5000/nothing:1 not "
                        "found: manifest unknown: manifest unknown\n")  # registry:2 (§1.7)


# ---- push --------------------------------------------------------------------------------
@pytest.fixture
def pushed(world):
    sh(world, "docker pull python:3.14-slim")
    sh(world, "docker tag python:3.14-slim localhost:5000/a")
    return world


def test_push_output_and_ids_from_diff_ids(pushed):
    r = sh(pushed, "docker push localhost:5000/a")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Using default tag: latest"
    assert lines[1] == "The push refers to repository [localhost:5000/a]"  # §5.2
    image = engine(pushed).images.get("localhost:5000/a")
    lines_ = layer_lines(r.stdout)
    preparing = [short for short, s in lines_ if s == "Preparing"]
    # push IDs come from diffIDs (uncompressed), top layer first (§5.2, §7.6)
    assert preparing == [layer.diff_id[7:19] for layer in reversed(image.layers)]
    assert sorted(short for short, s in lines_ if s == "Pushed") == sorted(preparing)
    assert re.fullmatch(r"latest: digest: sha256:[0-9a-f]{64} size: \d+", lines[-1])


def test_push_ids_differ_from_pull_ids(pushed):
    push = {short for short, _ in layer_lines(sh(pushed, "docker push localhost:5000/a").stdout)}
    image = engine(pushed).images.get("localhost:5000/a")
    pull = {layer.digest[7:19] for layer in image.layers}
    assert push and pull and push.isdisjoint(pull)  # §7.6


def test_second_push_finds_every_layer(pushed):
    first = sh(pushed, "docker push localhost:5000/a").stdout
    again = sh(pushed, "docker push localhost:5000/a").stdout
    statuses = {s for _, s in layer_lines(again)} - {"Preparing", "Waiting"}
    assert statuses == {"Layer already exists"}
    assert first.splitlines()[-1] == again.splitlines()[-1]  # same manifest digest


def test_push_to_a_second_repository_mounts_the_blobs(pushed):
    sh(pushed, "docker push localhost:5000/a")
    sh(pushed, "docker tag localhost:5000/a localhost:5000/b")
    r = sh(pushed, "docker push localhost:5000/b")
    assert r.exit_code == 0
    statuses = {s for _, s in layer_lines(r.stdout)} - {"Preparing", "Waiting"}
    assert statuses == {"Mounted from a"}  # cross-repository mount (§5.1, §5.2)


def test_pushed_image_pulls_back(pushed):
    sh(pushed, "docker push localhost:5000/a:latest")
    image_id = engine(pushed).images.get("localhost:5000/a").id
    sh(pushed, "docker rmi localhost:5000/a python:3.14-slim")
    r = sh(pushed, "docker pull localhost:5000/a")
    assert r.exit_code == 0
    assert "latest: Pulling from a" in r.stdout
    assert engine(pushed).images.get("localhost:5000/a").id == image_id  # same config (§2.1)


def test_push_of_a_name_without_local_image(world):
    r = sh(world, "docker push localhost:5000/zzz")
    assert r.exit_code == 1
    # moby distribution/push.go prints the repository line before the association check
    assert r.stdout == ("Using default tag: latest\n"
                        "The push refers to repository [localhost:5000/zzz]\n")
    assert r.stderr == "An image does not exist locally with the tag: localhost:5000/zzz\n"


def test_push_of_a_missing_tag(pushed):
    r = sh(pushed, "docker push localhost:5000/a:nope")
    assert r.exit_code == 1
    assert r.stdout == "The push refers to repository [localhost:5000/a]\n"
    assert r.stderr == "tag does not exist: localhost:5000/a:nope\n"  # §5.2


def test_push_to_an_official_repository_is_denied(pushed):
    r = sh(pushed, "docker push python:3.14-slim")
    assert r.exit_code == 1
    assert r.stdout.startswith("The push refers to repository [docker.io/library/python]\n")
    assert r.stderr == "denied: requested access to the resource is denied\n"


def test_push_quiet(pushed):
    r = sh(pushed, "docker push -q localhost:5000/a")
    assert r.exit_code == 0
    assert r.stdout == "localhost:5000/a:latest\n"  # cli push.go: ref.String(), no progress


# ---- tag ---------------------------------------------------------------------------------
def test_tag_adds_a_name_to_the_same_image(world):
    sh(world, "docker pull alpine")
    r = sh(world, "docker tag alpine mine:1")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "", 0)
    eng = engine(world)
    assert eng.images.get("mine:1").id == eng.images.get("alpine").id


def test_tag_errors(world):
    sh(world, "docker pull alpine")
    r = sh(world, "docker tag nosuch x")
    assert (r.exit_code, r.stderr) == (1, "Error response from daemon: No such image: "
                                          "nosuch:latest\n")
    # moby client ImageTag parses both references before calling the daemon
    r = sh(world, "docker tag alpine Bad")
    assert r.exit_code == 1
    assert r.stderr == ('Error parsing reference: "Bad" is not a valid repository/tag: invalid '
                        "reference format: repository name (library/Bad) must be lowercase\n")
    r = sh(world, "docker tag nosuch a:b:c")
    assert r.stderr == ('Error parsing reference: "a:b:c" is not a valid repository/tag: '
                        "invalid reference format\n")
    digest = "sha256:" + "a" * 64
    r = sh(world, f"docker tag alpine app@{digest}")
    assert r.stderr == "refusing to create a tag with a digest reference\n"


# ---- rmi ---------------------------------------------------------------------------------
def test_rmi_of_a_pulled_image_untags_its_digest_too(world):
    sh(world, "docker pull nginx")
    eng = engine(world)
    image = eng.images.get("nginx")
    digest = next(r.digest for r in eng.images.references(image.id) if r.digest)
    r = sh(world, "docker rmi nginx")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[:3] == ["Untagged: nginx:latest", f"Untagged: nginx@{digest}",
                         f"Deleted: {image.id}"]  # §2.4
    # then one line per layer removed, top layer first
    assert lines[3:] == [f"Deleted: {chain}" for chain in reversed(image.chain_ids)]
    assert len(list(eng.layers)) == 0


def test_rmi_of_one_of_two_tags_only_untags(world):
    sh(world, "docker pull python:3.14-slim")
    sh(world, "docker pull python:slim")
    r = sh(world, "docker rmi python:slim")
    assert r.stdout == "Untagged: python:slim\n"  # §2.5: other tags remain
    assert len(list(engine(world).images)) == 1


def test_rmi_conflicts(world):
    sh(world, "docker run -d --name c alpine sleep 100")
    eng = engine(world)
    image, ctr = eng.images.get("alpine"), eng.container("c")
    r = sh(world, "docker rmi alpine")
    assert r.exit_code == 1
    assert r.stderr == ('Error response from daemon: conflict: unable to remove repository '
                        f'reference "alpine" (must force) - container {ctr.id[:12]} is using its '
                        f"referenced image {image.id[7:19]}\n")
    r = sh(world, f"docker rmi {image.id[7:19]}")
    assert r.stderr == (f"Error response from daemon: conflict: unable to delete {image.id[7:19]}"
                        f" (cannot be forced) - image is being used by running container "
                        f"{ctr.id[:12]}\n")


def test_rmi_missing(world):
    r = sh(world, "docker rmi nosuch")
    assert (r.exit_code, r.stderr) == (1, "Error response from daemon: No such image: "
                                          "nosuch:latest\n")
    r = sh(world, "docker rmi -f nosuch")
    assert r.exit_code == 0  # §2.5: printed, yet exit 0 with -f
    assert r.stderr == "Error response from daemon: No such image: nosuch:latest\n"


# ---- image prune -------------------------------------------------------------------------
def test_image_prune_removes_dangling_images(world):
    sh(world, "docker run -d --name c alpine sleep 100")
    sh(world, "docker exec c sh -c 'head -c 3000 /dev/zero > /first'")
    old = sh(world, "docker commit c app:1").stdout.strip()
    sh(world, "docker exec c sh -c 'echo x > /second'")
    sh(world, "docker commit c app:1")  # the first commit loses its tag (§2.3)
    old_image = engine(world).images.images[old]
    r = sh(world, "docker image prune -f")
    assert r.exit_code == 0
    assert r.stdout == ("Deleted Images:\n"
                        f"deleted: {old}\n"
                        f"deleted: {old_image.top_chain}\n"
                        "\n"
                        "Total reclaimed space: 3kB\n")  # cli image/prune.go layout
    assert sh(world, "docker image prune -f").stdout == "Total reclaimed space: 0B\n"


def test_image_prune_all_keeps_images_in_use(world):
    sh(world, "docker pull hello-world")
    sh(world, "docker run -d --name c alpine sleep 100")
    r = sh(world, "docker image prune -a -f")
    assert "untagged: hello-world:latest" in r.stdout
    assert "alpine" not in r.stdout
    assert [i.id for i in engine(world).images] == [engine(world).container("c").image_id]
