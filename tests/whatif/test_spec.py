"""Sweep specs: grids, points, seeds spawned from one root, and bad specs refused before
anything runs, naming the dotted path and the expected form."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.whatif.spec import SweepError, load_sweep, parse_sweep_arg, spawn_seed, toml_literal

BASE = """\
seed = 3
[registries.hub]
egress = "1Gbit/s"
[hosts.web]
count = 2
[[steps]]
at = "0s"
host = "web"
run = "docker pull alpine:3.23"
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "study.toml"
    path.write_text(text)
    return str(path)


def refused(tmp_path: Path, text: str, *, sweeps=(), sets=()) -> str:
    with pytest.raises(SweepError) as info:
        load_sweep(write(tmp_path, text), sets, sweeps)
    message = info.value.message
    assert "\n" not in message
    return message


def test_grid_crossed_with_points(tmp_path):
    spec = load_sweep(write(tmp_path, BASE + """
[sweep]
repeat = 2
[sweep.factors]
"hosts.web.count" = [1, 3]
registries.hub.egress = ["100Mbit/s", "1Gbit/s"]
[[sweep.points]]
label = "plain"
[[sweep.points]]
label = "fast-disk"
set = { "hosts.web.extract_rate" = "1GB/s" }
"""))
    cells = spec.cells()
    assert len(cells) == 2 * 2 * 2 and len(spec.jobs()) == 16
    assert spec.root_seed == 3  # the scenario's seed when the sweep names none
    assert cells[0].label == "plain hosts.web.count=1 registries.hub.egress=100Mbit/s"
    assert dict(cells[5].params) == {"hosts.web.extract_rate": "1GB/s", "hosts.web.count": 1,
                                     "registries.hub.egress": "1Gbit/s"}
    scenario = spec.jobs()[15].scenario()  # fast-disk, 3 hosts, 1Gbit/s, replication 1
    assert scenario.hosts["web"].count == 3 and scenario.hosts["web"].extract_rate == 1e9
    assert scenario.registries["hub"].egress == 125e6


def test_command_line_sweep_replaces_a_factor_and_adds_one(tmp_path):
    spec = load_sweep(write(tmp_path, BASE + '[sweep.factors]\n"hosts.web.count" = [1]\n'),
                      sweeps=["hosts.web.count=2,4", "hosts.web.max_concurrent_downloads=1,6"],
                      repeat=3, root_seed=11)
    assert spec.factors == {"hosts.web.count": [2, 4],
                            "hosts.web.max_concurrent_downloads": [1, 6]}
    assert (spec.repeat, spec.root_seed, len(spec.jobs())) == (3, 11, 12)


def test_seeds_spawned_from_the_root_and_reproducible_alone(tmp_path):
    spec = load_sweep(write(tmp_path, BASE), sweeps=["hosts.web.count=1,2"], repeat=2,
                      root_seed=42)
    seeds = [j.seed for j in spec.jobs()]
    assert len(set(seeds)) == 4
    child = np.random.SeedSequence(42).spawn(2)[1].spawn(2)[1]  # cell 1, replication 1
    assert seeds[3] == int(child.generate_state(1, dtype=np.uint32)[0]) == spawn_seed(42, 1, 1)
    assert spec.jobs()[3].scenario().seed == seeds[3]


def test_nested_tables_and_quoted_paths_mean_the_same(tmp_path):
    a = load_sweep(write(tmp_path, BASE + '[sweep.factors.hosts.web]\ncount = [1, 2]\n'))
    b = load_sweep(write(tmp_path, BASE + '[sweep.factors]\n"hosts.web.count" = [1, 2]\n'))
    assert a.factors == b.factors == {"hosts.web.count": [1, 2]}


@pytest.mark.parametrize(("extra", "sweeps", "expected"), [
    ("", (), "empty sweep: expected [sweep.factors]"),
    ('[sweep]\nrepeat = 2\n', (), "empty sweep"),
    ('[sweep.factors]\n"hosts.web.count" = []\n',
     (), "sweep.factors.hosts.web.count: expected a non-empty array of values, like [10, 100]"),
    ('[sweep.factors]\n"hosts.web.cuont" = [1]\n', (),
     "sweep.factors.hosts.web.cuont: unknown parameter: hosts.web has no 'cuont'"),
    ('[sweep.factors]\n"hosts.wbe.count" = [1]\n', (),
     "hosts has no 'wbe' (it has: web)"),
    ("", ("registries.hub.egress=1GB,10Gbit/s",),
     "sweep registries.hub.egress=1GB: registries.hub.egress: expected a rate"),
    ("", ("hosts.web.downlink=fast",), "hosts.web.downlink: expected a rate like"),
    ("", ("seed=1,2",), "seed cannot be swept"),
    ("", ("hosts.web.count=",), "--sweep hosts.web.count=: expected a non-empty value"),
    ("", ("nokey",), "--sweep nokey: expected KEY=V1,V2"),
    ('[sweep]\nrepeats = 2\n', (), "sweep.repeats: unknown key (expected one of factors"),
    ('[sweep]\nrepeat = 0\n[sweep.factors]\n"hosts.web.count" = [1]\n', (),
     "sweep.repeat: expected a whole number of at least 1, got 0"),
    ('[[sweep.points]]\nlabel = "a"\nsett = {}\n', (), "sweep.points.0.sett: unknown key"),
    ('[[sweep.points]]\nlabel = "a"\n[[sweep.points]]\nlabel = "a"\n', (),
     "sweep.points.1.label: 'a' is already the label"),
    ('[[sweep.points]]\nset = { "hosts.web.count" = 0 }\n', (),
     "hosts.web.count: expected a number greater than or equal to 1"),
    ("", ("hosts.web.count=0,100",),
     "sweep hosts.web.count=0: hosts.web.count: expected a number greater than or equal to 1"),
])
def test_bad_specs_are_refused_with_the_path(tmp_path, extra, sweeps, expected):
    message = refused(tmp_path, BASE + extra, sweeps=sweeps)
    assert expected in message, message
    assert message.startswith(str(tmp_path / "study.toml")) or message.startswith("--")


@pytest.mark.parametrize(("text", "sets", "expected"), [
    ('[hosts.a]\ndownlnk = "1Gbit/s"\n', (),
     "hosts.a.downlnk: unknown key (did you mean 'downlink'?)"),
    ("sweep = 3\n", (), "sweep: expected a table, got 3"),
    ("seed = \n", (), "line 1: Invalid value"),
    ('[sweep]\nfactors = 3\n', (), "sweep.factors: expected a table of dotted parameter"),
    (BASE + '[sweep.factors]\n"hosts.web.count" = [1]\n', ("hosts..x=1",),
     "--set hosts..x=1: expected a dotted key"),
])
def test_a_bad_scenario_under_the_sweep_is_one_line(tmp_path, text, sets, expected):
    with pytest.raises(SweepError) as info:
        load_sweep(write(tmp_path, text), sets)
    assert expected in info.value.message and "\n" not in info.value.message


def test_too_many_runs_refused(tmp_path):
    message = refused(tmp_path, BASE, sweeps=[
        "hosts.web.count=" + ",".join(str(i) for i in range(1, 101)),
        "hosts.web.max_concurrent_downloads=" + ",".join(str(i) for i in range(1, 102))])
    assert "10100 runs (cells x repeat); at most 10,000" in message


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(SweepError, match="nothere.toml: no such file"):
        load_sweep(str(tmp_path / "nothere.toml"))


def test_free_tables_take_new_names(tmp_path):
    spec = load_sweep(write(tmp_path, BASE), sweeps=['workloads.alpine=service,job'])
    assert [c.label for c in spec.cells()] == ["workloads.alpine=service",
                                               "workloads.alpine=job"]


def test_sweep_arg_values_are_typed():
    assert parse_sweep_arg("a.b=1, 2.5,true,1Gbit/s") == ("a.b", [1, 2.5, True, "1Gbit/s"])


scalars = st.one_of(st.integers(-10**12, 10**12), st.booleans(), st.text(max_size=20),
                    st.floats(allow_nan=False))


@given(st.one_of(scalars, st.lists(scalars, max_size=4),
                 st.dictionaries(st.text(min_size=1, max_size=5), scalars, max_size=3)))
def test_toml_literal_round_trips(value):
    assert tomllib.loads(f"v = {toml_literal(value)}")["v"] == value
