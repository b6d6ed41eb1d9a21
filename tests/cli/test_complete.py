"""Tab completion (sim/cli/complete.py) from the same command specs as parsing and help."""

from __future__ import annotations

import pytest

from sim.cli.complete import Completer
from sim.cli.runner import execute
from sim.world.world import World, WorldConfig


@pytest.fixture
def world() -> World:
    return World(WorldConfig(seed=2))


@pytest.fixture
def complete(world):
    return Completer(world, "host1").candidates


def test_first_word(complete):
    assert complete([], "") == ["docker", "sleep", "help"]
    assert complete([], "d") == ["docker"]
    assert complete([], "s") == ["sleep"]
    assert complete([], "x") == []


def test_nothing_after_other_words(complete):
    assert complete(["sleep"], "") == []
    assert complete(["ls"], "") == []


def test_docker_subcommands(complete):
    assert complete(["docker"], "im") == ["image", "images"]
    assert complete(["docker"], "vol") == ["volume"]
    top = complete(["docker"], "")
    for word in ("run", "ps", "pull", "push", "images", "rmi", "container", "image", "volume",
                 "system", "stop", "start", "commit", "inspect"):
        assert word in top
    assert top == sorted(top)


def test_management_subcommands(complete):
    volume = complete(["docker", "volume"], "")
    for word in ("create", "inspect", "ls", "prune", "rm"):
        assert word in volume
    assert complete(["docker", "volume"], "p") == ["prune"]
    assert "ls" in complete(["docker", "container"], "l")
    assert "df" in complete(["docker", "system"], "")


def test_flags(complete):
    assert complete(["docker", "run"], "--na") == ["--name"]
    assert complete(["docker", "ps"], "--a") == ["--all"]
    assert complete(["docker", "rm"], "-") == sorted(complete(["docker", "rm"], "-"))
    assert "-f" in complete(["docker", "rm"], "-")
    assert "--force" in complete(["docker", "rm"], "--f")
    # flags of the typed command only
    assert "--name" not in complete(["docker", "ps"], "--")


def test_flags_after_other_words(complete):
    assert complete(["docker", "run", "-d", "--name", "web"], "--rm") == ["--rm"]


def test_hidden_and_deprecated_flags_are_not_offered(complete):
    # cobra completes neither hidden nor deprecated flags (completions.go nonCompletableFlag)
    stop = complete(["docker", "stop"], "--t")
    assert stop == ["--timeout"]  # not the deprecated --time
    run = complete(["docker", "run"], "--")
    assert "--net" not in run and "--network" in run  # --net is a hidden alias


def test_container_names_after_stop(world, complete):
    execute(world, "host1", "docker run -d --name web nginx")
    execute(world, "host1", "docker create --name other alpine")
    assert complete(["docker", "stop"], "") == ["other", "web"]
    assert complete(["docker", "stop"], "w") == ["web"]
    assert complete(["docker", "container", "rm"], "o") == ["other"]


def test_image_refs_for_image_commands(world, complete):
    execute(world, "host1", "docker pull alpine")
    execute(world, "host1", "docker tag alpine mine:1")
    assert complete(["docker", "rmi"], "") == ["alpine:latest", "mine:1"]
    assert complete(["docker", "image", "rm"], "m") == ["mine:1"]


def test_image_refs_after_run_include_the_catalog(world, complete):
    execute(world, "host1", "docker pull alpine")
    execute(world, "host1", "docker tag alpine mine:1")
    refs = complete(["docker", "run"], "")
    assert "nginx:latest" in refs  # catalog names: run pulls what is missing (§1.6)
    assert "mine:1" in refs  # and local tags
    assert refs == sorted(set(refs))
    assert all(r.startswith("ngi") for r in complete(["docker", "run"], "ngi"))
    assert "nginx:latest" in complete(["docker", "pull"], "ngi")


def test_volume_names(world, complete):
    execute(world, "host1", "docker volume create data")
    execute(world, "host1", "docker volume create cache")
    assert complete(["docker", "volume", "rm"], "") == ["cache", "data"]
    assert complete(["docker", "volume", "inspect"], "d") == ["data"]
