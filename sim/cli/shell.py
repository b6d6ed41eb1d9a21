"""``dockersim shell``: a docker-like prompt, and a line-by-line batch interface.

Batch contract (stdin not a terminal): each line is run as soon as it is read; the shell
prints ``$ <line>`` then the command's output and flushes before reading the next line;
``--json`` prints one object per command instead:
``{"cmd", "stdout", "stderr", "exit_code", "t"}``, plus ``"hint"`` when the mistake
explainer has one. Exit code 0 after the last line. In text mode a hint is its own line,
``hint (dockersim): ...``, after the command's output; ``hints=False`` turns them off.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import IO

from .hints import PREFIX, Explainer
from .runner import Result, execute

PROMPT = "sim> "


def run_hinted(world, host: str, line: str, explainer: Explainer | None) -> Result:
    """Run a line; with an explainer, attach its hint to the result."""
    result = execute(world, host, line)
    if explainer is not None:
        result.hint = explainer.explain(world, host, line, result)
    return result


def run_batch(world, host: str, lines: IO[str], out: IO[str], as_json: bool,
              hints: bool = True) -> int:
    explainer = Explainer() if hints else None
    while True:
        line = lines.readline()
        if not line:
            return 0
        line = line.rstrip("\n")
        result = run_hinted(world, host, line, explainer)
        if as_json:
            out.write(json.dumps(result.as_json(), ensure_ascii=False) + "\n")
        elif line.strip():
            out.write(f"$ {line.strip()}\n{result.text}")
            if result.hint:
                out.write(f"{PREFIX}{result.hint}\n")
        out.flush()


def run_interactive(world, host: str, hints: bool = True) -> int:
    try:
        import readline
    except ImportError:  # pragma: no cover - not on Linux
        readline = None
    if readline is not None:
        from .complete import Completer
        history = os.path.join(os.path.expanduser("~"), ".dockersim_history")
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
        completer = Completer(world, host)
        readline.set_completer(completer.complete)
        readline.set_completer_delims(" \t")
        readline.parse_and_bind("tab: complete")
    explainer = Explainer() if hints else None
    print("dockersim shell: a simulated Docker Engine 28.5 (no daemon). Type 'help' for help, "
          "Ctrl-D to leave.")
    while True:
        try:
            line = input(PROMPT)
        except EOFError:
            print()
            break
        except KeyboardInterrupt:
            print()
            continue
        if line.strip() in ("exit", "quit"):
            break
        result = run_hinted(world, host, line, explainer)
        chunks = result.chunks or (("stdout", result.stdout), ("stderr", result.stderr))
        for stream, text in chunks:
            out = sys.stdout if stream == "stdout" else sys.stderr
            out.write(text)
            out.flush()
        if result.hint:
            sys.stdout.write(f"{PREFIX}{result.hint}\n")
            sys.stdout.flush()
    if readline is not None:
        with contextlib.suppress(OSError):
            readline.write_history_file(history)
    return 0
