"""The table of programs the simulated shell can run, acting on a container's FileSystem.

Messages follow GNU coreutils and util-linux (as on Debian-based images such as nginx), so
what a learner sees in the simulator is what a real container would print. The programs
themselves live in the progs_* modules, grouped by what they do."""

from __future__ import annotations

from collections.abc import Callable

from .progs_files import chmod, chown, cp, mkdir, mv, rm, rmdir, touch
from .progs_fs_info import du, ls, test
from .progs_misc import dd, env, fallocate, false, hostname, id_, printenv, pwd, sleep, true, whoami
from .progs_text import cat, echo, head, printf, tee, wc
from .shell_io import Ctx

Program = Callable[[Ctx, list[str]], int]

PROGRAMS: dict[str, Program] = {
    "cat": cat, "chmod": chmod, "chown": chown, "cp": cp, "dd": dd, "du": du, "echo": echo,
    "env": env, "fallocate": fallocate, "false": false, "head": head, "hostname": hostname,
    "id": id_, "ls": ls, "mkdir": mkdir, "mv": mv, "printenv": printenv, "printf": printf,
    "pwd": pwd, "rm": rm, "rmdir": rmdir, "sleep": sleep, "tee": tee, "test": test, "[": test,
    "touch": touch, "true": true, "wc": wc, "whoami": whoami,
}
# What dash and bash run themselves rather than from /usr/bin; their messages differ.
BUILTINS = frozenset({"echo", "printf", "test", "[", "true", "false", "pwd"})
