"""Parse a docker command line exactly as Docker CLI 28.5 (cobra + pflag) does.

The flow mirrors cmd/docker/docker.go and cobra's ``ExecuteC``:

1. ``HandleGlobalFlags`` parses the root flags up to the first command word (pflag,
   non-interspersed); a bad global flag is a flag error of the root command.
2. cobra ``Traverse`` walks command words, parsing flags met on the way.
3. The command parses its own flags (pflag); ``--help`` wins over everything but a
   flag error; then docker checks annotated flags (``isSupported``) and the argument
   count (cli/required.go); then the command runs.

Exit codes: flag errors go through cli/cobra.go ``FlagErrorFunc`` (a StatusError with code
125, for every command); every other usage error is a plain error, which
cmd/docker/docker.go ``main`` prints and exits 1 with. Commands docker hands to the buildx
plugin (``build``, ``builder prune``) parse the same way in the plugin, whose ``main``
(buildx cmd/buildx/main.go) prints a StatusError's text as is and a plain error after
``ERROR: `` (the spec's ``error_prefix``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import help as helptext
from .flagvalues import ConversionError, convert, go_quote, go_quote_rune, split_csv
from .specs import (
    BIN,
    CLIENT_GIT_COMMIT,
    CLIENT_VERSION,
    GLOBAL_FLAGS,
    HELP_COMMAND,
    MANAGEMENT,
    ROOT,
    CommandSpec,
    FlagSpec,
    find_child,
    resolve,
)

FLAG_ERROR_EXIT = 125  # cli/cobra.go FlagErrorFunc
ERROR_EXIT = 1  # cmd/docker/docker.go getExitCode for errors without a status
DAEMON_OS = "linux"


class UsageError(Exception):
    """A command line docker rejects. Print ``message`` and a newline to stderr, then exit
    with ``exit_code``. ``warnings`` are lines docker printed to stderr before failing."""

    def __init__(self, message: str, exit_code: int, warnings: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.warnings = tuple(warnings)
        self.stdout = False


@dataclass(frozen=True)
class Parsed:
    """A command line docker accepts.

    ``options`` holds only the flags given on the command line, keyed by the option they
    set (``--net`` sets ``network``); ``get()`` falls back to the flag's default, the way a
    cobra command sees its variables. ``help_text`` is set when docker prints text instead
    of running the command (``--help``, ``docker help``, ``docker --version``, a bare
    management command); it goes to stderr when ``help_to_stderr``.
    """

    spec: CommandSpec
    options: dict[str, object]
    args: list[str]
    path: tuple[str, ...] = ()
    changed: frozenset[str] = frozenset()
    global_options: dict[str, object] = field(default_factory=dict)
    help_text: str | None = None
    help_to_stderr: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def action(self) -> str:
        """'run' (call the handler), or 'print' (show ``help_text`` and exit 0)."""
        return "print" if self.help_text is not None else "run"

    @property
    def command_path(self) -> str:
        """cobra CommandPath, e.g. ``docker container ls`` when typed as ``container ps``."""
        return " ".join((BIN, *self.path))

    def get(self, key: str, default: object = None) -> object:
        """The option's value, or the flag's default when it was not given."""
        if key in self.options:
            return self.options[key]
        flag = next((f for f in self.spec.flags if f.target == key), None)
        if flag is None:
            return default
        return list(flag.default) if isinstance(flag.default, tuple) else flag.default


class FlagError(Exception):
    """A pflag parse error; ``str()`` is pflag's message."""


class FlagSet:
    """A pflag FlagSet: the parsing rules of spf13/pflag flag.go ``parseArgs``."""

    def __init__(self, flags: Iterable[FlagSpec], interspersed: bool = True,
                 values: dict[str, object] | None = None) -> None:
        self.flags = tuple(flags)
        self.by_name = {f.name: f for f in self.flags}
        self.by_short = {f.shorthand: f for f in self.flags if f.shorthand}
        self.interspersed = interspersed
        self.values: dict[str, object] = dict(values or {})
        self.changed: list[str] = []
        self.args: list[str] = []
        self.warnings: list[str] = []

    def parse(self, arguments: Sequence[str]) -> None:
        """pflag ``Parse``: set flags, collect positional arguments into ``args``."""
        args = list(arguments)
        while args:
            arg = args.pop(0)
            if len(arg) < 2 or arg[0] != "-":
                self.args.append(arg)
                if not self.interspersed:
                    self.args.extend(args)
                    return
                continue
            if arg == "--":
                self.args.extend(args)
                return
            if arg[1] == "-":
                args = self._long(arg, args)
            else:
                shorthands = arg[1:]
                while shorthands:
                    shorthands, args = self._short(shorthands, args)

    def _long(self, arg: str, args: list[str]) -> list[str]:
        name = arg[2:]
        if not name or name[0] in "-=":
            raise FlagError(f"bad flag syntax: {arg}")
        name, has_value, value = name.partition("=")
        flag = self.by_name.get(name)
        if flag is None:
            raise FlagError(f"unknown flag: --{name}")
        if not has_value:
            if flag.kind == "bool":
                value = "true"
            elif args:
                value = args.pop(0)
            else:
                raise FlagError(f"flag needs an argument: {arg}")
        self.set(flag, value)
        return args

    def _short(self, shorthands: str, args: list[str]) -> tuple[str, list[str]]:
        if shorthands.startswith("test."):
            return "", args
        char, rest = shorthands[0], shorthands[1:]
        flag = self.by_short.get(char)
        if flag is None:
            raise FlagError(f"unknown shorthand flag: {go_quote_rune(char)} in -{shorthands}")
        if len(shorthands) > 2 and shorthands[1] == "=":
            value, rest = shorthands[2:], ""
        elif flag.kind == "bool":
            value = "true"
        elif len(shorthands) > 1:
            value, rest = shorthands[1:], ""
        elif args:
            value = args.pop(0)
        else:
            raise FlagError(f"flag needs an argument: {go_quote_rune(char)} in -{shorthands}")
        if flag.shorthand_deprecated:
            self.warnings.append(f"Flag shorthand -{flag.shorthand} has been deprecated, "
                                 f"{flag.shorthand_deprecated}")
        self.set(flag, value)
        return rest, args

    def set(self, flag: FlagSpec, value: str) -> None:
        """pflag ``FlagSet.Set``: convert, store, mark changed, warn if deprecated."""
        try:
            if flag.kind == "strings":
                converted: object = split_csv(value)
            else:
                converted = convert(flag.kind, value)
        except ConversionError as exc:
            shown = (f"-{flag.shorthand}, --{flag.name}"
                     if flag.shorthand and not flag.shorthand_deprecated else f"--{flag.name}")
            raise FlagError(f"invalid argument {go_quote(value)} for {go_quote(shown)} flag: "
                            f"{exc}") from None
        key = flag.target
        if flag.kind in ("list", "map", "filter", "strings"):
            previous = list(self.values.get(key, ()))
            if flag.kind == "strings":
                converted = previous + list(converted)  # type: ignore[arg-type]
            elif converted != "" or flag.kind != "filter":
                converted = [*previous, converted]
            else:
                converted = previous
        self.values[key] = converted
        if flag.name not in self.changed:
            self.changed.append(flag.name)
        if flag.deprecated:
            self.warnings.append(f"Flag --{flag.name} has been deprecated, {flag.deprecated}")


# --- error texts ----------------------------------------------------------------------


def _flag_error(spec: CommandSpec, path: tuple[str, ...], error: FlagError,
                warnings: Sequence[str]) -> UsageError:
    """cli/cobra.go FlagErrorFunc."""
    command = " ".join((BIN, *path))
    return UsageError(f"{error}\n\nUsage:  {spec.use_line(path)}\n\n"
                      f"Run '{command} --help' for more information", FLAG_ERROR_EXIT, warnings)


def _plural(word: str, count: int) -> str:
    return word if count == 1 else word + "s"


def args_error(spec: CommandSpec, path: tuple[str, ...], args: Sequence[str]) -> str | None:
    """cli/required.go's message for a wrong argument count, or None when they fit.

    Texts as in the v28 tree, including "See ... for more information" for the minimum
    check and the "SRun" typo of RequiresMaxArgs."""
    rule = spec.args
    command = " ".join((BIN, *path))
    tail = f"\n\nUsage:  {spec.use_line(path)}\n\n"
    count = len(args)
    if rule.kind == "none" and count:
        if spec.path in MANAGEMENT:
            return (f"{BIN}: unknown command: {command} {args[0]}{tail}"
                    f"Run '{command} --help' for more information")
        return f"{BIN}: '{command}' accepts no arguments{tail}Run '{command} --help' for more " \
               "information"
    if rule.kind == "min" and count < rule.min:
        return (f"{BIN}: '{command}' requires at least {rule.min} {_plural('argument', rule.min)}"
                f"{tail}See '{command} --help' for more information")
    if rule.kind == "max" and count > rule.max:
        return (f"{BIN}: '{command}' requires at most {rule.max} {_plural('argument', rule.max)}"
                f"{tail}SRun '{command} --help' for more information")
    if rule.kind == "range" and not rule.min <= count <= rule.max:
        return (f"{BIN}: '{command}' requires at least {rule.min} and at most {rule.max} "
                f"{_plural('argument', rule.max)}{tail}Run '{command} --help' for more "
                "information")
    if rule.kind == "exact" and count != rule.min:
        return (f"{BIN}: '{command}' requires {rule.min} {_plural('argument', rule.min)}"
                f"{tail}Run '{command} --help' for more information")
    return None


def unsupported_flags(flags: Iterable[FlagSpec], changed: Iterable[str]) -> str | None:
    """cmd/docker/docker.go areFlagsSupported, for a Linux daemon without experimental
    features: errors for set flags that need Windows or an experimental daemon."""
    given = set(changed)
    errors = []
    for flag in sorted(flags, key=lambda f: f.name):
        if flag.name not in given:
            continue
        if flag.only_when == "windows":
            errors.append(f'"--{flag.name}" is only supported on a Docker daemon running on '
                          f"windows, but the Docker daemon is running on {DAEMON_OS}")
        elif flag.only_when == "experimental":
            errors.append(f'"--{flag.name}" is only supported on a Docker daemon with '
                          "experimental features enabled")
    return "\n".join(errors) or None


# --- cobra Traverse -------------------------------------------------------------------


def _node_flags(spec: CommandSpec) -> dict[str, FlagSpec]:
    """The flags Traverse consults at a command. cmd/docker/docker.go runs cobra ``Find``
    first, whose stripFlags merges the inherited --help into each command on the path."""
    flags = GLOBAL_FLAGS if spec is ROOT else helptext.merged_flags(spec)
    return {f.name: f for f in flags}


def _is_bool(flags: dict[str, FlagSpec], name: str, short: bool = False) -> bool:
    if short:
        flag = next((f for f in flags.values() if f.shorthand == name[:1]), None)
    else:
        flag = flags.get(name)
    return flag is not None and flag.kind == "bool"


@dataclass
class _Walk:
    spec: CommandSpec
    path: tuple[str, ...]
    args: list[str]
    help: object
    warnings: list[str]


def _traverse(words: list[str], help_value: object, warnings: list[str]) -> _Walk:
    """cobra ``Command.Traverse``: find the command, parsing flags that precede each
    subcommand word with the flags of the command they follow."""
    spec, path, args = ROOT, (), list(words)
    while True:
        local = _node_flags(spec)
        pending: list[str] = []
        in_flag = False
        found = None
        for index, arg in enumerate(args):
            if arg.startswith("--") and "=" not in arg:
                in_flag = not _is_bool(local, arg[2:])
                pending.append(arg)
            elif (arg.startswith("-") and "=" not in arg and len(arg) == 2
                  and not _is_bool(local, arg[1:], short=True)):
                in_flag = True
                pending.append(arg)
            elif in_flag:
                in_flag = False
                pending.append(arg)
            elif (len(arg) >= 3 and arg[:2] == "--") or (len(arg) >= 2 and arg[0] == "-"
                                                           and arg[1] != "-"):
                pending.append(arg)
            else:
                found = (index, find_child(path, arg))
                break
        if found is None or found[1] is None:
            return _Walk(spec, path, args, help_value, warnings)
        index, (child, child_path) = found
        if pending:
            flagset = _flagset_for(spec, help_value)
            try:
                flagset.parse(pending)
            except FlagError as exc:
                raise UsageError(str(exc), ERROR_EXIT, warnings) from None
            warnings.extend(flagset.warnings)
            help_value = flagset.values.get("help", help_value)
        spec, path, args = child, child_path, args[index + 1:]


def _flagset_for(spec: CommandSpec, help_value: object,
                 global_values: dict[str, object] | None = None) -> FlagSet:
    """The merged flags a command parses with, the inherited --help carrying its value."""
    if spec is ROOT:
        return FlagSet(GLOBAL_FLAGS, True, global_values)
    flags = helptext.merged_flags(spec)
    inherited = {"help": help_value} if spec.flag("help") is None and help_value else {}
    return FlagSet(flags, spec.interspersed, inherited)


# --- entry point ----------------------------------------------------------------------


def parse_command_line(argv: Sequence[str]) -> Parsed:
    """Parse the words after ``docker``; raise UsageError with Docker's text and exit code
    for a line docker rejects."""
    global_set = FlagSet(GLOBAL_FLAGS, interspersed=False)
    try:
        global_set.parse(argv)
    except FlagError as exc:
        raise _flag_error(ROOT, (), exc, global_set.warnings) from None
    warnings = list(global_set.warnings)
    walk = _traverse(global_set.args, global_set.values.get("help", False), warnings)
    flagset = _flagset_for(walk.spec, walk.help, global_set.values)
    try:
        flagset.parse(walk.args)
    except FlagError as exc:
        unsupported = unsupported_flags(flagset.flags, flagset.changed)
        if unsupported:
            raise UsageError(unsupported, ERROR_EXIT, warnings + flagset.warnings) from None
        raise _flag_error(walk.spec, walk.path, exc, warnings + flagset.warnings) from None
    warnings.extend(flagset.warnings)
    base = {"spec": walk.spec, "path": walk.path, "warnings": tuple(warnings),
            "global_options": {k: v for k, v in global_set.values.items() if k != "help"}}
    if walk.spec is ROOT:
        return _root(flagset, base)
    if flagset.values.get("help"):
        return Parsed(options={}, args=flagset.args,
                      help_text=helptext.render_help(walk.spec, walk.path), **base)
    if walk.spec is HELP_COMMAND:
        return _help_topic(flagset.args, base)
    unsupported = unsupported_flags(flagset.flags, flagset.changed)
    if unsupported:
        raise UsageError(unsupported, ERROR_EXIT, warnings)
    problem = args_error(walk.spec, walk.path, flagset.args)
    if problem:
        raise UsageError(walk.spec.error_prefix + problem, ERROR_EXIT, warnings)
    if walk.spec.path in MANAGEMENT:
        return Parsed(options={}, args=[], help_to_stderr=True,
                      help_text=helptext.render_management_help(walk.spec.path), **base)
    options = {k: v for k, v in flagset.values.items() if k != "help"
               and any(f.target == k and f.name in flagset.changed for f in flagset.flags)}
    return Parsed(options=options, args=flagset.args, changed=frozenset(flagset.changed),
                  **base)


def _root(flagset: FlagSet, base: dict) -> Parsed:
    """The root command ran: help, version, bare ``docker`` or an unknown command."""
    base["global_options"] = {k: v for k, v in flagset.values.items() if k != "help"}
    if flagset.values.get("help"):
        return Parsed(options={}, args=flagset.args, help_text=helptext.render_root_help(),
                      **base)
    if flagset.values.get("version"):
        return Parsed(options={}, args=flagset.args,
                      help_text=f"Docker version {CLIENT_VERSION}, build {CLIENT_GIT_COMMIT}\n",
                      **base)
    if flagset.args:
        raise UsageError(f"{BIN}: unknown command: {BIN} {flagset.args[0]}\n\n"
                         f"Run '{BIN} --help' for more information", ERROR_EXIT,
                         base["warnings"])
    return Parsed(options={}, args=[], help_text=helptext.render_root_help(),
                  help_to_stderr=True, **base)


def _help_topic(topic: list[str], base: dict) -> Parsed:
    """``docker help [command]`` (cli/cobra.go helpCommand: cobra ``Find`` on the topic)."""
    found = resolve(topic)
    if found.remaining:
        raise UsageError(f"unknown help topic: {' '.join(found.remaining)}", ERROR_EXIT,
                         base["warnings"])
    return Parsed(options={}, args=topic, help_text=helptext.render_help(found.spec,
                                                                         found.path), **base)
