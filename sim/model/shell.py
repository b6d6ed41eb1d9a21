"""A small POSIX-subset shell for ``docker exec`` and ``docker run`` commands.

It never runs real programs: it parses the command line the way dash (Debian's /bin/sh) or
bash would, and runs simulated programs (shellprogs) against a container's filesystem, so
``echo hi > /x && cat /x`` changes the container's upper layer and prints what Docker would.

This module is the public API; the lexer, parser, interpreter and programs live in the
shell_* and progs_* modules beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import FSError
from .shell_exec import SHELLS, spawn
from .shell_io import Accounts, FileSystem, Stream
from .shellprogs import PROGRAMS

__all__ = ["ExecNotFound", "FileSystem", "ShellResult", "known_programs", "run_argv"]


@dataclass
class ShellResult:
    """What the command printed and how it ended. duration is simulated seconds (sleep 30
    adds 30); inf means it never ends by itself (sleep infinity, while true), and then
    exit_code is only the status so far."""

    stdout: str
    stderr: str
    exit_code: int
    duration: float = 0.0


class ExecNotFound(Exception):
    """argv[0] is no program the simulator knows: the caller prints Docker's OCI error."""

    def __init__(self, program: str) -> None:
        super().__init__(program)
        self.program = program


DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def known_programs() -> frozenset[str]:
    """Names run_argv can start as argv[0]. Shell builtins (cd, exit, export...) are not
    among them: runc cannot exec them either, so they only work inside sh -c."""
    return frozenset(PROGRAMS) | SHELLS


def run_argv(argv: list[str], fs: FileSystem, env: dict[str, str] | None = None,
             cwd: str = "/", users: dict[str, int] | None = None) -> ShellResult:
    """Run an exec-style argv (what docker exec/run pass to the runtime) in a container.

    Raises ExecNotFound when argv[0] itself is unknown, as runc fails before any process
    starts; unknown commands inside ``sh -c`` are the shell's business (exit 127)."""
    if not argv:
        raise ValueError("empty argv")
    variables = dict(env) if env is not None else {"PATH": DEFAULT_PATH, "HOME": "/root"}
    out, err = Stream(), Stream()
    result = spawn(argv, fs, variables, cwd, _accounts(fs, users), out, err, None)
    if result is None:
        raise ExecNotFound(argv[0])
    return ShellResult(out.text(), err.text(), result[0], result[1])


def _accounts(fs: FileSystem, users: dict[str, int] | None) -> Accounts:
    """Names for ids: the users map when given, else the image's /etc/passwd and /etc/group."""
    acc = Accounts()
    if users is not None:
        acc.users.update(users)
        acc.groups.update(users)
        return acc
    for path, table in (("/etc/passwd", acc.users), ("/etc/group", acc.groups)):
        try:
            text = (fs.read(path) or b"").decode("utf-8", "replace")
        except FSError:
            continue
        for line in text.splitlines():
            fields = line.split(":")
            if len(fields) >= 4 and fields[2].isdigit():
                table.setdefault(fields[0], int(fields[2]))
                if table is acc.users and fields[3].isdigit():
                    acc.login_gid[fields[0]] = int(fields[3])
                if table is acc.users and len(fields) >= 6:
                    acc.homes[fields[0]] = fields[5]
    return acc
