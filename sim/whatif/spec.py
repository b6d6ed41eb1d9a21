"""The sweep spec: which parameters change, over which values, how many replications, and the
seed every run gets.

A what-if file is a scenario file plus a ``[sweep]`` table::

    [sweep]
    root_seed = 7          # default: the scenario's seed
    repeat = 3             # replications of every cell
    [sweep.factors]        # a full grid over dotted parameters
    "hosts.node.count" = [10, 100]
    "registries.hub.egress" = ["1Gbit/s", "10Gbit/s"]
    [[sweep.points]]       # and/or listed points, each a label and its settings
    label = "mirror"
    set = { "hosts.node.registry_mirror" = "mirror" }

Cells are the points (or one unnamed point) crossed with the factor grid. Replication ``r`` of
cell ``i`` runs with the seed NumPy's ``SeedSequence(root_seed, spawn_key=(i, r))`` gives, so
any one run can be repeated alone. Everything is checked here, before anything runs: a bad
path, value or unit is refused naming the dotted path and the expected form.
"""

from __future__ import annotations

import itertools
import json
import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..scenario.load import ScenarioError, load_scenario_text
from ..scenario.schema import Scenario, dotted_key

__all__ = ["Cell", "Job", "SweepError", "SweepSpec", "load_sweep", "parse_sweep_arg",
           "toml_literal"]

MAX_RUNS = 10_000  # cells x repeat: a study, not a flood
SWEEP_KEYS = ("factors", "points", "repeat", "root_seed")
POINT_KEYS = ("label", "set")
# tables whose keys are names the author chooses: a new key there is not a typo
FREE_TABLES = ("workloads", "effects", "overrides", "contexts", "files")


class SweepError(ScenarioError):
    """A sweep that cannot run; the message is the whole one-line diagnosis (exit 2)."""


@dataclass(frozen=True)
class Cell:
    """One combination of settings: a point's label (may be empty) and dotted path -> value."""

    index: int
    point: str
    params: tuple[tuple[str, Any], ...]
    factor_paths: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        """The point's label and the factor values: what tells this cell from the others."""
        parts = [self.point] if self.point else []
        parts += [f"{path}={_show(value)}" for path, value in self.params
                  if not self.point or path in self.factor_paths]
        return " ".join(parts) or "base"

    def sets(self) -> list[str]:
        """The cell's settings as ``--set`` assignments, in TOML syntax."""
        return [f"{path}={toml_literal(value)}" for path, value in self.params]


@dataclass(frozen=True)
class Job:
    """One run: a cell, a replication and its seed; everything a worker process needs."""

    cell: Cell
    rep: int
    seed: int
    text: str
    name: str
    base_sets: tuple[str, ...]
    base_dir: str

    def sets(self) -> list[str]:
        return [*self.base_sets, *self.cell.sets(), f"seed={self.seed}"]

    def scenario(self) -> Scenario:
        return load_scenario_text(self.text, self.name, self.sets())


@dataclass
class SweepSpec:
    name: str  # the file as typed, for messages
    text: str
    base_sets: tuple[str, ...]
    factors: dict[str, list[Any]]
    points: list[tuple[str, dict[str, Any]]]
    repeat: int
    root_seed: int
    base_dir: str
    base: Scenario = field(repr=False)

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    def cells(self) -> list[Cell]:
        """Points crossed with the factor grid, in a stable order (points first, then the
        factors in the order written, values in the order given)."""
        points = self.points or [("", {})]
        paths = list(self.factors)
        grid = list(itertools.product(*(self.factors[p] for p in paths)))
        cells = []
        for label, settings in points:
            for values in grid:
                params = tuple(settings.items()) + tuple(zip(paths, values, strict=True))
                cells.append(Cell(len(cells), label, params, frozenset(paths)))
        return cells

    def jobs(self) -> list[Job]:
        return [Job(cell, rep, spawn_seed(self.root_seed, cell.index, rep), self.text,
                    self.name, self.base_sets, self.base_dir)
                for cell in self.cells() for rep in range(self.repeat)]

    def describe(self) -> dict[str, Any]:
        """The parameters of the study, JSON-ready, for the run folder."""
        return {"scenario": self.name, "set": list(self.base_sets), "root_seed": self.root_seed,
                "repeat": self.repeat, "factors": self.factors,
                "points": [{"label": label, "set": s} for label, s in self.points],
                "cells": [{"cell": c.index, "label": c.label, "point": c.point,
                           "params": dict(c.params)} for c in self.cells()]}


def spawn_seed(root_seed: int, cell: int, rep: int) -> int:
    """The seed of replication ``rep`` of cell ``cell``: independent streams spawned from one
    root, computable for one run alone."""
    import numpy as np
    seq = np.random.SeedSequence(root_seed, spawn_key=(cell, rep))
    return int(seq.generate_state(1, dtype=np.uint32)[0])


def load_sweep(path: str, sets: Sequence[str] = (), sweeps: Sequence[str] = (),
               repeat: int | None = None, root_seed: int | None = None) -> SweepSpec:
    """Read a what-if file and the command line's ``--set``/``--sweep``/``--repeat``/
    ``--seed``; validate every cell's scenario; raise SweepError on the first problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SweepError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SweepError(f"{path}: is a directory, expected a TOML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SweepError(f"{path}: cannot read: {exc}") from None
    try:
        base = load_scenario_text(text, path, sets)  # the scenario itself is valid
    except SweepError:
        raise
    except ScenarioError as exc:
        raise SweepError(exc.message) from None
    raw_sweep = base.sweep or {}
    if not isinstance(raw_sweep, dict):
        raise SweepError(f"{path}: sweep: expected a table [sweep]")
    for key in raw_sweep:
        if key not in SWEEP_KEYS:
            raise SweepError(f"{path}: sweep.{dotted_key(key)}: unknown key (expected one of "
                             f"{', '.join(SWEEP_KEYS)})")
    factors = _factors(path, raw_sweep.get("factors", {}))
    for arg in sweeps:
        key, values = parse_sweep_arg(arg)
        factors[key] = values
    points = _points(path, raw_sweep.get("points", []))
    if not factors and not points:
        raise SweepError(f"{path}: empty sweep: expected [sweep.factors] with a parameter and "
                         "its values, [[sweep.points]], or --sweep KEY=V1,V2")
    rep = repeat if repeat is not None else _int(path, "sweep.repeat",
                                                 raw_sweep.get("repeat", 1), 1)
    if rep < 1:
        raise SweepError(f"--repeat {rep}: expected a whole number of at least 1")
    seed = root_seed if root_seed is not None else _int(
        path, "sweep.root_seed", raw_sweep.get("root_seed", base.seed), 0)
    if seed < 0:
        raise SweepError(f"--seed {seed}: expected a whole number of at least 0")
    spec = SweepSpec(path, text, tuple(sets), factors, points, rep, seed,
                     str(Path(path).resolve().parent), base)
    _check(spec)
    return spec


def parse_sweep_arg(arg: str) -> tuple[str, list[Any]]:
    """``--sweep hosts.node.count=10,100`` -> ("hosts.node.count", [10, 100])."""
    key, eq, text = arg.partition("=")
    key = key.strip()
    if not eq or not key:
        raise SweepError(f"--sweep {arg}: expected KEY=V1,V2,... like hosts.node.count=10,100")
    values = [_scalar(v.strip()) for v in text.split(",")]
    if any(v == "" for v in values):
        raise SweepError(f"--sweep {arg}: expected a non-empty value between every comma")
    return key, values


def toml_literal(value: Any) -> str:
    """A value written as TOML, so ``apply_set`` reads back exactly this value and type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_literal(str(k))} = {toml_literal(v)}"
                               for k, v in value.items()) + "}"
    raise SweepError(f"cannot write {value!r} as a TOML value")


# ---- reading the table ---------------------------------------------------------------
def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables become dotted paths: ``[sweep.factors.hosts.node] count = [...]``
    and ``"hosts.node.count" = [...]`` say the same thing."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}.{dotted_key(key)}" if prefix else key
        if isinstance(value, dict):
            out.update(_flatten(value, path))
        else:
            out[path] = value
    return out


def _factors(name: str, table: Any) -> dict[str, list[Any]]:
    if not isinstance(table, dict):
        raise SweepError(f"{name}: sweep.factors: expected a table of dotted parameter = "
                         "[values], like \"hosts.node.count\" = [10, 100]")
    out = {}
    for path, values in _flatten(table).items():
        if not isinstance(values, list) or not values:
            raise SweepError(f"{name}: sweep.factors.{path}: expected a non-empty array of "
                             f"values, like [10, 100], got {_show(values)}")
        out[path] = values
    return out


def _points(name: str, items: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(items, list) or not all(isinstance(p, dict) for p in items):
        raise SweepError(f"{name}: sweep.points: expected an array of tables [[sweep.points]] "
                         "with label = \"...\" and set = { ... }")
    out: list[tuple[str, dict[str, Any]]] = []
    for i, point in enumerate(items):
        for key in point:
            if key not in POINT_KEYS:
                raise SweepError(f"{name}: sweep.points.{i}.{dotted_key(key)}: unknown key "
                                 f"(expected label, set)")
        label = point.get("label", f"point-{i + 1}")
        if not isinstance(label, str) or not label.strip():
            raise SweepError(f"{name}: sweep.points.{i}.label: expected a non-empty string, "
                             f"got {_show(label)}")
        if label in [lb for lb, _ in out]:
            raise SweepError(f"{name}: sweep.points.{i}.label: {label!r} is already the label "
                             "of another point")
        settings = point.get("set", {})
        if not isinstance(settings, dict):
            raise SweepError(f"{name}: sweep.points.{i}.set: expected a table of dotted "
                             f"parameter = value, got {_show(settings)}")
        out.append((label, _flatten(settings)))
    return out


def _int(name: str, where: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise SweepError(f"{name}: {where}: expected a whole number of at least {low}, "
                         f"got {_show(value)}")
    return value


# ---- checking before anything runs ---------------------------------------------------
def _check(spec: SweepSpec) -> None:
    """Every path names a parameter of the scenario, every value is valid on its own, and
    every cell's scenario validates."""
    dump = spec.base.model_dump()
    runs = len(spec.cells()) * spec.repeat
    if runs > MAX_RUNS:
        raise SweepError(f"{spec.name}: sweep: {runs} runs (cells x repeat); at most "
                         f"{MAX_RUNS:,} in one study")
    where = {path: f"sweep.factors.{path}" for path in spec.factors}
    for i, (_label, settings) in enumerate(spec.points):
        where.update({p: f"sweep.points.{i}.set.{p}" for p in settings if p not in where})
    for path, origin in where.items():
        _check_path(spec.name, origin, path, dump)
    for path, values in spec.factors.items():
        for value in values:
            _try(spec, [f"{path}={toml_literal(value)}"], f"sweep {path}={_show(value)}")
    for cell in spec.cells():
        _try(spec, cell.sets(), f"sweep cell {cell.label!r}")


def _check_path(name: str, origin: str, path: str, dump: dict[str, Any]) -> None:
    from ..scenario.load import _split_key  # the very splitter --set uses
    try:
        segments = _split_key(path)
    except ValueError as exc:
        raise SweepError(f"{name}: {origin}: {exc}") from None
    if segments[0] in ("seed", "sweep"):
        raise SweepError(f"{name}: {origin}: {segments[0]} cannot be swept (each run's seed "
                         "comes from sweep.root_seed and the replication)")
    node: Any = dump
    for depth, segment in enumerate(segments):
        here = ".".join(dotted_key(s) for s in segments[:depth]) or "the scenario"
        if isinstance(node, list):
            if not segment.isdigit() or int(segment) >= len(node):
                raise SweepError(f"{name}: {origin}: unknown parameter: {here} has "
                                 f"{len(node)} entries, expected an index 0..{len(node) - 1}")
            node = node[int(segment)]
            continue
        if not isinstance(node, dict):
            raise SweepError(f"{name}: {origin}: unknown parameter: {here} is a value, "
                             "not a table")
        if segment not in node:
            if depth and segments[depth - 1] in FREE_TABLES:
                return  # a new name in a table of names; the schema checks the rest
            known = ", ".join(sorted(node)) or "nothing"
            raise SweepError(f"{name}: {origin}: unknown parameter: {here} has no "
                             f"{segment!r} (it has: {known})")
        node = node[segment]


def _try(spec: SweepSpec, sets: list[str], what: str) -> None:
    try:
        load_scenario_text(spec.text, spec.name, [*spec.base_sets, *sets])
    except ScenarioError as exc:
        detail = exc.message.removeprefix(f"{spec.name}: ")
        raise SweepError(f"{spec.name}: {what}: {detail}") from None


def _scalar(text: str) -> Any:
    """A TOML value when the text is one (``3``, ``true``), else the bare text, so
    ``1Gbit/s`` needs no quoting on the command line."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _show(value: Any) -> str:
    """A value as the author wrote it, for labels and messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array" if value else "an empty array"
    return str(value)
