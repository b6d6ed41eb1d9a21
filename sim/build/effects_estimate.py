"""The built-in estimate of a RUN: walk its simple commands as ``sh -c`` would and ask the
handler of each program what it writes.

``estimate_command`` follows ``&&``/``||`` on exit status, strips variable assignments and
wrappers (``sudo``, ``env``...), notes a ``> FILE`` redirection, and dispatches by program
name to the package-manager handlers (effects_packages.py), the build, download and archive
handlers (effects_tools.py) or the shell builtins and small commands kept here (``sh -c``
recurses into this walk, so it lives next to it). effects.py's ``estimate`` puts the
scenario's table in front of this.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from . import effects_table as T
from .effects_cmdline import ASSIGNMENT, OUTPUT_REDIRECTS, Context, Handler, segments, table
from .effects_model import RunEffect, merge
from .effects_packages import apk, apt, node, pip, venv
from .effects_parse import DIGITS, parse_duration
from .effects_tools import cargo, curl, go, gradle, make, maven, tar, unzip, wget

_WRAPPERS = frozenset({"sudo", "env", "exec", "time", "nohup", "command"})
_SUDO_ARG_OPTS = frozenset({"-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t", "-D"})


def estimate_command(command: str, ctx: Context) -> RunEffect | None:
    """Walk the segments as ``sh -c`` would (``&&`` and ``||`` skip on status), or None
    when no segment is in the built-in table."""
    effects: list[RunEffect] = []
    known = False
    status = 0
    for op, words, redirects in segments(command):
        if (op == "&&" and status != 0) or (op == "||" and status == 0):
            continue
        effect = _segment(words, redirects, ctx)
        if effect is None:
            name = posixpath.basename(words[0]) if words else "?"
            effect = RunEffect(estimated=True, source="default",
                               note=f"{name}: not in the built-in table, assumed no file "
                                    "changes and 1s")
        else:
            known = True
        effects.append(effect)
        status = effect.exit_code
    if not known:
        return None
    return replace(merge(effects), exit_code=status, estimated=True, source="table")


def _segment(words: list[str], redirects: list[tuple[str, str]],
             ctx: Context) -> RunEffect | None:
    env: dict[str, str] = {}
    words = list(words)
    while words:
        if ASSIGNMENT.fullmatch(words[0]):
            key, _, value = words.pop(0).partition("=")
            env[key] = value
        elif posixpath.basename(words[0]) in _WRAPPERS:
            wrapper = posixpath.basename(words.pop(0))
            while words and words[0].startswith("-"):
                flag = words.pop(0)
                if wrapper == "sudo" and flag in _SUDO_ARG_OPTS and words:
                    words.pop(0)
        else:
            break
    if not words:
        return table()
    name, args = posixpath.basename(words[0]), words[1:]
    targets = [t for op, t in redirects
               if op in OUTPUT_REDIRECTS and not DIGITS.fullmatch(t) and t != "-"
               and not t.startswith("/dev/")]
    ctx.stdout = ctx.path(targets[0]) if targets else None
    ctx.env = env
    handler = _handler(name, words[0], args)
    return handler(words[0], args, ctx) if handler is not None else None


def _handler(name: str, program: str, args: list[str]) -> Handler | None:
    if name in _HANDLERS:
        return _HANDLERS[name]
    if re.fullmatch(r"pip\d(\.\d+)?", name):
        return pip
    if re.fullmatch(r"python(\d(\.\d+)?)?", name):
        if args[:2] == ["-m", "pip"]:
            return pip
        if args[:2] == ["-m", "venv"]:
            return venv
    return None


# ---- small commands ------------------------------------------------------------------

_ACCOUNT_ARG_OPTS = frozenset({
    "-u", "-g", "-G", "-d", "-s", "-c", "-k", "-K", "-e", "-f", "-p", "-b", "-Z", "-h",
    "--uid", "--gid", "--groups", "--home-dir", "--home", "--shell", "--comment", "--skel",
    "--key", "--expiredate", "--inactive", "--password", "--base-dir", "--gecos", "--ingroup",
    "--firstuid", "--lastuid", "--firstgid", "--lastgid",
})


def _accounts(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """useradd/adduser/groupadd/addgroup/usermod: rewritten account files, maybe a home."""
    tool = posixpath.basename(program)
    positional: list[str] = []
    flags: set[str] = set()
    home: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if option in _ACCOUNT_ARG_OPTS:
            value = attached if eq else (args[i] if i < len(args) else "")
            i += 0 if eq else 1
            if option in ("-d", "--home-dir", "--home") or (option == "-h" and tool == "adduser"):
                home = value
        elif arg.startswith("-"):
            flags.add(arg)
        else:
            positional.append(arg)
    if not positional:
        return None
    user = positional[0]
    if tool in ("groupadd", "addgroup") or (tool == "adduser" and len(positional) == 2):
        files = ["/etc/group", "/etc/gshadow"]
    elif tool == "usermod":
        files = ["/etc/passwd", "/etc/group"]
    else:
        files = list(T.ACCOUNT_FILES)
    writes = [(f, T.ACCOUNT_FILES[f]) for f in files]
    if tool == "useradd":
        creates_home = bool(flags & {"-m", "--create-home"})
    else:
        creates_home = tool == "adduser" and len(positional) == 1 and not (
            flags & {"-H", "--no-create-home", "--system", "-S"})
    if creates_home:
        writes.append((ctx.path(home or f"/home/{user}"), sum(s for _, s in T.DEBIAN_SKEL)))
    return table(writes, duration=0.2, note=f"{tool} {user}: account files rewritten (small)")


def _metadata(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    tool = posixpath.basename(program)
    return table(duration=0.1,
                  note=f"{tool}: metadata only, no new bytes assumed (Docker would copy the "
                       "changed files into this layer)")


def _rm(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    paths = [ctx.path(a) for a in args if not a.startswith("-")]
    return table(removes=paths, duration=0.2)


def _text(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """echo/printf: nothing, or the text itself when redirected into a file."""
    words = [a for a in args if posixpath.basename(program) == "printf" or a not in ("-n", "-e")]
    if ctx.stdout is None:
        return table()
    size = len(" ".join(words).encode()) + (posixpath.basename(program) == "echo")
    return table([(ctx.stdout, size)])


def _cd(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    ctx.workdir = ctx.path(args[0]) if args and args[0] != "-" else "/root"
    return table()


def _exit(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    if posixpath.basename(program) == "false":
        return table(exit_code=1)
    code = int(args[0]) % 256 if args and DIGITS.fullmatch(args[0]) else 0
    return table(exit_code=code)


def _sleep(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    seconds = sum(parse_duration(a) or 0.0 for a in args)
    return table(duration=seconds)


def _noop(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    return table()


def _small(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    return table(duration=0.05)


def _shell(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """``sh -c '...'``: the inner command line, segment by segment."""
    for k, arg in enumerate(args):
        if arg.startswith("-") and "c" in arg and not arg.startswith("--") and k + 1 < len(args):
            inner = Context(ctx.workdir)
            return estimate_command(args[k + 1], inner)
    return None


_HANDLERS: dict[str, Handler] = {
    "apt-get": apt, "apt": apt, "apk": apk,
    "pip": pip, "npm": node, "yarn": node, "pnpm": node,
    "go": go, "cargo": cargo, "make": make, "gmake": make,
    "mvn": maven, "mvnw": maven, "gradle": gradle, "gradlew": gradle,
    "curl": curl, "wget": wget, "tar": tar, "unzip": unzip,
    "useradd": _accounts, "adduser": _accounts, "groupadd": _accounts,
    "addgroup": _accounts, "usermod": _accounts,
    "chmod": _metadata, "chown": _metadata, "chgrp": _metadata,
    "rm": _rm, "echo": _text, "printf": _text, "cd": _cd, "exit": _exit, "false": _exit,
    "sleep": _sleep, "true": _noop, ":": _noop, "set": _noop, "export": _noop,
    "unset": _noop, "umask": _noop, "mkdir": _small, "ln": _small, "touch": _small,
    "sh": _shell, "bash": _shell, "dash": _shell,
}
