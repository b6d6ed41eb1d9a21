"""The lesson schema: measures and their parameters are checked where they are written."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sim.lesson.schema import Check, Question


def test_a_check_keeps_its_measure_parameters_apart():
    c = Check(says="three run", measure="containers", image="nginx", state="running",
              op=">=", value=3)
    assert c.params == {"image": "nginx", "state": "running"}
    assert (c.op, c.value) == (">=", 3)


@pytest.mark.parametrize(("fields", "words"), [
    ({"measure": "containers", "value": 1, "op": "=~"}, "op"),
    ({"measure": "containers"}, "value"),
    ({"measure": "containers", "value": 1, "colour": "red"}, "takes no parameter 'colour'"),
    ({"measure": "layer_copies", "value": 1}, "needs 'ref'"),
])
def test_bad_checks_say_what_is_wrong(fields, words):
    with pytest.raises(ValidationError, match=words):
        Check(says="x", **fields)


def test_question_tolerance_is_bounded_and_explain_is_required():
    Question(question="q", measure="disk_mb", tolerance=0.05, explain="e")
    with pytest.raises(ValidationError):
        Question(question="q", measure="disk_mb", tolerance=2, explain="e")
    with pytest.raises(ValidationError):
        Question(question="q", measure="disk_mb")
