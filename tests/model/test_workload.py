"""Workload profiles (sim/model/workload.py): what a container's main process does, since
the simulator runs no programs (README "What is simulated")."""

from __future__ import annotations

import pytest

from sim.model.workload import (
    COMMAND,
    HELLO_WORLD,
    JOB,
    NGINX_BANNER,
    SERVICE,
    SHELL,
    Workload,
    command_workload,
    default_workload,
    parse_workload,
)


@pytest.mark.parametrize("repo", ["nginx", "redis", "postgres", "httpd", "mysql", "registry",
                                  "library/redis", "localhost:5000/postgres"])
def test_servers_run_until_stopped(repo):
    w = default_workload(repo)
    assert w.kind == SERVICE
    assert w.handles_sigterm  # docker stop ends them quickly with exit 0 (§1.4)
    assert not w.exits_on_its_own(interactive=False)


def test_nginx_prints_its_entrypoint_banner():
    w = default_workload("nginx")
    assert w.output == NGINX_BANNER
    assert w.output.endswith("Configuration complete; ready for start up\n")
    assert default_workload("redis").output == ""


def test_hello_world_is_a_job_with_the_docker_text():
    w = default_workload("hello-world")
    assert w.kind == JOB
    assert w.exit_code == 0 and w.duration > 0
    assert w.output == HELLO_WORLD
    assert "\nHello from Docker!\nThis message shows that your installation appears to be " \
           "working correctly.\n" in w.output
    assert " $ docker run -it ubuntu bash\n" in w.output
    assert w.exits_on_its_own(interactive=False)


@pytest.mark.parametrize("repo", ["alpine", "debian", "ubuntu", "busybox", "python", "node"])
def test_distributions_and_languages_are_shells(repo):
    w = default_workload(repo)
    assert w.kind == SHELL
    assert w.exits_on_its_own(interactive=False)  # `docker run alpine` exits at once
    assert not w.exits_on_its_own(interactive=True)  # `-it` keeps it running


def test_unknown_images_are_services():
    assert default_workload("someone/webapp").kind == SERVICE


def test_default_profile_is_a_sigterm_honouring_service():
    assert Workload() == Workload(SERVICE, True, 0.0, 0, "", ())


@pytest.mark.parametrize("argv", [["sh"], ["bash"], ["/bin/sh"], ["/usr/bin/python3"],
                                  ["node"]])
def test_a_bare_shell_or_repl_is_a_shell(argv):
    assert command_workload(argv).kind == SHELL


@pytest.mark.parametrize("argv", [["sh", "-c", "echo hi"], ["sleep", "5"], ["echo", "x"],
                                  ["python3", "app.py"], ["nosuchprogram"], []])
def test_anything_else_is_run_by_the_interpreter(argv):
    assert command_workload(argv).kind == COMMAND


@pytest.mark.parametrize(("text", "expected"), [
    ("service", Workload(SERVICE)),
    ("service:ignore-sigterm", Workload(SERVICE, handles_sigterm=False)),
    ("job", Workload(JOB)),
    ("job:duration=5:exit=3", Workload(JOB, duration=5.0, exit_code=3)),
    ("job:duration=2.5s", Workload(JOB, duration=2.5)),
    ("job:exit=0:output=done", Workload(JOB, exit_code=0, output="done\n")),
    ("shell", Workload(SHELL)),
])
def test_parse_workload_valid_forms(text, expected):
    assert parse_workload(text) == expected


@pytest.mark.parametrize(("text", "part"), [
    ("daemon", None),
    ("", None),
    ("job:duration=soon", "duration=soon"),
    ("job:exit=1.5", "exit=1.5"),
    ("service:ignore-sigterm=yes", "ignore-sigterm=yes"),
    ("job:color=red", "color=red"),
    ("job:", ""),
])
def test_parse_workload_errors_are_one_line(text, part):
    with pytest.raises(ValueError) as info:
        parse_workload(text)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"invalid workload {text!r}: ")
    if part is None:
        assert message.endswith("the kind must be service, job or shell")
    else:
        assert f"unknown or bad part {part!r}" in message
        assert "(use ignore-sigterm, duration=SECONDS, exit=CODE, output=TEXT)" in message
