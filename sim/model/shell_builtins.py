"""Builtins that change the shell itself (cd, exit, export, unset, set, break, continue,
exec, :), which no separate program could do."""

from __future__ import annotations

import re

from .layer import DIR
from .shell_io import Stream, abspath, missing_errno, resolve, strerror
from .shell_state import LoopJump, ShellExit, ShellState

_BASH_SET_USAGE = "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n"


class ShellBuiltins(ShellState):
    """The b_NAME methods the interpreter dispatches to (mixed into shell_exec.Shell)."""

    def b_colon(self, args: list[str], io: dict[int, Stream], stdin: Stream | None,
                env: dict[str, str]) -> int:
        return 0

    def b_cd(self, args: list[str], io: dict[int, Stream], stdin: Stream | None,
             env: dict[str, str]) -> int:
        if self.bash and len(args) > 1:
            io[2].write(f"{self.where()}cd: too many arguments\n")
            return 1
        if not args and "HOME" not in self.vars:
            if self.bash:
                io[2].write(f"{self.where()}cd: HOME not set\n")
                return 1
            return 0
        target = args[0] if args else self.vars["HOME"]
        if target == "-":
            target = self.vars.get("OLDPWD", self.cwd)
            io[1].write(target + "\n")
        path = abspath(self.cwd, target, self.vars.get("HOME", "/root"))
        real = resolve(self.fs, path)
        entry = self.fs.stat(real)
        if entry is None or entry.kind != DIR:
            if not self.bash:
                io[2].write(f"{self.where()}cd: can't cd to {target}\n")
                return 2
            err = "ENOTDIR" if entry is not None else missing_errno(self.fs, real)
            io[2].write(f"{self.where()}cd: {target}: {strerror(err)}\n")
            return 1
        self.vars["OLDPWD"], self.vars["PWD"], self.cwd = self.cwd, path, path
        return 0

    def b_exit(self, args: list[str], io: dict[int, Stream], stdin: Stream | None,
               env: dict[str, str]) -> int:
        if args and not re.fullmatch(r"[-+]?\d+", args[0]):
            if self.bash:
                io[2].write(f"{self.where()}exit: {args[0]}: numeric argument required\n")
            else:
                io[2].write(f"{self.where()}exit: Illegal number: {args[0]}\n")
            raise ShellExit(2)
        raise ShellExit(int(args[0]) & 0xFF if args else self.status)

    def b_export(self, args: list[str], io: dict[int, Stream], stdin: Stream | None,
                 env: dict[str, str]) -> int:
        if not args or args == ["-p"]:
            for key in sorted(self.exported & set(self.vars)):
                val = self.vars[key]
                io[1].write(f'declare -x {key}="{val}"\n' if self.bash else
                            f"export {key}='{val}'\n")
            return 0
        for a in args:
            key, eq, val = a.partition("=")
            if eq:
                self.vars[key] = val
            self.exported.add(key)
        return 0

    def b_unset(self, args: list[str], io: dict[int, Stream], stdin: Stream | None,
                env: dict[str, str]) -> int:
        for key in args:
            if not key.startswith("-"):
                self.vars.pop(key, None)
                self.exported.discard(key)
        return 0

    def b_set(self, args: list[str], io: dict[int, Stream], stdin: Stream | None,
              env: dict[str, str]) -> int:
        if not args:
            for key in sorted(self.vars):
                io[1].write(f"{key}='{self.vars[key]}'\n")
            return 0
        flags = {"e": "errexit", "x": "xtrace", "u": "nounset"}
        while args:
            a = args.pop(0)
            if a == "--":
                self.params = self.params[:1] + args
                return 0
            if a[:1] not in "-+" or len(a) < 2:
                self.params = self.params[:1] + [a] + args
                return 0
            for c in a[1:]:
                if c == "o" and self.bash and args[:1] == ["pipefail"]:
                    self.pipefail = a[0] == "-"
                    args.pop(0)
                elif c in flags:
                    setattr(self, flags[c], a[0] == "-")
                else:
                    opt = f"{a[0]}{c}" + (f" {args[0]}" if c == "o" and args else "")
                    io[2].write(f"{self.where()}set: {opt}: invalid option\n{_BASH_SET_USAGE}"
                                if self.bash else f"{self.where()}set: Illegal option {opt}\n")
                    return 2
        return 0

    def b_break(self, args: list[str], io: dict[int, Stream], stdin: Stream | None,
                env: dict[str, str]) -> int:
        return self.jump(False, args)

    def b_continue(self, args: list[str], io: dict[int, Stream], stdin: Stream | None,
                   env: dict[str, str]) -> int:
        return self.jump(True, args)

    def jump(self, again: bool, args: list[str]) -> int:
        if not self.loops:
            if self.bash:
                word = "continue" if again else "break"
                self.complain(f"{word}: only meaningful in a `for', `while', or `until' loop")
            return 0
        levels = int(args[0]) if args and args[0].isdigit() and int(args[0]) > 0 else 1
        raise LoopJump(again, min(levels, self.loops))

    def b_exec(self, args: list[str], io: dict[int, Stream], stdin: Stream | None,
               env: dict[str, str]) -> int:
        """exec CMD replaces the shell: CMD's status is the shell's."""
        if not args:
            return 0
        raise ShellExit(self.dispatch(args, env, io, stdin))
