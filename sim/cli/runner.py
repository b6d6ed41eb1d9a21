"""Run one typed command line against the world: parse, dispatch, print as Docker does."""

from __future__ import annotations

import math
import os
import re
import shlex
from dataclasses import dataclass

from ..model.errors import DockerError
from .commands import HANDLERS
from .context import CommandFailed, Ctx


@dataclass
class Result:
    cmd: str
    stdout: str
    stderr: str
    exit_code: int
    t: float
    merged: str = ""  # stdout and stderr interleaved as printed
    chunks: tuple[tuple[str, str], ...] = ()  # (stream, text) in the order printed
    times: tuple[float, ...] = ()  # simulated time each chunk was printed
    hint: str | None = None  # the simulator's mistake hint (sim.cli.hints), never Docker's text

    @property
    def text(self) -> str:
        return self.merged or (self.stdout + self.stderr)

    def as_json(self) -> dict:
        out = {"cmd": self.cmd, "stdout": self.stdout, "stderr": self.stderr,
               "exit_code": self.exit_code, "t": round(self.t, 6)}
        if self.hint:
            out["hint"] = self.hint
        return out


MAX_SLEEP = 7 * 86400

SIM_HELP = """dockersim shell: type docker commands as you would in a terminal.
  docker ...        any supported docker command (docker --help lists them)
  sleep SECONDS     let simulated time pass (e.g. sleep 5, sleep 2m, sleep 1d)
  help              this text
Lines starting with # are comments."""


def _duration(text: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
    for suffix in ("ms", "s", "m", "h", "d"):
        if text.endswith(suffix) and text[: -len(suffix)]:
            return float(text[: -len(suffix)]) * units[suffix]
    return float(text)


def _internal_error(line: str, exc: Exception) -> str:
    """One line for a simulator bug: the shell goes on, no traceback."""
    return (f"dockersim: internal error while running '{line}': {type(exc).__name__}: {exc} "
            "(set DOCKERSIM_DEBUG=1 for details)")


SUBST = re.compile(r"\$\(([^()]*)\)")


def _substitute(world, host_name: str, line: str):
    """``$(docker ps -aq)``: run the inner command first and splice in its output, as a
    POSIX shell does (one level, no nesting). A process body: returns the new line."""
    parts, last = [], 0
    for match in SUBST.finditer(line):
        inner = yield from run_line(world, host_name, match.group(1))
        parts += [line[last:match.start()], " ".join(inner.stdout.split())]
        last = match.end()
    return "".join(parts) + line[last:]


def _done(line: str, out: str, err: str, code: int, world) -> Result:
    return Result(line, out, err, code, world.now, out + err,
                  tuple((s, t) for s, t in (("stdout", out), ("stderr", err)) if t))


def run_line(world, host_name: str, line: str):
    """The SimPy process body of one typed line on a host; returns its Result.

    Scenario steps run several of these at once; the shell runs one at a time through
    ``execute``."""
    from ..trace import events as ev
    from .parse import UsageError, parse_command_line
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return _done(line, "", "", 0, world)
    stripped = yield from _substitute(world, host_name, stripped)
    try:
        argv = shlex.split(stripped)
    except ValueError as exc:
        return _done(line, "", f"dockersim: cannot parse the line: {exc}\n", 2, world)
    if not argv:
        return _done(line, "", "", 0, world)
    if argv[0] == "sleep":
        try:
            seconds = _duration(argv[1]) if len(argv) == 2 else -1
        except ValueError:
            seconds = -1
        if not math.isfinite(seconds) or seconds < 0:  # inf would never return
            return _done(line, "", "sleep: usage: sleep SECONDS (e.g. 5, 1.5, 2m)\n", 2, world)
        if seconds > MAX_SLEEP:  # a crash loop would replay years of restarts
            return _done(line, "", f"sleep: at most {MAX_SLEEP // 86400} days of simulated "
                         "time at once\n", 2, world)
        if seconds > 0:
            world.emit(ev.ClockAdvanced(host_name, seconds))
        yield world.env.timeout(seconds)
        return _done(line, "", "", 0, world)
    if argv[0] == "help":
        return _done(line, SIM_HELP + "\n", "", 0, world)
    if argv[0] != "docker":
        return _done(line, "", f"dockersim: {argv[0]}: command not found (try: docker --help, "
                     "help)\n", 127, world)
    host = world.hosts[host_name]
    world.emit(ev.CommandStarted(host_name, stripped))
    try:
        parsed = parse_command_line(argv[1:])
    except UsageError as exc:
        text = exc.message if exc.message.endswith("\n") else exc.message + "\n"
        to_out = getattr(exc, "stdout", False)
        world.emit(ev.CommandFinished(host_name, stripped, exc.exit_code))
        return _done(line, text if to_out else "", "" if to_out else text, exc.exit_code, world)
    warnings = "".join(w if w.endswith("\n") else w + "\n" for w in parsed.warnings)
    if parsed.help_text is not None:
        world.emit(ev.CommandFinished(host_name, stripped, 0))
        if parsed.help_to_stderr:
            return _done(line, "", warnings + parsed.help_text, 0, world)
        return _done(line, parsed.help_text, warnings, 0, world)
    from .commands import unsupported
    refused = unsupported(parsed.spec.path, parsed.options)
    if refused:
        shown = " ".join(parsed.path or parsed.spec.path)
        flags = ", ".join(f"--{f}" for f in refused)
        code = 125 if parsed.spec.path[-1] in ("run", "create") else 1
        world.emit(ev.CommandFinished(host_name, stripped, code))
        return _done(line, "", f"dockersim: docker {shown}: {flags} is valid Docker but not "
                     "simulated; leave it out\n", code, world)
    ctx = Ctx(world, host, "docker " + " ".join(parsed.spec.path))
    if warnings:
        ctx.raw_err(warnings)
    try:
        yield from HANDLERS[parsed.spec.path](ctx, parsed.options, parsed.args)
    except CommandFailed as exc:
        ctx.err(exc.message)
        ctx.exit_code = exc.exit_code
    except DockerError as exc:
        ctx.err(f"Error response from daemon: {exc.message}")
        ctx.exit_code = 1
    except Exception as exc:  # a simulator bug must not kill the shell
        if os.environ.get("DOCKERSIM_DEBUG"):
            raise
        ctx.err(_internal_error(stripped, exc))
        ctx.exit_code = 70
    world.emit(ev.CommandFinished(host_name, stripped, ctx.exit_code))
    return Result(line, "".join(ctx.stdout), "".join(ctx.stderr), ctx.exit_code, world.now,
                  "".join(text for _stream, text in ctx.merged), tuple(ctx.merged),
                  tuple(ctx.times))


def execute(world, host_name: str, line: str) -> Result:
    """Run a line to completion (the clock runs until it ends) and return what it printed."""
    stripped = line.strip()
    try:
        proc = world.run_process(run_line(world, host_name, line))
        return proc.value
    except Exception as exc:  # a SimPy sub-process (a download, a container) crashed
        if os.environ.get("DOCKERSIM_DEBUG"):
            raise
        return _done(line, "", _internal_error(stripped, exc) + "\n", 70, world)
