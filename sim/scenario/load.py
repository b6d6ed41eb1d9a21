"""Reading a scenario file: TOML, ``--set`` overrides, validation, one-line errors.

An author who mistypes a key must see the file, the dotted key and what was expected on one
line (``fleet.toml: hosts.node.downlink: expected a rate like 100Mbit/s or 50MB/s, got
'fast'``), not a pydantic report; so every failure becomes a ScenarioError whose message is
that line and whose exit code is the usage-error code 2.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .schema import Scenario, dotted_key

__all__ = ["ScenarioError", "apply_set", "dump_resolved", "load_scenario", "load_scenario_text"]


class ScenarioError(Exception):
    """A scenario that cannot be used; the message is the whole one-line diagnosis."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def load_scenario(path: str | Path, sets: Sequence[str] = ()) -> Scenario:
    """Read, override and validate a scenario file. Messages name the path as given, as a
    compiler does, so the author finds the file they typed."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ScenarioError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{name}: is a directory, expected a TOML file") from None
    except OSError as exc:
        raise ScenarioError(f"{name}: {(exc.strerror or str(exc)).lower()}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError(f"{name}: line {line}: expected UTF-8 text") from None
    return load_scenario_text(text, name=name, sets=sets)


def load_scenario_text(text: str, name: str = "<string>", sets: Sequence[str] = ()) -> Scenario:
    """Parse, override and validate scenario text; ``name`` stands for the file in errors."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{name}: {_toml_error(str(exc))}") from None
    for assignment in sets:
        apply_set(raw, assignment)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(f"{name}: {_validation_error(exc)}") from None


# ---- --set ---------------------------------------------------------------------------
def apply_set(raw: dict[str, Any], assignment: str) -> None:
    """Apply ``dotted.key=value`` to the raw TOML dict, before validation, so an override
    is checked exactly as if it had been written in the file."""
    key, eq, text = assignment.partition("=")
    if not eq or not key.strip():
        raise ScenarioError(f"--set {assignment}: expected key=value")
    try:
        path = _split_key(key.strip())
    except ValueError as exc:
        raise ScenarioError(f"--set {assignment}: {exc}") from None
    value = _scalar(text.strip())
    node: Any = raw
    for depth, segment in enumerate(path):
        last = depth == len(path) - 1
        where = ".".join(path[:depth]) or "the top level"
        nxt: Any = value if last else ([] if path[depth + 1].isdigit() else {})
        if isinstance(node, dict):
            if last:
                node[segment] = value
            else:
                node = node.setdefault(segment, nxt)
        elif isinstance(node, list):
            if not segment.isdigit():
                raise ScenarioError(f"--set {assignment}: {where} is an array, expected a "
                                    f"number after it, got {segment!r}")
            index = int(segment)
            if index > len(node):
                raise ScenarioError(f"--set {assignment}: {where} has {len(node)} entries, "
                                    f"so the index can be 0..{len(node)}, got {index}")
            if index == len(node):
                node.append(nxt)
            elif last:
                node[index] = value
            node = node[index]
        else:
            raise ScenarioError(f"--set {assignment}: {where} is a value, not a table")


_SEGMENT = re.compile(r'\s*(?:"(?P<quoted>[^"]*)"|(?P<bare>[^."=\s]+))\s*(?:(?P<dot>\.)|$)')


def _split_key(key: str) -> list[str]:
    """Dotted key segments; a segment may be double-quoted to hold dots (``"nginx:1.27"``)."""
    segments: list[str] = []
    pos = 0
    while match := _SEGMENT.match(key, pos):
        segments.append(match["quoted"] if match["quoted"] is not None else match["bare"])
        if not match["dot"]:
            return segments
        pos = match.end()
    raise ValueError(f"expected a dotted key like hosts.node.downlink, got {key!r}")


def _scalar(text: str) -> Any:
    """A TOML value when the text is one (``3``, ``true``, ``"x"``, ``[1, 2]``), else the
    bare text, so ``--set hosts.node.downlink=1Gbit/s`` needs no shell quoting."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


# ---- messages ------------------------------------------------------------------------
_TOML_AT = re.compile(r"(?P<msg>.*) \(at (?:line (?P<line>\d+), column \d+|end of document)\)")


def _toml_error(message: str) -> str:
    """``Invalid value (at line 3, column 7)`` becomes ``line 3: Invalid value``."""
    match = _TOML_AT.fullmatch(message)
    if not match:
        return message
    where = f"line {match['line']}" if match["line"] else "end of file"
    hint = ""
    if match["msg"].startswith("Expected newline or end of document after a statement"):
        hint = ' (a value with units needs quotes: downlink = "100Mbit/s")'
    return f"{where}: {match['msg']}{hint}"


def _validation_error(exc: ValidationError) -> str:
    """The first pydantic error as ``dotted.path: what was expected``."""
    error = exc.errors(include_url=False)[0]
    loc = tuple(error["loc"])
    path = ".".join(dotted_key(str(part)) for part in loc)
    kind = error["type"]
    if kind == "value_error":
        message = str(error["ctx"]["error"])
    elif kind == "extra_forbidden":
        message = "unknown key" + _suggestion(loc)
    elif kind == "missing":
        message = "missing required key"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = f"expected a table, got {_shown(error['input'])}"
    elif kind == "list_type":
        message = f"expected an array of tables ([[{path}]]), got {_shown(error['input'])}"
    elif kind == "too_long":
        ctx = error["ctx"]
        message = f"at most {ctx['max_length']} entries, got {ctx['actual_length']}"
    elif kind.startswith(("datetime_", "date_")):
        message = (f"expected a date and time like 2026-11-27T09:00:00Z, "
                   f"got {_shown(error['input'])}")
    else:
        message = f"{_expected(error['msg'])}, got {_shown(error['input'])}"
    return f"{path}: {message}" if path else message


def _expected(msg: str) -> str:
    """Pydantic's ``Input should be greater than 0`` in the loader's own words."""
    if not msg.startswith("Input should be "):
        return msg[:1].lower() + msg[1:]
    rest = msg.removeprefix("Input should be ")
    if rest.startswith(("greater", "less")):
        rest = "a number " + rest
    return "expected " + rest


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return repr(value)


def _suggestion(loc: tuple[Any, ...]) -> str:
    """`` (did you mean 'downlink'?)`` for a near-miss of a key the table allows."""
    allowed = _keys_at(loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys the model at ``loc`` accepts, found by walking the schema's type hints."""
    tp: Any = Scenario
    for part in loc:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return []
            tp = _unwrap(field.annotation)
        elif typing.get_origin(tp) in (dict, list):
            tp = _unwrap(typing.get_args(tp)[-1])
        else:
            return []
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and ``| None`` so the walk sees the model or container inside."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


# ---- run folders ---------------------------------------------------------------------
def dump_resolved(scenario: Scenario) -> dict[str, Any]:
    """The scenario with every default filled in and every quantity in base units (bytes,
    bytes/s, seconds), JSON-ready: a run folder records what actually ran, not what was
    typed, so two runs can be compared without re-deriving defaults."""
    from ..catalog.loader import fingerprint
    hosts = scenario.expand_hosts()
    return {
        "seed": scenario.seed,
        "catalog": fingerprint(),  # imported records, if any: a run depends on them too
        "start": scenario.start.isoformat() if scenario.start else None,
        "registries": {key: {**reg.model_dump(exclude={"latency", "latency_spread"}),
                             "latency": scenario.registry_latency(key),
                             "latency_nominal": reg.latency,
                             "latency_spread": reg.latency_spread}
                       for key, reg in scenario.registries.items()},
        "fleets": {key: {"count": host.count, "nominal": _nominal(host),
                         "spreads": host.spreads()}
                   for key, host in scenario.hosts.items()},
        "hosts": {
            name: {"fleet": p.fleet, "disk": p.disk, "registry_mirror": p.registry_mirror,
                   **dataclasses.asdict(p.timing)}
            for name, p in hosts.items()
        },
        "workloads": {name: _plain(dataclasses.asdict(w))
                      for name, w in scenario.workloads.items()},
        "faults": [fault.model_dump() for fault in scenario.faults],
        "contexts": {name: ctx.model_dump() for name, ctx in scenario.contexts.items()},
        "effects": dict(scenario.effects),
        "steps": [_step(scenario, i) for i in range(len(scenario.steps))],
    }


def _nominal(host: Any) -> dict[str, float]:
    """The fleet's rate before a spread moves it per host (a Timing default if unset)."""
    from ..world.timing import Timing
    return {field: getattr(host, field) or getattr(Timing, field) for field in host.spreads()}


def _step(scenario: Scenario, index: int) -> dict[str, Any]:
    """A step with its concrete hosts and, when it has a jitter, each host's drawn delay."""
    step = scenario.steps[index]
    out = {**step.model_dump(), "hosts": scenario.step_hosts(step)}
    if step.jitter:
        out["offsets"] = scenario.step_offsets(index)
    return out


def _plain(value: Any) -> Any:
    """Tuples to lists, so the dump is the same before and after a JSON round trip."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return [_plain(v) for v in value]
    return value
