"""``--help`` output, rendered byte for byte as Docker CLI 28.5 prints it.

docker/cli cli/cobra.go fills cobra's usage template (``usageTemplate``/``helpTemplate``)
and prints flags with pflag's ``FlagUsagesWrapped(width-1)``; when stdout is not a terminal
the width is 80, so flag help is wrapped at 79 columns. Since docker/cli#5730 (v28.0) the
help template trims the blank line that older releases printed before ``Usage:``.

Help is rendered for a plain Linux daemon without swarm or experimental features:
flags annotated for Windows, swarm managers or experimental daemons are hidden, as
cmd/docker/docker.go ``hideUnsupportedFeatures`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .flagvalues import go_quote
from .specs import (
    BIN,
    HELP_FLAG,
    MANAGEMENT,
    ROOT,
    SPECS,
    CommandSpec,
    FlagSpec,
    children,
)

WRAP_COLUMNS = 79  # cli/cobra.go wrappedFlagUsages: width 80 (no terminal) minus 1
ADDITIONAL_HELP = "For more help on how to use Docker, head to https://docs.docker.com/go/guides/"
MIN_NAME_PADDING = 11  # cobra's minNamePadding


def visible(flag: FlagSpec) -> bool:
    """Shown in help on a Linux daemon without swarm or experimental features."""
    return not (flag.hidden or flag.deprecated or flag.only_when)


def merged_flags(spec: CommandSpec) -> tuple[FlagSpec, ...]:
    """The command's flags plus the persistent --help it inherits from the root, unless
    the command defines its own ``help`` flag (run and create do)."""
    if spec is ROOT or spec.flag("help"):
        return spec.flags
    return (*spec.flags, HELP_FLAG)


# --- pflag FlagUsagesWrapped ----------------------------------------------------------


def default_text(flag: FlagSpec) -> str | None:
    """The ``(default ...)`` pflag appends, or None when the default is a zero value.

    pflag's defaultIsZeroValue treats "0", "", "false", "[]" and "<nil>" as zero; docker's
    MapOpts print ``map[]`` and UlimitOpt ``[]`` which are not, so they show."""
    if flag.kind == "bool":
        return "true" if flag.default else None
    if flag.kind == "string":
        return go_quote(str(flag.default)) if flag.default else None
    if flag.kind in ("int", "uint16", "uint64"):
        return str(flag.default) if flag.default else None
    if flag.value_type == "map":
        return "map[]"
    if flag.value_type == "ulimit":
        return "[]"
    return None


def unquote_usage(flag: FlagSpec) -> tuple[str, str]:
    """pflag UnquoteUsage: a back-quoted word in the help names the value, else the type."""
    text = flag.help
    start = text.find("`")
    if start != -1:
        end = text.find("`", start + 1)
        if end != -1:
            name = text[start + 1:end]
            return name, text[:start] + name + text[end + 1:]
    return flag.type_name_for_help, text


def _wrap_n(width: int, slop: int, text: str) -> tuple[str, str]:
    if width + slop > len(text):
        return text, ""
    cut = max(text.rfind(ch, 0, width) for ch in " \t\n")
    if cut <= 0:
        return text, ""
    newline = text.rfind("\n", 0, width)
    if 0 < newline < cut:
        return text[:newline], text[newline + 1:]
    return text[:cut], text[cut + 1:]


def wrap(indent: int, cols: int, text: str) -> str:
    """pflag's ``wrap``: wrap ``text`` to ``cols`` columns, continuation lines indented."""
    if cols == 0:
        return text.replace("\n", "\n" + " " * indent)
    width = cols - indent
    out = ""
    if width < 24:
        indent = 16
        width = cols - indent
        out += "\n" + " " * indent
    if width < 24:
        return text.replace("\n", out)
    slop = 5
    width -= slop
    pad = "\n" + " " * indent
    line, text = _wrap_n(width, slop, text)
    out += line.replace("\n", pad)
    while text:
        line, text = _wrap_n(width, slop, text)
        out += pad + line.replace("\n", pad)
    return out


def flag_usages(flags: Iterable[FlagSpec], cols: int = WRAP_COLUMNS) -> str:
    """pflag ``FlagUsagesWrapped``: visible flags sorted by name, help aligned and wrapped."""
    lines: list[str] = []
    maxlen = 0
    for flag in sorted(flags, key=lambda f: f.name):
        if not visible(flag):
            continue
        if flag.shorthand and not flag.shorthand_deprecated:
            line = f"  -{flag.shorthand}, --{flag.name}"
        else:
            line = f"      --{flag.name}"
        varname, usage = unquote_usage(flag)
        if varname:
            line += " " + varname
        line += "\x00"
        maxlen = max(maxlen, len(line))
        line += usage
        default = default_text(flag)
        if default is not None:
            line += f" (default {default})"
        lines.append(line)
    out = []
    for line in lines:
        sidx = line.index("\x00")
        spacing = " " * (maxlen - sidx)
        out.append(f"{line[:sidx]} {spacing} {wrap(maxlen + 2, cols, line[sidx + 1:])}\n")
    return "".join(out)


# --- cobra usage template -------------------------------------------------------------


def _has_available_flags(spec: CommandSpec) -> bool:
    return any(visible(f) for f in merged_flags(spec))


def _padding(names: Iterable[str]) -> int:
    return max([MIN_NAME_PADDING, *(len(n) for n in names)])


def _header(spec: CommandSpec, path: tuple[str, ...], has_subcommands: bool) -> str:
    if has_subcommands:
        opts = " [OPTIONS]" if _has_available_flags(spec) else ""
        usage = " ".join((BIN, *path)) + opts + " COMMAND"
    else:
        usage = spec.use_line(path)
    return f"Usage:  {usage}\n\n{(spec.long or spec.short).strip()}"


def render_command_help(spec: CommandSpec, path: tuple[str, ...] | None = None) -> str:
    """``docker <command> --help`` for a runnable command, as typed at ``path`` (a top-level
    shortcut such as ``("ps",)`` prints its own usage line; default: canonical path). A
    command docker forwards to a plugin prints the plugin's help, at the plugin's path."""
    path = spec.plugin_path or (spec.path if path is None else path)
    text = _header(spec, path, has_subcommands=False)
    if spec.aliases_text:
        text += f"\n\nAliases:\n  {spec.aliases_text}"
    if _has_available_flags(spec):
        text += "\n\nOptions:\n" + flag_usages(merged_flags(spec)).rstrip()
    return text + "\n"


def _subcommands(path: tuple[str, ...], specs: Mapping[tuple[str, ...], CommandSpec]
                 ) -> list[tuple[str, str, CommandSpec]]:
    """(name, short text, spec) of the commands directly under ``path`` that ``specs``
    provides; a management group counts when it has some."""
    listed = []
    for spec in children(path):
        shown = next(m for m in spec.mounts if m[:-1] == path)
        if spec.path in specs or (spec.path in MANAGEMENT and _subcommands(spec.path, specs)):
            listed.append((shown[-1], spec.short_at(shown), spec))
    return listed


def _decorated(name: str, spec: CommandSpec) -> str:
    """cli/cobra.go decoratedName: a plugin's name ends in ``*``."""
    return name + ("*" if spec.plugin else " ")


def render_management_help(group: str | tuple[str, ...],
                           specs: Mapping[tuple[str, ...], CommandSpec] = SPECS) -> str:
    """``docker image --help`` (or ``docker image`` alone): the group's subcommands."""
    path = (group,) if isinstance(group, str) else tuple(group)
    spec = MANAGEMENT[path]
    entries = _subcommands(path, specs)
    text = _header(spec, path, has_subcommands=bool(entries))
    if entries:
        pad = _padding(name for name, _, _ in entries)
        text += "\n\nCommands:" + "".join(f"\n  {name.ljust(pad)} {short}"
                                          for name, short, _ in entries)
        command = " ".join((BIN, *path))
        text += f"\n\nRun '{command} COMMAND --help' for more information on a command."
    return text + "\n"


def render_root_help(specs: Mapping[tuple[str, ...], CommandSpec] = SPECS) -> str:
    """``docker --help``: Common Commands, Management Commands, Commands, Global Options,
    listing only the commands in ``specs`` (those the simulator implements)."""
    entries = _subcommands((), specs)
    pad = _padding(name for name, _, _ in entries)
    common = sorted((e for e in entries if e[2].group == "common"),
                    key=lambda e: e[2].category_top)
    management = [e for e in entries if e[2].path in MANAGEMENT]
    others = [e for e in entries if e not in common and e not in management]
    text = _header(ROOT, (), has_subcommands=True)
    if common:
        text += "\n\nCommon Commands:" + "".join(
            f"\n  {_decorated(name, spec).ljust(pad + 1)}{short}"
            for name, short, spec in common)
    if management:
        text += "\n\nManagement Commands:" + "".join(
            f"\n  {_decorated(name, spec).ljust(pad + 1)}{short}"
            for name, short, spec in management)
    if others:
        text += "\n\nCommands:" + "".join(f"\n  {name.ljust(pad)} {short}"
                                          for name, short, _ in others)
    text += "\n\nGlobal Options:\n" + flag_usages(ROOT.flags).rstrip()
    text += "\n\nRun 'docker COMMAND --help' for more information on a command."
    return text + "\n\n" + ADDITIONAL_HELP + "\n"


def render_help(spec: CommandSpec, path: tuple[str, ...] | None = None,
                specs: Mapping[tuple[str, ...], CommandSpec] = SPECS) -> str:
    """Help for whatever ``spec`` is: the root, a management group or a command."""
    if spec is ROOT:
        return render_root_help(specs)
    if spec.path in MANAGEMENT:
        return render_management_help(spec.path, specs)
    return render_command_help(spec, path)
