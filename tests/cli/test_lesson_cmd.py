"""``dockersim lesson``: list with progress, --json, --reset, --check-all, playing in the
terminal from stdin, --render wiring, and one-line errors for bad input."""

from __future__ import annotations

import io
import json

import pytest

from sim.cli.app import main
from sim.lesson.load import all_lessons

LESSONS = all_lessons()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERSIM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return tmp_path / "data"


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["lesson", *argv])
    return code, capsys.readouterr().out


def test_list_shows_every_lesson_in_order_with_progress(capsys):
    code, out = run(capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["#", "LESSON", "PROGRESS", "QUIZ", "TITLE"]
    names = [line.split()[1] for line in lines[1:len(LESSONS) + 1]]
    assert names == [lesson.name for lesson in LESSONS]
    assert f"0/{len(LESSONS)} done." in out


def test_list_json(capsys):
    code, out = run(capsys, "--list", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["name"] for r in rows] == [lesson.name for lesson in LESSONS]
    assert set(rows[0]) == {"name", "order", "title", "summary", "done", "quiz_right",
                            "quiz_total", "hints_used", "started"}
    assert not any(r["done"] for r in rows)


def test_play_from_stdin_then_the_list_shows_it_done_and_reset_clears_it(capsys,
                                                                         monkeypatch):
    code, out = run(capsys, "image-vs-container", stdin="docker run -d --name web nginx\n"
                    "1\n7\n0\n", monkeypatch=monkeypatch)
    assert code == 0 and "3/3 quiz answers right" in out
    rows = json.loads(run(capsys, "--list", "--json")[1])
    first = next(r for r in rows if r["name"] == "image-vs-container")
    assert first["done"] and first["quiz_right"] == 3
    assert run(capsys, "--reset")[1] == "lesson progress cleared\n"
    assert run(capsys, "--reset")[1] == "no lesson progress to clear\n"
    assert not any(r["done"] for r in json.loads(run(capsys, "--list", "--json")[1]))


def test_check_all_passes_every_lesson(capsys):
    code, out = run(capsys, "--check-all")
    assert code == 0
    assert out.splitlines() == [f"PASS {lesson.name}" for lesson in LESSONS]


def test_check_all_fails_a_broken_lesson(capsys, monkeypatch):
    broken = LESSONS[0].model_copy(update={"solution": ["docker ps"]})
    monkeypatch.setattr("sim.lesson.load.all_lessons", lambda *a: [broken])
    code, out = run(capsys, "--check-all")
    assert code == 1
    assert out == ("FAIL image-vs-container: after the solution, not met: a container named "
                   "web, made from nginx, is running (measure containers is 0, expected >= 1)\n")


def test_render_replays_the_solution_into_the_view(capsys, monkeypatch, tmp_path):
    from sim.view import api
    seen = {}

    def fake_render(world, out, **kw):
        seen.update(world=world, out=out, **kw)
        return tmp_path / "x.mp4"
    monkeypatch.setattr(api, "render", fake_render)
    code, out = run(capsys, "one-image-many-containers", "--render", str(tmp_path / "x.mp4"))
    assert code == 0 and out == f"wrote {tmp_path / 'x.mp4'}\n"
    engine = seen["world"].hosts["host1"].engine
    assert sum(c.state == "running" for c in engine.containers.values()) == 3
    assert seen["title"] == "Lesson: One image, many containers"
    assert any("web3" in str(line) for line in seen["console"].lines)


@pytest.mark.parametrize(("argv", "message"), [
    (["nope"], "dockersim lesson: no lesson named 'nope' (lessons: "),
    (["--check-all", "rmi-conflicts"], "dockersim lesson: --check-all checks every lesson"),
    (["--render", "x.mp4"], "dockersim lesson: --render needs a lesson NAME"),
    (["rmi-conflicts", "--json"], "dockersim lesson: --json goes with --list"),
    (["rmi-conflicts", "--terminal", "--present"],
     "dockersim lesson: --present is for the window (--gui)"),
    (["rmi-conflicts", "--gui"], "dockersim lesson: --gui needs a display (DISPLAY is not "
                                 "set); play in the terminal (--terminal) or make a video"),
])
def test_bad_input_is_one_line_and_a_nonzero_exit(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        main(["lesson", *argv])
    assert str(info.value.code).startswith(message)
    assert "\n" not in str(info.value.code)


def test_an_unreadable_progress_file_is_reported_not_replaced(capsys, data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "lessons-progress.json").write_text("[broken")
    with pytest.raises(SystemExit) as info:
        main(["lesson"])
    assert "unreadable progress file" in str(info.value.code)
    assert (data_dir / "lessons-progress.json").read_text() == "[broken"


def test_a_data_dir_that_cannot_keep_progress_stops_the_lesson_before_it_starts(
        capsys, data_dir, monkeypatch):
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_text("")  # a file where the folder should be
    monkeypatch.setattr("sys.stdin", io.StringIO("docker run -d --name web nginx\n"))
    with pytest.raises(SystemExit, match=r"^dockersim lesson: .*: cannot keep lesson progress "
                                         r"there \(not a folder\)"):
        main(["lesson", "image-vs-container", "--terminal"])
    assert capsys.readouterr().out == ""  # no intro: nothing was played for nothing
