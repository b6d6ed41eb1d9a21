"""The shell's grammar: tokens to and-or lists, pipelines, simple and compound commands.

Parsing is a line at a time, as dash does, so an error on a later line does not stop
earlier lines from running."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .shell_lex import Lexer, ShellSyntaxError, Token, Unsupported, Word

_RESERVED = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}"})


@dataclass
class Redir:
    fd: int
    op: str
    target: Word


@dataclass
class Simple:
    assigns: list[tuple[str, Word]]
    words: list[Word]
    redirs: list[Redir]
    line: int


Body = list[tuple["AndOr", bool]]  # and-or lists, each maybe run in the background


@dataclass
class Compound:
    """( ), { }, if, while, until and for. parts holds the bodies: [body] for ( ) and { },
    [cond, then, cond, then, ..., else?] for if, [cond, body] for loops, [body] for for."""

    kind: str
    parts: list[Body]
    redirs: list[Redir]
    line: int
    has_else: bool = False
    name: str = ""  # for: the loop variable
    items: list[Word] | None = None  # for: the words after "in"; None means "$@"


@dataclass
class Pipeline:
    cmds: list[Simple | Compound]
    negate: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)


class Parser:
    def __init__(self, lexer: Lexer) -> None:
        self.lx = lexer
        self.tok = lexer.next()

    def advance(self) -> Token:
        tok, self.tok = self.tok, self.lx.next()
        return tok

    def unexpected(self, eof_is_newline: bool = False) -> ShellSyntaxError:
        t = self.tok
        if t.kind == "eof" and not eof_is_newline:
            return ShellSyntaxError("end of file unexpected",
                                    "syntax error: unexpected end of file", t.line, bash_line=0)
        if t.kind in ("op", "redir"):
            shown = t.value
        else:
            shown = (t.word.literal() or "") if t.kind == "word" and t.word else "newline"
        dash = "end of file unexpected" if t.kind == "eof" else (
            "newline unexpected" if t.kind == "nl" else f'"{shown}" unexpected')
        return ShellSyntaxError(dash, f"syntax error near unexpected token `{shown}'", t.line,
                                echo=True)

    def at(self, words: frozenset[str]) -> bool:
        """Is the current token one of words (an operator, or a reserved word)?"""
        t = self.tok
        if t.kind == "op":
            return t.value in words
        return t.kind == "word" and t.word is not None and t.word.literal() in words

    def expect(self, word: str) -> None:
        if self.at(frozenset({word})):
            self.advance()
            return
        if self.tok.kind == "eof":
            raise ShellSyntaxError(f'end of file unexpected (expecting "{word}")',
                                   "syntax error: unexpected end of file", self.tok.line, 0)
        err = self.unexpected()
        err.dash += f' (expecting "{word}")'
        raise err

    def skip_newlines(self) -> None:
        while self.tok.kind == "nl":
            self.advance()

    def complete_command(self) -> Body | None:
        """One line's list of commands (dash parses and runs a line at a time)."""
        self.skip_newlines()
        if self.tok.kind == "eof":
            return None
        return self.list_(frozenset())

    def list_(self, ends: frozenset[str]) -> Body:
        """Commands up to one of ends (")" or reserved words like "fi"); with no ends, up to
        the end of the line."""
        items = []
        if ends:
            self.skip_newlines()
            if self.tok.kind == "eof":
                self.expect("fi" if "fi" in ends else min(ends))
        while True:
            ao = self.and_or()
            t = self.tok
            if t.kind == "op" and t.value in (";", "&"):
                self.advance()
                items.append((ao, t.value == "&"))
            elif t.kind in ("nl", "eof") or self.at(ends):
                items.append((ao, False))
            else:
                raise self.unexpected()
            if ends:
                self.skip_newlines()
            if self.tok.kind == "eof" or (not ends and self.tok.kind == "nl") or self.at(ends):
                return items

    def and_or(self) -> AndOr:
        ao = AndOr(self.pipeline())
        while self.tok.kind == "op" and self.tok.value in ("&&", "||"):
            op = self.advance().value
            self.skip_newlines()
            ao.rest.append((op, self.pipeline()))
        return ao

    def pipeline(self) -> Pipeline:
        p = Pipeline([])
        if self.at(frozenset({"!"})):
            p.negate = True
            self.advance()
        p.cmds.append(self.command())
        while self.tok.kind == "op" and self.tok.value == "|":
            self.advance()
            self.skip_newlines()
            p.cmds.append(self.command())
        return p

    def command(self) -> Simple | Compound:
        line = self.tok.line
        word = self.tok.word if self.tok.kind == "word" else None
        lit = "(" if self.at(frozenset({"("})) else word.literal() if word else None
        if lit in ("(", "{"):
            self.advance()
            close = ")" if lit == "(" else "}"
            body = self.list_(frozenset({close}))
            self.expect(close)
            return Compound("subshell" if lit == "(" else "group", [body], self.redirects(),
                            line)
        if lit == "if":
            return self.if_(line)
        if lit in ("while", "until"):
            self.advance()
            cond = self.list_(frozenset({"do"}))
            self.expect("do")
            body = self.list_(frozenset({"done"}))
            self.expect("done")
            return Compound(lit, [cond, body], self.redirects(), line)
        if lit == "for":
            return self.for_(line)
        if lit in ("case", "function", "select"):
            raise Unsupported(f"'{lit}' commands", line)
        if lit in _RESERVED:
            raise self.unexpected()
        return self.simple(line)

    def if_(self, line: int) -> Compound:
        parts: list[Body] = []
        self.advance()
        while True:
            parts.append(self.list_(frozenset({"then"})))
            self.expect("then")
            parts.append(self.list_(frozenset({"elif", "else", "fi"})))
            if not self.at(frozenset({"elif"})):
                break
            self.advance()
        has_else = self.at(frozenset({"else"}))
        if has_else:
            self.advance()
            parts.append(self.list_(frozenset({"fi"})))
        self.expect("fi")
        return Compound("if", parts, self.redirects(), line, has_else=has_else)

    def for_(self, line: int) -> Compound:
        self.advance()
        name = self.tok.word.literal() if self.tok.kind == "word" and self.tok.word else None
        if name is None and self.lx.bash:
            raise self.unexpected()
        if name is None or not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise ShellSyntaxError("Bad for loop variable",
                                   f"`{name or ''}': not a valid identifier", self.tok.line)
        self.advance()
        items: list[Word] | None = None
        self.skip_newlines()
        if self.at(frozenset({"in"})):
            self.advance()
            items = []
            while self.tok.kind == "word" and self.tok.word is not None:
                items.append(self.tok.word)
                self.advance()
        if self.tok.kind == "op" and self.tok.value == ";":
            self.advance()
        self.skip_newlines()
        self.expect("do")
        body = self.list_(frozenset({"done"}))
        self.expect("done")
        return Compound("for", [body], self.redirects(), line, name=name, items=items)

    def simple(self, line: int) -> Simple:
        cmd = Simple([], [], [], line)
        while True:
            if self.tok.kind == "word":
                word = self.tok.word
                assert word is not None
                first = word.parts[0] if word.parts else ("q", "")
                m = re.match(r"[A-Za-z_]\w*=", first[1]) if first[0] == "lit" else None
                if not cmd.words and m:
                    rest = first[1][m.end() :]
                    value = Word(([("lit", rest)] if rest else []) + word.parts[1:])
                    cmd.assigns.append((m.group()[:-1], value))
                else:
                    cmd.words.append(word)
                self.advance()
            elif self.tok.kind == "redir":
                cmd.redirs.append(self.redirect())
            else:
                break
        if not (cmd.words or cmd.assigns or cmd.redirs):
            raise self.unexpected()
        return cmd

    def redirect(self) -> Redir:
        tok = self.advance()
        if self.tok.kind != "word" or self.tok.word is None:
            raise self.unexpected(eof_is_newline=True)
        target = self.advance().word
        assert target is not None
        fd = tok.fd if tok.fd is not None else (0 if tok.value[0] == "<" else 1)
        text = target.literal()
        if tok.value in (">&", "<&") and not self.lx.bash and text is not None and not (
                text.isdigit() or text == "-"):
            raise ShellSyntaxError("Bad fd number", "", tok.line)
        return Redir(fd, tok.value, target)

    def redirects(self) -> list[Redir]:
        out = []
        while self.tok.kind == "redir":
            out.append(self.redirect())
        return out
