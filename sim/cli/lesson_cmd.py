"""``dockersim lesson``: the classroom. Lists lessons with progress, runs one (in the
terminal, or in the window when a display is there), checks every reference solution, and
renders a lesson's solution to a video for slides."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable

NAME = "dockersim lesson"


def register(sub) -> dict[str, Callable[[argparse.Namespace], int]]:
    p = sub.add_parser("lesson", help="lessons with goals, hints and a quiz",
                       description="Without NAME: the lessons and your progress. With NAME: "
                       "play that lesson.")
    p.add_argument("name", nargs="?", metavar="NAME", help="a lesson (see the list)")
    p.add_argument("--list", action="store_true", help="list the lessons (the default)")
    p.add_argument("--json", action="store_true", help="with --list: JSON")
    p.add_argument("--reset", action="store_true", help="forget all lesson progress")
    p.add_argument("--check-all", action="store_true",
                   help="replay every reference solution headless: PASS/FAIL per lesson")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--gui", action="store_true", help="play in the window")
    mode.add_argument("--terminal", action="store_true", help="play in the terminal")
    p.add_argument("--no-hints", action="store_true",
                   help="no 'hint (dockersim): ...' lines after mistakes")
    p.add_argument("--present", action="store_true",
                   help="large-font presentation mode in the window (for a projector)")
    p.add_argument("--render", metavar="OUT",
                   help="render NAME's reference solution to OUT (.mp4, .gif or a folder)")
    return {"lesson": run}


def _fail(message: str) -> SystemExit:
    return SystemExit(f"{NAME}: {message}")


def _lessons():
    from ..lesson.load import LessonError, all_lessons
    try:
        return all_lessons()
    except LessonError as exc:
        raise _fail(exc.message) from None


def _store():
    from ..lesson.progress import ProgressStore
    return ProgressStore()


def _writable(store) -> None:
    from ..lesson.progress import ProgressError
    try:
        store.check_writable()
    except ProgressError as exc:
        raise _fail(str(exc)) from None


def _records(store) -> dict:
    from ..lesson.progress import ProgressError
    try:
        return store.load()
    except ProgressError as exc:
        raise _fail(str(exc)) from None


def list_lessons(as_json: bool) -> int:
    from ..lesson.progress import Record
    lessons, records = _lessons(), _records(_store())
    rows = []
    for lesson in lessons:
        rec = records.get(lesson.name, Record())
        rows.append({"name": lesson.name, "order": lesson.order, "title": lesson.title,
                     "summary": lesson.summary, "done": rec.done,
                     "quiz_right": rec.quiz_right, "quiz_total": len(lesson.quiz),
                     "hints_used": rec.hints_used, "started": lesson.name in records})
    if as_json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    width = max(len(r["name"]) for r in rows)
    print(f"  #  {'LESSON':<{width}}  PROGRESS  QUIZ  TITLE")
    for r in rows:
        state = "done" if r["done"] else "started" if r["started"] else "-"
        quiz = f"{r['quiz_right']}/{r['quiz_total']}" if r["done"] else "-"
        print(f"{r['order']:>3}  {r['name']:<{width}}  {state:<8}  {quiz:<4}  {r['title']}")
    done = sum(r["done"] for r in rows)
    print(f"\n{done}/{len(rows)} done. Start one with: dockersim lesson {rows[0]['name']}")
    return 0


def check_all() -> int:
    from ..lesson.check import why_failing
    failed = 0
    for lesson in _lessons():
        why = why_failing(lesson)
        print(f"PASS {lesson.name}" if why is None else f"FAIL {lesson.name}: {why}",
              flush=True)
        failed += why is not None
    return 1 if failed else 0


def render(lesson, out: str, present: bool) -> int:
    from ..lesson.session import LessonSession
    try:
        from ..view import api
        from ..view.record import RenderError
    except ImportError:
        raise _fail("--render needs the view (sim.view), which is not installed") from None
    session = LessonSession(lesson)
    console = api.Console()
    for result in session.setup_results:
        console.add_result(session.host, result)
    for line in lesson.solution:  # each output under its own prompt, even at one instant
        console.run(session.world, session.host, lambda line=line: session.submit(line).result)
    try:
        path = api.render(session.world, out, title=f"Lesson: {lesson.title}",
                          console=console, **_present(present))
    except RenderError as exc:
        raise _fail(f"--render {out}: {exc}") from None
    print(f"wrote {path}")
    return 0


def _present(present: bool) -> dict:
    """``present=True`` for the view's large-font mode (the window or a render)."""
    return {"present": True} if present else {}


def _display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except BrokenPipeError:  # `dockersim lesson | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    if args.reset:
        gone = _store().reset()
        print("lesson progress cleared" if gone else "no lesson progress to clear")
        if not args.name:
            return 0
    if args.check_all:
        if args.name:
            raise _fail("--check-all checks every lesson; leave out NAME")
        return check_all()
    if args.json and not (args.list or not args.name):
        raise _fail("--json goes with --list")
    if args.list or not args.name:
        if args.render:
            raise _fail("--render needs a lesson NAME")
        return list_lessons(args.json)
    from ..lesson.load import LessonError, find_lesson
    from ..lesson.session import SetupFailed
    try:
        lesson = find_lesson(args.name)
    except LessonError as exc:
        raise _fail(exc.message) from None
    try:
        if args.render:
            return render(lesson, args.render, args.present)
        store = _store()
        _records(store)  # an unreadable progress file is reported before the lesson starts
        _writable(store)  # and so is a folder that could not keep the outcome
        if args.gui and not _display():
            raise _fail("--gui needs a display (DISPLAY is not set); play in the terminal "
                        f"(--terminal) or make a video: --render {lesson.name}.gif")
        if args.gui or (not args.terminal and _display() and sys.stdin.isatty()):
            from ..lesson.gui import run_window
            return run_window(lesson, not args.no_hints, store,
                              _present(args.present))
        if args.present:
            raise _fail("--present is for the window (--gui)")
        from ..lesson.terminal import run_terminal
        return run_terminal(lesson, not args.no_hints, store)
    except SetupFailed as exc:
        raise _fail(str(exc)) from None


__all__ = ["register", "run"]
