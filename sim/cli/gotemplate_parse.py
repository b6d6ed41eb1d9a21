"""Parse tree and parser of Go's text/template, for :mod:`sim.cli.gotemplate`.

A port of ``src/text/template/parse/{parse,node}.go`` (Go 1.24) over the item stream
of :mod:`sim.cli.gotemplate_lex`: the same three-token look-ahead parser and the same
error wording, so ``template: :1: unexpected "}" in operand`` reads exactly as Docker
prints it.  The node types and literal decoding (``strconv`` numbers, quotes and char
constants) live here with the parser that builds them; the executor only reads them.
Complex-number literals (``1+2i``) are the one omission: they are rejected as
``illegal number syntax``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, make_dataclass

from .gotemplate_lex import (
    ASSIGN,
    BOOL,
    BREAK,
    CHAR,
    CHAR_CONSTANT,
    COMPLEX,
    CONTINUE,
    DECLARE,
    DOT,
    ELSE,
    END,
    EOF,
    ERROR,
    FIELD,
    IDENTIFIER,
    IF,
    LEFT_DELIM,
    LEFT_PAREN,
    NIL,
    NUMBER,
    PIPE,
    RANGE,
    RAW_STRING,
    RIGHT_DELIM,
    RIGHT_PAREN,
    SPACE,
    STRING,
    TEMPLATE,
    TEXT,
    VARIABLE,
    WITH,
    Item,
    Lexer,
    byte_column,
    go_quote,
    is_print,
)

__all__ = ["ParseError", "Tree", "byte_column", "go_quote", "is_print", "node_string"]


class ParseError(Exception):
    """A parse failure; ``str(exc)`` is Go's full ``template: :LINE: ...`` message."""


# ----------------------------------------------------------------------------- nodes


@dataclass
class Node:
    """A parse-tree node of node.go; ``pos`` is the str index of its first token."""
    pos: int

    def __str__(self) -> str:
        return node_string(self)


def _node(name: str, *fields) -> type:
    """A node type: ``pos`` plus ``fields`` (a name, or (name, type, default))."""
    return make_dataclass(name, fields, bases=(Node,))


def _list():
    return field(default_factory=list)


# Word: ".", "nil", "true", "false", "{{break}}", "{{continue}}" and the transient
# "{{end}}" / "{{else}}" markers, which never reach the finished tree.
Word = _node("Word", "word", ("line", int, 0))
TextNode = _node("TextNode", "text")
StringNode = _node("StringNode", "quoted", "text")
NumberNode = _node("NumberNode", "text", ("is_int", bool, False), ("is_float", bool, False),
                   ("int_value", int, 0), ("float_value", float, 0.0))
IdentifierNode = _node("IdentifierNode", "ident")
FieldNode = _node("FieldNode", "ident")
VariableNode = _node("VariableNode", "ident")
CommandNode = _node("CommandNode", ("args", list, _list()))
PipeNode = _node("PipeNode", "line", ("is_assign", bool, False), ("decl", list, _list()),
                 ("cmds", list, _list()))
ChainNode = _node("ChainNode", "node", ("fields", list, _list()))
ActionNode = _node("ActionNode", "line", "pipe")
ListNode = _node("ListNode", ("nodes", list, _list()))
BranchNode = _node("BranchNode", "kind", "pipe", "list", "else_list")  # if / range / with
TemplateNode = _node("TemplateNode", "name", "pipe")


def node_string(n: Node) -> str:
    """Node.String() of node.go, which execution errors quote: ``at <index .X 5>``."""
    match n:
        case Word() | IdentifierNode() | NumberNode() | TextNode() | StringNode():
            return getattr(n, "word", None) or getattr(n, "ident", None) or \
                getattr(n, "quoted", None) or getattr(n, "text", "")
        case FieldNode():
            return "".join("." + i for i in n.ident)
        case VariableNode():
            return ".".join(n.ident)
        case CommandNode():
            return " ".join(f"({a})" if isinstance(a, PipeNode) else str(a) for a in n.args)
        case PipeNode():
            head = ", ".join(map(str, n.decl)) + " := " if n.decl else ""
            return head + " | ".join(map(str, n.cmds))
        case ChainNode():
            head = f"({n.node})" if isinstance(n.node, PipeNode) else str(n.node)
            return head + "".join("." + f for f in n.fields)
        case ActionNode():
            return "{{" + str(n.pipe) + "}}"
        case ListNode():
            return "".join(map(str, n.nodes))
        case BranchNode():
            tail = "" if n.else_list is None else "{{else}}" + str(n.else_list)
            return "{{" + f"{n.kind} {n.pipe}" + "}}" + str(n.list) + tail + "{{end}}"
        case TemplateNode():
            pipe = "" if n.pipe is None else f" {n.pipe}"
            return "{{template " + go_quote(n.name) + pipe + "}}"
    raise TypeError(n)


def _is_word(node: Node | None, *words: str) -> bool:
    return isinstance(node, Word) and node.word in words


# ----------------------------------------------------------------------------- literals


def unquote_char(s: str, quote: str) -> tuple[str, str]:
    """strconv.UnquoteChar; ValueError("invalid syntax") on bad input."""
    if not s or s[0] == quote:
        raise ValueError("invalid syntax")
    if s[0] != "\\":
        return s[0], s[1:]
    c, s = s[1:2], s[2:]
    simple = dict(zip("abfnrtv\\", "\a\b\f\n\r\t\v\\", strict=True))
    if c in simple and c:
        return simple[c], s
    if c and c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        if len(s) >= n and all(d in "0123456789abcdefABCDEF" for d in s[:n]):
            value = int(s[:n], 16)
            if c == "x" or value <= 0x10FFFF and not 0xD800 <= value < 0xE000:
                return chr(value), s[n:]
    elif c and c in "01234567":
        digits = c + s[:2]
        if len(digits) == 3 and all(d in "01234567" for d in digits) and int(digits, 8) < 256:
            return chr(int(digits, 8)), s[2:]
    elif c and c in "'\"" and c == quote:
        return c, s
    raise ValueError("invalid syntax")


def _unquote(text: str) -> str:
    """strconv.Unquote of a lexed "..." or `...` literal."""
    if text[0] == "`":
        return text[1:-1].replace("\r", "")
    body, out = text[1:-1], []
    while body:
        ch, body = unquote_char(body, '"')
        out.append(ch)
    return "".join(out)


def _parse_int(text: str) -> int | None:
    """strconv.ParseInt/ParseUint(text, 0, 64): Go literal syntax (0x, 0o, 0b, legacy 017,
    underscores between digits, which Python's ``int(s, 0)`` shares)."""
    s = text[1:] if text[:1] in ("+", "-") else text
    try:
        legacy_octal = len(s) > 1 and s[0] == "0" and s[1] not in "xXbBoO"
        value = int(s[1:], 8) if legacy_octal else int(s, 0)
    except ValueError:
        return None
    value = -value if text.startswith("-") else value
    return value if -(2**63) <= value < 2**64 else None


def _parse_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64); None on a syntax or range error."""
    try:
        hexa = text.lstrip("+-")[:2].lower() == "0x"
        value = float.fromhex(text) if hexa else float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _new_number(pos: int, text: str, typ: int) -> NumberNode:
    """node.go newNumber: record the int and float readings of the constant."""
    n = NumberNode(pos, text)
    if typ == CHAR_CONSTANT:
        ch, tail = unquote_char(text[1:], text[0])
        if tail != "'":
            raise ValueError(f"malformed character constant: {text}")
        n.is_int = n.is_float = True
        n.int_value, n.float_value = ord(ch), float(ord(ch))
        return n
    if typ != COMPLEX and not text.endswith("i"):
        if (i := _parse_int(text)) is not None:
            n.is_int, n.int_value, n.is_float, n.float_value = i < 2**63, i, True, float(i)
            return n
        if (f := _parse_float(text)) is not None:
            if not any(c in text for c in ".eEpP"):
                raise ValueError(f"integer overflow: {go_quote(text)}")
            n.is_float, n.float_value = True, f
            if f.is_integer() and -(2**63) <= f < 2**63:
                n.is_int, n.int_value = True, int(f)
            return n
    raise ValueError(f"illegal number syntax: {go_quote(text)}")


# ----------------------------------------------------------------------------- parser

_OPERAND_START = {BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING,
                  STRING, VARIABLE, LEFT_PAREN}


class Tree:
    """parse.Tree for the single anonymous template Docker parses (``{{define}}`` and
    ``{{block}}`` are not supported: Go allows them only at top level and Docker's
    formats never use them; ``{{template "x"}}`` parses and fails when executed)."""

    def __init__(self, text: str, funcs: set[str]) -> None:
        items = Lexer(text).items()
        self.lex = itertools.chain(items, itertools.repeat(Item(EOF, 0, "EOF", items[-1].line)))
        self.text, self.funcs, self.vars = text, funcs, ["$"]
        self.token = [items[0]] * 3
        self.peek_count = self.action_line = self.range_depth = 0
        self.root = ListNode(self.peek().pos)
        while self.peek().typ != EOF:
            n = self.text_or_action()
            if _is_word(n, "{{end}}", "{{else}}"):
                self.errorf(f"unexpected {n}")
            self.root.nodes.append(n)

    # token stream with Go's three-token look-ahead
    def next(self) -> Item:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = next(self.lex)
        return self.token[self.peek_count]

    def backup(self, *tokens: Item) -> None:
        """backup(), backup2(t1) and backup3(t2, t1) of parse.go."""
        for i, token in enumerate(reversed(tokens), 1):
            self.token[i] = token
        self.peek_count = len(tokens) + 1 if tokens else self.peek_count + 1

    def peek(self) -> Item:
        if self.peek_count == 0:
            self.peek_count, self.token[0] = 1, next(self.lex)
        return self.token[self.peek_count - 1]

    def next_non_space(self) -> Item:
        while (token := self.next()).typ == SPACE:
            pass
        return token

    def peek_non_space(self) -> Item:
        token = self.next_non_space()
        self.backup()
        return token

    def errorf(self, msg: str):
        raise ParseError(f"template: :{self.token[0].line}: {msg}")

    def expect(self, expected: int, context: str) -> Item:
        if (token := self.next_non_space()).typ != expected:
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Item, context: str):
        if token.typ == ERROR:
            extra = ""
            if self.action_line not in (0, token.line):
                extra = f" in action started at :{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action"):]
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    # grammar
    def item_list(self) -> tuple[ListNode, Node]:
        lst = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().typ != EOF:
            n = self.text_or_action()
            if _is_word(n, "{{end}}", "{{else}}"):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == TEXT:
            return TextNode(token.pos, token.val)
        if token.typ != LEFT_DELIM:
            self.unexpected(token, "input")
        self.action_line = token.line
        try:
            return self.action()
        finally:
            self.action_line = 0

    def action(self) -> Node:
        token = self.next_non_space()
        if token.typ in (BREAK, CONTINUE):
            word = "{{" + token.val + "}}"
            if (end := self.next_non_space()).typ != RIGHT_DELIM:
                self.unexpected(end, word)
            if self.range_depth == 0:
                self.errorf(f"{word} outside {{{{range}}}}")
            return Word(token.pos, word, token.line)
        if token.typ == ELSE:
            peek = self.peek_non_space()
            if peek.typ not in (IF, WITH):
                peek = self.expect(RIGHT_DELIM, "else")
            return Word(peek.pos, "{{else}}", peek.line)
        if token.typ == END:
            return Word(self.expect(RIGHT_DELIM, "end").pos, "{{end}}")
        if token.typ in (IF, RANGE, WITH):
            return self.branch(token.val)
        if token.typ == TEMPLATE:
            name = self.next_non_space()
            if name.typ not in (STRING, RAW_STRING):
                self.unexpected(name, "template clause")
            pipe = None
            if self.next_non_space().typ != RIGHT_DELIM:
                self.backup()
                pipe = self.pipeline("template clause", RIGHT_DELIM)
            return TemplateNode(name.pos, self.unquote(name.val), pipe)
        self.backup()
        token = self.peek()
        return ActionNode(token.pos, token.line, self.pipeline("command", RIGHT_DELIM))

    def branch(self, context: str) -> BranchNode:
        nvars = len(self.vars)
        try:
            pipe = self.pipeline(context, RIGHT_DELIM)
            self.range_depth += context == "range"
            lst, nxt = self.item_list()
            self.range_depth -= context == "range"
            else_list = None
            if _is_word(nxt, "{{else}}"):
                chained = {"if": IF, "with": WITH}.get(context)
                if chained is not None and self.peek().typ == chained:
                    self.next()
                    else_list = ListNode(nxt.pos, [self.branch(context)])
                else:
                    else_list, nxt = self.item_list()
                    if not _is_word(nxt, "{{end}}"):
                        self.errorf(f"expected end; found {nxt}")
            return BranchNode(pipe.pos, context, pipe, lst, else_list)
        finally:
            del self.vars[nvars:]

    def pipeline(self, context: str, end: int) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(token.pos, token.line)
        while (v := self.peek_non_space()).typ == VARIABLE:
            self.next()
            after, nxt = self.peek(), self.peek_non_space()
            if nxt.typ in (ASSIGN, DECLARE) or nxt.typ == CHAR and nxt.val == ",":
                pipe.is_assign = nxt.typ == ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, [v.val]))
                self.vars.append(v.val)
                if nxt.typ == CHAR:
                    if context == "range" and len(pipe.decl) < 2:
                        if self.peek_non_space().typ in (VARIABLE, RIGHT_DELIM, RIGHT_PAREN):
                            continue
                        self.errorf("range can only initialize variables")
                    self.errorf(f"too many declarations in {context}")
            elif after.typ == SPACE:
                self.backup(v, after)
            else:
                self.backup(v)
            break
        while (token := self.next_non_space()).typ != end:
            if token.typ not in _OPERAND_START:
                self.unexpected(token, context)
            self.backup()
            pipe.cmds.append(self.command())
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], Word | NumberNode | StringNode):
                self.errorf(f"non executable command in pipeline stage {i + 2}")
        return pipe

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            if (operand := self.operand()) is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ == SPACE:
                continue
            if token.typ in (RIGHT_DELIM, RIGHT_PAREN):
                self.backup()
            elif token.typ != PIPE:
                self.unexpected(token, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None or self.peek().typ != FIELD:
            return node
        chain = ChainNode(self.peek().pos, node)
        while self.peek().typ == FIELD:
            chain.fields.append(self.next().val[1:])
        if isinstance(node, FieldNode):
            return FieldNode(chain.pos, str(chain)[1:].split("."))
        if isinstance(node, VariableNode):
            return VariableNode(chain.pos, str(chain).split("."))
        if isinstance(node, Word | StringNode | NumberNode):
            self.errorf(f"unexpected . after term {go_quote(str(node))}")
        return chain

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ, pos, val = token.typ, token.pos, token.val
        if typ == IDENTIFIER:
            if val not in self.funcs:
                self.errorf(f"function {go_quote(val)} not defined")
            return IdentifierNode(pos, val)
        if typ in (DOT, NIL, BOOL):
            return Word(pos, val)
        if typ == VARIABLE:
            if val not in self.vars:
                self.errorf(f"undefined variable {go_quote(val)}")
            return VariableNode(pos, [val])
        if typ == FIELD:
            return FieldNode(pos, val[1:].split("."))
        if typ in (CHAR_CONSTANT, COMPLEX, NUMBER):
            try:
                return _new_number(pos, val, typ)
            except ValueError as exc:
                self.errorf(str(exc))
        if typ == LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", RIGHT_PAREN)
        if typ in (STRING, RAW_STRING):
            return StringNode(pos, val, self.unquote(val))
        self.backup()
        return None

    def unquote(self, text: str) -> str:
        try:
            return _unquote(text)
        except ValueError as exc:
            self.errorf(str(exc))
