"""Find, read and validate lesson files; a bad one is one line naming the file and key."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from ..scenario.schema import Scenario
from .schema import Lesson

LESSONS_DIR = Path(__file__).resolve().parents[2] / "scenarios" / "lessons"


class LessonError(Exception):
    """A lesson file that cannot be used; the message is the whole diagnosis."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _where(exc: ValidationError) -> str:
    """The first pydantic error as ``dotted.path: what was wrong``; an unknown key comes
    first, since a misspelt key also makes the right one look missing."""
    errors = exc.errors(include_url=False)
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    path = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    if kind == "value_error":
        message = str(error["ctx"]["error"])
    elif kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "missing":
        message = "missing required key"
    else:
        message = f"{error['msg'][:1].lower()}{error['msg'][1:]}, got {error['input']!r}"
    return f"{path}: {message}" if path else message


def load_lesson(path: str | Path) -> Lesson:
    """Read one lesson; its world's scenario fields are validated as a scenario would be."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LessonError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"{path}: {exc}") from None
    raw["name"] = path.stem
    try:
        lesson = Lesson.model_validate(raw)
    except ValidationError as exc:
        raise LessonError(f"{path}: {_where(exc)}") from None
    try:
        scenario(lesson)
    except ValidationError as exc:
        raise LessonError(f"{path}: start.scenario.{_where(exc)}") from None
    return lesson


def scenario(lesson: Lesson) -> Scenario:
    """The lesson's world as a scenario: its fields, the lesson's seed, no timeline."""
    return Scenario.model_validate({**lesson.start.scenario, "seed": lesson.seed})


def all_lessons(directory: Path = LESSONS_DIR) -> list[Lesson]:
    """Every lesson in the folder, in teaching order."""
    lessons = [load_lesson(p) for p in sorted(directory.glob("*.toml"))]
    return sorted(lessons, key=lambda item: (item.order, item.name))


def find_lesson(name: str, directory: Path = LESSONS_DIR) -> Lesson:
    """A lesson by name (its file stem), or by a path to a lesson file."""
    if name.endswith(".toml"):
        return load_lesson(name)
    path = directory / f"{name}.toml"
    if not path.exists():
        known = ", ".join(item.stem for item in sorted(directory.glob("*.toml")))
        raise LessonError(f"no lesson named {name!r} (lessons: {known})")
    return load_lesson(path)


__all__ = ["LESSONS_DIR", "LessonError", "all_lessons", "find_lesson",
           "load_lesson", "scenario"]
