"""The line runner (sim/cli/runner.py): what one typed line does to the world and what it
prints, before and around the docker command handlers."""

from __future__ import annotations

import pytest

from sim.cli import commands
from sim.cli.runner import SIM_HELP, Result, execute
from sim.trace import events as ev
from sim.world.world import World, WorldConfig


@pytest.fixture
def world() -> World:
    return World(WorldConfig(seed=3))


def sh(world: World, line: str) -> Result:
    return execute(world, "host1", line)


# ---- lines that are not docker commands ---------------------------------------------------
@pytest.mark.parametrize("line", ["", "   ", "# a comment", "   # indented comment"])
def test_blank_and_comment_lines_do_nothing(world, line):
    before = len(world.trace)
    r = sh(world, line)
    assert (r.stdout, r.stderr, r.exit_code) == ("", "", 0)
    assert r.cmd == line
    assert r.t == 0 and world.now == 0
    assert len(world.trace) == before  # nothing happened, nothing traced


@pytest.mark.parametrize(("arg", "seconds"), [("5", 5), ("1.5", 1.5), ("2m", 120),
                                              ("250ms", 0.25), ("3s", 3), ("1h", 3600)])
def test_sleep_advances_simulated_time(world, arg, seconds):
    r = sh(world, f"sleep {arg}")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "", 0)
    assert world.now == pytest.approx(seconds)
    assert r.t == pytest.approx(seconds)
    advanced = [rec.event for rec in world.trace.of(ev.ClockAdvanced)]
    assert [e.seconds for e in advanced] == [pytest.approx(seconds)]
    assert advanced[0].host == "host1"


def test_sleep_2m_ages_a_running_container(world):
    sh(world, "docker run -d --name web nginx")
    sh(world, "sleep 2m")
    status = sh(world, "docker ps --format '{{.Status}}'").stdout
    assert status == "Up 2 minutes\n"  # go-units HumanDuration (fact sheet §1.1)


@pytest.mark.parametrize("line", ["sleep", "sleep x", "sleep -1", "sleep 1 2", "sleep 5y",
                                  "sleep inf", "sleep nan"])
def test_bad_sleep_usage_exits_2_and_leaves_the_clock(world, line):
    r = sh(world, line)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr == "sleep: usage: sleep SECONDS (e.g. 5, 1.5, 2m)\n"
    assert world.now == 0


@pytest.mark.parametrize("word", ["ls", "echo", "kubectl", "podman"])
def test_words_other_than_docker_are_not_found(world, word):
    r = sh(world, f"{word} -l something")
    assert r.exit_code == 127  # the shell's "command not found" status
    assert r.stdout == ""
    assert r.stderr == (f"dockersim: {word}: command not found (try: docker --help, help)\n")
    assert world.trace.of(ev.CommandStarted) == []


def test_unbalanced_quote_is_a_one_line_error(world):
    r = sh(world, "docker run alpine echo 'oops")
    assert r.exit_code == 2
    assert r.stderr.startswith("dockersim: cannot parse the line:")
    assert r.stderr.count("\n") == 1


def test_help_prints_the_shell_help_on_stdout(world):
    r = sh(world, "help")
    assert r.exit_code == 0
    assert r.stdout == SIM_HELP + "\n"
    assert "sleep SECONDS" in r.stdout and r.stderr == ""


# ---- $(...) substitution -------------------------------------------------------------------
def test_command_substitution_splices_the_inner_stdout(world):
    sh(world, "docker create --name a alpine")
    sh(world, "docker create --name b alpine")
    ids = sh(world, "docker ps -aq").stdout.split()
    assert len(ids) == 2
    r = sh(world, "docker rm $(docker ps -aq)")
    assert r.exit_code == 0
    assert r.stdout.split() == ids  # rm prints each target as typed (fact sheet §0.3)
    assert sh(world, "docker ps -aq").stdout == ""


def test_substitution_of_empty_output_leaves_no_argument(world):
    r = sh(world, "docker rm $(docker ps -aq)")
    assert r.exit_code == 1  # docker rm with no argument: the CLI's usage error
    assert "'docker rm' requires at least 1 argument" in r.stderr


# ---- streams ------------------------------------------------------------------------------
def test_deprecation_warnings_go_to_stderr_before_the_output(world):
    sh(world, "docker run -d --name web nginx")
    r = sh(world, "docker stop --time 1 web")
    assert r.exit_code == 0
    assert r.stdout == "web\n"
    assert r.stderr == "Flag --time has been deprecated, use --timeout instead\n"
    assert r.merged.startswith("Flag --time has been deprecated")


def test_help_flag_prints_usage_on_stdout(world):
    r = sh(world, "docker ps --help")
    assert r.exit_code == 0
    assert r.stdout.startswith("Usage:  docker ps [OPTIONS]\n")
    assert r.stderr == ""


def test_deprecated_h_shorthand_still_prints_help_with_a_warning(world):
    r = sh(world, "docker rm -h")
    assert r.exit_code == 0
    assert r.stdout.startswith("Usage:  docker rm [OPTIONS] CONTAINER [CONTAINER...]")
    assert r.stderr == "Flag shorthand -h has been deprecated, use --help\n"


def test_management_command_alone_prints_its_help_on_stderr(world):
    # cobra's ShowHelp(dockerCli.Err()) for `docker volume` without a subcommand
    r = sh(world, "docker volume")
    assert r.exit_code == 0
    assert r.stdout == ""
    assert r.stderr.startswith("Usage:  docker volume COMMAND")


def test_merged_keeps_the_printing_order(world):
    # docker run -d of a missing image: the pull progress (stderr, §1.6), then the ID (stdout)
    r = sh(world, "docker run -d alpine sleep 100")
    assert r.merged.startswith("Unable to find image 'alpine:latest' locally\n")
    assert r.merged.endswith(r.stdout)
    assert r.merged == r.stderr + r.stdout
    assert r.text == r.merged
    assert [stream for stream, _ in r.chunks][-1] == "stdout"


def test_result_as_json_has_the_batch_keys(world):
    sh(world, "sleep 1.25")
    r = sh(world, "docker ps -q")
    assert r.as_json() == {"cmd": "docker ps -q", "stdout": "", "stderr": "",
                           "exit_code": 0, "t": 1.25}


def test_docker_lines_are_traced_with_their_exit_code(world):
    sh(world, "docker rm nosuch")
    started = [r.event for r in world.trace.of(ev.CommandStarted)]
    finished = [r.event for r in world.trace.of(ev.CommandFinished)]
    assert [e.line for e in started] == ["docker rm nosuch"]
    assert [(e.line, e.exit_code) for e in finished] == [("docker rm nosuch", 1)]


def test_daemon_errors_are_prefixed_and_exit_1(world):
    r = sh(world, "docker logs nosuch")
    assert r.exit_code == 1
    assert r.stderr == "Error response from daemon: No such container: nosuch\n"  # §0.3


# ---- a simulator bug never escapes as a traceback ----------------------------------------
def _boom(ctx, o, args):
    raise RuntimeError("boom")
    yield  # pragma: no cover - makes this a generator like every handler


def test_a_handler_bug_gives_one_line_and_exit_70(world, monkeypatch):
    monkeypatch.delenv("DOCKERSIM_DEBUG", raising=False)
    monkeypatch.setitem(commands.HANDLERS, ("container", "ls"), _boom)
    r = sh(world, "docker ps -a")
    assert r.exit_code == 70  # EX_SOFTWARE
    assert r.stdout == ""
    assert r.stderr == ("dockersim: internal error while running 'docker ps -a': "
                        "RuntimeError: boom (set DOCKERSIM_DEBUG=1 for details)\n")
    assert "Traceback" not in r.stderr
    finished = world.trace.of(ev.CommandFinished)[-1].event
    assert finished.exit_code == 70
    # the world goes on: the next command works
    assert sh(world, "docker images -q").exit_code == 0


def test_a_bug_in_a_background_process_is_caught_too(world, monkeypatch):
    """A pull downloads in SimPy callbacks; a crash there must not escape either."""
    from sim.world.download import Download

    def broken_download(*args, **kwargs):
        raise RuntimeError("download exploded")

    monkeypatch.delenv("DOCKERSIM_DEBUG", raising=False)
    monkeypatch.setattr(Download, "_stream", broken_download)
    r = sh(world, "docker pull alpine")
    assert r.exit_code == 70
    assert r.stderr.endswith("RuntimeError: download exploded (set DOCKERSIM_DEBUG=1 for "
                             "details)\n")
    assert r.stderr.count("dockersim: internal error") == 1
    assert "Traceback" not in r.stderr


def test_debug_mode_lets_the_exception_through(world, monkeypatch):
    monkeypatch.setenv("DOCKERSIM_DEBUG", "1")
    monkeypatch.setitem(commands.HANDLERS, ("container", "ls"), _boom)
    with pytest.raises(RuntimeError, match="boom"):
        sh(world, "docker ps")
