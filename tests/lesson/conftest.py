"""Lesson tests share the shipped lessons, loaded once, and keep progress in a tmp dir."""

from __future__ import annotations

import pytest

from sim.lesson.load import all_lessons

LESSONS = all_lessons()


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    """Never touch the real user data directory: each lesson test gets its own."""
    monkeypatch.setenv("DOCKERSIM_DATA_DIR", str(tmp_path / "data"))
