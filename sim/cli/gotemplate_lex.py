"""Lexer of Go's text/template, for :mod:`sim.cli.gotemplate_parse`.

A port of ``src/text/template/parse/lex.go`` (Go 1.24): the same item stream (trim
markers ``{{- `` / `` -}}``, comments, raw strings, char constants, ``:=`` / ``=``) and
the same error items, so the parser can reproduce Go's messages word for word.  It
lives apart from the parser because it is a self-contained state machine; it also
holds the small ``strconv`` / ``unicode`` helpers (:func:`go_quote`, :func:`is_print`,
:func:`byte_column`) that the parser, the executor and :mod:`sim.cli.gofmt` share.
Positions are ``str`` indices; :func:`byte_column` converts them to Go's byte offsets.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["Item", "Lexer", "byte_column", "go_quote", "is_print"]


# Item types in Go's order; everything after KEYWORD prints as ``<val>``.
(ERROR, BOOL, CHAR, CHAR_CONSTANT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER, LEFT_DELIM,
 LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE,
 KEYWORD, BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE,
 WITH) = range(34)
_KEYS = {".": DOT, "block": BLOCK, "break": BREAK, "continue": CONTINUE, "define": DEFINE,
         "else": ELSE, "end": END, "if": IF, "range": RANGE, "nil": NIL, "template": TEMPLATE,
         "with": WITH}
_SPACES = " \t\r\n"


def is_print(ch: str) -> bool:
    """unicode.IsPrint: graphic runes plus the ASCII space."""
    return ch == " " or (ch.isprintable() and not ch.isspace())


def go_quote(s: str) -> str:
    """strconv.Quote."""
    out = ['"']
    for ch in s:
        cp = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0xD800 <= cp < 0xE000:
            out.append("\\ufffd")
        elif is_print(ch):
            out.append(ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append("\\" + "abfnrtv"["\a\b\f\n\r\t\v".index(ch)])
        elif cp < 0x20 or cp == 0x7F:
            out.append(f"\\x{cp:02x}")
        else:
            out.append(f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}")
    return "".join(out) + '"'


def _sharp_u(ch: str) -> str:
    """fmt %#U."""
    return f"U+{ord(ch):04X}" + (f" '{ch}'" if is_print(ch) else "")


def byte_column(text: str, pos: int) -> tuple[int, int]:
    """(line, byte offset in line) of ``pos``, as parse.Tree.ErrorContext reports them."""
    before = text[:pos]
    tail = before[before.rfind("\n") + 1:]
    return 1 + before.count("\n"), len(tail.encode("utf-8", "surrogatepass"))


@dataclass
class Item:
    typ: int
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        if self.typ in (EOF, ERROR):
            return "EOF" if self.typ == EOF else self.val
        if self.typ > KEYWORD:
            return f"<{self.val}>"
        return go_quote(self.val[:10]) + "..." if len(self.val) > 10 else go_quote(self.val)


def _space(ch: str | None) -> bool:
    return ch is not None and ch in _SPACES


def _alnum(ch: str | None) -> bool:
    return ch is not None and (ch == "_" or ch.isalpha() or unicodedata.category(ch) == "Nd")


def _trim_marker(s: str, left: bool) -> bool:
    """hasLeftTrimMarker ("- ") / hasRightTrimMarker (" -")."""
    return len(s) >= 2 and (s[0] == "-" and _space(s[1]) if left else _space(s[0]) and s[1] == "-")


class Lexer:
    """lex.go: a state machine whose states return the next state or None (item ready)."""

    def __init__(self, text: str) -> None:
        self.input, self.pos, self.start, self.at_eof = text, 0, 0, False
        self.paren_depth, self.line, self.start_line, self.inside = 0, 1, 1, False
        self.item = Item(EOF, 0, "EOF", 1)

    def items(self) -> list[Item]:
        out: list[Item] = []
        while not out or out[-1].typ not in (EOF, ERROR):
            self.item = Item(EOF, self.pos, "EOF", self.start_line)
            state = self.inside_action if self.inside else self.text
            while state is not None:
                state = state()
            out.append(self.item)
        return out

    def next(self) -> str | None:
        if self.pos >= len(self.input):
            self.at_eof = True
            return None
        self.pos += 1
        self.line += self.input[self.pos - 1] == "\n"
        return self.input[self.pos - 1]

    def peek(self) -> str | None:
        ch = self.next()
        self.backup()
        return ch

    def backup(self) -> None:
        if not self.at_eof and self.pos > 0:
            self.pos -= 1
            self.line -= self.input[self.pos] == "\n"

    def this_item(self, typ: int) -> Item:
        item = Item(typ, self.start, self.input[self.start:self.pos], self.start_line)
        self.start, self.start_line = self.pos, self.line
        return item

    def emit(self, typ: int) -> None:
        self.item = self.this_item(typ)

    def ignore(self) -> None:
        self.line += self.input.count("\n", self.start, self.pos)
        self.start, self.start_line = self.pos, self.line

    def accept(self, valid: str) -> bool:
        if (ch := self.next()) is not None and ch in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid: str) -> None:
        while (ch := self.next()) is not None and ch in valid:
            pass
        self.backup()

    def errorf(self, msg: str) -> None:
        self.item = Item(ERROR, self.start, msg, self.start_line)
        self.input, self.start, self.pos = "", 0, 0

    def at_right_delim(self) -> tuple[bool, bool]:
        rest = self.input[self.pos:]
        if _trim_marker(rest, False) and rest[2:4] == "}}":
            return True, True
        return rest.startswith("}}"), False

    def skip_leading_space(self) -> None:
        rest = self.input[self.pos:]
        self.pos += len(rest) - len(rest.lstrip(_SPACES))
        self.ignore()

    def text(self):
        x = self.input.find("{{", self.pos)
        if x < 0:
            self.pos = len(self.input)
            self.line += self.input.count("\n", self.start, self.pos)
            return self.emit(TEXT if self.pos > self.start else EOF)
        if x > self.pos:
            self.pos, trim = x, 0
            if _trim_marker(self.input[x + 2:], True):
                chunk = self.input[self.start:x]
                trim = len(chunk) - len(chunk.rstrip(_SPACES))
            self.pos -= trim
            self.line += self.input.count("\n", self.start, self.pos)
            item = self.this_item(TEXT)
            self.pos += trim
            self.ignore()
            if item.val:
                self.item = item
                return None
        return self.left_delim

    def left_delim(self):
        self.pos += 2
        marker = 2 if _trim_marker(self.input[self.pos:], True) else 0
        if self.input.startswith("/*", self.pos + marker):
            self.pos += marker
            self.ignore()
            return self.comment
        item = self.this_item(LEFT_DELIM)
        self.inside, self.pos, self.paren_depth = True, self.pos + marker, 0
        self.ignore()
        self.item = item

    def comment(self):
        x = self.input.find("*/", self.pos + 2)
        if x < 0:
            return self.errorf("unclosed comment")
        self.pos = x + 2
        delim, trim = self.at_right_delim()
        if not delim:
            return self.errorf("comment ends before closing delimiter")
        self.line += self.input.count("\n", self.start, self.pos)
        self.this_item(TEXT)  # the comment itself is dropped (no ParseComments mode)
        self.pos += 4 if trim else 2
        if trim:
            self.skip_leading_space()
        self.ignore()
        return self.text

    def right_delim(self):
        trim = self.at_right_delim()[1]
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += 2
        item = self.this_item(RIGHT_DELIM)
        if trim:
            self.skip_leading_space()
        self.inside, self.item = False, item

    def inside_action(self):
        if self.at_right_delim()[0]:
            if self.paren_depth == 0:
                return self.right_delim
            return self.errorf("unclosed left paren")
        ch = self.next()
        if ch is None:
            return self.errorf("unclosed action")
        if _space(ch):
            self.backup()
            return self.space
        if ch in "=|":
            return self.emit(ASSIGN if ch == "=" else PIPE)
        if ch == ":":
            return self.emit(DECLARE) if self.next() == "=" else self.errorf("expected :=")
        if ch in "\"'`":
            return self.quoted(ch)
        if ch == "$":
            return self.emit(VARIABLE) if self.at_terminator() else self.field_or_var(VARIABLE)
        if ch == "." and self.pos < len(self.input) and not "0" <= self.input[self.pos] <= "9":
            return self.field_or_var(FIELD)
        if ch in "+-." or "0" <= ch <= "9":
            self.backup()
            return self.number()
        if _alnum(ch):
            return self.identifier()
        if ch in "()":
            self.paren_depth += 1 if ch == "(" else -1
            if self.paren_depth < 0:
                return self.errorf("unexpected right paren")
            return self.emit(LEFT_PAREN if ch == "(" else RIGHT_PAREN)
        if ord(ch) <= 0x7F and is_print(ch):
            return self.emit(CHAR)
        return self.errorf(f"unrecognized character in action: {_sharp_u(ch)}")

    def space(self):
        spaces = 0
        while _space(self.peek()):
            self.next()
            spaces += 1
        rest = self.input[self.pos - 1:]
        if _trim_marker(rest, False) and rest[2:4] == "}}":
            self.backup()
            if spaces == 1:
                return self.right_delim
        return self.emit(SPACE)

    def at_terminator(self) -> bool:
        ch = self.peek()
        return ch is None or _space(ch) or ch in ".,|:)(" or self.input.startswith("}}", self.pos)

    def identifier(self):
        while _alnum(ch := self.next()):
            pass
        self.backup()
        word = self.input[self.start:self.pos]
        if not self.at_terminator():
            return self.errorf(f"bad character {_sharp_u(ch or '')}")
        if word in _KEYS:
            return self.emit(_KEYS[word])
        return self.emit(BOOL if word in ("true", "false") else IDENTIFIER)

    def field_or_var(self, typ: int):
        if self.at_terminator():
            return self.emit(VARIABLE if typ == VARIABLE else DOT)
        while _alnum(ch := self.next()):
            pass
        self.backup()
        if not self.at_terminator():
            return self.errorf(f"bad character {_sharp_u(ch or '')}")
        return self.emit(typ)

    def quoted(self, quote: str):
        what = {'"': "quoted string", "'": "character constant", "`": "raw quoted string"}
        while (ch := self.next()) != quote:
            if ch == "\\" and quote != "`":
                ch = self.next()
                if ch is not None and ch != "\n":
                    continue
            if ch is None or ch == "\n" and quote != "`":
                return self.errorf(f"unterminated {what[quote]}")
        return self.emit({'"': STRING, "'": CHAR_CONSTANT, "`": RAW_STRING}[quote])

    def number(self):
        if not self.scan_number():
            return self.errorf(f"bad number syntax: {go_quote(self.input[self.start:self.pos])}")
        if self.peek() in ("+", "-"):
            if not self.scan_number() or self.input[self.pos - 1] != "i":
                return self.errorf(
                    f"bad number syntax: {go_quote(self.input[self.start:self.pos])}")
            return self.emit(COMPLEX)
        return self.emit(NUMBER)

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            for prefix, run in (("xX", "0123456789abcdefABCDEF_"), ("oO", "01234567_"),
                                ("bB", "01_")):
                if self.accept(prefix):
                    digits = run
                    break
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE") or len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if _alnum(self.peek()):
            self.next()
            return False
        return True
