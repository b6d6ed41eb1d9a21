"""The goal checker's strictness and the quiz marker, on a small typed world."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.cli.runner import execute
from sim.lesson.goal import _compare, check_goal, mark
from sim.lesson.measures import ModelView
from sim.lesson.schema import Check, Goal, Question
from sim.world.world import World, WorldConfig


@pytest.fixture
def view() -> ModelView:
    world = World(WorldConfig(seed=4))
    for line in ("docker run -d --name a nginx", "docker run -d --name b nginx"):
        execute(world, "host1", line)
    return ModelView(world, "host1")


def goal(*checks: Check) -> Goal:
    return Goal(text="g", checks=list(checks))


TWO = Check(says="two run", measure="containers", image="nginx", state="running", value=2)
THREE = Check(says="3+ run", measure="containers", image="nginx", state="running", op=">=",
              value=3)


def test_all_checks_must_hold_together(view):
    assert check_goal(goal(TWO), view).met
    status = check_goal(goal(TWO, THREE), view)
    assert not status.met
    assert [r.ok for r in status.results] == [True, False]
    assert status.why_not() == "3+ run (measure containers is 2, expected >= 3)"
    assert [r.line() for r in status.results] == ["[x] two run", "[ ] 3+ run"]


def test_what_no_check_mentions_may_differ(view):
    execute(view.world, "host1", "docker run -d --name other alpine sleep 60")
    execute(view.world, "host1", "docker volume create spare")
    assert check_goal(goal(TWO), view).met


def test_booleans_and_words_compare_only_for_equality():
    assert _compare(True, "==", True) and not _compare(True, "==", False)
    assert _compare("running", "!=", "exited")
    assert not _compare("b", ">", "a")  # no ordering of words in a goal


@given(st.integers(-100, 100), st.integers(-100, 100))
def test_numbers_compare_as_numbers(a, b):
    assert _compare(a, ">=", b) == (a >= b)
    assert _compare(a, "<", b) == (a < b)
    assert _compare(a, "==", b) == (a == b)


@pytest.mark.parametrize(("answer", "right"), [
    ("2", True), (" 2 ", True), ("2.0", True), ("two", False), ("3", False), ("", False)])
def test_integer_answers(view, answer, right):
    q = Question(question="q", measure="containers", explain="e")
    assert mark(q, view, answer) is right


@pytest.mark.parametrize(("answer", "right"), [
    ("yes", True), ("Y", True), ("true", True), ("no", False), ("maybe", False)])
def test_yes_no_answers(view, answer, right):
    q = Question(question="q", measure="image_exists", ref="nginx", explain="e")
    assert mark(q, view, answer) is right


def test_word_answers_ignore_case(view):
    q = Question(question="q", measure="container_state", name="a", explain="e")
    assert mark(q, view, "Running") and not mark(q, view, "exited")


def test_size_answers_within_tolerance(view):
    q = Question(question="q", measure="disk_mb", tolerance=0.05, explain="e")
    truth = view.engine.disk_bytes() / 1e6
    assert mark(q, view, f"{truth * 1.04:.1f}")
    assert mark(q, view, f"{truth:.0f}MB")
    assert not mark(q, view, f"{truth * 1.2:.1f}")
