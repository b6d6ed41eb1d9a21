"""The terminal lesson: prompt, hint/goal/intro/solution/quit, the quiz, progress saved."""

from __future__ import annotations

import io

import pytest

from sim.lesson.load import find_lesson
from sim.lesson.progress import ProgressStore
from sim.lesson.terminal import Terminal


@pytest.fixture
def lesson():
    return find_lesson("image-vs-container")


def play(lesson, typed: str, tmp_path=None, hints: bool = True) -> tuple[str, ProgressStore]:
    store = ProgressStore(tmp_path) if tmp_path else None
    out = io.StringIO()
    assert Terminal(lesson, io.StringIO(typed), out, hints, store).run() == 0
    return out.getvalue(), store


def test_intro_goal_and_help_come_first(lesson):
    text, _ = play(lesson, "")
    assert text.startswith("== Image vs container ==\n")
    assert "Goal: A running container named web" in text
    assert "  [ ] a container named web, made from nginx, is running" in text
    assert "'hint' (the next hint)" in text


def test_hints_in_order_and_then_none_left(lesson):
    text, _ = play(lesson, "hint\nhint\nhint\nhint\n")
    assert "hint 1/3: docker images shows the image you have." in text
    assert "hint 3/3: Give it a name" in text
    assert "No more hints: type 'solution'" in text


def test_goal_intro_and_solution_commands(lesson):
    text, _ = play(lesson, "goal\nintro\nsolution\n")
    assert text.count("[ ] a container named web") == 2
    assert text.count("An image is a read-only, layered blueprint") == 2
    assert "  docker run -d --name web nginx\n" in text


def test_a_mistake_shows_dockers_error_then_the_marked_hint(lesson):
    text, _ = play(lesson, "docker stop nginx\n")
    assert ("lesson> docker stop nginx\nError response from daemon: No such container: nginx\n"
            "hint (dockersim): images don't run") in text


def test_no_hints_mode(lesson):
    text, _ = play(lesson, "docker stop nginx\n", hints=False)
    assert "hint (dockersim)" not in text


def test_finishing_runs_debrief_and_quiz_and_saves_progress(lesson, tmp_path):
    text, store = play(lesson, "hint\ndocker run -d --name web nginx\n1\n9\n0\n", tmp_path)
    assert "*** Goal reached! ***" in text
    assert "docker run made a new container from the nginx image" in text
    assert "Right: 1." in text and "Not quite: the model says 7." in text
    assert "done: 2/3 quiz answers right, 1 hint(s) used." in text
    rec = store.get("image-vs-container")
    assert (rec.done, rec.quiz_right, rec.quiz_total, rec.hints_used, rec.commands) == \
        (True, 2, 3, 1, 1)


def test_quit_and_end_of_input_save_unfinished_progress(lesson, tmp_path):
    text, store = play(lesson, "docker images\nquit\ndocker run -d --name web nginx\n",
                       tmp_path)
    assert "(left the lesson; progress saved)" in text and "Goal reached" not in text
    assert not store.get("image-vs-container").done
    assert store.get("image-vs-container").commands == 1
    text, _ = play(lesson, "docker images\n", tmp_path)
    assert text.endswith("(left the lesson; progress saved)\n")


def test_goal_progress_is_reported_only_when_it_changes():
    lesson = find_lesson("one-image-many-containers")
    text, _ = play(lesson, "docker run -d --name a nginx\ndocker images\n")
    assert "(goal:" not in text  # two of three checks held from the start, nothing changed


def test_docker_commands_still_run_during_the_quiz(lesson):
    text, _ = play(lesson, "docker run -d --name web nginx\ndocker images -q\n1\ngoal\n7\n0\n")
    assert "answer> docker images -q\n4e5db4761e0f\nanswer> 1\nRight: 1." in text
    assert "answer> goal\nGoal: " in text
    assert "3/3 quiz answers right" in text


def test_ctrl_c_at_the_prompt_drops_the_line_and_asks_again(lesson, monkeypatch):
    typed = iter([KeyboardInterrupt, "docker run -d --name web nginx", KeyboardInterrupt,
                  "1", "7", "0"])

    def fake_input(prompt: str) -> str:
        item = next(typed)
        if item is KeyboardInterrupt:
            raise KeyboardInterrupt
        return item
    monkeypatch.setattr("builtins.input", fake_input)
    out = io.StringIO()
    assert Terminal(lesson, io.StringIO(), out, interactive=True).run() == 0
    text = out.getvalue()
    assert "*** Goal reached! ***" in text
    assert "3/3 quiz answers right" in text  # the Ctrl-C was not taken as a wrong answer


def test_an_empty_quiz_answer_asks_again(lesson):
    text, _ = play(lesson, "docker run -d --name web nginx\n\n1\n7\n0\n")
    assert "answer> \nanswer> 1\nRight: 1." in text
    assert "3/3 quiz answers right" in text
