"""Go text/template, as ``docker --format`` evaluates it, over Python data.

A port of Go 1.24's ``text/template`` (exec.go, funcs.go) with docker/cli's function
map (``templates/templates.go``: json, split, join, title, lower, upper, pad,
truncate) and Go's fmt printing.  ``render(template, data)`` / ``parse(template)``
raise :class:`TemplateError` whose text is Go's, e.g.
``template: :1:2: executing "" at <index .X 5>: error calling index: index out of range: 5``.

Data model.  Dicts are Go maps and lists Go slices.  A dict whose values are all
strings is a ``map[string]string`` (a list of strings a ``[]string``); any other dict
or list holds ``interface {}`` elements.  The difference is Go's: ``index .Labels "x"``
on a missing key yields ``""`` for ``map[string]string`` (as for Docker's
``Config.Labels``) but no value for ``map[string]interface {}``, and ``join`` needs a
``[]string``.  ``None`` is a nil interface: printed directly it shows ``<no value>``,
inside a composite ``<nil>``, in JSON ``null``.  A callable dict value is a method
(``{{.Label "com.x"}}``), invisible to printing, ``len`` and JSON.

Missing keys.  Docker parses with the default ``missingkey`` option, so a missing map
key prints ``<no value>`` (Go's map behaviour; Docker's typed structs would fail with
``can't evaluate field``, which :class:`GoStruct` reproduces for formatter rows).
``docker inspect`` retries a failing template on the raw JSON with
``missingkey=error`` (cli/command/inspect/inspector.go), so pass
``missingkey="error"`` for its ``map has no entry for key "Nope"`` error.

Not provided (never seen in Docker formats): ``{{define}}``/``{{block}}`` (so
``{{template "x"}}`` fails as undefined), the builtins ``call``, ``html``, ``js`` and
``urlquery``, complex numbers, and printf's ``*`` widths and ``[n]`` argument indexes.
"""

from __future__ import annotations

import inspect
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from . import gotemplate_parse as gp
from .gotemplate_parse import byte_column, go_quote, is_print
from .units import go_format_float

__all__ = ["HEADER_FUNCS", "GoFunc", "GoMap", "GoStruct", "Template", "TemplateError",
           "go_json", "go_sprint", "parse", "render"]


class TemplateError(Exception):
    """A parse or execution error; ``str(exc)`` is Go's message."""


class GoMap(dict):
    """A dict carrying an explicit Go type name for error messages
    (e.g. ``formatter.SubHeaderContext``); otherwise an ordinary map."""

    def __init__(self, data=(), go_type: str = "map[string]interface {}") -> None:
        super().__init__(data)
        self.go_type = go_type


class GoStruct(GoMap):
    """Struct semantics: reading a missing field is Go's ``can't evaluate field``."""


class _Missing:
    def __repr__(self) -> str:
        return "<no value>"


MISSING = _Missing()  # reflect's invalid Value: a missing map key, an untyped nil
_NOFINAL = _Missing()  # exec.go missingVal: no piped-in final argument


class _Box:
    """A value read through an ``interface {}`` (element of a map/slice of interface)."""
    __slots__ = ("v",)

    def __init__(self, v) -> None:
        self.v = v


def _unbox(v):
    """indirectInterface: the concrete value, MISSING for a nil interface."""
    v = v.v if isinstance(v, _Box) else v
    return MISSING if v is None else v


def _fields(m: dict) -> dict:
    return {k: v for k, v in m.items() if not callable(v)}


def _iface(c) -> bool:
    """Whether the elements of dict/list ``c`` are ``interface {}`` rather than string."""
    if isinstance(c, GoStruct):
        return False
    vals = _fields(c).values() if isinstance(c, dict) else c
    return not all(isinstance(x, str) for x in vals)


def _elem(c, v):
    return _Box(v) if _iface(c) else v


def go_type(v) -> str:
    """reflect.Type.String() of the Go value ``v`` stands for."""
    if isinstance(v, _Box):
        return "interface {}"
    if isinstance(v, GoMap):
        return v.go_type
    for py, name in ((bool, "bool"), (int, "int"), (float, "float64"), (str, "string")):
        if isinstance(v, py):
            return name
    if isinstance(v, list | tuple):
        return "[]interface {}" if _iface(v) else "[]string"
    if isinstance(v, dict):
        return "map[string]interface {}" if _iface(v) else "map[string]string"
    return "func" if callable(v) else type(v).__name__


def _sorted_keys(m: dict) -> list:
    return sorted(_fields(m), key=lambda k: (isinstance(k, str), k))


# ----------------------------------------------------------------------------- fmt


@dataclass
class _Flags:
    minus: bool = False
    plus: bool = False
    sharp: bool = False
    space: bool = False
    zero: bool = False
    width: int | None = None
    prec: int | None = None


def _pad(s: str, f: _Flags, zeros: bool = False) -> str:
    if f.width is None or len(s) >= f.width:
        return s
    if zeros and f.zero and not f.minus:
        sign = s[0] if s[:1] in ("+", "-", " ") else ""
        return sign + s[len(sign):].rjust(f.width - len(sign), "0")
    return s.ljust(f.width) if f.minus else s.rjust(f.width)


def _fmt_int(v: int, verb: str, f: _Flags) -> str | None:
    if verb == "c":
        return _pad(chr(v), f)
    if verb == "q":
        return _pad("'" + go_quote(chr(v))[1:-1].replace("\\\"", '"').replace("'", "\\'") + "'", f)
    base = {"d": "d", "v": "d", "b": "b", "o": "o", "O": "o", "x": "x", "X": "X"}.get(verb)
    if base is None:
        return None
    digits = format(abs(v), base)
    if f.prec is not None:
        digits = "" if f.prec == 0 and v == 0 else digits.rjust(f.prec, "0")
    prefix = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(verb, "") if f.sharp else ""
    prefix = "0o" if verb == "O" else prefix
    sign = "-" if v < 0 else "+" if f.plus else " " if f.space else ""
    return _pad(sign + prefix + digits, f, zeros=f.prec is None)


def _fmt_float(v: float, verb: str, f: _Flags) -> str | None:
    if verb in "vgGeEfF":
        prec = f.prec if f.prec is not None else (6 if verb in "eEfF" else -1)
        text = go_format_float(v, "g" if verb == "v" else verb.lower(), prec)
        text = text.upper() if verb in "GEF" else text
    else:
        return None
    if f.plus and text[0] not in "+-N":
        text = "+" + text
    elif f.space and text[0] not in "+-N":
        text = " " + text
    return _pad(text, f, zeros=math.isfinite(v))


def _fmt_str(s: str, verb: str, f: _Flags) -> str | None:
    if f.prec is not None and verb in "svq":
        s = s[:f.prec]
    if verb in "sv":
        return _pad(s, f)
    if verb == "q":
        if f.sharp and "`" not in s and all(is_print(c) or c == "\t" for c in s):
            return _pad("`" + s + "`", f)
        return _pad(go_quote(s), f)
    if verb in "xX":
        text = s.encode("utf-8", "surrogatepass")[:f.prec].hex()
        return _pad(text.upper() if verb == "X" else text, f)
    return None


def _fmt(v, verb: str = "v", f: _Flags | None = None, top: bool = True) -> str:
    """Go's fmt of one operand: %v and friends, recursing into slices and maps."""
    f = f or _Flags()
    v = v.v if isinstance(v, _Box) else v
    if v is None or v is MISSING:
        return _pad("<nil>", f) if verb in "vT" or not top else f"%!{verb}(<nil>)"
    if verb == "T":
        return _pad(go_type(v), f)
    if isinstance(v, bool):
        out = _pad("true" if v else "false", f) if verb in "tv" else None
    elif isinstance(v, int):
        out = _fmt_int(v, verb, f)
    elif isinstance(v, float):
        out = _fmt_float(v, verb, f)
    elif isinstance(v, str):
        out = _fmt_str(v, verb, f)
    elif isinstance(v, list | tuple):
        return "[" + " ".join(_fmt(e, verb, f, False) for e in v) + "]"
    elif isinstance(v, dict):
        items = (f"{_fmt(k, verb, f, False)}:{_fmt(v[k], verb, f, False)}"
                 for k in _sorted_keys(v))
        return "map[" + " ".join(items) + "]"
    else:
        out = _pad(str(v), f)
    return out if out is not None else f"%!{verb}({go_type(v)}={_fmt(v)})"


def _sprintf(fmt: str, args: list) -> str:
    """fmt.Sprintf with flags, width and precision (no ``*`` or ``[n]`` operands)."""
    out, i, argn, n = [], 0, 0, len(fmt)
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        i, f = j + 1, _Flags()
        while i < n and fmt[i] in "+-# 0":
            attr = {"+": "plus", "-": "minus", "#": "sharp", " ": "space", "0": "zero"}[fmt[i]]
            setattr(f, attr, True)
            i += 1
        for attr in ("width", "prec"):
            if attr == "prec":
                if i >= n or fmt[i] != ".":
                    break
                i, f.prec = i + 1, 0
            start = i
            while i < n and fmt[i].isdigit():
                i += 1
            if i > start:
                setattr(f, attr, int(fmt[start:i]))
        if i >= n:
            out.append("%!(NOVERB)")
            break
        verb, i = fmt[i], i + 1
        if verb == "%":
            out.append("%")
        elif argn >= len(args):
            out.append(f"%!{verb}(MISSING)")
        else:
            out.append(_fmt(args[argn], verb, f))
            argn += 1
    if argn < len(args):
        extra = ("<nil>" if _unbox(a) is MISSING else f"{go_type(_unbox(a))}={_fmt(a)}"
                 for a in args[argn:])
        out.append("%!(EXTRA " + ", ".join(extra) + ")")
    return "".join(out)


def go_sprint(*args) -> str:
    """fmt.Sprint: operands joined, with a space between two non-strings."""
    out, prev = [], True
    for a in args:
        is_str = isinstance(_unbox(a), str)
        if out and not is_str and not prev:
            out.append(" ")
        out.append(_fmt(a))
        prev = is_str
    return "".join(out)


# ----------------------------------------------------------------------------- json


class _Unsupported(Exception):
    pass


def _json_str(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch < " ":
            short = {"\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t"}.get(ch)
            out.append("\\" + short if short else f"\\u{ord(ch):04x}")
        elif ch in "\u2028\u2029" or "\ud800" <= ch <= "\udfff":
            out.append("\\u2028" if ch == "\u2028" else "\\u2029" if ch == "\u2029" else
                       "\\ufffd")
        else:
            out.append(ch)
    return "".join(out) + '"'


def _json(v) -> str:
    v = v.v if isinstance(v, _Box) else v
    if v is None or v is MISSING:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise _Unsupported
        if v != 0 and not 1e-6 <= abs(v) < 1e21:
            text = go_format_float(v, "e")
            return text[:-2] + text[-1] if text[-4:-1] in ("e-0",) else text
        return go_format_float(v, "f")
    if isinstance(v, str):
        return _json_str(v)
    if isinstance(v, list | tuple):
        return "[" + ",".join(map(_json, v)) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(f"{_json_str(str(k))}:{_json(v[k])}" for k in
                              sorted(_fields(v), key=str)) + "}"
    raise _Unsupported


def go_json(v) -> str:
    """docker/cli's ``json`` template func: encoding/json with SetEscapeHTML(false),
    compact, trailing newline trimmed; an unencodable value (NaN) gives ``""``."""
    try:
        return _json(v)
    except _Unsupported:
        return ""


# ----------------------------------------------------------------------------- functions


class _CallError(Exception):
    """The error a Go template function returns (or the panic it raises)."""


@dataclass
class GoFunc:
    """A template function: ``params`` are Go types ("string", "int", "bool",
    "[]string", "any" = interface{}, "value" = reflect.Value); with ``variadic`` the
    last one is the element type of the ``...`` parameter."""
    fn: Callable
    params: tuple[str, ...]
    variadic: bool = False


BUILTINS: dict[str, GoFunc] = {}
DOCKER_FUNCS: dict[str, GoFunc] = {}
HEADER_FUNCS: dict[str, GoFunc] = {}


def _go(table: dict, name: str, *params: str, variadic: bool = False):
    def register(fn: Callable) -> Callable:
        table[name] = GoFunc(fn, params, variadic)
        return fn
    return register


def _kind(v) -> str | None:
    """basicKind of funcs.go; None for non-comparable-by-value kinds."""
    for py, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "string")):
        if isinstance(v, py):
            return name
    return None


def _is_true(v) -> tuple[bool, bool]:
    v = _unbox(v)
    if v is MISSING:
        return False, True
    if isinstance(v, GoStruct) or callable(v):
        return True, True
    if isinstance(v, bool | int | float):
        return v != 0, True
    if isinstance(v, str | list | tuple | dict):
        return len(_fields(v) if isinstance(v, dict) else v) > 0, True
    return False, False


@_go(BUILTINS, "not", "value")
def _not(v) -> bool:
    return not _is_true(v)[0]


@_go(BUILTINS, "and", "value", "value", variadic=True)
@_go(BUILTINS, "or", "value", "value", variadic=True)
def _and_or(*args):  # pragma: no cover - short-circuited by the executor, as in Go
    raise AssertionError("unreachable")


@_go(BUILTINS, "len", "value")
def _len(item) -> int:
    if isinstance(item, _Box) and item.v is None:
        raise _CallError("len of nil pointer")
    item = _unbox(item)
    if item is MISSING:
        raise _CallError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return len(item.encode("utf-8", "surrogatepass"))
    if isinstance(item, list | tuple) or isinstance(item, dict) and not isinstance(item, GoStruct):
        return len(_fields(item) if isinstance(item, dict) else item)
    raise _CallError(f"len of type {go_type(item)}")


def _index_arg(index, cap: int) -> int:
    index = _unbox(index)
    if index is MISSING:
        raise _CallError("cannot index slice/array with nil")
    if not isinstance(index, int) or isinstance(index, bool):
        raise _CallError(f"cannot index slice/array with type {go_type(index)}")
    if index < 0 or index > cap:
        raise _CallError(f"index out of range: {index}")
    return index


@_go(BUILTINS, "index", "value", "value", variadic=True)
def _index(item, *indexes):
    if _unbox(item) is MISSING:
        raise _CallError("index of untyped nil")
    for index in indexes:
        if isinstance(item, _Box) and item.v is None:
            raise _CallError("index of nil pointer")
        item = _unbox(item)
        if isinstance(item, str | list | tuple):
            data = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else item
            x = _index_arg(index, len(data))
            if x == len(data):
                kind = "string" if isinstance(item, str) else "slice"
                raise _CallError(f"reflect: {kind} index out of range")
            item = data[x] if isinstance(item, str) else _elem(item, data[x])
        elif isinstance(item, dict) and not isinstance(item, GoStruct):
            key = _unbox(index)
            if key is MISSING:
                raise _CallError("value is nil; should be of type string")
            if not isinstance(key, str):
                raise _CallError(f"value has type {go_type(key)}; should be string")
            item = _elem(item, item[key]) if key in _fields(item) else \
                (_Box(None) if _iface(item) else "")
        else:
            raise _CallError(f"can't index item of type {go_type(item)}")
    return item


@_go(BUILTINS, "slice", "value", "value", variadic=True)
def _slice(item, *indexes):
    item = _unbox(item)
    if item is MISSING:
        raise _CallError("slice of untyped nil")
    if len(indexes) > 3:
        raise _CallError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str) and len(indexes) == 3:
        raise _CallError("cannot 3-index slice a string")
    if not isinstance(item, str | list | tuple):
        raise _CallError(f"can't slice item of type {go_type(item)}")
    data = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else list(item)
    idx = [0, len(data), len(data)]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(index, len(data))
    for a, b in ((0, 1), (1, 2)):
        if idx[a] > idx[b] and (b == 1 or len(indexes) == 3):
            raise _CallError(f"invalid slice index: {idx[a]} > {idx[b]}")
    part = data[idx[0]:idx[1]]
    return part.decode("utf-8", "replace") if isinstance(item, str) else part


def _reflect_kind(v) -> str:
    if isinstance(v, GoStruct):
        return "ptr"
    if isinstance(v, dict | list | tuple):
        return "map" if isinstance(v, dict) else "slice"
    return "func" if callable(v) else type(v).__name__


def _eq(arg1, *arg2) -> bool:
    """funcs.go eq: arg1 == arg2 || arg1 == arg3 ...; basic kinds must match."""
    a = _unbox(arg1)
    if not arg2:
        raise _CallError("missing argument for comparison")
    for b in map(_unbox, arg2):
        k1, k2 = _kind(a), _kind(b)
        if k1 != k2:
            if a is not MISSING and b is not MISSING:
                raise _CallError(
                    f"incompatible types for comparison: {go_type(a)} and {go_type(b)}")
        elif k1 is not None:
            if a == b:
                return True
        elif MISSING in (a, b):  # isNil(arg) == isNil(arg1)
            if a is b:
                return True
        elif _reflect_kind(a) != _reflect_kind(b):
            raise _CallError(f"non-comparable types {_fmt(a, 's')}: {go_type(a)}, "
                             f"{go_type(b)}: {_fmt(b)}")
        elif _reflect_kind(b) in ("map", "slice", "func"):
            raise _CallError(f"non-comparable type {_fmt(b, 's')}: {go_type(b)}")
        elif a is b:
            return True
    return False


def _lt(a, b) -> bool:
    a, b = _unbox(a), _unbox(b)
    k1, k2 = _kind(a), _kind(b)
    if k1 is None or k2 is None:
        raise _CallError("invalid type for comparison")
    if k1 != k2:
        raise _CallError(f"incompatible types for comparison: {go_type(a)} and {go_type(b)}")
    if k1 == "bool":
        raise _CallError("invalid type for comparison")
    return a < b


_go(BUILTINS, "eq", "value", "value", variadic=True)(_eq)
_go(BUILTINS, "ne", "value", "value")(lambda a, b: not _eq(a, b))
_go(BUILTINS, "lt", "value", "value")(_lt)
_go(BUILTINS, "le", "value", "value")(lambda a, b: _lt(a, b) or _eq(a, b))
_go(BUILTINS, "gt", "value", "value")(lambda a, b: not (_lt(a, b) or _eq(a, b)))
_go(BUILTINS, "ge", "value", "value")(lambda a, b: not _lt(a, b))
_go(BUILTINS, "print", "any", variadic=True)(go_sprint)
_go(BUILTINS, "println", "any", variadic=True)(lambda *a: " ".join(map(_fmt, a)) + "\n")
_go(BUILTINS, "printf", "string", "any", variadic=True)(lambda f, *a: _sprintf(f, list(a)))
def _go_case(s: str, conv: Callable[[str], str]) -> str:
    """strings.Map of a one-rune case mapping (Go keeps runes with no single-rune form)."""
    return "".join(c2 if len(c2 := conv(c)) == 1 else c for c in s)


def _title(s: str) -> str:
    """strings.Title: title-case each rune that follows a separator (isSeparator)."""
    out, prev = [], " "
    for c in s:
        if ord(prev) < 0x80:
            sep = not (prev.isalnum() or prev == "_")
        else:
            sep = not (prev.isalpha() or unicodedata.category(prev) == "Nd") and prev.isspace()
        out.append(_go_case(c, str.title) if sep else c)
        prev = c
    return "".join(out)


def _pad_with_space(source: str, prefix: int, suffix: int) -> str:
    if source == "":
        return source
    if prefix < 0 or suffix < 0:
        raise _CallError("strings: negative Repeat count")
    return " " * prefix + source + " " * suffix


def _truncate(source: str, length: int) -> str:
    data = source.encode("utf-8", "surrogatepass")
    if len(data) < length:
        return source
    if length < 0:
        raise _CallError(f"runtime error: slice bounds out of range [:{length}]")
    return data[:length].decode("utf-8", "replace")


_go(DOCKER_FUNCS, "json", "any")(go_json)
_go(DOCKER_FUNCS, "split", "string", "string")(lambda s, sep: s.split(sep) if sep else list(s))
_go(DOCKER_FUNCS, "join", "[]string", "string")(lambda elems, sep: sep.join(elems))
_go(DOCKER_FUNCS, "title", "string")(_title)
_go(DOCKER_FUNCS, "lower", "string")(lambda s: _go_case(s, str.lower))
_go(DOCKER_FUNCS, "upper", "string")(lambda s: _go_case(s, str.upper))
_go(DOCKER_FUNCS, "pad", "string", "int", "int")(_pad_with_space)
_go(DOCKER_FUNCS, "truncate", "string", "int")(_truncate)
for _name, _params in (("json", ("string",)), ("split", ("string", "string")),
                       ("join", ("string", "string")), ("title", ("string",)),
                       ("lower", ("string",)), ("upper", ("string",)),
                       ("truncate", ("string", "int"))):
    # templates.HeaderFunctions: keep the column name intact in table headers
    _go(HEADER_FUNCS, _name, *_params)(lambda v, *_: v)


def _method(fn: Callable) -> GoFunc:
    """A callable map value as a Go method taking interface{} operands."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: accept anything
        return GoFunc(fn, ("any",), True)
    variadic = any(p.kind == p.VAR_POSITIONAL for p in params)
    return GoFunc(fn, ("any",) * len(params), variadic)


# ----------------------------------------------------------------------------- exec


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


_MISSINGKEY = {"default": "invalid", "invalid": "invalid", "zero": "zero", "error": "error"}


class _State:
    """exec.go's state: the variable stack, the node for errors and the output."""

    def __init__(self, tmpl: Template, funcs: dict[str, GoFunc], missingkey: str) -> None:
        self.tmpl, self.funcs, self.missingkey = tmpl, funcs, missingkey
        self.node: gp.Node | None = None
        self.vars: list[list] = []
        self.out: list[str] = []

    def errorf(self, msg: str):
        if self.node is None:
            raise TemplateError(f"template: : {msg}")
        line, col = byte_column(self.tmpl.text, self.node.pos)
        raise TemplateError(f'template: :{line}:{col}: executing "" at <{self.node}>: {msg}')

    def var(self, name: str, value=_NOFINAL):
        for slot in reversed(self.vars):
            if slot[0] == name:
                if value is _NOFINAL:
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
                self.out.append("<no value>" if val is MISSING else _fmt(val))
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
                truth, ok = _is_true(val)
                if not ok:
                    self.errorf(f"if/with can't use {_fmt(val)}")
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
            val = _unbox(self.pipeline(dot, r.pipe))
            mark, decl = len(self.vars), r.pipe.decl
            if isinstance(val, list | tuple):
                items = [(i, _elem(val, e)) for i, e in enumerate(val)]
            elif isinstance(val, dict) and not isinstance(val, GoStruct):
                items = [(k, _elem(val, val[k])) for k in _sorted_keys(val)]
            elif isinstance(val, int) and not isinstance(val, bool):
                if len(decl) > 1:
                    self.errorf(f"can't use {val} to iterate over more than one variable")
                items = [(MISSING, i) for i in range(val)]
            elif val is MISSING:
                items = []
            else:
                self.errorf(f"range can't iterate over {_fmt(val)}")
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
        value = _NOFINAL
        for cmd in pipe.cmds:
            value = _unbox(self.command(dot, cmd, value))
        for variable in pipe.decl:
            if pipe.is_assign:
                self.var(variable.ident[0], value)
            else:
                self.vars.append([variable.ident[0], value])
        return value

    def not_a_function(self, args: list[gp.Node], final) -> None:
        if len(args) > 1 or final is not _NOFINAL:
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
            receiver = self.field(dot, name, node, None, _NOFINAL, receiver)
        return self.field(dot, ident[-1], node, args, final, receiver)

    def field(self, dot, name: str, node, args, final, receiver):
        if receiver is MISSING:
            if self.missingkey == "error":
                self.errorf(f"nil data; no entry for key {go_quote(name)}")
            return MISSING
        typ = go_type(receiver)
        if isinstance(receiver, _Box):
            if receiver.v is None:
                self.errorf(f"nil pointer evaluating {typ}.{name}")
            receiver = receiver.v
        if isinstance(receiver, dict) and callable(receiver.get(name)):
            return self.call(dot, _method(receiver[name]), False, node, name, args, final)
        has_args = args is not None and len(args) > 1 or final is not _NOFINAL
        if isinstance(receiver, GoStruct) and name in receiver:
            if has_args:
                self.errorf(f"{name} has arguments but cannot be invoked as function")
            return receiver[name]
        if isinstance(receiver, dict) and not isinstance(receiver, GoStruct):
            if has_args:
                self.errorf(f"{name} is not a method but has arguments")
            if name in receiver:
                return _elem(receiver, receiver[name])
            if self.missingkey == "error":
                self.errorf(f"map has no entry for key {go_quote(name)}")
            if self.missingkey == "zero":
                return _Box(None) if _iface(receiver) else ""
            return MISSING
        self.errorf(f"can't evaluate field {name} in type {typ}")

    def function(self, dot, node: gp.IdentifierNode, cmd, args, final):
        self.node = node
        fn = self.funcs.get(node.ident) or BUILTINS[node.ident]
        return self.call(dot, fn, node.ident in BUILTINS, cmd, node.ident, args, final)

    def call(self, dot, fn: GoFunc, builtin: bool, node, name: str, args, final):
        args = list(args[1:]) if args else []
        num_in = len(args) + (final is not _NOFINAL)
        fixed = len(fn.params) - 1 if fn.variadic else len(args)
        if fn.variadic and num_in < fixed:
            self.errorf(f"wrong number of args for {name}: want at least {fixed} got {len(args)}")
        if not fn.variadic and num_in != len(fn.params):
            self.errorf(f"wrong number of args for {name}: want {len(fn.params)} got {num_in}")
        if builtin and name in ("and", "or"):
            v = MISSING
            for arg in args:
                v = self.arg(dot, "value", arg)
                if _is_true(v)[0] == (name == "or"):
                    return v
            return self.validate(final, "value") if final is not _NOFINAL else v
        argv = [self.arg(dot, fn.params[min(i, len(fn.params) - 1)], a)
                for i, a in enumerate(args)]
        if final is not _NOFINAL:
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
                                                 None, _NOFINAL), typ)
        if isinstance(n, gp.PipeNode):
            return self.validate(self.pipeline(dot, n), typ)
        if isinstance(n, gp.IdentifierNode):
            return self.validate(self.function(dot, n, n, None, _NOFINAL), typ)
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
        inner = value.v if isinstance(value, _Box) else value
        if typ == "any":
            return inner
        ok = {"string": str, "int": int, "bool": bool, "[]string": list | tuple}[typ]
        if isinstance(inner, ok) and (typ == "bool" or not isinstance(inner, bool)) and \
                (typ != "[]string" or not _iface(inner)):
            return list(inner) if typ == "[]string" else inner
        got = "interface {}" if inner is None else go_type(inner)
        self.errorf(f"wrong type for value; expected {typ}; got {got}")


class Template:
    """A parsed template (``templates.Parse`` of docker/cli: Go builtins + Docker funcs)."""

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            self.root = gp.Tree(text, set(BUILTINS) | set(DOCKER_FUNCS)).root
        except gp.ParseError as exc:
            raise TemplateError(str(exc)) from None

    def execute_partial(self, data, *, missingkey: str = "default",
                        funcs: dict[str, GoFunc] | None = None) -> tuple[str, TemplateError | None]:
        """Execute; return the output written so far and the error that stopped it.

        ``funcs`` replaces functions by name, as Go's ``Template.Funcs`` after parsing.
        """
        if missingkey not in _MISSINGKEY:
            raise ValueError(f"unrecognized missingkey option: {missingkey!r}")
        state = _State(self, {**DOCKER_FUNCS, **(funcs or {})}, _MISSINGKEY[missingkey])
        root = MISSING if data is None else data
        state.vars.append(["$", root])
        try:
            state.walk(root, self.root)
        except TemplateError as exc:
            return "".join(state.out), exc
        return "".join(state.out), None

    def execute(self, data, *, missingkey: str = "default",
                funcs: dict[str, GoFunc] | None = None) -> str:
        """Execute on ``data``; raise :class:`TemplateError` as Go's Execute would."""
        out, err = self.execute_partial(data, missingkey=missingkey, funcs=funcs)
        if err is not None:
            raise err
        return out


def parse(template: str) -> Template:
    """Parse ``template`` the way docker/cli's ``templates.Parse`` does."""
    return Template(template)


def render(template: str, data, *, missingkey: str = "default") -> str:
    """Parse and execute ``template`` on ``data``."""
    return Template(template).execute(data, missingkey=missingkey)
