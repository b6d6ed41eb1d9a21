"""One learner's run of a lesson: the world in its start state, every typed line run as the
shell runs it (with the mistake explainer on), the goal checked after each, hints in order.

The terminal, the window and the reference replay all drive this one object, so they agree
on what a lesson is."""

from __future__ import annotations

from dataclasses import dataclass

from ..cli.hints import Explainer
from ..cli.runner import Result
from ..cli.shell import run_hinted
from ..scenario.build import build_world
from .goal import GoalStatus, answer_of, check_goal, mark
from .load import LESSONS_DIR, scenario
from .measures import ModelView, Value
from .schema import Lesson, Question


class SetupFailed(Exception):
    """A lesson's setup line failed: the lesson file is wrong, not the learner."""


@dataclass
class Turn:
    result: Result
    goal: GoalStatus
    reached_now: bool  # the goal holds after this line and did not before


class LessonSession:
    def __init__(self, lesson: Lesson, hints: bool = True) -> None:
        self.lesson = lesson
        self.world = build_world(scenario(lesson), base_dir=LESSONS_DIR)
        self.host = next(iter(self.world.hosts))
        self.view = ModelView(self.world, self.host)
        self.explainer = Explainer(notes=True) if hints else None
        self.hints_used = 0
        self.typed: list[str] = []
        self.setup_results: list[Result] = []
        for line in lesson.start.setup:
            result = run_hinted(self.world, self.host, line, None)
            if result.exit_code != 0:
                raise SetupFailed(f"lesson {lesson.name}: setup line {line!r} failed: "
                                  f"{(result.stderr or result.stdout).strip()}")
            self.setup_results.append(result)
        self.reached = self.goal().met

    def goal(self) -> GoalStatus:
        return check_goal(self.lesson.goal, self.view)

    def submit(self, line: str) -> Turn:
        """Run one line the learner typed and check the goal afterwards."""
        return self.observe(line, run_hinted(self.world, self.host, line, self.explainer))

    def observe(self, line: str, result: Result) -> Turn:
        """Take note of a line run elsewhere (the window runs its own) and check the goal."""
        self.typed.append(line)
        status = self.goal()
        reached_now = status.met and not self.reached
        self.reached = self.reached or status.met
        return Turn(result, status, reached_now)

    def next_hint(self) -> str | None:
        """The next hint in order, or None when all were given."""
        if self.hints_used >= len(self.lesson.hints):
            return None
        self.hints_used += 1
        return self.lesson.hints[self.hints_used - 1]

    def answer(self, question: Question) -> Value:
        return answer_of(question, self.view)

    def mark(self, question: Question, given: str) -> bool:
        return mark(question, self.view, given)


def replay(lesson: Lesson) -> tuple[LessonSession, list[Turn]]:
    """Play the reference solution headless: the session and each line's turn."""
    session = LessonSession(lesson)
    return session, [session.submit(line) for line in lesson.solution]


__all__ = ["LessonSession", "SetupFailed", "Turn", "replay"]
