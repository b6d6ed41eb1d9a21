"""The shell's tokenizer: script text to words and operators, quoting and substitutions
kept apart so expansion can tell "$x" from $x. It also holds the parse-time errors."""

from __future__ import annotations

import re
from dataclasses import dataclass


class ShellSyntaxError(Exception):
    """dash and bash word syntax errors differently and may blame different lines; bash
    line 0 means "after the last line", and echo asks bash to quote the offending line."""

    def __init__(self, dash: str, bash: str, line: int, bash_line: int | None = None,
                 echo: bool = False) -> None:
        super().__init__(dash)
        self.dash, self.bash, self.line, self.echo = dash, bash, line, echo
        self.bash_line = line if bash_line is None else bash_line


class Unsupported(Exception):
    def __init__(self, what: str, line: int) -> None:
        super().__init__(what)
        self.what, self.line = what, line


@dataclass
class Word:
    # parts: ("lit", text) unquoted, ("q", text) quoted, ("tilde",),
    # ("var", name, quoted, op, arg) and ("sub", script, quoted)
    parts: list[tuple]

    def literal(self) -> str | None:
        if all(p[0] == "lit" for p in self.parts):
            return "".join(p[1] for p in self.parts)
        return None


@dataclass
class Token:
    kind: str  # word | op | redir | nl | eof
    value: str = ""
    line: int = 1
    word: Word | None = None
    fd: int | None = None


_OPS = ("&&", "||", ";;", ">>", ">&", "<&", ">|", "<<", "<>", "&>", ";", "&", "|", "<", ">",
        "(", ")")
_REDIRS = frozenset({">", ">>", ">|", "<", ">&", "<&", "<>", "&>"})


class Lexer:
    """Turns script text into tokens lazily, so dash-like per-line parsing is possible."""

    def __init__(self, src: str, bash: bool) -> None:
        self.s, self.i, self.line, self.bash = src, 0, 1, bash

    def next(self) -> Token:
        s = self.s
        while self.i < len(s):
            if s[self.i] in " \t":
                self.i += 1
            elif s.startswith("\\\n", self.i):
                self.i += 2
                self.line += 1
            elif s[self.i] == "#":
                while self.i < len(s) and s[self.i] != "\n":
                    self.i += 1
            else:
                break
        if self.i >= len(s):
            return Token("eof", line=self.line)
        if s[self.i] == "\n":
            self.i += 1
            self.line += 1
            return Token("nl", line=self.line - 1)
        for op in _OPS:
            if s.startswith(op, self.i) and (op != "&>" or self.bash):
                self.i += len(op)
                if op == "<<":
                    raise Unsupported("here-document", self.line)
                return Token("redir" if op in _REDIRS else "op", op, self.line)
        line = self.line
        word = self._word()
        text = word.literal()
        if text is not None and text.isdigit() and self.i < len(s) and s[self.i] in "<>":
            tok = self.next()
            tok.fd = int(text)
            return tok
        return Token("word", line=line, word=word)

    def _word(self) -> Word:
        s = self.s
        parts: list[tuple] = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                parts.append(("lit", "".join(buf)))
                buf.clear()

        while self.i < len(s) and s[self.i] not in " \t\n;&|<>()":
            c = s[self.i]
            if c == "\\":
                if s.startswith("\\\n", self.i):
                    self.i += 2
                    self.line += 1
                    continue
                flush()
                parts.append(("q", s[self.i + 1 : self.i + 2] or "\\"))
                self.i += 2
            elif c == "'":
                end = s.find("'", self.i + 1)
                if end < 0:
                    raise self._unterminated("'", self.line + s.count("\n", self.i))
                flush()
                parts.append(("q", s[self.i + 1 : end]))
                self.line += s.count("\n", self.i, end)
                self.i = end + 1
            elif c == '"':
                flush()
                self.i = self.dquote(self.i + 1, parts, '"')
            elif c == "$":
                flush()
                self.i = self._dollar(self.i, parts, quoted=False)
            elif c == "`":
                flush()
                self.i = self._backtick(self.i, parts, quoted=False)
            elif c == "~" and not parts and not buf:
                m = re.match(r"~([A-Za-z0-9_.-]*)(?=$|[/\s;&|<>()])", s[self.i :])
                if m is None:
                    buf.append(c)
                    self.i += 1
                    continue
                parts.append(("tilde", m.group(1)))
                self.i += m.end()
            else:
                buf.append(c)
                self.i += 1
        flush()
        return Word(parts)

    def _unterminated(self, quote: str, eof_line: int,
                      start: int | None = None) -> ShellSyntaxError:
        return ShellSyntaxError("Unterminated quoted string",
                                f"unexpected EOF while looking for matching `{quote}'", eof_line,
                                self.line if start is None else start)

    def dquote(self, i: int, parts: list[tuple], end: str | None) -> int:
        """Double-quoted text from i; end None means up to the end of the string."""
        s, start, first_line = self.s, len(parts), self.line
        buf: list[str] = []
        while True:
            if i >= len(s):
                if end is None:
                    break
                raise self._unterminated('"', self.line, first_line)
            c = s[i]
            if c == end:
                i += 1
                break
            if c == "\\" and i + 1 < len(s) and s[i + 1] in '$`"\\\n':
                if s[i + 1] != "\n":
                    buf.append(s[i + 1])
                i += 2
                continue
            if c in "$`":
                if buf:
                    parts.append(("q", "".join(buf)))
                    buf.clear()
                i = self._dollar(i, parts, True) if c == "$" else self._backtick(i, parts, True)
                continue
            self.line += c == "\n"
            buf.append(c)
            i += 1
        if buf or len(parts) == start:
            parts.append(("q", "".join(buf)))
        return i

    def _dollar(self, i: int, parts: list[tuple], quoted: bool) -> int:
        s, j = self.s, i + 1
        if s.startswith("((", j):
            raise Unsupported("arithmetic expansion $((...))", self.line)
        if s[j : j + 1] == "(":
            end = self._closing(j + 1)
            parts.append(("sub", s[j + 1 : end], quoted))
            return end + 1
        if s[j : j + 1] == "{":
            end = s.find("}", j)
            if end < 0:
                raise ShellSyntaxError("Missing '}'",
                                       "unexpected EOF while looking for matching `}'", self.line)
            m = re.fullmatch(r"(#?)([A-Za-z_]\w*|[0-9?#$@*!-])(?:(:?[-=+?])(.*))?", s[j + 1 : end],
                             re.DOTALL)
            if m is None:
                raise ShellSyntaxError("Bad substitution", "bad substitution", self.line)
            op = "#" if m.group(1) else (m.group(3) or "")
            parts.append(("var", m.group(2), quoted, op, m.group(4) or ""))
            return end + 1
        m = re.match(r"[A-Za-z_]\w*|[0-9?#$@*!-]", s[j:])
        if m is None:
            parts.append(("q" if quoted else "lit", "$"))
            return j
        parts.append(("var", m.group(), quoted, "", ""))
        return j + m.end()

    def _closing(self, i: int) -> int:
        """Index of the ')' closing a $( opened just before i, skipping quoted text."""
        s, depth = self.s, 1
        while i < len(s):
            c = s[i]
            if c == "\\":
                i += 2
                continue
            if c in "'\"":
                end = s.find(c, i + 1)
                i = end + 1 if end >= 0 else len(s)
                continue
            depth += (c == "(") - (c == ")")
            if depth == 0:
                return i
            i += 1
        raise ShellSyntaxError('end of file unexpected (expecting ")")',
                               "unexpected EOF while looking for matching `)'",
                               self.line + s.count("\n", i), 0)

    def _backtick(self, i: int, parts: list[tuple], quoted: bool) -> int:
        s, j = self.s, i + 1
        buf: list[str] = []
        while j < len(s) and s[j] != "`":
            if s[j] == "\\" and j + 1 < len(s) and s[j + 1] in "`$\\":
                j += 1
            buf.append(s[j])
            j += 1
        if j >= len(s):
            raise ShellSyntaxError('EOF in backquote substitution',
                                   "unexpected EOF while looking for matching ``'", self.line)
        parts.append(("sub", "".join(buf), quoted))
        return j + 1
