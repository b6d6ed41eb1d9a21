"""Execution of a parsed Go text/template, for :mod:`sim.cli.gotemplate`.

A port of ``exec.go`` (Go 1.24): :class:`State` walks the parse tree of
:mod:`sim.cli.gotemplate_parse`, keeps the variable stack, evaluates pipelines,
fields, methods and function calls with Go's argument checks, and raises
:class:`TemplateError` with Go's ``template: :LINE:COL: executing "" at <node>: ...``
text.  The public :class:`~sim.cli.gotemplate.Template` drives it.
"""

from __future__ import annotations

from . import gotemplate_parse as gp
from .gofmt import fmt_value
from .gotemplate_funcs import BUILTINS, GoFunc, is_true, method
from .gotemplate_lex import byte_column, go_quote
from .gotemplate_values import (
    MISSING,
    NOFINAL,
    Box,
    GoStruct,
    elem_of,
    go_type,
    iface,
    sorted_keys,
    unbox,
)

__all__ = ["MISSINGKEY", "State", "TemplateError"]


class TemplateError(Exception):
    """A parse or execution error; ``str(exc)`` is Go's message."""


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


MISSINGKEY = {"default": "invalid", "invalid": "invalid", "zero": "zero", "error": "error"}


class State:
    """exec.go's state: the variable stack, the node for errors and the output."""

    def __init__(self, text: str, funcs: dict[str, GoFunc], missingkey: str) -> None:
        self.text, self.funcs, self.missingkey = text, funcs, missingkey
        self.node: gp.Node | None = None
        self.vars: list[list] = []
        self.out: list[str] = []

    def errorf(self, msg: str):
        if self.node is None:
            raise TemplateError(f"template: : {msg}")
        line, col = byte_column(self.text, self.node.pos)
        raise TemplateError(f'template: :{line}:{col}: executing "" at <{self.node}>: {msg}')

    def var(self, name: str, value=NOFINAL):
        for slot in reversed(self.vars):
            if slot[0] == name:
                if value is NOFINAL:
                    return slot[1]
                slot[1] = value
                return None
        self.errorf(f"undefined variable: {name}")

    def walk(self, dot, node: gp.Node) -> None:
        self.node = node
        if isinstance(node, gp.ActionNode):
            val = self.pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self.node = node
                if callable(val):
                    self.errorf(f"can't print {node} of type {go_type(val)}")
                self.out.append("<no value>" if val is MISSING else fmt_value(val))
        elif isinstance(node, gp.TextNode):
            self.out.append(node.text)
        elif isinstance(node, gp.ListNode):
            for child in node.nodes:
                self.walk(dot, child)
        elif isinstance(node, gp.BranchNode) and node.kind == "range":
            self.walk_range(dot, node)
        elif isinstance(node, gp.BranchNode):
            mark = len(self.vars)
            try:
                val = self.pipeline(dot, node.pipe)
                truth, ok = is_true(val)
                if not ok:
                    self.errorf(f"if/with can't use {fmt_value(val)}")
                if truth:
                    self.walk(val if node.kind == "with" else dot, node.list)
                elif node.else_list is not None:
                    self.walk(dot, node.else_list)
            finally:
                del self.vars[mark:]
        elif isinstance(node, gp.TemplateNode):
            if node.name == "":  # Lookup("") finds this very template: endless recursion
                self.errorf("exceeded maximum template depth (100000)")
            self.errorf(f"template {go_quote(node.name)} not defined")
        else:
            raise _Break if node.word == "{{break}}" else _Continue()

    def walk_range(self, dot, r: gp.BranchNode) -> None:
        mark0 = len(self.vars)
        try:
            val = unbox(self.pipeline(dot, r.pipe))
            mark, decl = len(self.vars), r.pipe.decl
            if isinstance(val, list | tuple):
                items = [(i, elem_of(val, e)) for i, e in enumerate(val)]
            elif isinstance(val, dict) and not isinstance(val, GoStruct):
                items = [(k, elem_of(val, val[k])) for k in sorted_keys(val)]
            elif isinstance(val, int) and not isinstance(val, bool):
                if len(decl) > 1:
                    self.errorf(f"can't use {val} to iterate over more than one variable")
                items = [(MISSING, i) for i in range(val)]
            elif val is MISSING:
                items = []
            else:
                self.errorf(f"range can't iterate over {fmt_value(val)}")
            for index, elem in items:
                if decl and r.pipe.is_assign:
                    self.var(decl[0].ident[0], index if len(decl) > 1 else elem)
                elif decl:
                    self.vars[-1][1] = elem
                if len(decl) > 1 and r.pipe.is_assign:
                    self.var(decl[1].ident[0], elem)
                elif len(decl) > 1:
                    self.vars[-2][1] = index
                try:
                    self.walk(elem, r.list)
                except _Continue:
                    pass
                finally:
                    del self.vars[mark:]
            if not items and r.else_list is not None:
                self.walk(dot, r.else_list)
        except _Break:
            pass
        finally:
            del self.vars[mark0:]

    def pipeline(self, dot, pipe: gp.PipeNode):
        self.node = pipe
        value = NOFINAL
        for cmd in pipe.cmds:
            value = unbox(self.command(dot, cmd, value))
        for variable in pipe.decl:
            if pipe.is_assign:
                self.var(variable.ident[0], value)
            else:
                self.vars.append([variable.ident[0], value])
        return value

    def not_a_function(self, args: list[gp.Node], final) -> None:
        if len(args) > 1 or final is not NOFINAL:
            self.errorf(f"can't give argument to non-function {args[0]}")

    def command(self, dot, cmd, final):
        first = cmd.args[0]
        if isinstance(first, gp.FieldNode | gp.ChainNode | gp.VariableNode):
            return self.field_like(dot, first, cmd.args, final)
        if isinstance(first, gp.IdentifierNode):
            return self.function(dot, first, cmd, cmd.args, final)
        if isinstance(first, gp.PipeNode):
            self.not_a_function(cmd.args, final)
            return self.pipeline(dot, first)
        self.node = first
        self.not_a_function(cmd.args, final)
        if isinstance(first, gp.NumberNode):
            return self.constant(first)
        if isinstance(first, gp.StringNode):
            return first.text
        if first.word == "nil":
            self.errorf("nil is not a command")
        return dot if first.word == "." else first.word == "true"

    def constant(self, n: gp.NumberNode):
        """idealConstant: a float if it reads as one, else an int."""
        self.node = n
        is_hex_int = n.text[:2].lower() == "0x" and "p" not in n.text.lower()
        if n.is_float and not is_hex_int and n.text[0] != "'" and \
                any(c in n.text for c in ".eEpP"):
            return n.float_value
        if not n.is_int:
            self.errorf(f"{n.text} overflows int")
        return n.int_value

    def field_like(self, dot, node, args, final):
        """evalFieldNode / evalChainNode / evalVariableNode."""
        self.node = node
        if isinstance(node, gp.FieldNode):
            receiver, ident = dot, node.ident
        elif isinstance(node, gp.ChainNode):
            if isinstance(node.node, gp.Word) and node.node.word == "nil":
                self.errorf(f"indirection through explicit nil in {node}")
            receiver, ident = self.arg(dot, None, node.node), node.fields
        else:
            receiver, ident = self.var(node.ident[0]), node.ident[1:]
            if not ident:
                self.not_a_function(args or [node], final)
                return receiver
        for name in ident[:-1]:
            receiver = self.field(dot, name, node, None, NOFINAL, receiver)
        return self.field(dot, ident[-1], node, args, final, receiver)

    def field(self, dot, name: str, node, args, final, receiver):
        if receiver is MISSING:
            if self.missingkey == "error":
                self.errorf(f"nil data; no entry for key {go_quote(name)}")
            return MISSING
        typ = go_type(receiver)
        if isinstance(receiver, Box):
            if receiver.v is None:
                self.errorf(f"nil pointer evaluating {typ}.{name}")
            receiver = receiver.v
        if isinstance(receiver, dict) and callable(receiver.get(name)):
            return self.call(dot, method(receiver[name]), False, node, name, args, final)
        has_args = args is not None and len(args) > 1 or final is not NOFINAL
        if isinstance(receiver, GoStruct) and name in receiver:
            if has_args:
                self.errorf(f"{name} has arguments but cannot be invoked as function")
            return receiver[name]
        if isinstance(receiver, dict) and not isinstance(receiver, GoStruct):
            if has_args:
                self.errorf(f"{name} is not a method but has arguments")
            if name in receiver:
                return elem_of(receiver, receiver[name])
            if self.missingkey == "error":
                self.errorf(f"map has no entry for key {go_quote(name)}")
            if self.missingkey == "zero":
                return Box(None) if iface(receiver) else ""
            return MISSING
        self.errorf(f"can't evaluate field {name} in type {typ}")

    def function(self, dot, node: gp.IdentifierNode, cmd, args, final):
        self.node = node
        fn = self.funcs.get(node.ident) or BUILTINS[node.ident]
        return self.call(dot, fn, node.ident in BUILTINS, cmd, node.ident, args, final)

    def call(self, dot, fn: GoFunc, builtin: bool, node, name: str, args, final):
        args = list(args[1:]) if args else []
        num_in = len(args) + (final is not NOFINAL)
        fixed = len(fn.params) - 1 if fn.variadic else len(args)
        if fn.variadic and num_in < fixed:
            self.errorf(f"wrong number of args for {name}: want at least {fixed} got {len(args)}")
        if not fn.variadic and num_in != len(fn.params):
            self.errorf(f"wrong number of args for {name}: want {len(fn.params)} got {num_in}")
        if builtin and name in ("and", "or"):
            v = MISSING
            for arg in args:
                v = self.arg(dot, "value", arg)
                if is_true(v)[0] == (name == "or"):
                    return v
            return self.validate(final, "value") if final is not NOFINAL else v
        argv = [self.arg(dot, fn.params[min(i, len(fn.params) - 1)], a)
                for i, a in enumerate(args)]
        if final is not NOFINAL:
            last = fn.params[num_in - 1] if num_in - 1 < fixed or not fn.variadic \
                else fn.params[-1]
            argv.append(self.validate(final, last))
        try:
            return fn.fn(*argv)
        except Exception as exc:  # safeCall: a returned error or a recovered panic
            self.node = node
            self.errorf(f"error calling {name}: {exc}")

    def arg(self, dot, typ: str | None, n: gp.Node):
        self.node = n
        if isinstance(n, gp.Word) and n.word in (".", "nil"):
            if n.word == ".":
                return self.validate(dot, typ)
            if typ not in ("any", "value", "[]string"):
                self.errorf(f"cannot assign nil to {typ}")
            return self.validate(MISSING, typ)
        if isinstance(n, gp.FieldNode | gp.VariableNode | gp.ChainNode):
            return self.validate(self.field_like(dot, n, [n] if isinstance(n, gp.FieldNode) else
                                                 None, NOFINAL), typ)
        if isinstance(n, gp.PipeNode):
            return self.validate(self.pipeline(dot, n), typ)
        if isinstance(n, gp.IdentifierNode):
            return self.validate(self.function(dot, n, n, None, NOFINAL), typ)
        literal = n.text if isinstance(n, gp.StringNode) else self.constant(n) \
            if isinstance(n, gp.NumberNode) else n.word == "true"
        self.node = n
        wanted = {"bool": (bool, "bool"), "int": (int, "integer"), "string": (str, "string")}
        if typ in wanted:
            kind = {"bool": gp.Word, "int": gp.NumberNode, "string": gp.StringNode}[typ]
            ok = isinstance(n, kind)
            if not ok or typ == "int" and not n.is_int:
                self.errorf(f"expected {wanted[typ][1]}; found {n}")
            return n.int_value if typ == "int" else literal
        if typ not in ("any", "value"):
            self.errorf(f"can't handle {n} for arg of type {typ}")
        return literal

    def validate(self, value, typ: str | None):
        """validateType: check (and unwrap) an operand for a parameter of type ``typ``."""
        if value is MISSING:
            zero = {None: MISSING, "any": None, "value": MISSING, "[]string": []}
            if typ not in zero:
                self.errorf(f"invalid value; expected {typ}")
            return zero[typ]
        if typ in (None, "value"):
            return value
        inner = value.v if isinstance(value, Box) else value
        if typ == "any":
            return inner
        ok = {"string": str, "int": int, "bool": bool, "[]string": list | tuple}[typ]
        if isinstance(inner, ok) and (typ == "bool" or not isinstance(inner, bool)) and \
                (typ != "[]string" or not iface(inner)):
            return list(inner) if typ == "[]string" else inner
        got = "interface {}" if inner is None else go_type(inner)
        self.errorf(f"wrong type for value; expected {typ}; got {got}")
