"""Every catalog test gets its own empty data directory, and a loader that forgets it."""

from __future__ import annotations

import pytest

from sim.catalog import loader, store


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, str(tmp_path / "data"))
    loader.reload()
    yield tmp_path / "data"
    monkeypatch.undo()
    loader.reload()
