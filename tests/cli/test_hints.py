"""The mistake explainer (sim/cli/hints.py): each misconception gets its hint, the hint
never enters Docker's stdout or stderr, and correct commands get none."""

from __future__ import annotations

import io
import json

import pytest

from sim.cli.hints import PREFIX, RULES, Explainer
from sim.cli.shell import run_batch, run_hinted
from sim.scenario.build import build_world
from sim.scenario.load import load_scenario_text
from sim.world.world import World, WorldConfig


@pytest.fixture
def world() -> World:
    return World(WorldConfig(seed=5))


class Typist:
    """Types lines on host1 through the shell's path, with one explainer for the session."""

    def __init__(self, world: World, notes: bool = False) -> None:
        self.world, self.explainer = world, Explainer(notes=notes)

    def __call__(self, line: str):
        result = run_hinted(self.world, "host1", line, self.explainer)
        assert "internal error" not in result.text, result.text
        return result


def typed(world: World, *lines: str, notes: bool = False):
    t = Typist(world, notes)
    return [t(line) for line in lines]


def test_stop_of_an_image_names_the_containers_made_from_it(world):
    *_, r = typed(world, "docker pull nginx", "docker run -d --name web nginx",
                  "docker run -d --name web2 nginx", "docker stop nginx")
    assert r.exit_code == 1 and "No such container: nginx" in r.stderr
    assert r.hint == ("images don't run: these containers were made from 'nginx': "
                      "web (running), web2 (running). Use a container's name.")
    assert "images don't run" not in r.stdout + r.stderr


def test_stop_of_an_image_with_no_container_says_how_to_make_one(world):
    *_, r = typed(world, "docker pull nginx", "docker container stop nginx")
    assert r.hint.startswith("images don't run: 'nginx' is an image and no container")


def test_start_of_an_image(world):
    *_, r = typed(world, "docker pull alpine", "docker start alpine")
    assert "docker start starts an existing container" in r.hint
    assert "docker run alpine" in r.hint


def test_rm_of_an_image_points_to_rmi(world):
    *_, r = typed(world, "docker pull alpine", "docker rm alpine")
    assert "docker rm removes containers" in r.hint and "docker rmi alpine" in r.hint


def test_push_of_a_container_name_says_commit_first(world):
    *_, r = typed(world, "docker run -d --name web nginx", "docker push web")
    assert r.exit_code != 0
    assert r.hint.startswith("'web' is a container; a registry stores images")
    assert "docker commit web" in r.hint


def test_push_to_docker_hub_library_suggests_the_local_registry(world):
    *_, r = typed(world, "docker pull alpine", "docker push alpine")
    assert "denied" in r.stderr
    assert "docker tag alpine localhost:5000/alpine" in r.hint


def test_pull_of_a_container_name(world):
    *_, r = typed(world, "docker run -d --name web nginx", "docker pull web")
    assert "pull access denied" in r.stderr
    assert r.hint == ("'web' is a container on this host; pull fetches images from a "
                      "registry. It was made from the image 'nginx'.")


def test_run_of_a_container_name_points_to_start(world):
    *_, r = typed(world, "docker run -d --name web nginx", "docker stop web",
                  "docker run web")
    assert "docker start web" in r.hint


def test_rmi_of_an_image_in_use_names_its_containers(world):
    *_, r = typed(world, "docker run -d --name web nginx", "docker stop web",
                  "docker rmi nginx")
    assert "conflict" in r.stderr
    assert r.hint.startswith("a container holds its image, even a stopped one")
    assert "(web)" in r.hint


def test_rmi_of_a_container_name_points_to_rm(world):
    *_, r = typed(world, "docker run -d --name web nginx", "docker rmi web")
    assert r.hint == ("'web' is a container; docker rmi removes images. docker rm web "
                      "removes the container.")


def test_forced_rmi_of_an_image_in_use_only_untags_and_says_so_once(world):
    t = Typist(world)
    t("docker run -d --name web nginx")
    r = t("docker rmi -f nginx")
    assert r.exit_code == 0 and "Untagged: nginx:latest" in r.stdout
    assert r.hint.startswith("rmi -f only removed the name: container web still uses")
    t("docker pull nginx")
    assert t("docker rmi -f nginx").hint is None  # a note, once per session


def test_forced_rmi_that_deletes_gets_no_hint(world):
    *_, r = typed(world, "docker pull alpine", "docker rmi -f alpine")
    assert "Deleted: " in r.stdout and r.hint is None


def test_tag_with_the_operands_swapped(world):
    *_, r = typed(world, "docker pull alpine", "docker tag alpine:2.0 alpine")
    assert r.exit_code == 1
    assert r.hint == ("docker tag takes the existing image first, then the new name: "
                      "docker tag alpine alpine:2.0")
    assert typed(world, "docker tag nosuch other")[0].hint is None


def test_exec_into_a_stopped_container(world):
    *_, r = typed(world, "docker run -d --name web nginx", "docker stop web",
                  "docker exec web ls /")
    assert "is not running" in r.stderr
    assert r.hint == ("exec starts a new process inside a running container, and 'web' is "
                      "exited: docker start web first.")


def test_rm_of_a_running_container(world):
    *_, r = typed(world, "docker run -d --name web nginx", "docker rm web")
    assert "docker rm -f web" in r.hint and "stop web first" in r.hint


def test_rm_of_a_paused_container(world):
    *_, r = typed(world, "docker run -d --name web nginx", "docker pause web", "docker rm web")
    assert "is paused" in r.stderr
    assert r.hint.startswith("a paused container is frozen, not stopped: docker unpause web")


def test_name_in_use(world):
    *_, r = typed(world, "docker run -d --name web nginx", "docker stop web",
                  "docker run -d --name web nginx")
    assert r.hint.startswith("the name 'web' is taken by an existing exited container")


def test_expecting_a_file_to_survive_rm(world):
    *_, r = typed(world, "docker run -d --name box alpine sleep 600",
                  "docker exec box sh -c 'echo hi > /notes.txt'", "docker rm -f box",
                  "docker run -d --name box alpine sleep 600", "docker exec box cat /notes.txt")
    assert "No such file or directory" in r.stderr
    assert r.hint.startswith("/notes.txt was written in the writable layer of container 'box',"
                             " which is removed")
    assert "-v NAME:/data" in r.hint


def test_a_file_that_never_existed_gets_no_hint(world):
    *_, r = typed(world, "docker run -d --name box alpine sleep 600",
                  "docker exec box cat /nothing")
    assert r.exit_code == 1 and r.hint is None


def test_a_file_kept_in_a_volume_is_found_and_needs_no_hint(world):
    *_, r = typed(world, "docker run -d --name a -v v:/data alpine sleep 600",
                  "docker exec a sh -c 'echo hi > /data/x'", "docker rm -f a",
                  "docker run --rm -v v:/data alpine cat /data/x")
    assert r.stdout == "hi\n" and r.hint is None


RUN_RM = '''
[contexts.fat]
dockerfile = """
FROM alpine:3.22
COPY dump.bin /tmp/dump.bin
RUN rm /tmp/dump.bin
"""
[contexts.fat.files]
"dump.bin" = { size = "20MB" }
[contexts.slim]
dockerfile = """
FROM alpine:3.22
RUN head -c 20M /dev/zero > /tmp/dump.bin && rm /tmp/dump.bin
"""
'''


def test_run_rm_of_a_big_file_explains_the_whiteout():
    world = build_world(load_scenario_text(RUN_RM))
    fat, slim = typed(world, "docker build -t fat fat", "docker build -t slim slim")
    assert fat.exit_code == 0
    assert fat.hint.startswith("deleting /tmp/dump.bin in a later step only wrote a whiteout:"
                               " its 20MB still sit in the layer that added it")
    assert slim.exit_code == 0 and slim.hint is None


def test_implicit_pull_is_a_lesson_note_shown_once(world):
    first, second = typed(world, "docker run -d nginx", "docker run -d alpine sleep 9",
                          notes=True)
    assert first.hint.startswith("there was no such image on this host, so docker run "
                                 "pulled it first")
    assert second.hint is None
    plain = typed(World(WorldConfig(seed=5)), "docker run -d nginx")[0]
    assert plain.hint is None  # the plain shell keeps quiet about a command that worked


@pytest.mark.parametrize("line", ["docker ps", "docker run -d --name ok nginx",
                                  "docker images", "sleep 1", "help", "# comment", "ls",
                                  "docker 'unbalanced"])
def test_ordinary_lines_get_no_hint(world, line):
    assert typed(world, line)[0].hint is None


def test_batch_text_puts_the_hint_on_its_own_marked_line_after_the_output(world):
    out = io.StringIO()
    run_batch(world, "host1", io.StringIO("docker pull alpine\ndocker start alpine\n"), out,
              False)
    lines = out.getvalue().splitlines()
    i = lines.index("$ docker start alpine")
    assert lines[i + 1] == "Error response from daemon: No such container: alpine"
    assert lines[i + 2] == "Error: failed to start containers: alpine"
    assert lines[i + 3].startswith(PREFIX + "'alpine' is an image")


def test_batch_json_has_a_separate_hint_field(world):
    out = io.StringIO()
    run_batch(world, "host1", io.StringIO("docker pull alpine\ndocker start alpine\n"), out,
              True)
    pulled, started = (json.loads(x) for x in out.getvalue().splitlines())
    assert "hint" not in pulled
    assert started["hint"].startswith("'alpine' is an image")
    assert "dockersim" not in started["stderr"] and started["stdout"] == ""


def test_no_hints_turns_them_off(world):
    out = io.StringIO()
    run_batch(world, "host1", io.StringIO("docker pull alpine\ndocker start alpine\n"), out,
              False, hints=False)
    assert PREFIX not in out.getvalue()


def test_the_rule_table_is_the_one_tested_here():
    """A new rule must come with a test above; this list says which rules are covered."""
    names = {rule.__name__ for rule in RULES}
    assert names == {"image_used_as_container", "tag_order", "exec_stopped", "push_container",
                     "pull_container", "run_container", "rmi_in_use", "forced_untag",
                     "rm_running", "name_in_use", "file_lost_with_container",
                     "run_rm_big_file", "implicit_pull"}


def test_shell_no_hints_flag(monkeypatch, capsys):
    from sim.cli.app import main
    for flag, expected in (([], True), (["--no-hints"], False)):
        monkeypatch.setattr("sys.stdin", io.StringIO("docker pull alpine\ndocker start alpine\n"))
        assert main(["shell", *flag]) == 0
        assert (PREFIX in capsys.readouterr().out) is expected
