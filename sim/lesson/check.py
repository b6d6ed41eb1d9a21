"""Teacher checks: replay each lesson's reference solution headless and say why one fails.

A lesson passes when its setup runs, its start state does not already meet the goal, every
solution line runs without a simulator error, and the goal holds at the end."""

from __future__ import annotations

import io

from .goal import show
from .schema import Lesson
from .session import LessonSession, SetupFailed
from .terminal import Terminal


def why_failing(lesson: Lesson) -> str | None:
    """None when the lesson works, else one line saying what is wrong."""
    try:
        session = LessonSession(lesson)
    except SetupFailed as exc:
        return str(exc)
    if session.reached:
        return "the start state already meets the goal"
    for line in lesson.solution:
        turn = session.submit(line)
        if "internal error" in turn.result.text:
            return f"solution line {line!r}: {turn.result.text.strip()}"
    status = session.goal()
    if not status.met:
        return f"after the solution, not met: {status.why_not()}"
    return None


def learner_input(lesson: Lesson) -> str:
    """What a learner who follows the solution and answers right would type: solution lines
    up to the one that reaches the goal, then the quiz answers."""
    session = LessonSession(lesson)
    typed = []
    for line in lesson.solution:
        typed.append(line)
        if session.submit(line).goal.met:
            break
    typed += [show(session.answer(q)) for q in lesson.quiz]
    return "".join(f"{line}\n" for line in typed)


def transcript(lesson: Lesson) -> str:
    """The terminal transcript of that learner: the lesson's golden."""
    out = io.StringIO()
    Terminal(lesson, io.StringIO(learner_input(lesson)), out).run()
    return out.getvalue()


__all__ = ["learner_input", "transcript", "why_failing"]
