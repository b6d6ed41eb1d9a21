"""Every catalog test gets its own empty data directory, and a loader that forgets it."""

from __future__ import annotations

from .records import data_dir  # noqa: F401  (autouse for every catalog test)


