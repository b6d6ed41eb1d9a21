"""What a lesson file may say, checked before a learner sees it.

A lesson is: a title, intro pages, a start state (scenario fields for the world, then setup
command lines typed before the learner arrives), a goal (checks over the model), ordered
hints, a reference solution (command lines), a debrief and quiz questions answered from the
model. Unknown keys are errors, as in scenarios, so a typo never silently weakens a goal.

Goal strictness: every check listed must hold at once; anything a check does not mention
may differ (extra containers, other images, names, IDs, timing).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from .measures import MEASURES, parameters

OPS = ("==", "!=", ">=", "<=", ">", "<")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Measured(BaseModel):
    """A measure and its parameters, written flat: ``measure = "containers"``,
    ``image = "nginx"``. Extra keys are the measure's parameters, checked against it."""

    model_config = ConfigDict(extra="allow", frozen=True)
    measure: str

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.__pydantic_extra__ or {})

    @model_validator(mode="after")
    def _known_measure(self) -> _Measured:
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r} (measures: "
                             f"{', '.join(sorted(MEASURES))})")
        allowed, required = parameters(self.measure)
        unknown = sorted(set(self.params) - allowed)
        if unknown:
            raise ValueError(f"measure {self.measure!r} takes no parameter {unknown[0]!r} "
                             f"(it takes: {', '.join(sorted(allowed)) or 'nothing'})")
        missing = sorted(required - set(self.params))
        if missing:
            raise ValueError(f"measure {self.measure!r} needs {missing[0]!r}")
        return self


class Check(_Measured):
    """One condition of a goal: ``measure(params) op value``; ``says`` is how the learner
    reads it in the goal list."""

    says: Text
    op: Literal["==", "!=", ">=", "<=", ">", "<"] = "=="
    value: int | float | bool | str


class Goal(_Strict):
    text: Text
    checks: list[Check] = Field(min_length=1)


class Question(_Measured):
    """A quiz question; the right answer is the measure's value once the goal is reached.
    ``tolerance`` is relative, for sizes (0.05: within 5 %)."""

    question: Text
    tolerance: float = Field(default=0.0, ge=0.0, le=0.5)
    explain: Text


class Start(_Strict):
    scenario: dict[str, Any] = Field(default_factory=dict)  # seed, contexts, workloads, ...
    setup: list[Text] = Field(default_factory=list)


class Lesson(_Strict):
    name: str = ""  # the file's stem, set by the loader
    title: Text
    order: StrictInt
    seed: StrictInt
    summary: Text
    intro: list[Text] = Field(min_length=1)
    start: Start = Field(default_factory=Start)
    goal: Goal
    hints: list[Text] = Field(min_length=1)
    solution: list[Text] = Field(min_length=1)
    debrief: Text
    quiz: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _scenario_fields(self) -> Lesson:
        bad = sorted(set(self.start.scenario) & {"seed", "steps"})
        if bad:
            raise ValueError(f"start.scenario.{bad[0]}: not allowed in a lesson (the lesson's "
                             "own seed and solution take that place)")
        return self


__all__ = ["Check", "Goal", "Lesson", "OPS", "Question", "Start"]
