"""Dockerfile parsing with BuildKit's rules and error messages.

Tokenizing is done by the official parser (PyPI ``dockerfile``, which wraps
buildkit:frontend/dockerfile/parser): line continuations, comments, JSON versus shell form,
the ``escape`` directive and heredocs. That package stops at the parser, so the checks
BuildKit makes afterwards (buildkit:frontend/dockerfile/instructions/parse.go and bflag.go:
unknown instructions, flags, argument counts, stage names, "no build stage") are redone
here with the same wording. Every error is a :class:`DockerfileError` carrying the line
that BuildKit's error location points at; ``str()`` of it is BuildKit's message.

Heredocs (``RUN <<EOF``, ``COPY <<EOF /dst``): the package reads the bodies, keeps them raw
(comments included) and reports them; ``<<-`` tab stripping is applied here, as BuildKit
does before using a body. Variables in bodies are not expanded.

``# sim: ...`` comments annotate the next instruction for the simulator (for example the
effect of a RUN it cannot execute). The official parser drops comments, so they are read
back from the raw text: every ``# sim:`` line in the unbroken block of comment lines
directly above an instruction belongs to it. A blank line ends the block, so an annotation
never jumps over a blank line to a later instruction; ordinary comments inside the block
are allowed (``# sim: ...`` then ``# install deps`` then ``RUN ...`` still annotates).
"""

from __future__ import annotations

import contextlib
import json
import posixpath
import re
from dataclasses import dataclass

import dockerfile as _official

from .expand import (
    EXPANDS,
    ExpansionError,
    expand,
    expand_words,
    go_duration,
    go_quote,
    heredoc_marker,
    raw_words,
    suggest,
)

__all__ = [
    "EXPANDS", "Dockerfile", "DockerfileError", "ExpansionError", "Instruction", "Stage",
    "expand", "expand_words", "history_line_makes_layer", "makes_layer", "parse_dockerfile",
]

_INSTRUCTIONS = tuple(sorted(name.upper() for name in _official.all_cmds()))
_B, _S, _M = "bool", "string", "strings"  # BFlags types; _M may be repeated
#: Flags each instruction accepts in current BuildKit (dockerfile frontend 1.20+, where
#: COPY --parents/--exclude and RUN --security are stable). Others accept none.
_FLAGS: dict[str, dict[str, str]] = {
    "ADD": {"chown": _S, "chmod": _S, "link": _B, "keep-git-dir": _B, "checksum": _S,
            "unpack": _B, "exclude": _M},
    "COPY": {"from": _S, "chown": _S, "chmod": _S, "link": _B, "parents": _B, "exclude": _M},
    "FROM": {"platform": _S},
    "RUN": {"mount": _M, "network": _S, "security": _S},
    "HEALTHCHECK": {"interval": _S, "timeout": _S, "start-period": _S, "start-interval": _S,
                    "retries": _S},
}
_DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*")
_DIRECTIVES = ("syntax", "escape", "check")
_STAGE_NAME = re.compile(r"[a-z][a-z0-9-_.]*")
_SIM = re.compile(r"\s*#\s*sim:\s*(.*?)\s*")
_WS = " \t\v\f\r\n\x85\xa0"
_MAX_LINE = 65535


class DockerfileError(Exception):
    """A Dockerfile BuildKit refuses. ``str()`` is BuildKit's text (what follows
    ``failed to solve:``); ``line`` is where its error location points (``None`` when
    BuildKit gives none), ``location`` the ``Dockerfile:3`` header buildx prints."""

    def __init__(self, message: str, line: int | None = None, name: str = "Dockerfile"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.name = name

    @property
    def location(self) -> str:
        return self.name if self.line is None else f"{self.name}:{self.line}"


class _Fail(Exception):
    """An instructions-package error, before the ``dockerfile parse error`` prefix."""


@dataclass(frozen=True)
class Instruction:
    """One instruction after FROM. ``args`` is what the official parser yields: the JSON
    list in JSON form; otherwise one string for RUN/CMD/ENTRYPOINT/SHELL/USER/WORKDIR/
    STOPSIGNAL/MAINTAINER/ONBUILD and for ENV/LABEL (their raw ``k=v ...`` text, split into
    ``pairs``), whitespace-split words for COPY/ADD/VOLUME/EXPOSE/ARG, and (type, command)
    for HEALTHCHECK. Nothing is expanded. ``flags`` maps a flag to its value (booleans ``"true"``/
    ``"false"``; a repeated flag such as ``--mount`` joins its values with newlines)."""

    cmd: str
    args: tuple[str, ...]
    json_form: bool
    flags: dict[str, str]
    line: int
    end_line: int
    original: str
    heredocs: tuple[tuple[str, str], ...] = ()
    annotation: str | None = None
    pairs: tuple[tuple[str, str], ...] = ()

    def flag_values(self, name: str) -> tuple[str, ...]:
        """Every value of a repeatable flag (``--mount``, ``--exclude``) in order."""
        return tuple(self.flags[name].split("\n")) if name in self.flags else ()


@dataclass(frozen=True)
class Stage:
    """A build stage: ``base`` is the FROM argument as written (expand it with the meta
    ARGs), ``name`` the lower-cased ``AS`` name."""

    index: int
    name: str | None
    base: str
    platform: str | None
    instructions: list[Instruction]
    line: int
    annotation: str | None = None


@dataclass(frozen=True)
class Dockerfile:
    """``meta_args`` are the ARGs before the first FROM with their unexpanded defaults."""

    directives: dict[str, str]
    meta_args: list[tuple[str, str | None]]
    stages: list[Stage]
    escape: str = "\\"
    name: str = "Dockerfile"


def parse_dockerfile(text: str, name: str = "Dockerfile") -> Dockerfile:
    """Parse and validate like BuildKit's dockerfile frontend, before any build step."""
    if text == "":  # buildkit convert.go; the classic builder says "the Dockerfile (%s) ..."
        raise DockerfileError("the Dockerfile cannot be empty", None, name)
    lines = text.removeprefix("\ufeff").split("\n")
    if text.endswith("\n"):
        lines.pop()
    directives, escape, fed = _directives(lines, name)
    commands = _official_parse(fed, escape, name)
    return _build(commands, lines, directives, escape, name)


def _scan(lines: list[str]) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """``# key=value`` lines at the very top, ending at the first other line (a blank one
    too) or unknown key, as buildkit:frontend/dockerfile/parser/directives.go reads them."""
    found: dict[str, str] = {}
    block: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        match = _DIRECTIVE.fullmatch(line.lstrip(_WS).rstrip("\r\n"))
        if not match or match.group(1).lower() not in _DIRECTIVES:
            break
        key = match.group(1).lower()
        if key in found:
            raise DockerfileError(f"only one {key} parser directive can be used", i + 1)
        found[key] = match.group(2)
        block.append((i, key))
    return found, block


def _directives(lines: list[str], name: str) -> tuple[dict[str, str], str, list[str]]:
    """Parser directives, the escape token, and the lines to give the package: its older
    parser stops at ``# check=`` and would miss an ``escape`` after it, so check lines are
    moved to the end of the directive block (all are comments: no line number changes)."""
    try:
        found, block = _scan(lines)
    except DockerfileError as exc:
        raise DockerfileError(exc.message, exc.line, name) from None
    escape = found.get("escape", "\\")
    if escape not in ("\\", "`"):
        line = next(i for i, k in block if k == "escape") + 1
        raise DockerfileError(f"invalid escape token '{escape}' does not match ` or \\",
                              line, name)
    if "syntax" not in found and lines and lines[0].startswith("#!"):
        # syntax detection (not the parser) skips a shebang line and ignores errors
        with contextlib.suppress(DockerfileError):
            found.update({k: v for k, v in _scan(lines[1:])[0].items() if k == "syntax"})
    fed = list(lines)
    order = [i for i, k in block if k != "check"] + [i for i, k in block if k == "check"]
    for slot, i in zip(sorted(order), order, strict=True):
        fed[slot] = lines[i]
    return found, escape, fed


def _join(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _continuation(escape: str) -> re.Pattern[str]:
    """parser.go: the escape token ends a continued line unless it is itself escaped."""
    esc = re.escape(escape)
    return re.compile(rf"([^{esc}]){esc}[ \t]*$|^{esc}[ \t]*$")


def _is_filler(line: str) -> bool:
    """Blank or comment: lines the parser skips between instructions."""
    stripped = line.lstrip(_WS).rstrip("\r\n")
    return stripped == "" or stripped.startswith("#")


def _official_parse(lines: list[str], escape: str, name: str) -> list:
    try:
        return list(_official.parse_string(_join(lines)))
    except _official.GoParseError as exc:
        message = str(exc)
        raise DockerfileError(message, _error_line(lines, message, escape), name) from None


def _error_line(lines: list[str], message: str, escape: str) -> int:
    """Where BuildKit locates a parser error; the package reports none. The failing node
    starts right after the longest prefix that still parses, unless that prefix ends by
    cutting a continued line short, in which case its last node is the failing one."""
    if message == "file with no instructions":
        return len(lines)
    if message.startswith("dockerfile line greater than"):
        return next((i + 1 for i, line in enumerate(lines)
                     if len(line.encode()) >= _MAX_LINE), len(lines))
    continued = _continuation(escape)
    after = 0
    for k in range(len(lines) - 1, 0, -1):
        try:
            commands = list(_official.parse_string(_join(lines[:k])))
        except _official.GoParseError as exc:
            if str(exc) != "file with no instructions":
                continue
            commands = []
        if commands:
            last = commands[-1]
            j = k
            while j > last.start_line and _is_filler(lines[j - 1]):
                j -= 1
            if last.end_line == k and not last.heredocs and \
                    continued.search(lines[j - 1].lstrip(_WS).rstrip("\r\n")):
                return last.start_line
            after = last.end_line
        break
    return next((i + 1 for i in range(after, len(lines)) if not _is_filler(lines[i])),
                after + 1)


def _parse_flags(raw: tuple[str, ...], spec: dict[str, str]) -> dict[str, str]:
    """buildkit:frontend/dockerfile/instructions/bflag.go ``BFlags.Parse``."""
    out: dict[str, str] = {}
    for arg in raw:
        if arg == "--":
            break
        if not arg.startswith("--"):
            raise _Fail(f"arg should start with -- : {arg}")
        flag, eq, value = arg.partition("=")
        key = flag[2:]
        kind = spec.get(key)
        if kind is None:
            raise _Fail(suggest(f"unknown flag: {flag}", key, list(spec), True))
        if key in out and kind != _M:
            raise _Fail(f"duplicate flag specified: {flag}")
        if kind == _B:
            if eq and value == "":
                raise _Fail(f"missing a value on flag: {flag}")
            if value.lower() not in ("", "true", "false"):
                raise _Fail(f"expecting boolean value for flag {flag}, not: {value}")
            out[key] = value.lower() or "true"
            continue
        if not eq:
            raise _Fail(f"missing a value on flag: {flag}")
        out[key] = f"{out[key]}\n{value}" if key in out else value
    return out


def _count(cmd: str, args: tuple[str, ...], exactly: bool = False) -> None:
    if exactly and len(args) != 1:
        raise _Fail(f"{cmd} requires exactly one argument")
    if not args:
        raise _Fail(f"{cmd} requires at least one argument")


def _healthcheck(args: tuple[str, ...], raw_flags: tuple[str, ...]) -> dict[str, str]:
    _count("HEALTHCHECK", args)
    kind = args[0].upper()
    if kind == "NONE":  # BuildKit does not even parse the flags here
        if len(args) > 1:
            raise _Fail("HEALTHCHECK NONE takes no arguments")
        return {}
    flags = _parse_flags(raw_flags, _FLAGS["HEALTHCHECK"])
    if kind != "CMD":
        raise _Fail(f"Unknown type {go_quote(kind)} in HEALTHCHECK (try CMD)")
    if len(args) < 2:
        raise _Fail("Missing command after HEALTHCHECK CMD")
    for key in ("interval", "timeout", "start-period", "start-interval"):
        try:
            seconds = go_duration(flags[key]) if flags.get(key) else 0.0
        except ValueError as exc:
            raise _Fail(str(exc)) from None
        if seconds != 0 and seconds < 0.001:
            raise _Fail(f"Interval {go_quote(key)} cannot be less than 1ms")
    retries = flags.get("retries", "")
    if retries:
        if not re.fullmatch(r"[+-]?\d+", retries):
            raise _Fail(f"strconv.ParseInt: parsing {go_quote(retries)}: invalid syntax")
        if not -2**31 <= int(retries) < 2**31:
            raise _Fail(f"strconv.ParseInt: parsing {go_quote(retries)}: value out of range")
        if int(retries) < 0:
            raise _Fail(f"--retries cannot be negative ({int(retries)})")
    return flags


def _json_form(cmd: str, node, logical: str) -> tuple[tuple[str, ...], bool]:
    """Arguments and JSON-ness as current BuildKit sees them. The package's parser decodes
    only the first JSON value, so it takes ``CMD ["a"] # note`` as JSON; BuildKit now
    requires the whole rest to be the array and falls back to shell form otherwise."""
    args = tuple(node.value)
    if not node.json:
        return args, False
    values = list(args[1:] if cmd == "HEALTHCHECK" else args)
    decoder = json.JSONDecoder()
    start = logical.find("[")
    while start != -1:
        try:
            found, end = decoder.raw_decode(logical, start)
        except ValueError:
            found, end = None, start
        if found == values:
            if not logical[end:].strip(" \t\r\n"):
                return args, True
            rest = logical[start:].rstrip(_WS)
            if cmd in ("COPY", "ADD", "VOLUME"):
                return tuple(re.split(r"[\t\v\f\r ]+", rest)), False
            return (args[0], rest) if cmd == "HEALTHCHECK" else (rest,), False
        start = logical.find("[", start + 1)
    return args, True


def _check(cmd: str, node, args: tuple[str, ...], is_json: bool) -> dict[str, str]:
    """Argument and flag checks of instructions/parse.go, in BuildKit's order; returns the
    parsed flags."""
    raw = tuple(node.flags)
    spec = _FLAGS.get(cmd, {})
    if cmd == "FROM":
        if len(args) == 3 and args[1].lower() == "as":
            if not _STAGE_NAME.fullmatch(args[2].lower()):
                raise _Fail(f"invalid name for build stage: {go_quote(args[2])}, name can't "
                            "start with a number or contain symbols")
        elif len(args) != 1:
            raise _Fail("FROM requires either one or three arguments")
        return _parse_flags(raw, spec)
    if cmd in ("ADD", "COPY"):
        if len(args) < 2:
            raise _Fail(f"{cmd} requires at least two arguments, but only one was provided. "
                        "Destination could not be determined")
        flags = _parse_flags(raw, spec)
        if heredoc_marker(args[-1]):
            raise _Fail(f"{cmd} cannot accept a heredoc as a destination")
        return flags
    if cmd == "HEALTHCHECK":
        return _healthcheck(args, raw)
    if cmd in ("MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL"):
        _count(cmd, args, exactly=True)
    elif cmd in ("ONBUILD", "EXPOSE", "VOLUME", "ARG"):
        _count(cmd, args if cmd != "ONBUILD" else tuple(filter(None, [node.sub_cmd])))
    flags = _parse_flags(raw, spec)
    if cmd in ("ENV", "LABEL"):
        _count(cmd, args)
        if any(key == "" for key in args[::2]):
            raise _Fail(f"{cmd} names can not be blank")
    elif cmd == "ARG" and any(word.startswith("=") for word in args):
        raise _Fail("ARG names can not be blank")
    elif cmd == "VOLUME" and any(not v.strip(_WS) for v in args):
        raise _Fail("VOLUME specified can not be an empty string")
    elif cmd == "SHELL":
        _count(cmd, args)
        if not is_json:
            raise _Fail("SHELL requires the arguments to be in JSON form")
    elif cmd == "ONBUILD":
        trigger = node.sub_cmd.strip(_WS).upper()
        if trigger == "ONBUILD":
            raise _Fail("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
        if trigger in ("MAINTAINER", "FROM"):
            raise _Fail(f"{trigger} isn't allowed as an ONBUILD trigger")
    elif cmd == "RUN":
        if flags.get("network", "default") not in ("default", "none", "host"):
            raise _Fail(f"invalid network mode {go_quote(flags['network'])}")
        if flags.get("security", "sandbox") not in ("sandbox", "insecure"):
            raise _Fail(f"security {go_quote(flags['security'])} is not valid")
    return flags


def _annotation(lines: list[str], start: int, floor: int) -> str | None:
    """``# sim:`` texts of the comment block directly above line ``start`` (1-based)."""
    found: list[str] = []
    i = start - 1
    while i > floor and _is_filler(lines[i - 1]) and lines[i - 1].strip(_WS):
        match = _SIM.fullmatch(lines[i - 1].rstrip("\r\n"))
        if match and match.group(1):
            found.append(match.group(1))
        i -= 1
    return "\n".join(reversed(found)) or None


def _heredocs(node, logical: str, lines: list[str], escape: str) -> list[tuple[str, str, bool]]:
    """(name, raw body, chomp) of each heredoc. The package does not report those of an
    ONBUILD trigger, so theirs are read back from the lines after the instruction."""
    markers = [m for m in map(heredoc_marker, raw_words(logical)) if m]
    if node.heredocs:
        return [(doc.name, doc.content, i < len(markers) and markers[i][:2] == (doc.name, True))
                for i, doc in enumerate(node.heredocs)]
    if node.cmd.upper() != "ONBUILD" or not markers or node.end_line == node.start_line:
        return []
    continued, i = _continuation(escape), node.start_line
    while i < node.end_line and continued.search(lines[i - 1].lstrip(_WS).rstrip("\r\n")):
        i += 1
        while i < node.end_line and _is_filler(lines[i - 1]):
            i += 1
    out = []
    for name, chomp, _expand in markers:
        body = []
        while i < node.end_line:
            i += 1
            text = lines[i - 1].rstrip("\r\n")
            if (text.lstrip("\t") if chomp else text) == name:
                break
            body.append(lines[i - 1] + "\n")
        out.append((name, "".join(body), chomp))
    return out


def _build(commands: list, lines: list[str], directives: dict[str, str], escape: str,
           name: str) -> Dockerfile:
    stages: list[Stage] = []
    meta_args: list[tuple[str, str | None]] = []
    floor = 0
    for node in commands:
        line = node.start_line
        written = node.cmd or ""  # a lone continuation line is a node with no words
        cmd = written.upper()
        logical = (node.original or "").split("\n", 1)[0]
        try:
            if cmd not in _INSTRUCTIONS:
                raise _Fail(suggest(f"unknown instruction: {written}", written,
                                     list(_INSTRUCTIONS), False))
            args, is_json = _json_form(cmd, node, logical)
            flags = _check(cmd, node, args, is_json)
        except _Fail as exc:
            raise DockerfileError(f"dockerfile parse error on line {line}: {exc}", line,
                                  name) from None
        note = _annotation(lines, line, floor)
        floor = node.end_line
        if cmd == "FROM":
            stage_name = args[2].lower() if len(args) == 3 else None
            stages.append(Stage(len(stages), stage_name, args[0], flags.get("platform"), [],
                                line, note))
            continue
        if not stages:
            if cmd != "ARG":
                raise DockerfileError("no build stage in current context", line, name)
            for word in args:
                key, eq, value = word.partition("=")
                meta_args.append((key, value if eq else None))
            continue
        pairs: tuple[tuple[str, str], ...] = ()
        if cmd in ("ENV", "LABEL"):
            pairs = tuple(zip(args[::2], args[1::2], strict=True))
            args = (re.split(r"[\t\v\f\r ]+", logical.strip(_WS), maxsplit=1)[1],)
        docs = _heredocs(node, logical, lines, escape)
        if cmd == "ONBUILD":  # the trigger as BuildKit stores it in the image config
            args = (re.sub(r"(?i)^\s*ONBUILD\s*", "", logical)
                    + "".join(f"\n{body}{doc}" for doc, body, _chomp in docs),)
        bodies = tuple((doc, re.sub(r"(?m)^\t+", "", body) if chomp else body)
                       for doc, body, chomp in docs)
        stages[-1].instructions.append(Instruction(
            cmd, args, is_json, flags, line, node.end_line, logical, bodies, note,
            pairs))
    if not stages:
        raise DockerfileError("dockerfile contains no stages to build", None, name)
    return Dockerfile(directives, meta_args, stages, escape, name)


def _clean_workdir(path: str, workdir: str) -> str:
    """BuildKit's WORKDIR: a relative path is joined to the current one and cleaned
    (Go path.Join); an absolute one is used as written."""
    if path.startswith("/"):
        return path
    joined = posixpath.normpath(posixpath.join("/", workdir, path))
    return "/" + joined.lstrip("/")


def makes_layer(instruction: Instruction, workdir: str = "/") -> bool:
    """BuildKit's rule (convert.go): RUN, COPY and ADD always add a layer, even an empty
    one; WORKDIR adds one (its implicit mkdir) unless the resulting path is ``/``; every
    other instruction changes only the image config."""
    if instruction.cmd in ("RUN", "COPY", "ADD"):
        return True
    if instruction.cmd == "WORKDIR":
        path = instruction.args[0] if instruction.args else ""
        return _clean_workdir(path, workdir) != "/"
    return False


def history_line_makes_layer(line: str) -> bool:
    """The same rule applied to a history CREATED BY line as ``docker history`` or
    docker-library/repo-info print it: BuildKit lines (``RUN ... # buildkit``,
    ``WORKDIR /app``, ``ENV ...``) and classic-builder lines (``/bin/sh -c #(nop)  CMD ...``,
    ``/bin/sh -c #(nop) ADD file:... in /``, ``|1 ARG=... /bin/sh -c ...``). A bare
    ``/bin/sh -c`` command is a classic RUN."""
    text = line.strip(_WS)
    match = re.match(r"\|(\d+)\s+", text)  # classic RUN with build args: |n K=V ... cmd
    if match:
        text = " ".join(text[match.end():].split(" ")[int(match.group(1)):])
    nop = re.match(r"/bin/sh\s+-c\s+#\(nop\)\s*", text)
    if nop:
        text = text[nop.end():]
    elif re.match(r"/bin/sh\s+-c\s", text):
        return True
    word, _, rest = text.partition(" ")
    word = word.upper()
    if word in ("RUN", "COPY", "ADD"):
        return True
    if word == "WORKDIR":
        return _clean_workdir(rest.strip(_WS), "/") != "/"
    return False

