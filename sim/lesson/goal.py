"""The goal checker and the quiz marker: both ask the model, never the learner's typing.

A goal holds when every one of its checks holds at the same moment; what no check mentions
may differ. A quiz answer is right when it matches the measure's value now (numbers within
the question's tolerance, words case-insensitively, yes/no for booleans)."""

from __future__ import annotations

import operator
from dataclasses import dataclass

from .measures import ModelView, Value, run
from .schema import Check, Goal, Question

_OPS = {"==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le,
        ">": operator.gt, "<": operator.lt}


@dataclass(frozen=True)
class CheckResult:
    check: Check
    actual: Value
    ok: bool

    def line(self) -> str:
        mark = "[x]" if self.ok else "[ ]"
        return f"{mark} {self.check.says}"


@dataclass(frozen=True)
class GoalStatus:
    results: tuple[CheckResult, ...]

    @property
    def met(self) -> bool:
        return all(r.ok for r in self.results)

    def why_not(self) -> str:
        """The first unmet check, with what the model says instead."""
        for r in self.results:
            if not r.ok:
                return (f"{r.check.says} (measure {r.check.measure} is {show(r.actual)}, "
                        f"expected {r.check.op} {show(r.check.value)})")
        return ""


def show(value: Value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _compare(actual: Value, op: str, expected: Value) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return _OPS[op](bool(actual), bool(expected)) if op in ("==", "!=") else False
    if isinstance(expected, str) or isinstance(actual, str):
        return _OPS[op](str(actual), str(expected)) if op in ("==", "!=") else False
    return bool(_OPS[op](actual, expected))


def check_goal(goal: Goal, view: ModelView) -> GoalStatus:
    results = []
    for check in goal.checks:
        actual = run(view, check.measure, check.params)
        results.append(CheckResult(check, actual, _compare(actual, check.op, check.value)))
    return GoalStatus(tuple(results))


def answer_of(question: Question, view: ModelView) -> Value:
    return run(view, question.measure, question.params)


YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


def mark(question: Question, view: ModelView, answer: str) -> bool:
    """Is the learner's answer right, by the model as it is now?"""
    right = answer_of(question, view)
    given = answer.strip().lower()
    if isinstance(right, bool):
        return given in (YES if right else NO)
    if isinstance(right, int | float):
        number = given.removesuffix("mb").removesuffix("bytes").removesuffix("b").strip()
        try:
            value = float(number)
        except ValueError:
            return False
        slack = abs(right) * question.tolerance
        if isinstance(right, float):  # shown rounded to 0.1: accept what rounds to it
            slack = max(slack, 0.05)
        return abs(value - right) <= slack + 1e-9
    return given == str(right).lower()


__all__ = ["CheckResult", "GoalStatus", "answer_of", "check_goal", "mark", "show"]
