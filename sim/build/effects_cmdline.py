"""What every built-in RUN estimator shares: the command line cut into simple commands.

``segments`` splits a RUN's shell text at ``&&``, ``||``, ``;`` and pipes, keeping each
command's redirections; ``Context`` carries what a command line changes as it goes (``cd``)
and where a command's output is redirected; ``table`` and ``install_seconds`` build the
estimated RunEffect every per-tool estimator returns. It is the bottom of the estimator
modules: effects_packages.py and effects_tools.py use it, and effects_estimate.py, which
dispatches to them, walks the segments.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import effects_table as T
from .effects_model import RunEffect


@dataclass
class Context:
    """What a command line changes as it goes (``cd``) and where a segment's stdout goes."""

    workdir: str
    stdout: str | None = None  # file that ``> FILE`` sends this segment's output to
    env: dict[str, str] = field(default_factory=dict)

    def path(self, path: str) -> str:
        return norm(path, self.workdir)


Handler = Callable[[str, list[str], Context], RunEffect | None]

_SEPARATORS = frozenset({"&&", "||", ";", "|", "&", "|&", ";;"})
_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>", ">&", "<", "<<", "<<<", "<&", "<>"})
OUTPUT_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>"})
_FD_DIGITS = re.compile(r"(?<![^\s;&|(])\d+(?=[<>])")
_SUBSTITUTION = re.compile(r"\$\([^()]*\)|`[^`]*`")
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.DOTALL)


def norm(path: str, cwd: str) -> str:
    joined = posixpath.normpath(posixpath.join(cwd, path))
    return "/" + joined.lstrip("/")


def install_seconds(size: float, rate: float = T.ASSUMED_INSTALL_RATE) -> float:
    return T.ASSUMED_INSTALL_OVERHEAD + size / rate


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def table(writes: Iterable[tuple[str, int]] = (), removes: Iterable[str] = (),
           duration: float = 0.0, note: str = "", exit_code: int = 0) -> RunEffect:
    return RunEffect(tuple(writes), tuple(removes), duration, exit_code, estimated=True,
                     source="table", note=note)


def segments(command: str) -> list[tuple[str | None, list[str], list[tuple[str, str]]]]:
    """Simple commands with the operator before each and their redirections."""
    text = _SUBSTITUTION.sub("__subst__", command.replace("\\\n", " "))
    text = _FD_DIGITS.sub(" ", text)
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:
        tokens = text.split()
    out: list[tuple[str | None, list[str], list[tuple[str, str]]]] = []
    op: str | None = None
    words: list[str] = []
    redirects: list[tuple[str, str]] = []
    pending: str | None = None
    for token in tokens:
        if pending is not None:
            redirects.append((pending, token))
            pending = None
        elif token in _SEPARATORS:
            if words or redirects:
                out.append((op, words, redirects))
            op, words, redirects = token, [], []
        elif token in _REDIRECTS:
            pending = token
        elif token and set(token) <= set("(){}"):
            continue
        else:
            words.append(token)
    if words or redirects:
        out.append((op, words, redirects))
    return out
