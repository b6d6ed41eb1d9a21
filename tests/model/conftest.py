"""Shared builders for model tests: tiny layers and images on a fresh Engine.

Every engine here uses the construction the simulator's world uses: a fixed wall clock,
events appended to a list, and a seeded RNG, so container IDs are reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest

from sim.model.engine import CreateOptions, Engine
from sim.model.image import Image, make_config
from sim.model.layer import FileEntry, Layer, dir_entry, file_entry, sized_entry
from sim.model.reference import parse_normalized_named
from sim.model.workload import Workload
from sim.trace import events as ev

NOW = 1_800_000_000.0


def layer_of(spec: Mapping[str, bytes | int | FileEntry | None], created_by: str = "") -> Layer:
    """A layer from {path: bytes | size | FileEntry | None}; None means a directory.
    Parent directories are added automatically, as a real tar from a build would carry them."""
    files: dict[str, FileEntry] = {}
    for path, value in spec.items():
        parts = path.strip("/").split("/")
        for i in range(1, len(parts)):
            files.setdefault("/" + "/".join(parts[:i]), dir_entry())
        if value is None:
            files[path] = dir_entry()
        elif isinstance(value, FileEntry):
            files[path] = value
        elif isinstance(value, int):
            files[path] = sized_entry(value, seed=path)
        else:
            files[path] = file_entry(value)
    return Layer.from_files(files, created_by=created_by)


class Builder:
    """Makes images on one engine. Each image gets a distinct ``created`` time so two images
    with the same layers still have different configs, hence different IDs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._n = 0

    def image(self, *layers: Layer, parent: str = "", cmd: list[str] | None = None) -> Image:
        self._n += 1
        history = [{"created": "2026-01-01T00:00:00Z", "created_by": f"COPY {i}"}
                   for i in range(len(layers))]
        config = make_config(NOW - 1000 + self._n, cmd or ["/bin/sh"], tuple(layers), history)
        return Image.create(config, tuple(layers), parent=parent)

    def add(self, image: Image, *tags: str) -> Image:
        self.engine.add_image(image)
        for tag in tags:
            self.engine.tag(image.id, parse_normalized_named(tag).with_default_tag())
        return image

    def container(self, image: Image, ref: str = "app:1", name: str | None = None,
                  running: bool = False, volumes: list[str] | None = None):
        c = self.engine.create(image, ref, CreateOptions(name=name, volumes=volumes or []),
                               Workload())
        if running:
            self.engine.mark_started(c)
        return c

    def stopped(self, image: Image, ref: str = "app:1", name: str | None = None,
                volumes: list[str] | None = None):
        c = self.container(image, ref, name, running=True, volumes=volumes)
        self.engine.mark_exited(c, 0)
        return c


@pytest.fixture
def events() -> list[ev.Event]:
    return []


@pytest.fixture
def engine(events: list[ev.Event]) -> Engine:
    return Engine("h", clock=lambda: NOW, emit=events.append, rng=random.Random(0))


@pytest.fixture
def build(engine: Engine) -> Builder:
    return Builder(engine)


@pytest.fixture
def base_layer() -> Layer:
    return layer_of({"/bin/sh": 1000, "/etc/os-release": b"ID=test\n", "/usr/lib/libc.so": 5000})


@pytest.fixture
def app_layer() -> Layer:
    return layer_of({"/app/main.py": b"print('hi')\n", "/app/data.bin": 3000})


@pytest.fixture
def mk_layer():
    """The ``layer_of`` builder, for tests that need their own layers."""
    return layer_of
