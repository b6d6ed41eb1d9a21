"""The window lesson's overlay and command hook, without opening a window: the window calls
``on_command(line, result)`` after running each line, exactly as here."""

from __future__ import annotations

from sim.cli.shell import run_hinted
from sim.lesson.gui import WindowLesson
from sim.lesson.load import find_lesson
from sim.lesson.progress import ProgressStore


def typed(wl: WindowLesson, line: str) -> None:
    result = run_hinted(wl.session.world, wl.session.host, line, None)
    wl.on_command(line, result)


def test_overlay_shows_goal_checklist_and_how_to_ask_for_a_hint():
    wl = WindowLesson(find_lesson("image-vs-container"))
    lines = wl.overlay()
    assert lines[0] == "Lesson: Image vs container"
    assert "  [ ] a container named web, made from nginx, is running" in lines
    assert lines[-1] == "Type '# hint' for a hint."


def test_hash_hint_shows_the_next_hint_then_the_solution():
    lesson = find_lesson("image-vs-container")
    wl = WindowLesson(lesson)
    for n in range(1, len(lesson.hints) + 1):
        typed(wl, "# hint")
        assert " ".join(wl.overlay()).startswith("Lesson: Image vs container Goal:")
        assert f"Hint {n}/{len(lesson.hints)}:" in " ".join(wl.overlay())
    typed(wl, "# hint")
    assert "No more hints. The reference solution: docker images;" in " ".join(wl.overlay())
    assert wl.session.typed == []  # hint requests are not commands


def test_reaching_the_goal_turns_the_overlay_into_the_quiz_and_saves(tmp_path):
    lesson = find_lesson("image-vs-container")
    store = ProgressStore(tmp_path)
    wl = WindowLesson(lesson, store=store)
    typed(wl, "docker run -d --name web nginx")
    assert "Goal reached!" in wl.overlay()
    assert store.get(lesson.name).done
    assert any(line.startswith("Quiz 1/3: How many images") for line in wl.overlay())
    typed(wl, "# answer 1")
    typed(wl, "# answer 3")
    typed(wl, "# answer 0")
    assert wl.overlay()[-1].startswith("Quiz: 2/3 right.")
    assert store.get(lesson.name).quiz_right == 2


def test_run_window_passes_the_sessions_explainer_and_the_view_options(monkeypatch):
    from sim.lesson import gui
    seen = {}

    def fake_play(world, host, **kwargs):
        seen.clear()
        seen.update(kwargs)
        return 0
    monkeypatch.setattr("sim.view.api.play", fake_play)
    lesson = find_lesson("image-vs-container")
    assert gui.run_window(lesson, True, None, {"present": True}) == 0
    assert seen["present"] and seen["hints"] and seen["explainer"].notes
    assert gui.run_window(lesson, False, None) == 0
    assert not seen["hints"] and seen["explainer"] is None and "present" not in seen
