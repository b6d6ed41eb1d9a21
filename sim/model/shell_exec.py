"""The interpreter: starts programs and shells, runs parsed commands (lists, pipelines,
if/while/for, subshells) and opens their redirections, tracking simulated time."""

from __future__ import annotations

import contextlib
import math
import posixpath

from .errors import FSError
from .layer import DIR
from .shell_builtins import ShellBuiltins
from .shell_expand import Expander
from .shell_io import (
    Accounts,
    Ctx,
    FileSystem,
    Stream,
    abspath,
    missing_errno,
    read_blob,
    resolve,
    strerror,
    write_blob,
)
from .shell_lex import Lexer, ShellSyntaxError, Unsupported
from .shell_parse import AndOr, Body, Compound, Parser, Pipeline, Redir, Simple
from .shell_state import LoopJump, ShellExit
from .shellprogs import BUILTINS, PROGRAMS

SHELLS = frozenset({"sh", "bash", "dash"})
SHELL_BUILTINS = frozenset({"cd", "exit", "export", "unset", "set", ":", "exec", "break",
                            "continue"})
MAX_LOOPS = 1000
BIN_DIRS = frozenset({"/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin"})


def spawn(argv: list[str], fs: FileSystem, env: dict[str, str], cwd: str, acc: Accounts,
          out: Stream, err: Stream, stdin: Stream | None, builtin: str = "",
          where: str = "") -> tuple[int, float] | None:
    """Run one program; None when argv[0] names nothing the simulator knows."""
    prog = argv[0]
    base = posixpath.basename(prog)
    if "/" in prog and posixpath.dirname(abspath(cwd, prog)) not in BIN_DIRS:
        return None
    if base in SHELLS:
        return _shell_main(argv, fs, env, cwd, acc, out, err, stdin)
    fn = PROGRAMS.get(base)
    if fn is None:
        return None
    ctx = Ctx(fs, prog, env, cwd, acc, out, err, stdin,
              builtin if "/" not in prog and base in BUILTINS else "", where)
    ctx.run = lambda args, variables: _run_nested(ctx, args, variables)
    status = fn(ctx, argv[1:])
    return status, ctx.duration


def _run_nested(ctx: Ctx, argv: list[str], env: dict[str, str]) -> int | None:
    """env CMD: the child's time counts as env's own."""
    result = spawn(argv, ctx.fs, env, ctx.cwd, ctx.accounts, ctx.out, ctx.err, ctx.stdin)
    if result is None:
        return None
    ctx.duration += result[1]
    return result[0]


def _shell_main(argv: list[str], fs: FileSystem, env: dict[str, str], cwd: str,
                acc: Accounts, out: Stream, err: Stream,
                stdin: Stream | None) -> tuple[int, float]:
    """sh/bash [-ex] -c SCRIPT [NAME [ARG...]] | sh FILE [ARG...] | sh < stdin."""
    bash = posixpath.basename(argv[0]) == "bash"
    args, flags, options = argv[1:], "", []
    while args and len(args[0]) > 1 and args[0][0] in "-+" and args[0] != "--":
        if args[0][0] == "-":
            flags += args[0][1:]
            if "o" in args[0] and len(args) > 1:
                options.append(args.pop(1))
        args = args[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    name = argv[0]
    if "c" in flags:
        if not args:
            msg = "-c: option requires an argument" if bash else "0: -c requires an argument"
            err.write(f"{name}: {msg}\n")
            return 2, 0.0
        script, params = args[0], args[1:] or [name]
    elif args:
        name, params = args[0], args
        try:
            data = read_blob(Ctx(fs, name, env, cwd, acc, out, err), args[0]).data or b""
        except FSError as e:
            if bash:
                err.write(f"{argv[0]}: {args[0]}: {e.strerror}\n")
                return 127, 0.0
            err.write(f"{argv[0]}: 0: cannot open {args[0]}: No such file\n")
            return 2, 0.0
        script = data.decode("utf-8", "replace")
    else:
        script, params = (stdin.text() if stdin is not None else ""), [name]
    sh = Shell(fs, acc, params[0], bash, env, cwd, params, out, err)
    sh.errexit, sh.xtrace, sh.nounset = "e" in flags, "x" in flags, "u" in flags
    sh.pipefail, sh.inline = bash and "pipefail" in options, "c" in flags
    status = sh.run_source(script)
    return status, sh.duration


class Shell(Expander, ShellBuiltins):
    """The interpreter: its state (ShellState), expansion (Expander) and builtins
    (ShellBuiltins), and here the running of commands and their redirections."""

    def fork(self, out: Stream, err: Stream) -> Shell:
        child = Shell(self.fs, self.acc, self.name, self.bash, {}, self.cwd, self.params,
                      out, err)
        child.vars, child.exported = dict(self.vars), set(self.exported)
        child.status, child.line = self.status, self.line
        child.errexit, child.xtrace, child.nounset = self.errexit, self.xtrace, self.nounset
        child.pipefail = self.pipefail
        return child

    def run_source(self, src: str) -> int:
        try:
            parser = Parser(Lexer(src, self.bash))
            while (items := parser.complete_command()) is not None:
                self.run_list(items, {1: self.out, 2: self.err}, None)
        except ShellSyntaxError as e:
            if self.bash:
                origin = f"{self.name}: -c" if self.inline else self.name
                lines = src.split("\n")
                n = e.bash_line or len(lines) + (not src.endswith("\n"))
                self.err.write(f"{origin}: line {n}: {e.bash}\n")
                if e.echo:
                    self.err.write(f"{origin}: line {n}: `{lines[n - 1]}'\n")
            else:
                self.complain(f"Syntax error: {e.dash}", e.line)
            return 2
        except Unsupported as e:
            self.complain(f"{e.what}: not supported by the dockersim shell", e.line)
            return 2
        except ShellExit as e:
            return e.status
        return self.status

    def run_list(self, items: list[tuple[AndOr, bool]], io: dict[int, Stream],
                 stdin: Stream | None) -> int:
        for ao, background in items:
            if math.isinf(self.duration):  # still running: nothing after it starts
                break
            if background:  # a subshell alongside: its time does not delay what follows
                child = self.fork(io[1], io[2])
                with contextlib.suppress(ShellExit):
                    child.run_and_or(ao, io, stdin)
                self.status = 0
            else:
                self.run_and_or(ao, io, stdin)
        return self.status

    def run_and_or(self, ao: AndOr, io: dict[int, Stream], stdin: Stream | None) -> None:
        status = self.run_pipeline(ao.first, io, stdin)
        last = ao.first
        for op, pipeline in ao.rest:
            if (op == "&&") == (status == 0) and not math.isinf(self.duration):
                status = self.run_pipeline(pipeline, io, stdin)
                last = pipeline
        self.status = status
        # set -e ignores failures that a && or || is testing, and negated pipelines
        if self.errexit and status and not self.in_condition and not last.negate \
                and last is (ao.rest[-1][1] if ao.rest else ao.first):
            raise ShellExit(status)

    def run_pipeline(self, p: Pipeline, io: dict[int, Stream], stdin: Stream | None) -> int:
        if len(p.cmds) == 1:
            status = self.run_command(p.cmds[0], io, stdin)
        else:
            times, statuses, cur = [], [], stdin
            for k, cmd in enumerate(p.cmds):
                pipe = io[1] if k == len(p.cmds) - 1 else Stream()
                child = self.fork(pipe, io[2])  # each part runs in a subshell
                try:
                    statuses.append(child.run_command(cmd, {**io, 1: pipe}, cur))
                except ShellExit as e:
                    statuses.append(e.status)
                times.append(child.duration)
                cur = pipe
            self.duration += max(times)
            status = statuses[-1]
            if self.pipefail:
                status = next((s for s in reversed(statuses) if s), 0)
        if p.negate:
            status = int(status == 0)
        self.status = status
        return status

    def run_command(self, cmd: Simple | Compound, io: dict[int, Stream],
                    stdin: Stream | None) -> int:
        self.line = cmd.line
        if isinstance(cmd, Simple):
            return self.run_simple(cmd, io, stdin)
        opened = self.open_redirs(cmd.redirs, io, stdin)
        if opened is None:
            return self.status
        status = 0
        try:
            status = self.run_compound(cmd, opened[0], opened[1])
        finally:
            if not self.flush(opened[2], opened[0][2], "sh") and status == 0:
                status = 1
        self.status = status
        return status

    def run_compound(self, c: Compound, io: dict[int, Stream], stdin: Stream | None) -> int:
        if c.kind == "subshell":
            child = self.fork(io[1], io[2])
            try:
                status = child.run_list(c.parts[0], io, stdin)
            except ShellExit as e:
                status = e.status
            self.duration += child.duration
            return status
        if c.kind == "group":
            return self.run_list(c.parts[0], io, stdin)
        if c.kind == "if":
            branches = len(c.parts) - c.has_else
            for k in range(0, branches, 2):
                if self.run_condition(c.parts[k], io, stdin) == 0:
                    return self.run_list(c.parts[k + 1], io, stdin)
            return self.run_list(c.parts[-1], io, stdin) if c.has_else else 0
        return self.run_loop(c, io, stdin)

    def run_condition(self, body: Body, io: dict[int, Stream], stdin: Stream | None) -> int:
        """set -e does not apply while testing a condition."""
        self.in_condition += 1
        try:
            return self.run_list(body, io, stdin)
        finally:
            self.in_condition -= 1

    def run_loop(self, c: Compound, io: dict[int, Stream], stdin: Stream | None) -> int:
        """for, while and until. A while loop still going after MAX_LOOPS rounds is taken
        to run forever, like the classic keep-alive ``while true; do sleep 1; done``."""
        status, rounds = 0, 0
        if c.kind == "for":
            values = ([f for w in c.items for f in self.expand(w)] if c.items is not None
                      else self.params[1:])
        self.loops += 1
        try:
            while True:
                if c.kind == "for":
                    if rounds == len(values):
                        break
                    self.vars[c.name] = values[rounds]
                elif (self.run_condition(c.parts[0], io, stdin) == 0) != (c.kind == "while"):
                    break
                elif rounds == MAX_LOOPS:
                    self.duration = math.inf
                    break
                rounds += 1
                try:
                    status = self.run_list(c.parts[-1], io, stdin)
                except LoopJump as jump:
                    if jump.levels > 1:
                        raise LoopJump(jump.again, jump.levels - 1) from None
                    if not jump.again:
                        break
                if math.isinf(self.duration):
                    break
        finally:
            self.loops -= 1
        return status

    def run_simple(self, cmd: Simple, io: dict[int, Stream], stdin: Stream | None) -> int:
        self.sub_status = None
        argv = [f for w in cmd.words for f in self.expand(w)]
        assigns = {name: "".join(self.expand(w, split=False)) for name, w in cmd.assigns}
        opened = self.open_redirs(cmd.redirs, io, stdin)
        if opened is None:
            return self.status
        io2, stdin2, sinks = opened
        if self.xtrace and (argv or assigns):
            shown = [f"{k}={v}" for k, v in assigns.items()] + argv
            io2[2].write("+ " + " ".join(shown) + "\n")
        status = 0
        try:
            if not argv:
                for key, val in assigns.items():
                    self.vars[key] = val
                status = self.sub_status or 0
            else:
                env = {k: v for k, v in self.vars.items() if k in self.exported} | assigns
                status = self.dispatch(argv, env, io2, stdin2)
        finally:
            if not self.flush(sinks, io2[2], argv[0] if argv else "sh") and status == 0:
                status = 1
        self.status = status
        return status

    def dispatch(self, argv: list[str], env: dict[str, str], io: dict[int, Stream],
                 stdin: Stream | None) -> int:
        name = argv[0]
        if name in SHELL_BUILTINS:
            return getattr(self, "b_" + {":": "colon"}.get(name, name))(argv[1:], io, stdin, env)
        result = spawn(argv, self.fs, env, self.cwd, self.acc, io[1], io[2], stdin,
                       "bash" if self.bash else "dash", self.where())
        if result is None:
            if self.bash:
                real = resolve(self.fs, abspath(self.cwd, name))
                gone = "/" not in name or self.fs.stat(real) is None
                msg = ("command not found" if "/" not in name else
                       "No such file or directory" if gone else "Permission denied")
                io[2].write(f"{self.where()}{name}: {msg}\n")
            else:
                io[2].write(f"{self.where()}{name}: not found\n")
            return 127
        self.duration += result[1]
        return result[0]

    # --- redirections ---

    def open_redirs(self, redirs: list[Redir], io: dict[int, Stream], stdin: Stream | None
                    ) -> tuple[dict[int, Stream], Stream | None, list[tuple[str, bool, Stream]]
                               ] | None:
        """Open targets before the command runs, as the shell does: > truncates at once."""
        io = dict(io)
        sinks: list[tuple[str, bool, Stream]] = []
        for r in redirs:
            target = " ".join(self.expand(r.target))
            if r.op in (">&", "<&") and (target.isdigit() or target == "-"):
                if target != "-" and int(target) not in io:
                    self.complain(f"{target}: Bad file descriptor")
                    self.status = 1 if self.bash else 2
                    return None
                io[r.fd] = Stream(discard=True) if target == "-" else io[int(target)]
                if r.fd == 0:
                    stdin = io[0]
                continue
            if r.op in (">&", "<&") and not self.bash:
                self.complain("Syntax error: Bad fd number")
                self.status = 2
                return None
            path = abspath(self.cwd, target, self.vars.get("HOME", "/root"))
            if r.op == "<":
                try:
                    ctx = Ctx(self.fs, self.name, {}, self.cwd, self.acc, io[1], io[2])
                    blob = read_blob(ctx, target)
                except FSError as e:
                    self.redir_error("open", target, e.errno_name)
                    return None
                stream = Stream(data=blob)
                io[r.fd] = stream
                if r.fd == 0:
                    stdin = stream
                continue
            devices = {"/dev/null": Stream(discard=True), "/dev/stdout": io[1],
                       "/dev/stderr": io[2]}
            if path in devices:
                sink = devices[path]
            else:
                real = resolve(self.fs, path)
                append = r.op == ">>"
                try:
                    entry = self.fs.stat(real)
                    if entry is not None and entry.kind == DIR:
                        raise FSError("EISDIR", target)
                    if entry is None or not append:
                        if self.fs.stat(posixpath.dirname(real)) is None:
                            raise FSError(missing_errno(self.fs, real), target)
                        self.fs.write(real, b"")
                except FSError as e:
                    self.redir_error("create", target, e.errno_name)
                    return None
                sink = Stream()
                sinks.append((real, append, sink))
            io[r.fd] = sink
            if r.op in ("&>", ">&"):  # bash: both streams to the file
                io[2] = sink
        return io, stdin, sinks

    def redir_error(self, action: str, target: str, errno_name: str) -> None:
        if self.bash:
            self.complain(f"{target}: {strerror(errno_name)}")
            self.status = 1
            return
        if errno_name in ("ENOENT", "ENOTDIR"):
            msg = "No such file" if action == "open" else "Directory nonexistent"
        else:
            msg = strerror(errno_name)
        self.complain(f"cannot {action} {target}: {msg}")
        self.status = 2

    def flush(self, sinks: list[tuple[str, bool, Stream]], err: Stream, name: str) -> bool:
        """Write what a command sent to its redirected outputs; False when the disk is full
        (the program's write fails as coreutils reports it; the file keeps what it had)."""
        ok = True
        for real, _append, sink in sinks:
            blob = sink.blob()
            if blob.size:
                try:
                    write_blob(self.fs, real, blob, append=True)
                except FSError as e:
                    err.write(f"{name}: error writing 'standard output': {e.strerror}\n")
                    ok = False
        return ok
