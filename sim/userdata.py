"""Where dockersim keeps what a user adds (imported catalog records, lesson progress):
``$DOCKERSIM_DATA_DIR`` when set (tests, classrooms with a shared folder), else platformdirs'
user data directory."""

from __future__ import annotations

import os
from pathlib import Path

ENV = "DOCKERSIM_DATA_DIR"


def data_dir() -> Path:
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_dir
    return Path(user_data_dir("dockersim", appauthor=False))
