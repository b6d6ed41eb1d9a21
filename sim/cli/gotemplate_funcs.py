"""Template functions: Go's builtins and docker/cli's function maps.

The ``text/template`` builtins of ``funcs.go`` (and, or, not, len, index, slice, eq,
ne, lt, le, gt, ge, print, println, printf), docker/cli's ``templates.go`` functions
(json, split, join, title, lower, upper, pad, truncate) and its header variants, each
registered as a :class:`GoFunc` whose Go parameter types drive the executor's
argument checks.  Separate from the executor so that the function tables can be read
(and swapped via ``funcs=``) without the evaluation machinery.
"""

from __future__ import annotations

import inspect
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .gofmt import fmt_value, go_json, go_sprint, sprintf
from .gotemplate_values import MISSING, Box, GoStruct, elem_of, fields, go_type, iface, unbox

__all__ = ["BUILTINS", "DOCKER_FUNCS", "HEADER_FUNCS", "GoFunc", "is_true", "method"]


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


# ----------------------------------------------------------------------------- builtins


def _kind(v) -> str | None:
    """basicKind of funcs.go; None for non-comparable-by-value kinds."""
    for py, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "string")):
        if isinstance(v, py):
            return name
    return None


def is_true(v) -> tuple[bool, bool]:
    v = unbox(v)
    if v is MISSING:
        return False, True
    if isinstance(v, GoStruct) or callable(v):
        return True, True
    if isinstance(v, bool | int | float):
        return v != 0, True
    if isinstance(v, str | list | tuple | dict):
        return len(fields(v) if isinstance(v, dict) else v) > 0, True
    return False, False


@_go(BUILTINS, "not", "value")
def _not(v) -> bool:
    return not is_true(v)[0]


@_go(BUILTINS, "and", "value", "value", variadic=True)
@_go(BUILTINS, "or", "value", "value", variadic=True)
def _and_or(*args):  # pragma: no cover - short-circuited by the executor, as in Go
    raise AssertionError("unreachable")


@_go(BUILTINS, "len", "value")
def _len(item) -> int:
    if isinstance(item, Box) and item.v is None:
        raise _CallError("len of nil pointer")
    item = unbox(item)
    if item is MISSING:
        raise _CallError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return len(item.encode("utf-8", "surrogatepass"))
    if isinstance(item, list | tuple) or isinstance(item, dict) and not isinstance(item, GoStruct):
        return len(fields(item) if isinstance(item, dict) else item)
    raise _CallError(f"len of type {go_type(item)}")


def _index_arg(index, cap: int) -> int:
    index = unbox(index)
    if index is MISSING:
        raise _CallError("cannot index slice/array with nil")
    if not isinstance(index, int) or isinstance(index, bool):
        raise _CallError(f"cannot index slice/array with type {go_type(index)}")
    if index < 0 or index > cap:
        raise _CallError(f"index out of range: {index}")
    return index


@_go(BUILTINS, "index", "value", "value", variadic=True)
def _index(item, *indexes):
    if unbox(item) is MISSING:
        raise _CallError("index of untyped nil")
    for index in indexes:
        if isinstance(item, Box) and item.v is None:
            raise _CallError("index of nil pointer")
        item = unbox(item)
        if isinstance(item, str | list | tuple):
            data = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else item
            x = _index_arg(index, len(data))
            if x == len(data):
                kind = "string" if isinstance(item, str) else "slice"
                raise _CallError(f"reflect: {kind} index out of range")
            item = data[x] if isinstance(item, str) else elem_of(item, data[x])
        elif isinstance(item, dict) and not isinstance(item, GoStruct):
            key = unbox(index)
            if key is MISSING:
                raise _CallError("value is nil; should be of type string")
            if not isinstance(key, str):
                raise _CallError(f"value has type {go_type(key)}; should be string")
            item = elem_of(item, item[key]) if key in fields(item) else \
                (Box(None) if iface(item) else "")
        else:
            raise _CallError(f"can't index item of type {go_type(item)}")
    return item


@_go(BUILTINS, "slice", "value", "value", variadic=True)
def _slice(item, *indexes):
    item = unbox(item)
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
    a = unbox(arg1)
    if not arg2:
        raise _CallError("missing argument for comparison")
    for b in map(unbox, arg2):
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
            raise _CallError(f"non-comparable types {fmt_value(a, 's')}: {go_type(a)}, "
                             f"{go_type(b)}: {fmt_value(b)}")
        elif _reflect_kind(b) in ("map", "slice", "func"):
            raise _CallError(f"non-comparable type {fmt_value(b, 's')}: {go_type(b)}")
        elif a is b:
            return True
    return False


def _lt(a, b) -> bool:
    a, b = unbox(a), unbox(b)
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
_go(BUILTINS, "println", "any", variadic=True)(lambda *a: " ".join(map(fmt_value, a)) + "\n")
_go(BUILTINS, "printf", "string", "any", variadic=True)(lambda f, *a: sprintf(f, list(a)))


# ----------------------------------------------------------------------------- docker


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


def method(fn: Callable) -> GoFunc:
    """A callable map value as a Go method taking interface{} operands."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: accept anything
        return GoFunc(fn, ("any",), True)
    variadic = any(p.kind == p.VAR_POSITIONAL for p in params)
    return GoFunc(fn, ("any",) * len(params), variadic)
