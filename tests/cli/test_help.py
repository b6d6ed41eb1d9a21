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
    # cli/command/image/cmd.go, listing only the image commands the simulator has; docker's
    # own tree keeps "image build" (image/build.go) even though running it runs buildx
    assert render_management_help("image") == """\
Usage:  docker image COMMAND

Manage images

Commands:
  build       Build an image from a Dockerfile
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
  build       Build an image from a Dockerfile
  pull        Download an image from a registry
  push        Upload an image to a registry
  images      List images
  version     Show the Docker version information
  info        Display system-wide information

Management Commands:
  builder     Manage builds
  buildx*     Docker Buildx
  container   Manage containers
  image       Manage images
  system      Manage Docker
  volume      Manage volumes

Commands:
  commit      Create a new image from a container's changes
  create      Create a new container
  diff        Inspect changes to files or directories on a container's filesystem
  history     Show the history of an image
  inspect     Return low-level information on Docker objects
  kill        Kill one or more running containers
  logs        Fetch the logs of a container
  pause       Pause all processes within one or more containers
  port        List port mappings or a specific mapping for the container
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
    # cli/cobra.go (sections, additionalHelp, decoratedName's "*" for the buildx plugin),
    # commands/commands.go (category-top order: build is 4th), cli/flags/options.go +
    # cmd/docker/docker.go (global options)
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


# --- docker build / docker builder prune: the buildx plugin --------------------------------
#
# docker 28.x hands "build", "image build" and "builder ..." to the buildx plugin
# (cmd/docker/builder.go processBuilder), so these are buildx v0.29's help texts
# (commands/build.go, commands/prune.go, commands/root.go for --builder and -D), laid out
# by the same docker/cli template and pflag wrapping at 79 columns. --builder defaults to
# $BUILDX_BUILDER, which docker sets to the context name ("default") when it forwards.

BUILD_HELP = """\
Usage:  docker buildx build [OPTIONS] PATH | URL | -

Start a build

Aliases:
  docker build, docker builder build, docker image build, docker buildx b

Options:
      --add-host strings              Add a custom host-to-IP mapping
                                      (format: "host:ip")
      --allow stringArray             Allow extra privileged entitlement
                                      (e.g., "network.host",
                                      "security.insecure", "device")
      --annotation stringArray        Add annotation to the image
      --attest stringArray            Attestation parameters (format:
                                      "type=sbom,generator=image")
      --build-arg stringArray         Set build-time variables
      --build-context stringArray     Additional build contexts (e.g.,
                                      name=path)
      --builder string                Override the configured builder
                                      instance (default "default")
      --cache-from stringArray        External cache sources (e.g.,
                                      "user/app:cache",
                                      "type=local,src=path/to/dir")
      --cache-to stringArray          Cache export destinations (e.g.,
                                      "user/app:cache",
                                      "type=local,dest=path/to/dir")
      --call string                   Set method for evaluating build
                                      ("check", "outline", "targets")
                                      (default "build")
      --cgroup-parent string          Set the parent cgroup for the "RUN"
                                      instructions during build
      --check                         Shorthand for "--call=check"
  -D, --debug                         Enable debug logging
  -f, --file string                   Name of the Dockerfile (default:
                                      "PATH/Dockerfile")
      --iidfile string                Write the image ID to a file
      --label stringArray             Set metadata for an image
      --load                          Shorthand for "--output=type=docker"
      --metadata-file string          Write build result metadata to a file
      --network string                Set the networking mode for the
                                      "RUN" instructions during build
                                      (default "default")
      --no-cache                      Do not use cache when building the image
      --no-cache-filter stringArray   Do not cache specified stages
  -o, --output stringArray            Output destination (format:
                                      "type=local,dest=path")
      --platform stringArray          Set target platform for build
      --progress string               Set type of progress output
                                      ("auto", "none",  "plain", "quiet",
                                      "rawjson", "tty"). Use plain to
                                      show container output (default "auto")
      --provenance string             Shorthand for "--attest=type=provenance"
      --pull                          Always attempt to pull all
                                      referenced images
      --push                          Shorthand for "--output=type=registry"
  -q, --quiet                         Suppress the build output and print
                                      image ID on success
      --sbom string                   Shorthand for "--attest=type=sbom"
      --secret stringArray            Secret to expose to the build
                                      (format:
                                      "id=mysecret[,src=/local/secret]")
      --shm-size bytes                Shared memory size for build containers
      --ssh stringArray               SSH agent socket or keys to expose
                                      to the build (format:
                                      "default|<id>[=<socket>|<key>[,<key>]]")
  -t, --tag stringArray               Image identifier (format:
                                      "[registry/]repository[:tag]")
      --target string                 Set the target build stage to build
      --ulimit ulimit                 Ulimit options (default [])
"""


def test_build_help_is_buildx_build_help():
    assert parse_command_line(["build", "--help"]).help_text == BUILD_HELP


def test_every_way_to_type_build_prints_the_same_buildx_help():
    # processBuilder rewrites "build" and "image build" to "buildx build" and "builder" to
    # "buildx"; "b" is buildx's cobra alias: buildx always names its own command
    for words in (["image", "build"], ["builder", "build"], ["buildx", "build"],
                  ["buildx", "b"]):
        assert parse_command_line([*words, "--help"]).help_text == BUILD_HELP, words
    assert render_command_help(SPECS[("image", "build")]) == BUILD_HELP
    assert render_help(SPECS[("image", "build")], ("build",)) == BUILD_HELP


def test_build_help_hides_the_legacy_and_experimental_flags():
    lines = BUILD_HELP.splitlines()
    for hidden in ("--compress", "--cpu-shares", "--force-rm", "--isolation", "--memory ",
                   "--rm ", "--security-opt", "--squash", "--print", "--help", "--detach"):
        assert not any(hidden in line for line in lines), hidden


BUILDER_PRUNE_HELP = """\
Usage:  docker buildx prune

Remove build cache

Options:
  -a, --all                    Include internal/frontend images
      --builder string         Override the configured builder instance
                               (default "default")
  -D, --debug                  Enable debug logging
      --filter filter          Provide filter values
  -f, --force                  Do not prompt for confirmation
      --max-used-space bytes   Maximum amount of disk space allowed to
                               keep for cache
      --min-free-space bytes   Target amount of free disk space after pruning
      --reserved-space bytes   Amount of disk space always allowed to
                               keep for cache
      --verbose                Provide a more verbose output
"""


def test_builder_prune_help_is_buildx_prune_help():
    # buildx commands/prune.go: no aliases; the deprecated --keep-storage is not listed
    assert parse_command_line(["builder", "prune", "--help"]).help_text == BUILDER_PRUNE_HELP
    assert parse_command_line(["buildx", "prune", "--help"]).help_text == BUILDER_PRUNE_HELP


def test_builder_group_lists_dockers_own_builder_commands():
    # cli/command/builder/cmd.go mounts image/build.go's build and builder/prune.go
    assert render_management_help("builder") == """\
Usage:  docker builder COMMAND

Manage builds

Commands:
  build       Build an image from a Dockerfile
  prune       Remove build cache

Run 'docker builder COMMAND --help' for more information on a command.
"""
    # the plugin's own tree names its commands with its own short texts
    assert "\n  build       Start a build\n" in render_management_help("buildx")
