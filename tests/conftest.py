"""Every test session gets its own empty user data directory: no test reads or writes the
real one (imported catalog records, lesson progress)."""

from __future__ import annotations

import os
import tempfile

_DATA = tempfile.TemporaryDirectory(prefix="dockersim-test-data-")
os.environ["DOCKERSIM_DATA_DIR"] = _DATA.name  # before any test imports the catalog
