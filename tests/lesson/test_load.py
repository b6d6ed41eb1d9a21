"""Lesson files: the shipped ones load; a bad one is one line naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.lesson.load import LESSONS_DIR, LessonError, all_lessons, find_lesson, load_lesson

GOOD = '''
title = "T"
order = 1
seed = 1
summary = "S"
intro = ["I"]
hints = ["H"]
solution = ["docker run -d --name web nginx"]
debrief = "D"
[goal]
text = "G"
[[goal.checks]]
says = "web runs"
measure = "container_state"
name = "web"
value = "running"
[[quiz]]
question = "Q"
measure = "containers"
explain = "E"
'''


def write(tmp_path: Path, text: str, name: str = "x.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_good_file_loads_with_its_stem_as_name(tmp_path):
    lesson = load_lesson(write(tmp_path, GOOD, "my-lesson.toml"))
    assert lesson.name == "my-lesson"
    assert lesson.goal.checks[0].params == {"name": "web"}
    assert lesson.quiz[0].params == {}


@pytest.mark.parametrize(("change", "message"), [
    (("title = \"T\"", "titel = \"T\""), "x.toml: titel: unknown key"),
    (("measure = \"container_state\"", "measure = \"nope\""),
     "x.toml: goal.checks.0: unknown measure 'nope'"),
    (("name = \"web\"", "nam = \"web\""),
     "x.toml: goal.checks.0: measure 'container_state' takes no parameter 'nam'"),
    (("name = \"web\"\n", ""), "x.toml: goal.checks.0: measure 'container_state' needs 'name'"),
    (("hints = [\"H\"]", "hints = []"), "x.toml: hints: list should have at least 1 item"),
    (("seed = 1", "seed = \"1\""), "x.toml: seed: input should be a valid integer"),
    (("explain = \"E\"", "explain = \"E\"\n[start.scenario]\nseed = 3"),
     "x.toml: start.scenario.seed: not allowed in a lesson"),
    (("explain = \"E\"", "explain = \"E\"\n[start.scenario.hosts.a]\ndownlnk = \"1Gbit/s\""),
     "x.toml: start.scenario.hosts.a.downlnk: unknown key"),
    (("title = \"T\"", "title = "), "x.toml: "),
])
def test_a_bad_file_is_one_line_naming_file_and_key(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    text = info.value.message
    assert "\n" not in text
    assert text.startswith(f"{tmp_path}/{message}"), text


def test_missing_file(tmp_path):
    with pytest.raises(LessonError, match="no such file"):
        load_lesson(tmp_path / "none.toml")


def test_find_by_name_or_path_and_unknown_names_list_the_lessons():
    assert find_lesson("rmi-conflicts").title.startswith("Removing images")
    assert find_lesson(str(LESSONS_DIR / "rmi-conflicts.toml")).name == "rmi-conflicts"
    with pytest.raises(LessonError, match=r"no lesson named 'nope' \(lessons: .*build-cache"):
        find_lesson("nope")


def test_all_lessons_are_in_teaching_order():
    orders = [lesson.order for lesson in all_lessons()]
    assert orders == sorted(orders)
