"""A lesson in the window (``sim.view.api.play``): the overlay shows the goal's checklist,
the hint asked for and, once the goal holds, the quiz (the view wraps long lines); the
window runs typed lines itself and tells us each one through ``on_command``.

The learner asks for a hint with ``# hint`` and answers with ``# answer 3``: a comment is a
no-op for the shell, so nothing is added to Docker's output."""

from __future__ import annotations

from .goal import show
from .progress import ProgressStore, Record
from .schema import Lesson
from .session import LessonSession


class WindowLesson:
    def __init__(self, lesson: Lesson, hints: bool = True,
                 store: ProgressStore | None = None) -> None:
        self.lesson = lesson
        self.session = LessonSession(lesson, hints=hints)
        self.store = store
        self.hint = ""
        self.asked = 0  # quiz questions answered
        self.right = 0
        self.feedback = ""

    def overlay(self) -> list[str]:
        lesson, status = self.lesson, self.session.goal()
        lines = [f"Lesson: {lesson.title}"]
        if not self.session.reached:
            lines.append("Goal: " + lesson.goal.text)
            lines += [f"  {r.line()}" for r in status.results]
            lines.append(self.hint or "Type '# hint' for a hint.")
            return lines
        lines.append("Goal reached!")
        if self.feedback:
            lines.append(" ".join(self.feedback.split()))
        if self.asked < len(lesson.quiz):
            q = lesson.quiz[self.asked]
            lines.append(f"Quiz {self.asked + 1}/{len(lesson.quiz)}: {q.question}")
            lines.append("Answer with '# answer ...'.")
        else:
            lines.append(f"Quiz: {self.right}/{len(lesson.quiz)} right. Close the window "
                         "when done.")
        return lines

    def on_command(self, line: str, result) -> None:
        text = line.strip()
        if text in ("# hint", "hint"):
            hint = self.session.next_hint()
            n = self.session.hints_used
            self.hint = (f"Hint {n}/{len(self.lesson.hints)}: {hint}" if hint else
                         "No more hints. The reference solution: "
                         + "; ".join(self.lesson.solution))
            return
        if text.startswith("# answer") and self.session.reached:
            self.answer(text.removeprefix("# answer").strip())
            return
        turn = self.session.observe(line, result)
        if turn.reached_now:
            self.feedback = self.lesson.debrief
            self.save()

    def answer(self, given: str) -> None:
        if self.asked >= len(self.lesson.quiz):
            return
        q = self.lesson.quiz[self.asked]
        truth = show(self.session.answer(q))
        ok = self.session.mark(q, given)
        self.right += ok
        self.asked += 1
        self.feedback = (f"Right: {truth}. " if ok else f"Not quite: {truth}. ") + q.explain
        self.save()

    def save(self) -> None:
        if self.store is not None:
            self.store.save(self.lesson.name, Record(
                done=self.session.reached, hints_used=self.session.hints_used,
                quiz_right=self.right, quiz_total=len(self.lesson.quiz),
                commands=len(self.session.typed)))


def run_window(lesson: Lesson, hints: bool, store: ProgressStore | None,
               view_options: dict | None = None) -> int:
    """Open the window, its command line ready; ``view_options`` go to ``play`` as they
    are (e.g. present=True). Typed lines get the session's own explainer (its teaching
    notes), or none with ``hints=False``."""
    from ..view import api
    wl = WindowLesson(lesson, hints, store)
    console = api.Console()  # what the setup printed, under its prompts
    for result in wl.session.setup_results:
        console.add_result(wl.session.host, result)
    return api.play(wl.session.world, wl.session.host, title=f"dockersim lesson: "
                    f"{lesson.title}", overlay=wl.overlay, on_command=wl.on_command,
                    hints=hints, explainer=wl.session.explainer, console=console,
                    command_line=True, **(view_options or {}))


__all__ = ["WindowLesson", "run_window"]
