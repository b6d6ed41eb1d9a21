"""Lesson tests share the shipped lessons, loaded once, and keep progress in a tmp dir."""

from __future__ import annotations

import pytest

from sim.lesson.load import all_lessons

LESSONS = all_lessons()


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    """Never touch the real user data directory: platformdirs answers with a tmp dir."""
    import platformdirs
    monkeypatch.setattr(platformdirs, "user_data_dir",
                        lambda *a, **k: str(tmp_path / "data"))
