"""Every shipped lesson works: its start state does not already meet the goal, its reference
solution reaches it, the quiz answers come from the model, and a learner's transcript matches
its golden (tests/golden/lessons/NAME.txt; regenerate with UPDATE_GOLDEN=1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.lesson.check import learner_input, transcript, why_failing
from sim.lesson.goal import show
from sim.lesson.session import LessonSession, replay

from .conftest import LESSONS

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "lessons"
IDS = [lesson.name for lesson in LESSONS]


def test_there_are_at_least_twelve_lessons_with_distinct_seeds_and_orders():
    assert len(LESSONS) >= 12
    assert len({lesson.seed for lesson in LESSONS}) == len(LESSONS)
    assert len({lesson.order for lesson in LESSONS}) == len(LESSONS)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_start_state_does_not_meet_the_goal(lesson):
    session = LessonSession(lesson)
    assert not session.goal().met
    assert not session.reached


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_reference_solution_reaches_the_goal(lesson):
    session, turns = replay(lesson)
    assert all("internal error" not in t.result.text for t in turns)
    status = session.goal()
    assert status.met, status.why_not()
    assert why_failing(lesson) is None


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_quiz_answers_are_the_models_and_only_those_are_right(lesson):
    session, _turns = replay(lesson)
    for q in lesson.quiz:
        truth = session.answer(q)
        assert session.mark(q, show(truth)), q.question
        wrong = ("no" if truth else "yes") if isinstance(truth, bool) else \
            str(truth) + "x" if isinstance(truth, str) else str(truth * 3 + 10)
        assert not session.mark(q, wrong), (q.question, wrong)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_learner_transcript_matches_golden(lesson):
    text = transcript(lesson)
    assert "internal error" not in text
    assert "*** Goal reached! ***" in text
    right = f"{len(lesson.quiz)}/{len(lesson.quiz)} quiz answers right"
    assert right in text
    golden = GOLDEN / f"{lesson.name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert golden.exists(), f"{golden.name} is missing: run UPDATE_GOLDEN=1 make test"
    assert text == golden.read_text(), f"{golden.name} differs"


@pytest.mark.parametrize("lesson", LESSONS[:3], ids=IDS[:3])
def test_same_seed_same_transcript(lesson):
    assert transcript(lesson) == transcript(lesson)


def test_learner_input_stops_at_the_line_that_reaches_the_goal():
    lesson = next(item for item in LESSONS if item.name == "writable-layer")
    lines = learner_input(lesson).splitlines()
    solution_part = lines[:len(lines) - len(lesson.quiz)]
    assert solution_part == lesson.solution[:len(solution_part)]
    assert len(solution_part) < len(lesson.solution)  # the last cat is after the goal
