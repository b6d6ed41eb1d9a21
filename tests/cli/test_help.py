"""``--help`` texts of Docker CLI 28.5, byte for byte.

Layout: docker/cli cli/cobra.go usageTemplate/helpTemplate (no leading blank line since
docker/cli#5730, v28.0). Flag lines: spf13/pflag flag.go FlagUsagesWrapped at 79 columns
(cli/cobra.go wrappedFlagUsages, width 80 without a terminal). Flag texts: the command
files named in each test.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sim.cli.help import (
    render_command_help,
    render_help,
    render_management_help,
    render_root_help,
    wrap,
)
from sim.cli.parse import parse_command_line
from sim.cli.specs import MANAGEMENT, SPECS

FORMAT_LINES = """\
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
"""

# cli/command/container/list.go (NewPsCommand), cli/flags/options.go (FormatHelp)
PS_HELP = """\
Usage:  docker ps [OPTIONS]

List containers

Aliases:
  docker container ls, docker container list, docker container ps, docker ps

Options:
  -a, --all             Show all containers (default shows just running)
  -f, --filter filter   Filter output based on conditions provided
""" + FORMAT_LINES + """\
  -n, --last int        Show n last created containers (includes all
                        states) (default -1)
  -l, --latest          Show the latest created container (includes all
                        states)
      --no-trunc        Don't truncate output
  -q, --quiet           Only display container IDs
  -s, --size            Display total file sizes
"""


def test_ps_help():
    assert parse_command_line(["ps", "--help"]).help_text == PS_HELP


def test_the_same_command_under_its_group_prints_its_own_usage_line():
    text = parse_command_line(["container", "list", "--help"]).help_text
    assert text == PS_HELP.replace("Usage:  docker ps [OPTIONS]",
                                   "Usage:  docker container ls [OPTIONS]")


def test_pull_help():
    # cli/command/image/pull.go, cli/command/utils.go AddPlatformFlag, cli/command/trust.go
    assert render_command_help(SPECS[("image", "pull")], ("pull",)) == """\
Usage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]

Download an image from a registry

Aliases:
  docker image pull, docker pull

Options:
  -a, --all-tags                Download all tagged images in the repository
      --disable-content-trust   Skip image verification (default true)
      --platform string         Set platform if server is multi-platform
                                capable
  -q, --quiet                   Suppress verbose output
"""


def test_stop_help_hides_the_deprecated_time_flag():
    # cli/command/container/stop.go
    assert render_command_help(SPECS[("container", "stop")], ("stop",)) == """\
Usage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]

Stop one or more running containers

Aliases:
  docker container stop, docker stop

Options:
  -s, --signal string   Signal to send to the container
  -t, --timeout int     Seconds to wait before killing the container
"""


def test_a_command_without_flags_has_no_options_section():
    # cli/command/container/pause.go: only the hidden persistent --help
    assert render_command_help(SPECS[("container", "pause")], ("pause",)) == """\
Usage:  docker pause CONTAINER [CONTAINER...]

Pause all processes within one or more containers

Aliases:
  docker container pause, docker pause
"""


def test_volume_create_hides_cluster_flags_and_shows_map_defaults():
    # cli/command/volume/create.go: the cluster flags are annotated swarm=manager
    assert render_command_help(SPECS[("volume", "create")]) == """\
Usage:  docker volume create [OPTIONS] [VOLUME]

Create a volume

Options:
  -d, --driver string   Specify volume driver name (default "local")
      --label list      Set metadata for a volume
  -o, --opt map         Set driver specific options (default map[])
"""


def test_long_description_replaces_short_and_is_not_wrapped():
    # cli/command/volume/remove.go sets Long
    assert render_command_help(SPECS[("volume", "rm")]) == """\
Usage:  docker volume rm [OPTIONS] VOLUME [VOLUME...]

Remove one or more volumes. You cannot remove a volume that is in use by a container.

Aliases:
  docker volume rm, docker volume remove

Options:
  -f, --force   Force the removal of one or more volumes
"""


def test_run_help_details():
    text = render_command_help(SPECS[("container", "run")], ("run",))
    lines = text.splitlines()
    assert lines[0] == "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"
    # run defines its own --help (no -h: that is --hostname), and it is listed
    assert "      --help                             Print usage" in lines
    assert "  -h, --hostname string                  Container host name" in lines
    # pflag keeps the help text's own newlines, indenting them as continuation lines
    start = lines.index("      --cgroupns string                  Cgroup namespace to use")
    assert lines[start + 8:start + 10] == [
        " " * 41 + "namespace as configured by the",
        " " * 52 + "default-cgroupns-mode",
    ]
    assert "      --ulimit ulimit                    Ulimit options (default [])" in lines
    for hidden in ("--net ", "--dns-opt ", "--net-alias ", "--cpu-count ", "--io-maxiops "):
        assert not any(hidden in line for line in lines), hidden


def test_image_group_help():
    # cli/command/image/cmd.go, listing only the image commands the simulator has
    assert render_management_help("image") == """\
Usage:  docker image COMMAND

Manage images

Commands:
  history     Show the history of an image
  inspect     Display detailed information on one or more images
  ls          List images
  prune       Remove unused images
  pull        Download an image from a registry
  push        Upload an image to a registry
  rm          Remove one or more images
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Run 'docker image COMMAND --help' for more information on a command.
"""


ROOT_HELP = """\
Usage:  docker [OPTIONS] COMMAND

A self-sufficient runtime for containers

Common Commands:
  run         Create and run a new container from an image
  exec        Execute a command in a running container
  ps          List containers
  pull        Download an image from a registry
  push        Upload an image to a registry
  images      List images
  version     Show the Docker version information
  info        Display system-wide information

Management Commands:
  container   Manage containers
  image       Manage images
  system      Manage Docker
  volume      Manage volumes

Commands:
  commit      Create a new image from a container's changes
  create      Create a new container
  history     Show the history of an image
  inspect     Return low-level information on Docker objects
  kill        Kill one or more running containers
  logs        Fetch the logs of a container
  pause       Pause all processes within one or more containers
  restart     Restart one or more containers
  rm          Remove one or more containers
  rmi         Remove one or more images
  start       Start one or more stopped containers
  stop        Stop one or more running containers
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
  unpause     Unpause all processes within one or more containers

Global Options:
      --config string      Location of client config files (default
                           "/root/.docker")
  -c, --context string     Name of the context to use to connect to the
                           daemon (overrides DOCKER_HOST env var and
                           default context set with "docker context use")
  -D, --debug              Enable debug mode
  -H, --host list          Daemon socket to connect to
  -l, --log-level string   Set the logging level ("debug", "info",
                           "warn", "error", "fatal") (default "info")
      --tls                Use TLS; implied by --tlsverify
      --tlscacert string   Trust certs signed only by this CA (default
                           "/root/.docker/ca.pem")
      --tlscert string     Path to TLS certificate file (default
                           "/root/.docker/cert.pem")
      --tlskey string      Path to TLS key file (default
                           "/root/.docker/key.pem")
      --tlsverify          Use TLS and verify the remote
  -v, --version            Print version information and quit

Run 'docker COMMAND --help' for more information on a command.

For more help on how to use Docker, head to https://docs.docker.com/go/guides/
"""


def test_root_help():
    # cli/cobra.go (sections, additionalHelp), commands/commands.go (category-top order),
    # cli/flags/options.go + cmd/docker/docker.go (global options)
    assert render_root_help() == ROOT_HELP
    assert parse_command_line(["--help"]).help_text == ROOT_HELP
    assert parse_command_line(["help"]).help_text == ROOT_HELP


def test_root_help_lists_only_the_given_commands():
    only = {path: SPECS[path] for path in [("container", "ls"), ("volume", "ls")]}
    text = render_root_help(only)
    assert "Common Commands:\n  ps          List containers\n\n" in text
    assert "Management Commands:\n  container   Manage containers\n  volume      Manage volumes" \
           in text
    assert "\nCommands:" not in text and "run " not in text


def test_render_help_dispatches_on_the_kind_of_command():
    assert render_help(MANAGEMENT[("volume",)]).startswith("Usage:  docker volume COMMAND\n")
    assert render_help(SPECS[("container", "ls")], ("ps",)) == PS_HELP


def test_pflag_wrap():
    # flag.go wrap(): first line unindented, continuation lines indented; words kept whole
    assert wrap(10, 40, "alpha beta gamma delta epsilon zeta eta theta") == (
        "alpha beta gamma delta\n          epsilon zeta eta theta")
    assert wrap(10, 0, "a\nb") == "a\n          b"  # no wrapping, newlines indented
    # less than 24 columns left: the text moves to its own block indented 16
    assert wrap(60, 79, "short text") == "\n" + " " * 16 + "short text"


@given(st.sampled_from(sorted(SPECS)))
def test_help_never_starts_with_a_blank_line_and_flags_fit_79_columns(path):
    spec = SPECS[path]
    for mount in spec.mounts:
        text = render_command_help(spec, mount)
        assert text.startswith("Usage:  docker ")
        assert text.endswith("\n") and not text.endswith("\n\n")
        options = text.partition("\n\nOptions:\n")[2]
        assert all(len(line) <= 79 for line in options.splitlines())
