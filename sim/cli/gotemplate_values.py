"""Go's data model over Python values, shared by the text/template modules.

How :mod:`sim.cli.gotemplate` sees Python data as Go values (see its docstring):
dicts are maps, lists slices, :class:`GoMap` / :class:`GoStruct` carry a Go type
name, :class:`Box` marks a value read through an ``interface {}``, and :data:`MISSING`
is reflect's invalid Value.  Printing (:mod:`sim.cli.gofmt`), the template functions
and the executor all need these, so they live below all three.
"""

from __future__ import annotations

__all__ = ["MISSING", "NOFINAL", "Box", "GoMap", "GoStruct", "elem_of", "fields", "go_type",
           "iface", "sorted_keys", "unbox"]


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
NOFINAL = _Missing()  # exec.go missingVal: no piped-in final argument


class Box:
    """A value read through an ``interface {}`` (element of a map/slice of interface)."""
    __slots__ = ("v",)

    def __init__(self, v) -> None:
        self.v = v


def unbox(v):
    """indirectInterface: the concrete value, MISSING for a nil interface."""
    v = v.v if isinstance(v, Box) else v
    return MISSING if v is None else v


def fields(m: dict) -> dict:
    return {k: v for k, v in m.items() if not callable(v)}


def iface(c) -> bool:
    """Whether the elements of dict/list ``c`` are ``interface {}`` rather than string."""
    if isinstance(c, GoStruct):
        return False
    vals = fields(c).values() if isinstance(c, dict) else c
    return not all(isinstance(x, str) for x in vals)


def elem_of(c, v):
    return Box(v) if iface(c) else v


def go_type(v) -> str:
    """reflect.Type.String() of the Go value ``v`` stands for."""
    if isinstance(v, Box):
        return "interface {}"
    if isinstance(v, GoMap):
        return v.go_type
    for py, name in ((bool, "bool"), (int, "int"), (float, "float64"), (str, "string")):
        if isinstance(v, py):
            return name
    if isinstance(v, list | tuple):
        return "[]interface {}" if iface(v) else "[]string"
    if isinstance(v, dict):
        return "map[string]interface {}" if iface(v) else "map[string]string"
    return "func" if callable(v) else type(v).__name__


def sorted_keys(m: dict) -> list:
    return sorted(fields(m), key=lambda k: (isinstance(k, str), k))

