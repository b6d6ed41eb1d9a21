"""The interpreter's state and the exceptions that unwind it (exit, break, continue).

The interpreter is one class built from mixins (expansion, builtins, execution); this is
the base they share, so each can live in its own module."""

from __future__ import annotations

from .shell_io import Accounts, FileSystem, Stream


class ShellExit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class LoopJump(Exception):
    """break (again=False) or continue (again=True) out of this many enclosing loops."""

    def __init__(self, again: bool, levels: int) -> None:
        super().__init__(levels)
        self.again, self.levels = again, levels


class ShellState:
    """The interpreter state: variables, cwd, $?, options and simulated elapsed time."""

    def __init__(self, fs: FileSystem, acc: Accounts, name: str, bash: bool,
                 env: dict[str, str], cwd: str, params: list[str], out: Stream,
                 err: Stream) -> None:
        self.fs, self.acc, self.name, self.bash = fs, acc, name, bash
        self.vars = dict(env)
        self.exported = set(env)
        self.cwd, self.params = cwd, params
        self.out, self.err = out, err
        self.status, self.duration, self.line = 0, 0.0, 1
        self.errexit = self.xtrace = self.nounset = self.pipefail = False
        self.inline = True  # script given with -c (bash names it "-c" in syntax errors)
        self.sub_status: int | None = None  # $? of the last command substitution
        self.in_condition = 0  # inside if/while conditions, where set -e is off
        self.loops = 0  # enclosing loops, for break and continue

    def where(self, line: int | None = None) -> str:
        n = self.line if line is None else line
        return f"{self.name}: line {n}: " if self.bash else f"{self.name}: {n}: "

    def complain(self, msg: str, line: int | None = None) -> None:
        self.err.write(f"{self.where(line)}{msg}\n")

    # --- defined by the interpreter (shell_exec.Shell) ---

    def fork(self, out: Stream, err: Stream) -> ShellState:
        """A subshell: a copy of this state writing to out and err."""
        raise NotImplementedError

    def run_source(self, src: str) -> int:
        raise NotImplementedError

    def dispatch(self, argv: list[str], env: dict[str, str], io: dict[int, Stream],
                 stdin: Stream | None) -> int:
        raise NotImplementedError
