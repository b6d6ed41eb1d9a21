"""Records the catalog tests import: the shipped file's lines and the acme example."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import sim.catalog
from sim.catalog import loader, store

SHIPPED = Path(sim.catalog.__file__).with_name("official-images.jsonl")
ACME = Path(__file__).with_name("data") / "acme.jsonl"


def shipped() -> dict[str, dict]:
    return {f"{r['image']}:{r['tag']}": r for r in map(json.loads, SHIPPED.open())}


def acme() -> list[dict]:
    return [json.loads(line) for line in ACME.open()]


def variant(tag: str, image: str = "acme/api", registry: str | None = "ghcr.io") -> dict:
    """The acme api record under another name (no aliases, so nothing clashes)."""
    r = copy.deepcopy(acme()[0])
    r.pop("registry", None)
    if registry:
        r = {"registry": registry, **r}
    r.update(image=image, tag=tag, aliases=[])
    return r


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """An empty data directory of its own for each test, and a loader that forgets it."""
    monkeypatch.setenv(store.ENV, str(tmp_path / "data"))
    loader.reload()
    yield tmp_path / "data"
    monkeypatch.undo()
    loader.reload()
