"""A build stage's state between steps, and how BuildKit records steps in image history."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..model.layer import FileEntry, Layer
from ..model.unionfs import MergedFS

BUILDKIT_COMMENT = "buildkit.dockerfile.v0"
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass
class StageState:
    key: str  # cache key of the state so far
    layers: list[Layer] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)  # Env, Cmd, WorkingDir, User, ...
    history: list[dict[str, Any]] = field(default_factory=list)
    args: dict[str, str] = field(default_factory=dict)  # ARGs in scope (build-time env)
    cmd_set: bool = False  # this stage set CMD (so a later ENTRYPOINT keeps it)

    def copy(self) -> StageState:
        return StageState(self.key, list(self.layers), copy.deepcopy(self.config),
                          [dict(h) for h in self.history], dict(self.args), self.cmd_set)

    def env(self) -> dict[str, str]:
        """Environment a RUN sees: the image's ENV, then ARGs in scope (ENV wins)."""
        out = dict(self.args)
        for item in self.config.get("Env") or []:
            k, _, v = item.partition("=")
            out[k] = v
        return out

    def set_env(self, key: str, value: str) -> None:
        env = [e for e in (self.config.get("Env") or []) if e.partition("=")[0] != key]
        env.append(f"{key}={value}")
        self.config["Env"] = env

    @property
    def workdir(self) -> str:
        return self.config.get("WorkingDir") or "/"

    def filesystem(self, upper: dict[str, FileEntry], clock) -> MergedFS:
        return MergedFS([layer.files for layer in self.layers], upper, clock=clock)


def go_list(items: list[str]) -> str:
    """Go's %v of a []string, as BuildKit writes CMD/ENTRYPOINT/VOLUME in history."""
    return "[" + " ".join(f'"{i}"' for i in items) + "]"


def history_row(created: str | None, created_by: str, empty: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"created": created, "created_by": created_by,
                           "comment": BUILDKIT_COMMENT}
    if empty:
        row["empty_layer"] = True
    return row
