"""Start-up time of the command line, measured in fresh subprocesses (what a user waits for
before anything happens): ``dockersim --help`` and a headless run of a one-step scenario.

Each is run a few times and the fastest counts (the first run also pays for the disk
cache). The same interpreter started with ``-c pass`` is measured too, so the row can say
what the project adds to Python's own start-up."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the smallest headless run: one host, one step that needs no image (start-up, not work)
SCENARIO = """seed = 1
[hosts.node]
[[steps]]
at = "0s"
host = "node"
run = "docker images"
"""


def _best(argv: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"bench: {' '.join(argv[1:])} exited {done.returncode}: "
                               f"{done.stderr.strip().splitlines()[-1:]}")
        best = min(best, elapsed)
    return best


def startup(runs: int = 5) -> dict[str, float]:
    """Seconds (best of ``runs``) for bare Python, ``--help`` and a headless run."""
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "one-step.toml"
        scenario.write_text(SCENARIO, encoding="utf-8")
        return {
            "python": _best([py, "-c", "pass"], runs),
            "help": _best([py, "-m", "sim", "--help"], runs),
            "run": _best([py, "-m", "sim", "run", str(scenario), "--transcript", "none"], runs),
        }


def heavy_imports() -> list[str]:
    """Heavy packages that ``dockersim --help`` imports (should be none)."""
    code = ("import sys, runpy; sys.argv=['dockersim','--help']\n"
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: runpy.run_module('sim', run_name='__main__')\n"
            "    except SystemExit: pass\n"
            "heavy={'pygame','matplotlib','numpy','dask','distributed','imageio','networkx',"
            "'pydantic','rich'}\n"
            "print(' '.join(sorted(m for m in heavy if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    return done.stdout.split()
