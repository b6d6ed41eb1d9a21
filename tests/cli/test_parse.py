"""Command-line parsing with Docker CLI 28.5's pflag/cobra rules, errors and exit codes.

Expected texts come from docker/cli cli/cobra.go (FlagErrorFunc), cli/required.go,
cmd/docker/docker.go (unknown command, exit codes) and spf13/pflag flag.go/errors.go.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.cli.parse import UsageError, parse_command_line
from sim.cli.specs import SPECS


def parsed(line: str):
    return parse_command_line(line.split())


def fails(line: str) -> UsageError:
    with pytest.raises(UsageError) as info:
        parse_command_line(line.split())
    return info.value


# --- unknown commands (cmd/docker/docker.go RunE, cli/required.go NoArgs) ---------------


def test_unknown_command():
    err = fails("foo")
    assert err.message == ("docker: unknown command: docker foo\n\n"
                           "Run 'docker --help' for more information")
    assert err.exit_code == 1


def test_unknown_management_subcommand_uses_the_group_usage_line():
    err = fails("image foo")
    assert err.message == ("docker: unknown command: docker image foo\n\n"
                           "Usage:  docker image\n\n"
                           "Run 'docker image --help' for more information")
    assert err.exit_code == 1
    # volume's Use is "volume COMMAND" (volume/cmd.go)
    assert "Usage:  docker volume COMMAND\n" in fails("volume foo").message


# --- flag errors (cli/cobra.go FlagErrorFunc: exit 125 for every command) --------------


def test_unknown_long_flag():
    err = fails("run --foo nginx")
    assert err.message == ("unknown flag: --foo\n\n"
                           "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
                           "Run 'docker run --help' for more information")
    assert err.exit_code == 125


def test_unknown_shorthand_flag_names_the_whole_group():
    err = fails("ps -ax")
    assert err.message.startswith("unknown shorthand flag: 'x' in -x\n\n")
    assert err.exit_code == 125
    assert fails("container ls -Z").message == (
        "unknown shorthand flag: 'Z' in -Z\n\nUsage:  docker container ls [OPTIONS]\n\n"
        "Run 'docker container ls --help' for more information")


def test_flag_needing_an_argument():
    assert fails("ps --format").message.startswith("flag needs an argument: --format\n\n")
    assert fails("ps -n").message.startswith("flag needs an argument: 'n' in -n\n\n")
    # run's -h is --hostname, which takes a value
    assert fails("run -h").message.startswith("flag needs an argument: 'h' in -h\n\n")


def test_invalid_int_duration_and_size_values():
    err = fails("stop -t abc web")
    assert err.message == (
        'invalid argument "abc" for "-t, --timeout" flag: strconv.ParseInt: parsing "abc": '
        "invalid syntax\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\n"
        "Run 'docker stop --help' for more information")
    assert err.exit_code == 125
    assert fails("run --health-interval 10 x").message.startswith(
        'invalid argument "10" for "--health-interval" flag: time: missing unit in duration '
        '"10"\n')
    assert fails("run -m 1x x").message.startswith(
        "invalid argument \"1x\" for \"-m, --memory\" flag: invalid suffix: 'x'\n")
    assert fails("run --blkio-weight 70000 x").message.startswith(
        'invalid argument "70000" for "--blkio-weight" flag: strconv.ParseUint: parsing '
        '"70000": value out of range\n')
    assert fails("run --rm=maybe x").message.startswith(
        'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": '
        "invalid syntax\n")


def test_bad_filter_is_rejected_while_parsing():
    assert fails("ps --filter x").message.startswith(
        'invalid argument "x" for "-f, --filter" flag: bad format of filter '
        "(expected name=value)\n")


def test_global_flag_errors_belong_to_the_root_command():
    err = fails("--foo ps")
    assert err.message == ("unknown flag: --foo\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]"
                           "\n\nRun 'docker --help' for more information")
    assert err.exit_code == 125


def test_flags_before_a_subcommand_of_a_group_are_the_groups_flags():
    # cobra Traverse: an unknown --foo takes "ls" as its value, so no subcommand is found
    # and "docker image" reports the flag error with its own usage line.
    err = fails("image --foo ls")
    assert err.message.startswith("unknown flag: --foo\n\nUsage:  docker image\n\n")
    assert err.exit_code == 125


def test_bad_flag_syntax():
    assert fails("ps ---all").message.startswith("bad flag syntax: ---all\n")


# --- argument counts (cli/required.go, exit 1) ---------------------------------------


def test_requires_at_least():
    err = fails("run")
    assert err.message == ("docker: 'docker run' requires at least 1 argument\n\n"
                           "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
                           "See 'docker run --help' for more information")
    assert err.exit_code == 1
    assert fails("exec web").message.startswith(
        "docker: 'docker exec' requires at least 2 arguments\n\n")


def test_requires_exactly():
    assert fails("tag a").message == (
        "docker: 'docker tag' requires 2 arguments\n\n"
        "Usage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\n"
        "Run 'docker tag --help' for more information")
    assert fails("image pull").message.startswith(
        "docker: 'docker image pull' requires 1 argument\n\n")


def test_accepts_no_arguments():
    err = fails("container ls extra")
    assert err.message == ("docker: 'docker container ls' accepts no arguments\n\n"
                           "Usage:  docker container ls [OPTIONS]\n\n"
                           "Run 'docker container ls --help' for more information")
    assert err.exit_code == 1


def test_requires_at_most_keeps_dockers_typo():
    # cli/required.go RequiresMaxArgs in the v28 tree prints "SRun".
    assert fails("images a b").message == (
        "docker: 'docker images' requires at most 1 argument\n\n"
        "Usage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\n"
        "SRun 'docker images --help' for more information")


def test_requires_a_range():
    assert fails("commit").message.startswith(
        "docker: 'docker commit' requires at least 1 and at most 2 arguments\n\n")


def test_messages_name_the_cobra_command_not_the_alias_typed():
    assert fails("container list x").message.startswith(
        "docker: 'docker container ls' accepts no arguments")
    assert fails("remove").message.startswith("docker: 'docker rm' requires at least 1")


def test_windows_only_flag_on_a_linux_daemon():
    # cmd/docker/docker.go areFlagsSupported
    err = fails("run --cpu-count 2 nginx")
    assert err.message == ('"--cpu-count" is only supported on a Docker daemon running on '
                           "windows, but the Docker daemon is running on linux")
    assert err.exit_code == 1


# --- accepted lines -----------------------------------------------------------------


def test_combined_shorthands_and_repeated_lists():
    p = parsed("run -dit --rm --name web -e A=1 -e B=2 -p 80:80 nginx")
    assert p.spec.path == ("container", "run")
    assert p.options == {"detach": True, "interactive": True, "tty": True, "rm": True,
                         "name": "web", "env": ["A=1", "B=2"], "publish": ["80:80"]}
    assert p.args == ["nginx"]


def test_flags_after_the_image_belong_to_the_container_command():
    p = parse_command_line(["run", "--rm", "ubuntu", "ls", "-la", "--help"])
    assert p.args == ["ubuntu", "ls", "-la", "--help"]
    assert p.help_text is None
    p = parse_command_line(["exec", "-it", "web", "sh", "-c", "echo -n hi"])
    assert p.args == ["web", "sh", "-c", "echo -n hi"]


def test_interspersed_flags_for_other_commands():
    p = parse_command_line(["rm", "web", "-f", "db"])
    assert p.args == ["web", "db"] and p.options == {"force": True}


def test_double_dash_ends_flags():
    p = parse_command_line(["rm", "--", "-odd-name"])
    assert p.args == ["-odd-name"] and p.options == {}


def test_bool_flag_values():
    assert parse_command_line(["run", "--rm=false", "x"]).options == {"rm": False}
    assert parse_command_line(["run", "-d=false", "x"]).options == {"detach": False}
    p = parse_command_line(["image", "history", "--human=false", "x"])
    assert p.get("human") is False
    assert parse_command_line(["image", "history", "x"]).get("human") is True


def test_attached_values_for_shorthands():
    assert parse_command_line(["stop", "-t10", "web"]).options == {"timeout": 10}
    assert parse_command_line(["stop", "-t=10", "web"]).options == {"timeout": 10}
    # run's -t is the bool --tty, so "-t10" reads "1" as another shorthand
    assert fails("run -t10 x").message.startswith("unknown shorthand flag: '1' in -10\n")


def test_typed_values():
    p = parsed("run -m 512m --cpus 1.5 --health-interval 1m30s --stop-timeout 0x10 x")
    assert p.options == {"memory": 512 * 1024 * 1024, "cpus": 1.5, "health-interval": 90.0,
                         "stop-timeout": 16}


def test_defaults_are_available_but_options_hold_only_what_was_typed():
    p = parse_command_line(["logs", "web"])
    assert p.options == {}
    assert p.get("tail") == "all"
    assert p.get("follow") is False
    assert parse_command_line(["ps"]).get("last") == -1
    assert parse_command_line(["ps"]).get("filter") == []


def test_hidden_aliases_store_into_the_visible_option():
    p = parse_command_line(["run", "--net", "host", "--dns-opt", "x", "nginx"])
    assert p.options == {"network": ["host"], "dns-option": ["x"]}


def test_deprecated_flags_warn_like_pflag():
    p = parse_command_line(["stop", "--time", "5", "web"])
    assert p.options == {"timeout": 5}
    assert p.warnings == ("Flag --time has been deprecated, use --timeout instead",)
    assert "time" in p.changed


def test_string_slice_splits_commas_and_accumulates():
    p = parse_command_line(["rmi", "--platform", "linux/amd64,linux/arm64",
                            "--platform=linux/386", "x"])
    assert p.options == {"platform": ["linux/amd64", "linux/arm64", "linux/386"]}


def test_global_flags_are_kept_apart():
    p = parse_command_line(["-D", "-H", "unix:///x.sock", "ps", "-a"])
    assert p.global_options["debug"] is True
    assert p.global_options["host"] == ["unix:///x.sock"]
    assert p.options == {"all": True}


# --- help and version ---------------------------------------------------------------


def test_help_flag_prints_help_on_stdout_even_with_missing_arguments():
    p = parse_command_line(["run", "--help"])
    assert p.help_text.startswith("Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n")
    assert p.help_to_stderr is False and p.action == "print"


def test_dash_h_is_a_deprecated_shorthand_for_help():
    p = parse_command_line(["ps", "-h"])
    assert p.help_text.startswith("Usage:  docker ps [OPTIONS]\n")
    assert p.warnings == ("Flag shorthand -h has been deprecated, use --help",)


def test_help_before_a_subcommand_word_reaches_the_subcommand():
    # cobra Traverse parses "--help" as the group's (inherited) bool flag, then finds "ls"
    p = parse_command_line(["image", "--help", "ls"])
    assert p.help_text.startswith("Usage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]\n")


def test_the_global_help_flag_does_not_reach_run_which_has_its_own():
    # run defines a local --help, so the root's persistent one set before "run" is not
    # the flag cobra checks: docker goes on to validate the arguments.
    assert fails("--help run").message.startswith("docker: 'docker run' requires at least 1")
    assert parse_command_line(["--help", "ps"]).help_text.startswith("Usage:  docker ps ")


def test_flag_errors_win_over_help():
    assert fails("ps --bogus --help").exit_code == 125


def test_bare_docker_and_bare_groups_print_help_on_stderr():
    p = parse_command_line([])
    assert p.help_text.startswith("Usage:  docker [OPTIONS] COMMAND\n")
    assert p.help_to_stderr is True
    p = parse_command_line(["volume"])
    assert p.help_text.startswith("Usage:  docker volume COMMAND\n") and p.help_to_stderr


def test_docker_help_topics():
    assert parse_command_line(["help"]).help_text.startswith(
        "Usage:  docker [OPTIONS] COMMAND\n")
    assert parse_command_line(["help", "image", "ls"]).help_text.startswith(
        "Usage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]\n")
    err = fails("help foo")
    assert (err.message, err.exit_code) == ("unknown help topic: foo", 1)


def test_version_flag():
    for line in (["-v"], ["--version"]):
        p = parse_command_line(line)
        assert p.help_text == "Docker version 28.5.1, build e180ab8\n"
    # the flag belongs to the root only: "docker -v ps" lists containers
    assert parse_command_line(["-v", "ps"]).help_text is None


# --- docker build / docker builder prune (the buildx plugin) -------------------------
# docker forwards these to buildx (cmd/docker/builder.go), which parses them with the same
# pflag/cobra rules and docker/cli's cli/required.go, under its own command path; buildx's
# main (cmd/buildx/main.go) prints a plain error after "ERROR: " and exits 1, and a flag
# error (a StatusError 125 from cli/cobra.go FlagErrorFunc) as is.


def test_build_with_tags_args_target_and_file():
    p = parsed("build -t a -t b --build-arg X=1 --target t --no-cache -q -f d.Dockerfile .")
    assert p.spec.path == ("image", "build")
    assert p.path == ("buildx", "build")
    assert p.command_path == "docker buildx build"
    assert p.options == {"tag": ["a", "b"], "build-arg": ["X=1"], "target": "t",
                         "no-cache": True, "quiet": True, "file": "d.Dockerfile"}
    assert p.args == ["."]
    assert p.changed == {"tag", "build-arg", "target", "no-cache", "quiet", "file"}
    # defaults the build sees: buildx's, and $BUILDX_BUILDER as docker sets it
    assert (p.get("progress"), p.get("network"), p.get("call")) == ("auto", "default", "build")
    assert p.get("builder") == "default"
    assert p.get("platform") == [] and p.get("pull") is False


def test_build_without_a_path_is_a_buildx_error():
    err = fails("build -t myimage")
    assert err.message == ("ERROR: docker: 'docker buildx build' requires 1 argument\n\n"
                           "Usage:  docker buildx build [OPTIONS] PATH | URL | -\n\n"
                           "Run 'docker buildx build --help' for more information")
    assert err.exit_code == 1
    for line in ("build", "image build", "builder build", "buildx b", "build a b"):
        assert fails(line).message == err.message, line


def test_build_flag_errors_are_status_errors_without_the_prefix():
    err = fails("build --bogus .")
    assert err.message == ("unknown flag: --bogus\n\n"
                           "Usage:  docker buildx build [OPTIONS] PATH | URL | -\n\n"
                           "Run 'docker buildx build --help' for more information")
    assert err.exit_code == 125
    assert fails("build -t").message.startswith("flag needs an argument: 't' in -t\n\n")
    assert fails("build --shm-size 1x .").message.startswith(
        "invalid argument \"1x\" for \"--shm-size\" flag: invalid suffix: 'x'\n")


def test_build_flag_value_types():
    p = parse_command_line(["build", "--add-host", "a:1.2.3.4,b:5.6.7.8", "--allow",
                            "network.host,security.insecure", "--check", "--shm-size", "64m",
                            "-o", "type=local,dest=out", "--ulimit", "nofile=1024", "-"])
    # --add-host is a stringSlice (split at commas), the rest stringArrays (kept whole)
    assert p.options == {"add-host": ["a:1.2.3.4", "b:5.6.7.8"],
                         "allow": ["network.host,security.insecure"], "check": True,
                         "shm-size": 64 * 1024 * 1024, "output": ["type=local,dest=out"],
                         "ulimit": ["nofile=1024"]}
    assert p.args == ["-"]
    # --check takes no value; hidden legacy flags are still accepted
    assert parse_command_line(["build", "--check", ".", "--rm=false", "-m", "1g"]).options \
        == {"check": True, "rm": False, "memory": "1g"}


def test_builder_prune_flags():
    p = parsed("builder prune -af --filter until=24h --reserved-space 1g --verbose")
    assert p.spec.path == ("builder", "prune") and p.path == ("buildx", "prune")
    assert p.options == {"all": True, "force": True, "filter": ["until=24h"],
                         "reserved-space": 1024 ** 3, "verbose": True}
    p = parsed("buildx prune --keep-storage 512m -f")
    assert p.options == {"reserved-space": 512 * 1024 ** 2, "force": True}
    assert p.warnings == ("Flag --keep-storage has been deprecated, keep-storage flag has "
                          "been changed to reserved-space",)


def test_builder_prune_takes_no_arguments():
    err = fails("builder prune all")
    assert err.message == ("ERROR: docker: 'docker buildx prune' accepts no arguments\n\n"
                           "Usage:  docker buildx prune\n\n"
                           "Run 'docker buildx prune --help' for more information")
    assert err.exit_code == 1
    assert fails("builder prune --filter x").message.startswith(
        'invalid argument "x" for "--filter" flag: bad format of filter (expected '
        "name=value)\n\nUsage:  docker buildx prune\n")


# --- properties ---------------------------------------------------------------------

VALUE = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12)
STRING_FLAGS = sorted((path, f.name) for path, spec in SPECS.items() for f in spec.flags
                      if f.kind == "string" and not f.hidden and not f.only_when)


@given(st.sampled_from(STRING_FLAGS), VALUE)
def test_equals_and_space_forms_agree(path_flag, value):
    path, name = path_flag
    spec = SPECS[path]
    positional = ["a"] * (spec.args.min if spec.args.kind != "none" else 0)
    joined = parse_command_line([*path, f"--{name}={value}", *positional])
    spaced = parse_command_line([*path, f"--{name}", value, *positional])
    assert joined.options == spaced.options == {spec.flag(name).target: value}
    assert joined.args == spaced.args == positional


@given(st.lists(VALUE, min_size=1, max_size=6))
def test_repeated_list_flags_keep_every_value_in_order(values):
    argv = ["run"]
    for value in values:
        argv += ["-e", value]
    p = parse_command_line([*argv, "nginx"])
    assert p.options["env"] == values


@given(st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1))
def test_int_flags_take_any_int64(number):
    assert parse_command_line(["ps", "-n", str(number)]).options == {"last": number}
    assert parse_command_line(["ps", f"-n{number}"]).options == {"last": number}


@given(st.integers(min_value=2 ** 63, max_value=2 ** 70))
def test_int_flags_reject_overflow(number):
    err = fails(f"ps --last {number}")
    assert f'strconv.ParseInt: parsing "{number}": value out of range' in err.message


@given(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59), st.integers(0, 999))
def test_go_durations(hours, minutes, seconds, millis):
    text = f"{hours}h{minutes}m{seconds}s{millis}ms"
    p = parse_command_line(["run", "--health-timeout", text, "x"])
    expected = hours * 3600 + minutes * 60 + seconds + millis / 1000
    assert p.options["health-timeout"] == pytest.approx(expected)


def test_go_value_helpers():
    from sim.cli.flagvalues import ConversionError, go_quote, parse_int, ram_in_bytes

    assert go_quote('a"b\\c\n') == '"a\\"b\\\\c\\n"'
    assert parse_int("0x1f") == 31 and parse_int("0o17") == 15 and parse_int("017") == 15
    assert parse_int("-1_000") == -1000
    with pytest.raises(ConversionError, match='parsing "1__0": invalid syntax'):
        parse_int("1__0")
    assert ram_in_bytes("1.5g") == 1536 * 1024 * 1024
    assert ram_in_bytes("10 MiB") == 10 * 1024 * 1024
    assert ram_in_bytes("100") == 100
    with pytest.raises(ConversionError, match="invalid size: 'abc'"):
        ram_in_bytes("abc")
