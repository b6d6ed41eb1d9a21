"""Progress through the lessons, kept in the user's data directory (``sim.userdata``).

One small JSON file, written whole to a temporary file and renamed into place, so an
interrupted write never leaves half a file. A file that cannot be read is reported in one
line; it is never silently replaced."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from ..userdata import ENV, data_dir

FILE = "lessons-progress.json"


class ProgressError(Exception):
    pass


@dataclass
class Record:
    done: bool = False
    hints_used: int = 0
    quiz_right: int = 0
    quiz_total: int = 0
    commands: int = 0


class ProgressStore:
    def __init__(self, directory: Path | None = None) -> None:
        self.path = (directory or data_dir()) / FILE

    def load(self) -> dict[str, Record]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {name: Record(**fields) for name, fields in raw["lessons"].items()}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ProgressError(f"{self.path}: unreadable progress file ({exc}); "
                                "remove it or run: dockersim lesson --reset") from None

    def get(self, name: str) -> Record:
        return self.load().get(name, Record())

    def save(self, name: str, record: Record) -> None:
        """Record one lesson's outcome; a finished lesson stays finished."""
        records = self.load()
        old = records.get(name)
        if old is not None and old.done and not record.done:
            return
        records[name] = record
        self._write(records)

    def reset(self) -> bool:
        """Forget all progress; True if there was any."""
        if not self.path.exists():
            return False
        self.path.unlink()
        return True

    def check_writable(self) -> None:
        """Before a lesson starts: can its outcome be saved? (Not after the quiz.)"""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = "not a folder" if isinstance(exc, FileExistsError) else exc.strerror
            raise ProgressError(f"{folder}: cannot keep lesson progress there ({why}); set "
                                f"{ENV} to a folder you can write") from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ProgressError(f"{folder}: cannot keep lesson progress there (not "
                                f"writable); set {ENV} to a folder you can write")

    def _write(self, records: dict[str, Record]) -> None:
        self.check_writable()
        data = {"version": 1, "lessons": {n: asdict(r) for n, r in sorted(records.items())}}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.write("\n")
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


__all__ = ["ProgressError", "ProgressStore", "Record", "data_dir"]
