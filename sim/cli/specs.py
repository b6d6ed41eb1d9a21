"""The command surface of Docker CLI 28.5 as plain data: paths, aliases, usage, flags.

Parsing (``parse.py``), help (``help.py``) and completion all read these specs, so the
simulator has one place that says what ``docker`` accepts. Sources, docker/cli but for
buildx:

* cli/command/container/{run,create,opts,exec,start,stop,restart,kill,rm,pause,unpause,
  logs,list,commit,inspect,cmd}.go
* cli/command/image/{pull,push,tag,list,remove,prune,history,inspect,cmd}.go
* cli/command/volume/{create,list,remove,inspect,prune,cmd}.go
* cli/command/system/{df,info,version,inspect,cmd}.go, cli/command/commands/commands.go
* cli/flags/options.go (global flags, FormatHelp, InspectFormatHelp), cli/command/trust.go,
  cli/command/utils.go (AddPlatformFlag)
* ``docker build`` and ``docker builder prune`` run the buildx plugin (cmd/docker/builder.go):
  their flags and help come from docker/buildx v0.29 (see BUILD_FLAGS)

The text is taken from the v28 tree (commit 3d41bbacb04b, whose files carry the
``docker.com/cli/v28`` import comments). Flags added later in 28.x are included and marked
where they appear: ``--use-api-socket`` (28.1), ``image inspect --platform`` (API 1.49) and
``image rm --platform`` (API 1.50). v29 differs (``--ip``/``--ip6`` become ``ip`` typed,
``--kernel-memory`` and ``--disable-content-trust`` are hidden); the v28 form is kept here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BIN = "docker"
CLIENT_VERSION = "28.5.1"  # simulated client; printed by ``docker --version``
CLIENT_GIT_COMMIT = "e180ab8"
API_VERSION = "1.51"

# pflag Value.Type() -> the type word FlagUsages prints (pflag flag.go UnquoteUsage).
_TYPE_WORD = {"bool": "", "float64": "float", "int64": "int", "uint64": "uint",
              "stringSlice": "strings", "intSlice": "ints", "uintSlice": "uints",
              "boolSlice": "bools"}


@dataclass(frozen=True)
class FlagSpec:
    """One pflag flag.

    ``kind`` says how values are parsed ('bool', 'string', 'int', 'uint16', 'uint64',
    'duration', 'bytes', 'swapbytes', 'decimal', 'list', 'map', 'strings', 'filter');
    ``value_type`` is the Go ``Value.Type()`` (shown by the docs tables) and
    ``type_name_for_help`` the word ``--help`` prints after the flag name.
    ``only_when`` names the daemon feature a flag is annotated with ('windows',
    'experimental', 'swarm'): docker hides such flags from help on a plain Linux daemon.
    """

    name: str
    shorthand: str
    kind: str
    type_name_for_help: str
    default: object
    help: str
    hidden: bool = False
    value_type: str = ""
    deprecated: str = ""
    shorthand_deprecated: str = ""
    only_when: str = ""
    dest: str = ""

    @property
    def target(self) -> str:
        """The option key the value is stored under (aliases such as --net share one)."""
        return self.dest or self.name


@dataclass(frozen=True)
class ArgRule:
    """Positional-argument rule, one of cli/required.go's validators (or cobra's default)."""

    kind: str = "any"  # 'any' | 'none' | 'min' | 'max' | 'exact' | 'range'
    min: int = 0
    max: int = 0


@dataclass(frozen=True)
class CommandSpec:
    """One docker command. ``path`` is canonical (``("container", "run")``); ``aliases``
    lists every other way to type it; ``shortcuts`` are those aliases that docker mounts as
    separate commands (``docker run``), which print their own path in usage.

    ``plugin_path`` is set for a command docker hands to a CLI plugin: cmd/docker/builder.go
    ``processBuilder`` rewrites ``build``, ``image build`` and ``builder ...`` to ``buildx
    ...`` before cobra runs, so usage lines, messages and help are the plugin's, under that
    path, however the command was typed. docker's own tree still lists the command at
    ``path`` and ``shortcuts`` with its own short text, ``listed_short``. ``error_prefix``
    starts the plain (non-flag) errors the command prints (buildx: ``ERROR: ``);
    ``plugin`` marks a plugin's stub, which docker lists with a ``*``.
    """

    path: tuple[str, ...]
    usage: str
    short: str
    flags: tuple[FlagSpec, ...] = ()
    args: ArgRule = field(default_factory=ArgRule)
    aliases: tuple[tuple[str, ...], ...] = ()
    shortcuts: tuple[tuple[str, ...], ...] = ()
    long: str | None = None
    interspersed: bool = True
    group: str = "commands"  # 'common' | 'management' | 'commands' (root help section)
    category_top: int = 0
    aliases_text: str | None = None
    plugin_path: tuple[str, ...] = ()
    listed_short: str | None = None
    error_prefix: str = ""
    plugin: bool = False

    @property
    def usage_tail(self) -> str:
        """The part of cobra's ``Use`` after the command name (same for every mount)."""
        head = " ".join(self.path)
        return self.usage[len(head):].strip() if self.usage.startswith(head) else self.usage

    @property
    def mounts(self) -> tuple[tuple[str, ...], ...]:
        """Paths where docker (or the plugin it forwards to) registers a cobra command for
        this spec."""
        plugin = (self.plugin_path,) if self.plugin_path else ()
        return (self.path, *self.shortcuts, *plugin)

    def display_path(self, invoked: tuple[str, ...]) -> tuple[str, ...]:
        """The cobra CommandPath used in messages when the user typed ``invoked``: a cobra
        alias (``container list``) shows its command's name, a shortcut shows itself, and
        a command docker forwards to a plugin shows the plugin's path."""
        if self.plugin_path:
            return self.plugin_path
        for mount in self.mounts:
            if mount[:-1] == invoked[:-1]:
                return mount
        return self.path

    def use_line(self, path: tuple[str, ...] | None = None) -> str:
        """cobra ``UseLine()``: the command path followed by the ``Use`` arguments."""
        words = " ".join((BIN, *(path if path is not None else self.path)))
        return f"{words} {self.usage_tail}" if self.usage_tail else words

    def flag(self, name: str) -> FlagSpec | None:
        return next((f for f in self.flags if f.name == name), None)

    def short_at(self, mount: tuple[str, ...]) -> str:
        """The short text a help listing shows for the command mounted at ``mount``."""
        if self.plugin_path and mount != self.plugin_path and self.listed_short:
            return self.listed_short
        return self.short


# --- flag constructors: b(ool), s(tring), i(nteger), d(uration), lst (repeatable
# list/map/filter values), by(tes). Short names keep the data tables readable. ---------


def _mk(name: str, short: str, kind: str, value_type: str, default: object, help_: str,
        **extra: object) -> FlagSpec:
    word = _TYPE_WORD.get(value_type, value_type)
    return FlagSpec(name, short, kind, word, default, help_, value_type=value_type, **extra)


def b(name: str, help_: str, short: str = "", default: bool = False, **kw) -> FlagSpec:
    return _mk(name, short, "bool", "bool", default, help_, **kw)


def s(name: str, help_: str, short: str = "", default: str = "", **kw) -> FlagSpec:
    return _mk(name, short, "string", "string", default, help_, **kw)


def i(name: str, help_: str, short: str = "", default: int = 0, vt: str = "int",
      **kw) -> FlagSpec:
    kind = {"uint16": "uint16", "uint64": "uint64"}.get(vt, "int")
    return _mk(name, short, kind, vt, default, help_, **kw)


def d(name: str, help_: str, **kw) -> FlagSpec:
    return _mk(name, "", "duration", "duration", 0.0, help_, **kw)


def lst(name: str, help_: str, short: str = "", vt: str = "list", **kw) -> FlagSpec:
    kind = {"map": "map", "filter": "filter", "stringSlice": "strings"}.get(vt, "list")
    return _mk(name, short, kind, vt, (), help_, **kw)


def by(name: str, help_: str, short: str = "", kind: str = "bytes", **kw) -> FlagSpec:
    return _mk(name, short, kind, "bytes", 0, help_, **kw)


FORMAT_HELP = (
    "Format output using a custom template:\n"
    "'table':            Print output in table format with column headers (default)\n"
    "'table TEMPLATE':   Print output in table format using the given Go template\n"
    "'json':             Print in JSON format\n"
    "'TEMPLATE':         Print output using the given Go template.\n"
    "Refer to https://docs.docker.com/go/formatting/ for more information about formatting "
    "output with templates")
INSPECT_FORMAT_HELP = (
    "Format output using a custom template:\n"
    "'json':             Print in JSON format\n"
    "'TEMPLATE':         Print output using the given Go template.\n"
    "Refer to https://docs.docker.com/go/formatting/ for more information about formatting "
    "output with templates")
PLATFORM_HELP = "Set platform if server is multi-platform capable"
CGROUPNS_HELP = (
    "Cgroup namespace to use (host|private)\n"
    "'host':    Run the container in the Docker host's cgroup namespace\n"
    "'private': Run the container in its own private cgroup namespace\n"
    "'':        Use the cgroup namespace as configured by the\n"
    "           default-cgroupns-mode option on the daemon (default)")
HEALTH_UNITS = " (ms|s|m|h) (default 0s)"

# container/opts.go addFlags(), in source order (help sorts them by name anyway).
CONTAINER_FLAGS: tuple[FlagSpec, ...] = (
    lst("attach", "Attach to STDIN, STDOUT or STDERR", "a"),
    lst("device-cgroup-rule", "Add a rule to the cgroup allowed devices list"),
    lst("device", "Add a host device to the container"),
    lst("gpus", "GPU devices to add to the container ('all' to pass all GPUs)",
        vt="gpu-request"),
    lst("env", "Set environment variables", "e"),
    lst("env-file", "Read in a file of environment variables"),
    s("entrypoint", "Overwrite the default ENTRYPOINT of the image"),
    lst("group-add", "Add additional groups to join"),
    s("hostname", "Container host name", "h"),
    s("domainname", "Container NIS domain name"),
    b("interactive", "Keep STDIN open even if not attached", "i"),
    lst("label", "Set meta data on a container", "l"),
    lst("label-file", "Read in a line delimited file of labels"),
    b("read-only", "Mount the container's root filesystem as read only"),
    s("restart", "Restart policy to apply when a container exits", default="no"),
    s("stop-signal", "Signal to stop the container"),
    i("stop-timeout", "Timeout (in seconds) to stop a container"),
    lst("sysctl", "Sysctl options", vt="map"),
    b("tty", "Allocate a pseudo-TTY", "t"),
    lst("ulimit", "Ulimit options", vt="ulimit"),
    s("user", "Username or UID (format: <name|uid>[:<group|gid>])", "u"),
    s("workdir", "Working directory inside the container", "w"),
    b("rm", "Automatically remove the container and its associated anonymous volumes when "
      "it exits"),
    lst("cap-add", "Add Linux capabilities"),
    lst("cap-drop", "Drop Linux capabilities"),
    b("privileged", "Give extended privileges to this container"),
    lst("security-opt", "Security Options"),
    s("userns", "User namespace to use"),
    s("cgroupns", CGROUPNS_HELP),
    lst("add-host", "Add a custom host-to-IP mapping (host:ip)"),
    lst("dns", "Set custom DNS servers"),
    lst("dns-opt", "Set DNS options", hidden=True, dest="dns-option"),
    lst("dns-option", "Set DNS options"),
    lst("dns-search", "Set custom DNS search domains"),
    lst("expose", "Expose a port or a range of ports"),
    s("ip", "IPv4 address (e.g., 172.30.100.104)"),
    s("ip6", "IPv6 address (e.g., 2001:db8::33)"),
    lst("link", "Add link to another container"),
    lst("link-local-ip", "Container IPv4/IPv6 link-local addresses"),
    s("mac-address", "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
    lst("publish", "Publish a container's port(s) to the host", "p"),
    b("publish-all", "Publish all exposed ports to random ports", "P"),
    lst("net", "Connect a container to a network", vt="network", hidden=True,
        dest="network"),
    lst("network", "Connect a container to a network", vt="network"),
    lst("net-alias", "Add network-scoped alias for the container", hidden=True,
        dest="network-alias"),
    lst("network-alias", "Add network-scoped alias for the container"),
    s("log-driver", "Logging driver for the container"),
    s("volume-driver", "Optional volume driver for the container"),
    lst("log-opt", "Log driver options"),
    lst("storage-opt", "Storage driver options for the container"),
    lst("tmpfs", "Mount a tmpfs directory"),
    lst("volumes-from", "Mount volumes from the specified container(s)"),
    lst("volume", "Bind mount a volume", "v"),
    lst("mount", "Attach a filesystem mount to the container", vt="mount"),
    s("health-cmd", "Command to run to check health"),
    d("health-interval", "Time between running the check" + HEALTH_UNITS),
    i("health-retries", "Consecutive failures needed to report unhealthy"),
    d("health-timeout", "Maximum time to allow one check to run" + HEALTH_UNITS),
    d("health-start-period", "Start period for the container to initialize before starting "
      "health-retries countdown" + HEALTH_UNITS),
    d("health-start-interval", "Time between running the check during the start period"
      + HEALTH_UNITS),
    b("no-healthcheck", "Disable any container-specified HEALTHCHECK"),
    i("blkio-weight", "Block IO (relative weight), between 10 and 1000, or 0 to disable "
      "(default 0)", vt="uint16"),
    lst("blkio-weight-device", "Block IO weight (relative device weight)"),
    s("cidfile", "Write the container ID to the file"),
    s("cpuset-cpus", "CPUs in which to allow execution (0-3, 0,1)"),
    s("cpuset-mems", "MEMs in which to allow execution (0-3, 0,1)"),
    i("cpu-count", "CPU count (Windows only)", vt="int64", only_when="windows"),
    i("cpu-percent", "CPU percent (Windows only)", vt="int64", only_when="windows"),
    i("cpu-period", "Limit CPU CFS (Completely Fair Scheduler) period", vt="int64"),
    i("cpu-quota", "Limit CPU CFS (Completely Fair Scheduler) quota", vt="int64"),
    i("cpu-rt-period", "Limit CPU real-time period in microseconds", vt="int64"),
    i("cpu-rt-runtime", "Limit CPU real-time runtime in microseconds", vt="int64"),
    i("cpu-shares", "CPU shares (relative weight)", "c", vt="int64"),
    _mk("cpus", "", "decimal", "decimal", 0.0, "Number of CPUs"),
    lst("device-read-bps", "Limit read rate (bytes per second) from a device"),
    lst("device-read-iops", "Limit read rate (IO per second) from a device"),
    lst("device-write-bps", "Limit write rate (bytes per second) to a device"),
    lst("device-write-iops", "Limit write rate (IO per second) to a device"),
    by("io-maxbandwidth", "Maximum IO bandwidth limit for the system drive (Windows only)",
       only_when="windows"),
    i("io-maxiops", "Maximum IOps limit for the system drive (Windows only)", vt="uint64",
      only_when="windows"),
    # v28 still lists --kernel-memory; docker/cli#6455 hides it for v29.
    by("kernel-memory", "Kernel memory limit"),
    by("memory", "Memory limit", "m"),
    by("memory-reservation", "Memory soft limit"),
    by("memory-swap", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap",
       kind="swapbytes"),
    i("memory-swappiness", "Tune container memory swappiness (0 to 100)", default=-1,
      vt="int64"),
    b("oom-kill-disable", "Disable OOM Killer"),
    i("oom-score-adj", "Tune host's OOM preferences (-1000 to 1000)"),
    i("pids-limit", "Tune container pids limit (set -1 for unlimited)", vt="int64"),
    s("cgroup-parent", "Optional parent cgroup for the container"),
    s("ipc", "IPC mode to use"),
    s("isolation", "Container isolation technology"),
    s("pid", "PID namespace to use"),
    by("shm-size", "Size of /dev/shm"),
    s("uts", "UTS namespace to use"),
    s("runtime", "Runtime to use for this container"),
    b("init", "Run an init inside the container that forwards signals and reaps processes"),
    lst("annotation", "Add an annotation to the container (passed through to the OCI "
        "runtime)", vt="map"),
)

API_SOCKET = b("use-api-socket", "Bind mount Docker API socket and required auth")  # 28.1+
HELP_LOCAL = b("help", "Print usage")  # run/create: "--help" without -h (that is hostname)
PLATFORM = s("platform", PLATFORM_HELP)  # default is $DOCKER_DEFAULT_PLATFORM (unset here)
TRUST_VERIFY = b("disable-content-trust", "Skip image verification", default=True)
TRUST_SIGN = b("disable-content-trust", "Skip image signing", default=True)
QUIET_PULL = b("quiet", "Suppress the pull output", "q")

RUN_FLAGS = (
    b("detach", "Run container in background and print container ID", "d"),
    b("sig-proxy", "Proxy received signals to the process", default=True),
    s("name", "Assign a name to the container"),
    s("detach-keys", "Override the key sequence for detaching a container"),
    s("pull", 'Pull image before running ("always", "missing", "never")', default="missing"),
    QUIET_PULL, API_SOCKET, HELP_LOCAL, PLATFORM, TRUST_VERIFY, *CONTAINER_FLAGS,
)
CREATE_FLAGS = (
    s("name", "Assign a name to the container"),
    # The stray "|" is in docker's own text (container/create.go).
    s("pull", 'Pull image before creating ("always", "|missing", "never")', default="missing"),
    QUIET_PULL, API_SOCKET, HELP_LOCAL, PLATFORM, TRUST_VERIFY, *CONTAINER_FLAGS,
)
STOP_FLAGS = (
    s("signal", "Signal to send to the container", "s"),
    i("timeout", "Seconds to wait before killing the container", "t"),
    i("time", "Seconds to wait before killing the container (deprecated: use --timeout)",
      hidden=True, deprecated="use --timeout instead", dest="timeout"),
)

# --- docker build / docker builder prune: the buildx plugin ------------------------------
#
# With buildx installed (the default on 28.x) docker runs no build command of its own:
# cmd/docker/builder.go processBuilder rewrites the words ``build`` and ``image build`` to
# ``buildx build`` and ``builder`` to ``buildx`` and runs the docker-buildx plugin, which
# parses the line with its own cobra tree. What ``docker build --help`` prints is therefore
# buildx's ``build`` command, under its own path, in a live 28.x session:
#
#     Usage:  docker buildx build [OPTIONS] PATH | URL | -
#     Start a build
#     Aliases:
#       docker build, docker builder build, docker image build, docker buildx b
#
# (the Aliases line is the command's "aliases" annotation in buildx commands/build.go; the
# cobra alias is ``b``). So the specs below keep docker's own paths for listing (``docker
# --help`` still lists ``build  Build an image from a Dockerfile`` from image/build.go, and
# ``builder  Manage builds``) and set ``plugin_path`` to the buildx path that usage lines,
# errors and help show. Flag texts are those of buildx v0.29 (the plugin Docker 28.5 ships;
# docker-library's 28 image moved to buildx 0.29.0 on its release, 2025-09-30), checked
# against ``docker build --help`` output of that release: ``--progress`` lists ``none`` (new
# in 0.29, with buildx's own double space after it); ``--push`` has not yet become
# ``type=registry,unpack=false`` and ``--policy``/``--resource`` do not exist yet (later
# releases). The buildx root adds ``--builder`` and ``-D, --debug`` to every command
# (commands/root.go rootFlags); the builder's default is $BUILDX_BUILDER, which docker sets
# to the current context, "default", when it forwards a ``docker build``/``docker builder``
# line (a directly typed ``docker buildx build --help`` prints no default there). Flags
# buildx defines only with BUILDX_EXPERIMENTAL=1 are left out; those it keeps for ``docker
# build`` compatibility but hides are kept hidden. Sources: docker/buildx commands/build.go,
# commands/prune.go, commands/root.go, cmd/buildx/main.go; docker/cli cmd/docker/builder.go,
# cli-plugins/plugin/plugin.go, cli/command/image/build.go, cli/command/builder/cmd.go.

BUILDX_ROOT_FLAGS = (
    s("builder", "Override the configured builder instance", default="default"),
    b("debug", "Enable debug logging", "D"),
)

BUILD_FLAGS = (
    lst("add-host", 'Add a custom host-to-IP mapping (format: "host:ip")', vt="stringSlice"),
    lst("allow", 'Allow extra privileged entitlement (e.g., "network.host", '
        '"security.insecure", "device")', vt="stringArray"),
    lst("annotation", "Add annotation to the image", vt="stringArray"),
    lst("build-arg", "Set build-time variables", vt="stringArray"),
    lst("cache-from", 'External cache sources (e.g., "user/app:cache", '
        '"type=local,src=path/to/dir")', vt="stringArray"),
    lst("cache-to", 'Cache export destinations (e.g., "user/app:cache", '
        '"type=local,dest=path/to/dir")', vt="stringArray"),
    s("cgroup-parent", 'Set the parent cgroup for the "RUN" instructions during build'),
    lst("build-context", "Additional build contexts (e.g., name=path)", vt="stringArray"),
    s("file", 'Name of the Dockerfile (default: "PATH/Dockerfile")', "f"),
    s("iidfile", "Write the image ID to a file"),
    lst("label", "Set metadata for an image", vt="stringArray"),
    b("load", 'Shorthand for "--output=type=docker"'),
    s("network", 'Set the networking mode for the "RUN" instructions during build',
      default="default"),
    lst("no-cache-filter", "Do not cache specified stages", vt="stringArray"),
    lst("output", 'Output destination (format: "type=local,dest=path")', "o",
        vt="stringArray"),
    lst("platform", "Set target platform for build", vt="stringArray"),
    b("push", 'Shorthand for "--output=type=registry"'),
    b("quiet", "Suppress the build output and print image ID on success", "q"),
    lst("secret", 'Secret to expose to the build (format: "id=mysecret[,src=/local/secret]")',
        vt="stringArray"),
    by("shm-size", "Shared memory size for build containers"),
    lst("ssh", "SSH agent socket or keys to expose to the build (format: "
        '"default|<id>[=<socket>|<key>[,<key>]]")', vt="stringArray"),
    lst("tag", 'Image identifier (format: "[registry/]repository[:tag]")', "t",
        vt="stringArray"),
    s("target", "Set the target build stage to build"),
    lst("ulimit", "Ulimit options", vt="ulimit"),
    lst("attest", 'Attestation parameters (format: "type=sbom,generator=image")',
        vt="stringArray"),
    s("sbom", 'Shorthand for "--attest=type=sbom"'),
    s("provenance", 'Shorthand for "--attest=type=provenance"'),
    s("call", 'Set method for evaluating build ("check", "outline", "targets")',
      default="build"),
    # a bool-like alias of --call=check (NoOptDefVal "true")
    b("check", 'Shorthand for "--call=check"'),
    # hidden: accepted for compatibility with the legacy builder's flags
    s("print", "Print result of information request (e.g., outline, targets)", hidden=True),
    b("compress", "Compress the build context using gzip", hidden=True),
    s("isolation", "Container isolation technology", hidden=True),
    lst("security-opt", "Security options", vt="stringSlice", hidden=True),
    b("squash", "Squash newly built layers into a single new layer", hidden=True),
    s("memory", "Memory limit", "m", hidden=True),
    s("memory-swap", 'Swap limit equal to memory plus swap: "-1" to enable unlimited swap',
      hidden=True),
    i("cpu-shares", "CPU shares (relative weight)", "c", vt="int64", hidden=True),
    i("cpu-period", "Limit the CPU CFS (Completely Fair Scheduler) period", vt="int64",
      hidden=True),
    i("cpu-quota", "Limit the CPU CFS (Completely Fair Scheduler) quota", vt="int64",
      hidden=True),
    s("cpuset-cpus", 'CPUs in which to allow execution ("0-3", "0,1")', hidden=True),
    s("cpuset-mems", 'MEMs in which to allow execution ("0-3", "0,1")', hidden=True),
    b("rm", "Remove intermediate containers after a successful build", default=True,
      hidden=True),
    b("force-rm", "Always remove intermediate containers", hidden=True),
    # commonBuildFlags
    b("no-cache", "Do not use cache when building the image"),
    s("progress", 'Set type of progress output ("auto", "none",  "plain", "quiet", '
      '"rawjson", "tty"). Use plain to show container output', default="auto"),
    b("pull", "Always attempt to pull all referenced images"),
    s("metadata-file", "Write build result metadata to a file"),
    *BUILDX_ROOT_FLAGS,
)

BUILDER_PRUNE_FLAGS = (
    b("all", "Include internal/frontend images", "a"),
    lst("filter", "Provide filter values", vt="filter"),
    by("reserved-space", "Amount of disk space always allowed to keep for cache"),
    by("min-free-space", "Target amount of free disk space after pruning"),
    by("max-used-space", "Maximum amount of disk space allowed to keep for cache"),
    b("verbose", "Provide a more verbose output"),
    b("force", "Do not prompt for confirmation", "f"),
    # pflag hides deprecated flags from help; the value lands in --reserved-space
    by("keep-storage", "Amount of disk space to keep for cache",
       deprecated="keep-storage flag has been changed to reserved-space",
       dest="reserved-space"),
    *BUILDX_ROOT_FLAGS,
)

NONE, ANY = ArgRule("none"), ArgRule("any")


def at_least(n: int) -> ArgRule:
    return ArgRule("min", n)


def at_most(n: int) -> ArgRule:
    return ArgRule("max", 0, n)


def exactly(n: int) -> ArgRule:
    return ArgRule("exact", n, n)


def _c(*words: str) -> tuple[str, ...]:
    return words


_SPECS: list[CommandSpec] = [
    # --- containers -------------------------------------------------------------------
    CommandSpec(("container", "run"), "container run [OPTIONS] IMAGE [COMMAND] [ARG...]",
                "Create and run a new container from an image", RUN_FLAGS, at_least(1),
                aliases=(_c("run"),), shortcuts=(_c("run"),), interspersed=False,
                group="common", category_top=1,
                aliases_text="docker container run, docker run"),
    CommandSpec(("container", "create"), "container create [OPTIONS] IMAGE [COMMAND] [ARG...]",
                "Create a new container", CREATE_FLAGS, at_least(1),
                aliases=(_c("create"),), shortcuts=(_c("create"),), interspersed=False,
                aliases_text="docker container create, docker create"),
    CommandSpec(("container", "exec"), "container exec [OPTIONS] CONTAINER COMMAND [ARG...]",
                "Execute a command in a running container", (
                    s("detach-keys", "Override the key sequence for detaching a container"),
                    b("interactive", "Keep STDIN open even if not attached", "i"),
                    b("tty", "Allocate a pseudo-TTY", "t"),
                    b("detach", "Detached mode: run command in the background", "d"),
                    s("user", 'Username or UID (format: "<name|uid>[:<group|gid>]")', "u"),
                    b("privileged", "Give extended privileges to the command"),
                    lst("env", "Set environment variables", "e"),
                    lst("env-file", "Read in a file of environment variables"),
                    s("workdir", "Working directory inside the container", "w"),
                ), at_least(2), aliases=(_c("exec"),), shortcuts=(_c("exec"),),
                interspersed=False, group="common", category_top=2,
                aliases_text="docker container exec, docker exec"),
    CommandSpec(("container", "start"), "container start [OPTIONS] CONTAINER [CONTAINER...]",
                "Start one or more stopped containers", (
                    b("attach", "Attach STDOUT/STDERR and forward signals", "a"),
                    b("interactive", "Attach container's STDIN", "i"),
                    s("detach-keys", "Override the key sequence for detaching a container"),
                    s("checkpoint", "Restore from this checkpoint", only_when="experimental"),
                    s("checkpoint-dir", "Use a custom checkpoint storage directory",
                      only_when="experimental"),
                ), at_least(1), aliases=(_c("start"),), shortcuts=(_c("start"),),
                aliases_text="docker container start, docker start"),
    CommandSpec(("container", "stop"), "container stop [OPTIONS] CONTAINER [CONTAINER...]",
                "Stop one or more running containers", STOP_FLAGS, at_least(1),
                aliases=(_c("stop"),), shortcuts=(_c("stop"),),
                aliases_text="docker container stop, docker stop"),
    CommandSpec(("container", "restart"),
                "container restart [OPTIONS] CONTAINER [CONTAINER...]",
                "Restart one or more containers", STOP_FLAGS, at_least(1),
                aliases=(_c("restart"),), shortcuts=(_c("restart"),),
                aliases_text="docker container restart, docker restart"),
    CommandSpec(("container", "kill"), "container kill [OPTIONS] CONTAINER [CONTAINER...]",
                "Kill one or more running containers",
                (s("signal", "Signal to send to the container", "s"),), at_least(1),
                aliases=(_c("kill"),), shortcuts=(_c("kill"),),
                aliases_text="docker container kill, docker kill"),
    CommandSpec(("container", "diff"), "container diff CONTAINER",
                "Inspect changes to files or directories on a container's filesystem", (),
                exactly(1), aliases=(_c("diff"),), shortcuts=(_c("diff"),),
                aliases_text="docker container diff, docker diff"),
    CommandSpec(("container", "port"), "container port CONTAINER [PRIVATE_PORT[/PROTO]]",
                "List port mappings or a specific mapping for the container", (),
                ArgRule("range", 1, 2), aliases=(_c("port"),), shortcuts=(_c("port"),),
                aliases_text="docker container port, docker port"),
    CommandSpec(("container", "prune"), "container prune [OPTIONS]",
                "Remove all stopped containers", (
                    b("force", "Do not prompt for confirmation", "f"),
                    lst("filter", 'Provide filter values (e.g. "until=<timestamp>")',
                        vt="filter"),
                ), NONE),
    CommandSpec(("container", "pause"), "container pause CONTAINER [CONTAINER...]",
                "Pause all processes within one or more containers", (), at_least(1),
                aliases=(_c("pause"),), shortcuts=(_c("pause"),),
                aliases_text="docker container pause, docker pause"),
    CommandSpec(("container", "unpause"), "container unpause CONTAINER [CONTAINER...]",
                "Unpause all processes within one or more containers", (), at_least(1),
                aliases=(_c("unpause"),), shortcuts=(_c("unpause"),),
                aliases_text="docker container unpause, docker unpause"),
    CommandSpec(("container", "rm"), "container rm [OPTIONS] CONTAINER [CONTAINER...]",
                "Remove one or more containers", (
                    b("volumes", "Remove anonymous volumes associated with the container", "v"),
                    b("link", "Remove the specified link", "l"),
                    b("force", "Force the removal of a running container (uses SIGKILL)", "f"),
                ), at_least(1),
                aliases=(_c("container", "remove"), _c("rm"), _c("remove")),
                shortcuts=(_c("rm"),),
                aliases_text="docker container rm, docker container remove, docker rm"),
    CommandSpec(("container", "logs"), "container logs [OPTIONS] CONTAINER",
                "Fetch the logs of a container", (
                    b("follow", "Follow log output", "f"),
                    s("since", 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or '
                      'relative (e.g. "42m" for 42 minutes)'),
                    s("until", 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or '
                      'relative (e.g. "42m" for 42 minutes)'),
                    b("timestamps", "Show timestamps", "t"),
                    b("details", "Show extra details provided to logs"),
                    s("tail", "Number of lines to show from the end of the logs", "n",
                      default="all"),
                ), exactly(1), aliases=(_c("logs"),), shortcuts=(_c("logs"),),
                aliases_text="docker container logs, docker logs"),
    CommandSpec(("container", "ls"), "container ls [OPTIONS]", "List containers", (
                    b("quiet", "Only display container IDs", "q"),
                    b("size", "Display total file sizes", "s"),
                    b("all", "Show all containers (default shows just running)", "a"),
                    b("no-trunc", "Don't truncate output"),
                    b("latest", "Show the latest created container (includes all states)",
                      "l"),
                    i("last", "Show n last created containers (includes all states)", "n",
                      default=-1),
                    s("format", FORMAT_HELP),
                    lst("filter", "Filter output based on conditions provided", "f",
                        vt="filter"),
                ), NONE,
                aliases=(_c("container", "list"), _c("container", "ps"), _c("ps")),
                shortcuts=(_c("ps"),), group="common", category_top=3,
                aliases_text="docker container ls, docker container list, docker container "
                             "ps, docker ps"),
    CommandSpec(("container", "commit"),
                "container commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
                "Create a new image from a container's changes", (
                    b("pause", "Pause container during commit", "p", default=True),
                    s("message", "Commit message", "m"),
                    s("author", 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")',
                      "a"),
                    lst("change", "Apply Dockerfile instruction to the created image", "c"),
                ), ArgRule("range", 1, 2), aliases=(_c("commit"),), shortcuts=(_c("commit"),),
                interspersed=False, aliases_text="docker container commit, docker commit"),
    CommandSpec(("container", "inspect"), "container inspect [OPTIONS] CONTAINER [CONTAINER...]",
                "Display detailed information on one or more containers", (
                    s("format", INSPECT_FORMAT_HELP, "f"),
                    b("size", "Display total file sizes", "s"),
                ), at_least(1)),
    # --- images -----------------------------------------------------------------------
    CommandSpec(("image", "pull"), "image pull [OPTIONS] NAME[:TAG|@DIGEST]",
                "Download an image from a registry", (
                    b("all-tags", "Download all tagged images in the repository", "a"),
                    b("quiet", "Suppress verbose output", "q"),
                    PLATFORM, TRUST_VERIFY,
                ), exactly(1), aliases=(_c("pull"),), shortcuts=(_c("pull"),),
                group="common", category_top=5, aliases_text="docker image pull, docker pull"),
    CommandSpec(("image", "push"), "image push [OPTIONS] NAME[:TAG]",
                "Upload an image to a registry", (
                    b("all-tags", "Push all tags of an image to the repository", "a"),
                    b("quiet", "Suppress verbose output", "q"),
                    TRUST_SIGN,
                    s("platform", "Push a platform-specific manifest as a single-platform "
                      "image to the registry.\nImage index won't be pushed, meaning that other "
                      "manifests, including attestations won't be preserved.\n"
                      "'os[/arch[/variant]]': Explicit platform (eg. linux/amd64)"),
                ), exactly(1), aliases=(_c("push"),), shortcuts=(_c("push"),),
                group="common", category_top=6, aliases_text="docker image push, docker push"),
    CommandSpec(("image", "tag"), "image tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
                "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", (), exactly(2),
                aliases=(_c("tag"),), shortcuts=(_c("tag"),), interspersed=False,
                aliases_text="docker image tag, docker tag"),
    CommandSpec(("image", "ls"), "image ls [OPTIONS] [REPOSITORY[:TAG]]", "List images", (
                    b("quiet", "Only show image IDs", "q"),
                    b("all", "Show all images (default hides intermediate images)", "a"),
                    b("no-trunc", "Don't truncate output"),
                    b("digests", "Show digests"),
                    s("format", FORMAT_HELP),
                    lst("filter", "Filter output based on conditions provided", "f",
                        vt="filter"),
                    b("tree", "List multi-platform images as a tree (EXPERIMENTAL)"),
                ), at_most(1), aliases=(_c("image", "list"), _c("images")),
                shortcuts=(_c("images"),), group="common", category_top=7,
                aliases_text="docker image ls, docker image list, docker images"),
    CommandSpec(("image", "rm"), "image rm [OPTIONS] IMAGE [IMAGE...]",
                "Remove one or more images", (
                    b("force", "Force removal of the image", "f"),
                    b("no-prune", "Do not delete untagged parents"),
                    lst("platform", 'Remove only the given platform variant. Formatted as '
                        '"os[/arch[/variant]]" (e.g., "linux/amd64")', vt="stringSlice"),
                ), at_least(1),
                aliases=(_c("image", "rmi"), _c("image", "remove"), _c("rmi")),
                shortcuts=(_c("rmi"),),
                aliases_text="docker image rm, docker image remove, docker rmi"),
    CommandSpec(("image", "prune"), "image prune [OPTIONS]", "Remove unused images", (
                    b("force", "Do not prompt for confirmation", "f"),
                    b("all", "Remove all unused images, not just dangling ones", "a"),
                    lst("filter", 'Provide filter values (e.g. "until=<timestamp>")',
                        vt="filter"),
                ), NONE),
    CommandSpec(("image", "history"), "image history [OPTIONS] IMAGE",
                "Show the history of an image", (
                    b("human", "Print sizes and dates in human readable format", "H",
                      default=True),
                    b("quiet", "Only show image IDs", "q"),
                    b("no-trunc", "Don't truncate output"),
                    s("format", FORMAT_HELP),
                    s("platform", 'Show history for the given platform. Formatted as '
                      '"os[/arch[/variant]]" (e.g., "linux/amd64")'),
                ), exactly(1), aliases=(_c("history"),), shortcuts=(_c("history"),),
                aliases_text="docker image history, docker history"),
    CommandSpec(("image", "inspect"), "image inspect [OPTIONS] IMAGE [IMAGE...]",
                "Display detailed information on one or more images", (
                    s("format", INSPECT_FORMAT_HELP, "f"),
                    s("platform", "Inspect a specific platform of the multi-platform image.\n"
                      "If the image or the server is not multi-platform capable, the command "
                      "will error out if the platform does not match.\n'os[/arch[/variant]]': "
                      "Explicit platform (eg. linux/amd64)"),
                ), at_least(1)),
    # --- build (the buildx plugin; see BUILD_FLAGS) ------------------------------------
    CommandSpec(("image", "build"), "image build [OPTIONS] PATH | URL | -", "Start a build",
                BUILD_FLAGS, exactly(1),
                aliases=(_c("build"), _c("builder", "build"), _c("buildx", "build"),
                         _c("buildx", "b")),
                shortcuts=(_c("build"), _c("builder", "build")),
                group="common", category_top=4,
                aliases_text="docker build, docker builder build, docker image build, "
                             "docker buildx b",
                plugin_path=_c("buildx", "build"),
                listed_short="Build an image from a Dockerfile", error_prefix="ERROR: "),
    CommandSpec(("builder", "prune"), "builder prune", "Remove build cache",
                BUILDER_PRUNE_FLAGS, NONE, aliases=(_c("buildx", "prune"),),
                plugin_path=_c("buildx", "prune"), error_prefix="ERROR: "),
    # --- volumes ----------------------------------------------------------------------
    CommandSpec(("volume", "create"), "volume create [OPTIONS] [VOLUME]", "Create a volume", (
                    s("driver", "Specify volume driver name", "d", default="local"),
                    s("name", "Specify volume name", hidden=True),
                    lst("opt", "Set driver specific options", "o", vt="map"),
                    lst("label", "Set metadata for a volume"),
                    s("group", "Cluster Volume group (cluster volumes)", only_when="swarm"),
                    s("scope", 'Cluster Volume access scope ("single", "multi")',
                      default="single", only_when="swarm"),
                    s("sharing", 'Cluster Volume access sharing ("none", "readonly", '
                      '"onewriter", "all")', default="none", only_when="swarm"),
                    s("availability", 'Cluster Volume availability ("active", "pause", '
                      '"drain")', default="active", only_when="swarm"),
                    s("type", 'Cluster Volume access type ("mount", "block")',
                      default="block", only_when="swarm"),
                    lst("secret", "Cluster Volume secrets", vt="map", only_when="swarm"),
                    by("limit-bytes", "Minimum size of the Cluster Volume in bytes",
                       only_when="swarm"),
                    by("required-bytes", "Maximum size of the Cluster Volume in bytes",
                       only_when="swarm"),
                    lst("topology-required", "A topology that the Cluster Volume must be "
                        "accessible from", only_when="swarm"),
                    lst("topology-preferred", "A topology that the Cluster Volume would be "
                        "preferred in", only_when="swarm"),
                ), at_most(1)),
    CommandSpec(("volume", "ls"), "volume ls [OPTIONS]", "List volumes", (
                    b("quiet", "Only display volume names", "q"),
                    s("format", FORMAT_HELP),
                    lst("filter", 'Provide filter values (e.g. "dangling=true")', "f",
                        vt="filter"),
                    b("cluster", "Display only cluster volumes, and use cluster volume list "
                      "formatting", only_when="swarm"),
                ), NONE, aliases=(_c("volume", "list"),),
                aliases_text="docker volume ls, docker volume list"),
    CommandSpec(("volume", "rm"), "volume rm [OPTIONS] VOLUME [VOLUME...]",
                "Remove one or more volumes",
                (b("force", "Force the removal of one or more volumes", "f"),), at_least(1),
                aliases=(_c("volume", "remove"),),
                long="Remove one or more volumes. You cannot remove a volume that is in use by "
                     "a container.",
                aliases_text="docker volume rm, docker volume remove"),
    CommandSpec(("volume", "inspect"), "volume inspect [OPTIONS] VOLUME [VOLUME...]",
                "Display detailed information on one or more volumes",
                (s("format", INSPECT_FORMAT_HELP, "f"),), at_least(1)),
    CommandSpec(("volume", "prune"), "volume prune [OPTIONS]", "Remove unused local volumes", (
                    b("all", "Remove all unused volumes, not just anonymous ones", "a"),
                    b("force", "Do not prompt for confirmation", "f"),
                    lst("filter", 'Provide filter values (e.g. "label=<label>")',
                        vt="filter"),
                ), NONE),
    # --- system -----------------------------------------------------------------------
    CommandSpec(("system", "df"), "system df [OPTIONS]", "Show docker disk usage", (
                    b("verbose", "Show detailed information on space usage", "v"),
                    s("format", FORMAT_HELP),
                ), NONE),
    CommandSpec(("system", "prune"), "system prune [OPTIONS]", "Remove unused data", (
                    b("all", "Remove all unused images not just dangling ones", "a"),
                    lst("filter", 'Provide filter values (e.g. "label=<key>=<value>")',
                        vt="filter"),
                    b("force", "Do not prompt for confirmation", "f"),
                    b("volumes", "Prune anonymous volumes"),
                ), NONE),
    CommandSpec(("system", "info"), "system info [OPTIONS]", "Display system-wide information",
                (s("format", INSPECT_FORMAT_HELP, "f"),), NONE,
                aliases=(_c("info"),), shortcuts=(_c("info"),), group="common",
                category_top=12, aliases_text="docker system info, docker info"),
    CommandSpec(("version",), "version [OPTIONS]", "Show the Docker version information",
                (s("format", INSPECT_FORMAT_HELP, "f"),), NONE, group="common",
                category_top=11),
    CommandSpec(("inspect",), "inspect [OPTIONS] NAME|ID [NAME|ID...]",
                "Return low-level information on Docker objects", (
                    s("format", INSPECT_FORMAT_HELP, "f"),
                    s("type", "Return JSON for specified type"),
                    b("size", "Display total file sizes if the type is container", "s"),
                ), at_least(1)),
]

SPECS: dict[tuple[str, ...], CommandSpec] = {spec.path: spec for spec in _SPECS}
"""Runnable commands, keyed by canonical path."""

# The persistent --help every command inherits from the root (cli/cobra.go): its -h is
# deprecated ("use --help"), and it is hidden from help output.
HELP_FLAG = b("help", "Print usage", "h", hidden=True, shorthand_deprecated="use --help")

GLOBAL_FLAGS: tuple[FlagSpec, ...] = (
    s("config", "Location of client config files", default="/root/.docker"),
    b("debug", "Enable debug mode", "D"),
    s("log-level", 'Set the logging level ("debug", "info", "warn", "error", "fatal")', "l",
      default="info"),
    b("tls", "Use TLS; implied by --tlsverify"),
    b("tlsverify", "Use TLS and verify the remote"),
    s("tlscacert", "Trust certs signed only by this CA", default="/root/.docker/ca.pem"),
    s("tlscert", "Path to TLS certificate file", default="/root/.docker/cert.pem"),
    s("tlskey", "Path to TLS key file", default="/root/.docker/key.pem"),
    lst("host", "Daemon socket to connect to", "H"),
    s("context", "Name of the context to use to connect to the daemon (overrides "
      'DOCKER_HOST env var and default context set with "docker context use")', "c"),
    b("version", "Print version information and quit", "v"),
    HELP_FLAG,
)
"""cli/flags/options.go InstallFlags plus cmd/docker/docker.go's --version; the paths are
those of a client whose config directory is /root/.docker."""

ROOT = CommandSpec((), "[OPTIONS] COMMAND [ARG...]", "A self-sufficient runtime for containers",
                   GLOBAL_FLAGS, ANY, group="root")

MANAGEMENT: dict[tuple[str, ...], CommandSpec] = {
    m.path: m for m in (
        # cli/command/builder/cmd.go; docker forwards the whole group to buildx
        CommandSpec(("builder",), "builder", "Manage builds", (), NONE, group="management"),
        # the docker-buildx plugin's stub: its metadata short is its root's Short
        CommandSpec(("buildx",), "buildx", "Docker Buildx", BUILDX_ROOT_FLAGS, NONE,
                    long="Extended build capabilities with BuildKit", group="management",
                    plugin=True),
        CommandSpec(("container",), "container", "Manage containers", (), NONE,
                    group="management"),
        CommandSpec(("image",), "image", "Manage images", (), NONE, group="management"),
        CommandSpec(("system",), "system", "Manage Docker", (), NONE, group="management"),
        CommandSpec(("volume",), "volume COMMAND", "Manage volumes", (), NONE,
                    group="management"),
    )
}
"""Commands that only group others: alone they print their help to stderr."""

HELP_COMMAND = CommandSpec(("help",), "help [command]", "Help about the command", (), ANY,
                           group="hidden")
"""cobra's help command as docker configures it (cli/cobra.go helpCommand); not listed."""


@dataclass(frozen=True)
class Resolution:
    """Where a word list leads: the spec, the path cobra prints, and the words left."""

    spec: CommandSpec
    path: tuple[str, ...]
    remaining: tuple[str, ...]


def _index() -> dict[tuple[str, ...], tuple[CommandSpec, tuple[str, ...]]]:
    table: dict[tuple[str, ...], tuple[CommandSpec, tuple[str, ...]]] = {}
    for spec in (*MANAGEMENT.values(), *SPECS.values(), HELP_COMMAND):
        for typed in (spec.path, *spec.aliases):
            table[typed] = (spec, spec.display_path(typed))
    return table


INVOCATIONS = _index()
"""Every typeable path -> (spec, the cobra command path shown in messages)."""


def children(path: tuple[str, ...]) -> list[CommandSpec]:
    """Commands mounted directly under ``path`` (() is the root), for help listings."""
    seen: dict[tuple[str, ...], CommandSpec] = {}
    for typed, (spec, shown) in INVOCATIONS.items():
        # a mount lists itself (for a command docker forwards, each tree lists its own)
        listed = typed if typed in spec.mounts else shown
        if listed[:-1] == path and listed not in seen and spec is not HELP_COMMAND:
            seen[listed] = spec
    return [seen[p] for p in sorted(seen)]


def find_child(path: tuple[str, ...], word: str) -> tuple[CommandSpec, tuple[str, ...]] | None:
    """cobra ``findNext``: the subcommand of ``path`` named (or aliased) ``word``."""
    typed = (*path, word)
    hit = INVOCATIONS.get(typed)
    if hit is None or (hit[1][:-1] != path and typed not in hit[0].mounts):
        return None
    return hit


def resolve(words: list[str] | tuple[str, ...]) -> Resolution:
    """Walk command words from the root as far as they name commands (no flags)."""
    spec, path = ROOT, ()
    rest = tuple(words)
    while rest:
        hit = find_child(path, rest[0])
        if hit is None:
            break
        spec, path = hit
        rest = rest[1:]
    return Resolution(spec, path, rest)


def lookup(words: list[str]) -> tuple[CommandSpec, list[str]]:
    """The command ``words`` name and the words after it; unknown words stay in the
    remainder (``lookup(["foo"])`` is the root with ``["foo"]`` left, as cobra finds it)."""
    found = resolve(words)
    return found.spec, list(found.remaining)
