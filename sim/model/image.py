"""Images: a config (what to run, env, history, rootfs diffIDs) plus its ordered layers.

The image ID is the sha256 of the canonical config JSON, so equal configs give equal IDs.
Catalog images keep their real published image ID (their config JSON is not in the data).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from .digest import canonical_json, chain_ids, sha256_digest
from .layer import Layer


def rfc3339(unix: float) -> str:
    """Go's time.RFC3339Nano rendering used in image configs and inspect output."""
    t = _dt.datetime.fromtimestamp(unix, tz=_dt.UTC)
    frac = f"{t.microsecond * 1000:09d}".rstrip("0")
    return t.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if frac else "") + "Z"


def parse_rfc3339(text: str) -> float:
    return _dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


@dataclass(frozen=True)
class Image:
    id: str
    config: dict[str, Any]
    layers: tuple[Layer, ...]
    parent: str = ""  # set by commit and the classic builder only

    @staticmethod
    def create(config: dict[str, Any], layers: tuple[Layer, ...], parent: str = "",
               image_id: str | None = None) -> Image:
        """Build an image; its ID is the config's digest unless a real one is given."""
        return Image(image_id or sha256_digest(canonical_json(config)), config, layers, parent)

    @property
    def run_config(self) -> dict[str, Any]:
        return self.config.get("config") or {}

    @property
    def created(self) -> float:
        return parse_rfc3339(self.config["created"]) if self.config.get("created") else 0.0

    @property
    def diff_ids(self) -> list[str]:
        return [layer.diff_id for layer in self.layers]

    @property
    def chain_ids(self) -> list[str]:
        return chain_ids(self.diff_ids)

    @property
    def top_chain(self) -> str | None:
        ids = self.chain_ids
        return ids[-1] if ids else None

    @property
    def size(self) -> int:
        """Uncompressed bytes of the whole chain (``docker images`` SIZE)."""
        return sum(layer.size for layer in self.layers)

    @property
    def cmd(self) -> list[str] | None:
        return self.run_config.get("Cmd")

    @property
    def entrypoint(self) -> list[str] | None:
        return self.run_config.get("Entrypoint")

    @property
    def history(self) -> list[dict[str, Any]]:
        return self.config.get("history") or []


def make_config(created: float, cmd: list[str] | None, layers: tuple[Layer, ...],
                history: list[dict[str, Any]], entrypoint: list[str] | None = None,
                env: list[str] | None = None, working_dir: str = "",
                extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """An OCI image config as Docker writes it (linux/amd64)."""
    run: dict[str, Any] = {
        "Env": env if env is not None
        else ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        "Cmd": cmd,
    }
    if entrypoint:
        run["Entrypoint"] = entrypoint
    if working_dir:
        run["WorkingDir"] = working_dir
    run.update(extra or {})
    return {
        "architecture": "amd64",
        "os": "linux",
        "created": rfc3339(created),
        "config": run,
        "rootfs": {"type": "layers", "diff_ids": [layer.diff_id for layer in layers]},
        "history": history,
    }
