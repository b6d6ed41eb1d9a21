"""Word expansion: parameters, command substitution, tildes, field splitting and globs,
turning parsed words into the argv a program receives."""

from __future__ import annotations

import fnmatch
import posixpath
import re

from .errors import FSError
from .shell_io import Stream, abspath, resolve
from .shell_lex import Lexer, Word
from .shell_state import ShellExit, ShellState


def glob_match(name: str, pattern: str) -> bool:
    """Shell pathname matching for one component: * and ? never match a leading dot."""
    if name.startswith(".") and not pattern.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, pattern)


class Expander(ShellState):
    """Expansion methods of the interpreter (mixed into shell_exec.Shell)."""

    def param(self, part: tuple) -> str:
        _, name, _, op, arg = part
        specials = {"?": str(self.status), "$": "1", "#": str(len(self.params) - 1),
                    "!": "", "-": ("e" if self.errexit else "") + ("x" if self.xtrace else ""),
                    "@": " ".join(self.params[1:]), "*": " ".join(self.params[1:])}
        if name.isdigit():
            value: str | None = self.params[int(name)] if int(name) < len(self.params) else None
        else:
            value = specials[name] if name in specials else self.vars.get(name)
        if op == "#":
            return str(len(value or ""))
        empty = value is None or (op.startswith(":") and value == "")
        if op.endswith("-") and empty:
            return self.expand_text(arg)
        if op.endswith("=") and empty:
            self.vars[name] = self.expand_text(arg)
            return self.vars[name]
        if op.endswith("+"):
            return "" if empty else self.expand_text(arg)
        if op.endswith("?") and empty:
            dflt = ("parameter null or not set" if self.bash else "parameter not set or null") \
                if op == ":?" else "parameter not set"
            self.complain(f"{name}: {self.expand_text(arg) or dflt}")
            raise ShellExit(127 if self.bash else 2)
        if value is None and self.nounset and name not in specials:
            self.complain(f"{name}: " + ("unbound variable" if self.bash else "parameter not set"))
            raise ShellExit(127 if self.bash else 2)
        return value or ""

    def expand_text(self, raw: str) -> str:
        parts: list[tuple] = []
        Lexer(raw, self.bash).dquote(0, parts, None)
        return "".join(self.expand(Word(parts), split=False))

    def substitute(self, script: str) -> str:
        capture = Stream()
        child = self.fork(capture, self.err)
        self.sub_status = child.run_source(script)
        self.duration += child.duration
        return capture.text().rstrip("\n")

    def expand(self, word: Word, split: bool = True) -> list[str]:
        """Parameter and command expansion, field splitting, then pathname expansion."""
        fields: list[list[tuple[str, bool]]] = []
        cur: list[tuple[str, bool]] = []
        live = False
        for part in word.parts:
            kind = part[0]
            if kind in ("lit", "q"):
                cur.append((part[1], kind == "q"))
                live = True
            elif kind == "tilde":
                home = self.acc.homes.get(part[1]) if part[1] else self.vars.get("HOME", "/root")
                cur.append((home, True) if home is not None else ("~" + part[1], False))
                live = True
            elif kind == "var" and part[1] == "@" and part[2] and split:
                for k, arg in enumerate(self.params[1:]):  # "$@" keeps each argument whole
                    if k:
                        fields.append(cur)
                        cur = []
                    cur.append((arg, True))
                    live = True
            else:
                value = self.param(part) if kind == "var" else self.substitute(part[1])
                if part[2] or not split:
                    cur.append((value, True))
                    live = True
                    continue
                pieces = value.split()
                if value[:1].isspace() and live:
                    fields.append(cur)
                    cur, live = [], False
                for k, piece in enumerate(pieces):
                    if k:
                        fields.append(cur)
                        cur = []
                    cur.append((piece, False))
                    live = True
                if value[-1:].isspace() and pieces:
                    fields.append(cur)
                    cur, live = [], False
        if live:
            fields.append(cur)
        out: list[str] = []
        for f in fields:
            text = "".join(t for t, _ in f)
            if split and any(not q and re.search(r"[*?\[]", t) for t, q in f):
                pattern = "".join(t if not q else re.sub(r"([*?\[])", r"[\1]", t) for t, q in f)
                matches = self.glob(pattern)
                if matches:
                    out += matches
                    continue
            out.append(text)
        return out

    def glob(self, pattern: str) -> list[str]:
        bases = ["/" if pattern.startswith("/") else ""]
        for comp in [c for c in pattern.split("/") if c]:
            found = []
            for base in bases:
                folder = resolve(self.fs, abspath(self.cwd, base or "."))
                if re.search(r"[*?\[]", comp):
                    try:
                        names = self.fs.listdir(folder)
                    except FSError:
                        continue
                    found += [posixpath.join(base, n) for n in names if glob_match(n, comp)]
                elif self.fs.stat(resolve(self.fs, posixpath.join(folder, comp))) is not None:
                    found.append(posixpath.join(base, comp))
            bases = found
        return sorted(bases, key=lambda s: s.encode())
