"""A lesson session: start state, the goal after every line, hints in order."""

from __future__ import annotations

import pytest

from sim.lesson.load import find_lesson
from sim.lesson.schema import Lesson
from sim.lesson.session import LessonSession, SetupFailed, replay


@pytest.fixture
def lesson() -> Lesson:
    return find_lesson("one-image-many-containers")


def test_setup_runs_before_the_learner_arrives(lesson):
    session = LessonSession(lesson)
    assert [r.cmd for r in session.setup_results] == lesson.start.setup
    assert session.view.image("nginx") is not None
    assert session.typed == [] and not session.reached


def test_the_goal_is_checked_after_every_line_and_reached_once(lesson):
    session = LessonSession(lesson)
    turns = [session.submit(f"docker run -d --name w{i} nginx") for i in range(4)]
    assert [t.goal.met for t in turns] == [False, False, True, True]
    assert [t.reached_now for t in turns] == [False, False, True, False]
    assert session.typed == [f"docker run -d --name w{i} nginx" for i in range(4)]


def test_hints_come_in_order_then_run_out(lesson):
    session = LessonSession(lesson)
    assert [session.next_hint() for _ in lesson.hints] == lesson.hints
    assert session.next_hint() is None
    assert session.hints_used == len(lesson.hints)


def test_mistakes_get_the_explainer_hint_and_hints_can_be_off(lesson):
    on, off = LessonSession(lesson), LessonSession(lesson, hints=False)
    assert on.submit("docker stop nginx").result.hint.startswith("images don't run")
    assert off.submit("docker stop nginx").result.hint is None


def test_the_same_lesson_gives_the_same_ids(lesson):
    a, b = (replay(lesson)[0] for _ in range(2))
    assert sorted(a.view.engine.containers) == sorted(b.view.engine.containers)


def test_a_failing_setup_line_is_the_lessons_fault(lesson):
    broken = lesson.model_copy(update={"start": lesson.start.model_copy(
        update={"setup": ["docker pull no-such-image-anywhere"]})})
    with pytest.raises(SetupFailed, match="setup line 'docker pull no-such-image-anywhere' "
                       "failed: .*pull access denied"):
        LessonSession(broken)
