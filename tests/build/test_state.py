"""A stage's state between steps (sim.build.state) and the history rows BuildKit writes
(docker-facts §3.2, §3.3): the environment a RUN sees, copies for ``FROM <stage>``, the
``buildkit.dockerfile.v0`` rows, and how the exporter dates metadata rows."""

from __future__ import annotations

from sim.build.builder import _fill_created
from sim.build.state import (
    BUILDKIT_COMMENT,
    DEFAULT_PATH,
    StageState,
    go_list,
    history_row,
)
from sim.model.layer import file_entry


def test_env_is_args_overridden_by_env():
    """§3.3: ENV and ARG both reach RUN's environment; an ENV of the same name wins
    (docs: "Environment variables defined using the ENV instruction always override an
    ARG instruction of the same name")."""
    state = StageState("k", config={"Env": [DEFAULT_PATH, "MODE=env"]},
                       args={"MODE": "arg", "ONLY_ARG": "1"})
    assert state.env() == {"MODE": "env", "ONLY_ARG": "1",
                           "PATH": DEFAULT_PATH.partition("=")[2]}


def test_set_env_replaces_in_place_of_a_duplicate():
    """§3.3: ENV of an existing key replaces it (buildkit addEnv)."""
    state = StageState("k", config={"Env": ["A=1", "B=2"]})
    state.set_env("A", "3")
    state.set_env("C", "4")
    assert state.config["Env"] == ["B=2", "A=3", "C=4"]
    assert state.env() == {"A": "3", "B": "2", "C": "4"}


def test_value_with_equals_signs():
    """§3.3: only the first ``=`` separates key and value."""
    state = StageState("k", config={"Env": ["URL=http://x/?a=b"]})
    assert state.env() == {"URL": "http://x/?a=b"}


def test_workdir_defaults_to_root():
    """§3.2: no WorkingDir means ``/``."""
    assert StageState("k").workdir == "/"
    assert StageState("k", config={"WorkingDir": "/app"}).workdir == "/app"


def test_copy_is_independent():
    """``FROM <stage>`` starts from a copy: later changes do not leak back (§3.4)."""
    state = StageState("k", [], {"Env": ["A=1"], "Labels": {"x": "1"}},
                       [{"created_by": "RUN a"}], {"V": "1"}, cmd_set=True)
    other = state.copy()
    other.set_env("A", "2")
    other.config["Labels"]["x"] = "2"
    other.history.append({"created_by": "RUN b"})
    other.history[0]["created_by"] = "changed"
    other.args["V"] = "2"
    other.layers.append(object())
    assert state.config == {"Env": ["A=1"], "Labels": {"x": "1"}}
    assert state.history == [{"created_by": "RUN a"}]
    assert state.args == {"V": "1"} and state.layers == []
    assert other.key == "k" and other.cmd_set


def test_filesystem_merges_the_stage_layers_and_the_step_upper_dir():
    """§4.2: a step writes to its own upper dir over the stage's layers."""
    from sim.model.layer import Layer
    lower = Layer.from_files({"/a": file_entry(b"lower"), "/b": file_entry(b"b")})
    state = StageState("k", [lower])
    upper: dict = {}
    fs = state.filesystem(upper, lambda: 0)
    fs.write("/a", b"upper")
    assert fs.read("/a") == b"upper" and fs.read("/b") == b"b"
    assert set(upper) == {"/a"}  # copy-up: only the step's own change is in its upper dir


def test_history_rows():
    """§3.2: metadata rows carry ``empty_layer``; every row BuildKit writes has its
    comment."""
    assert history_row("t", "ENV A=1", True) == {
        "created": "t", "created_by": "ENV A=1", "comment": BUILDKIT_COMMENT,
        "empty_layer": True}
    assert history_row("t", "RUN x # buildkit", False) == {
        "created": "t", "created_by": "RUN x # buildkit", "comment": "buildkit.dockerfile.v0"}


def test_go_list_is_gos_percent_v_of_a_string_slice():
    """§3.2: how BuildKit writes CMD/SHELL/VOLUME lists in history."""
    assert go_list(["a", "b c"]) == '["a" "b c"]'
    assert go_list([]) == "[]"


def _rows(*times):
    return [{"created_by": f"row{i}", "created": t} for i, t in enumerate(times)]


def test_metadata_rows_take_the_previous_layer_time():
    """§3.3: buildkit exporter normalizeLayersAndHistory: a metadata row (no time of its own)
    takes the time of the layer before it..."""
    rows = _fill_created(_rows("base", None, "L1", None, "L2", None, None), "now")
    assert [r["created"] for r in rows] == ["base", "L1", "L1", "L1", "L2", "L2", "L2"]


def test_the_first_untimed_row_takes_the_time_of_the_layer_after_it():
    """§3.3: The exporter cannot tell base rows from new ones: the "first new layer" is the
    first timed row after the first untimed one, and that first untimed row gets its time
    even when a layer precedes it (the loop in writer.go, taken literally)."""
    rows = _fill_created(_rows("base", "L1", None, "L2", None), "now")
    assert [r["created"] for r in rows] == ["base", "L1", "L2", "L2", "L2"]


def test_metadata_rows_before_the_first_new_layer_take_its_time():
    """§3.3: ... except right after the base image's rows, where it takes the first new layer's
    time rather than the base image's."""
    rows = _fill_created(_rows("base1", "base2", None, None, "L1", None), "now")
    assert [r["created"] for r in rows] == ["base1", "base2", "L1", "L1", "L1", "L1"]


def test_metadata_rows_with_no_new_layer_take_the_last_known_time():
    """§3.3: with no new layer the last known time is used (scratch: the build time)."""
    rows = _fill_created(_rows("base", None), "now")
    assert [r["created"] for r in rows] == ["base", "base"]
    assert _fill_created(_rows(None), "now")[0]["created"] == "now"  # FROM scratch + LABEL
