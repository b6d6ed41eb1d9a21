"""A lesson in the terminal: intro, goal, a prompt that checks the goal after every line,
hints on request, then the debrief and the quiz, and the outcome saved as progress.

Driven from a pipe it reads one line at a time and echoes each as ``lesson> <line>``, so a
transcript reads like a session (the lesson goldens are such transcripts)."""

from __future__ import annotations

import sys
import textwrap
from typing import IO

from ..cli.hints import PREFIX
from .goal import GoalStatus, show
from .progress import ProgressStore, Record
from .schema import Lesson
from .session import LessonSession

PROMPT = "lesson> "
LOOK = ("hint", "goal", "intro", "solution")  # words that are never a quiz answer
WIDTH = 88
HELP = ("Type docker commands as in a terminal. Also: 'hint' (the next hint), 'goal' (what "
        "is left), 'intro' (read the intro again), 'solution' (the reference commands), "
        "'quit'.")


class Terminal:
    def __init__(self, lesson: Lesson, inp: IO[str], out: IO[str], hints: bool = True,
                 store: ProgressStore | None = None, interactive: bool = False) -> None:
        self.lesson = lesson
        self.inp, self.out = inp, out
        self.store = store
        self.interactive = interactive
        self.session = LessonSession(lesson, hints=hints)
        self.checks_done = sum(r.ok for r in self.session.goal().results)

    # ---- output --------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def para(self, text: str, indent: str = "") -> None:
        for block in text.strip().split("\n\n"):
            self.say(textwrap.fill(" ".join(block.split()), WIDTH, initial_indent=indent,
                                   subsequent_indent=" " * len(indent)))
            self.say()

    def goal_lines(self, status: GoalStatus) -> None:
        self.para(self.lesson.goal.text, "Goal: ")
        for r in status.results:
            self.say(f"  {r.line()}")

    def read(self, prompt: str) -> str | None:
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                self.say()
                return None
            except KeyboardInterrupt:  # Ctrl-C drops the line typed so far, as in the shell
                self.say()
                return ""
        line = self.inp.readline()
        if not line:
            return None
        line = line.rstrip("\n")
        self.say(f"{prompt}{line}")
        return line

    # ---- the lesson ----------------------------------------------------------------
    def run(self) -> int:
        lesson = self.lesson
        self.say(f"== {lesson.title} ==")
        self.say()
        for page in lesson.intro:
            self.para(page)
        self.goal_lines(self.session.goal())
        self.say()
        self.say(textwrap.fill(HELP, WIDTH))
        while not self.session.reached:
            line = self.read(PROMPT)
            if line is None:
                self.save(done=False)
                self.say("(left the lesson; progress saved)")
                return 0
            if not self.command(line.strip()):
                self.save(done=False)
                return 0
        self.say()
        self.say("*** Goal reached! ***")
        self.goal_lines(self.session.goal())
        self.say()
        self.para(lesson.debrief)
        right = self.quiz()
        self.save(done=True, quiz_right=right)
        self.say(f"Lesson '{lesson.name}' done: {right}/{len(lesson.quiz)} quiz answers right, "
                 f"{self.session.hints_used} hint(s) used.")
        return 0

    def command(self, line: str) -> bool:
        """Handle one line; False to leave the lesson."""
        if line in ("quit", "exit"):
            self.say("(left the lesson; progress saved)")
            return False
        if line == "hint":
            text = self.session.next_hint()
            n, total = self.session.hints_used, len(self.lesson.hints)
            self.para(text if text else "No more hints: type 'solution' to see the "
                      "reference commands.", f"hint {n}/{total}: " if text else "")
            return True
        if line == "goal":
            self.goal_lines(self.session.goal())
            return True
        if line == "intro":
            for page in self.lesson.intro:
                self.para(page)
            return True
        if line == "solution":
            for cmd in self.lesson.solution:
                self.say(f"  {cmd}")
            return True
        if not line:
            return True
        turn = self.session.submit(line)
        self.show(turn.result)
        done = sum(r.ok for r in turn.goal.results)
        changed, self.checks_done = done != self.checks_done, done
        if not turn.goal.met and changed:
            self.say(f"(goal: {done}/{len(turn.goal.results)} done; 'goal' shows what is "
                     "left)")
        return True

    def show(self, result) -> None:
        """Docker's output as printed, then the simulator's hint on its own line."""
        self.out.write(result.text)
        if result.text and not result.text.endswith("\n"):
            self.out.write("\n")
        if result.hint:
            self.say(f"{PREFIX}{result.hint}")

    def quiz(self) -> int:
        right = 0
        self.say("Quiz: answer from what you see; docker commands still work here "
                 "(docker images, docker ps -s, docker system df).")
        for i, q in enumerate(self.lesson.quiz, 1):
            self.para(q.question, f"Q{i}. ")
            given = self.read("answer> ")
            while given is not None and (given.strip().startswith("docker ")
                                         or given.strip() in LOOK or not given.strip()):
                self.command(given.strip())  # an empty line (or Ctrl-C) asks again
                given = self.read("answer> ")
            if given is None or given.strip() in ("quit", "exit"):
                break
            truth = show(self.session.answer(q))
            if self.session.mark(q, given):
                right += 1
                self.say(f"Right: {truth}.")
            else:
                self.say(f"Not quite: the model says {truth}.")
            self.para(q.explain, "  ")
        return right

    def save(self, done: bool, quiz_right: int = 0) -> None:
        if self.store is None:
            return
        self.store.save(self.lesson.name, Record(
            done=done, hints_used=self.session.hints_used, quiz_right=quiz_right,
            quiz_total=len(self.lesson.quiz), commands=len(self.session.typed)))


def run_terminal(lesson: Lesson, hints: bool, store: ProgressStore | None) -> int:
    interactive = sys.stdin.isatty()
    term = Terminal(lesson, sys.stdin, sys.stdout, hints, store, interactive)
    if interactive:
        try:
            import readline  # line editing and tab completion, as in dockersim shell
        except ImportError:  # pragma: no cover - not on Linux
            readline = None
        if readline is not None:
            from ..cli.complete import Completer
            readline.set_completer(Completer(term.session.world, term.session.host).complete)
            readline.set_completer_delims(" \t")
            readline.parse_and_bind("tab: complete")
    return term.run()


__all__ = ["PROMPT", "Terminal", "run_terminal"]
