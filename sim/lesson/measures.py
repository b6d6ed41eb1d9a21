"""Measures: small, named questions asked of one host's model state, through the engine's
public stores and the trace. Goals compare them with a value; quiz answers are computed from
them. A lesson file names a measure and its parameters, so each is a plain function of
``(ModelView, **params)`` returning an int, float, bool or str."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model.errors import DockerError
from ..trace import events as ev

Value = int | float | bool | str
MEASURES: dict[str, Callable[..., Value]] = {}
MB = 1_000_000


def measure(fn: Callable[..., Value]) -> Callable[..., Value]:
    MEASURES[fn.__name__] = fn
    return fn


def parameters(name: str) -> tuple[set[str], set[str]]:
    """(all parameter names, required ones) of a measure, for checking lesson files."""
    sig = inspect.signature(MEASURES[name])
    params = list(sig.parameters.values())[1:]
    return ({p.name for p in params},
            {p.name for p in params if p.default is inspect.Parameter.empty})


@dataclass
class ModelView:
    """One host of a world, seen read-only."""

    world: Any
    host: str

    @property
    def engine(self):
        return self.world.hosts[self.host].engine

    def image(self, ref: str):
        try:
            return self.engine.images.get(ref)
        except DockerError:
            return None

    def container(self, name: str):
        try:
            return self.engine.container(name)
        except DockerError:
            return None

    def events(self):
        return [r.event for r in self.world.trace if r.event.host == self.host]

    def container_ids(self, name: str) -> list[str]:
        """IDs of every container ever created with this name (the trace remembers them)."""
        return [e.container_id for e in self.events()
                if isinstance(e, ev.ContainerCreated) and e.name == name]


def run(view: ModelView, name: str, params: dict[str, Any]) -> Value:
    return MEASURES[name](view, **params)


# ---- containers ------------------------------------------------------------------------
@measure
def containers(m: ModelView, image: str = "", state: str = "", name: str = "") -> int:
    """Containers on the host, optionally only those from an image / in a state / named."""
    wanted = m.image(image) if image else None
    if image and wanted is None:
        return 0
    return sum(1 for c in m.engine.containers.values()
               if (not image or c.image_id == wanted.id) and (not state or c.state == state)
               and (not name or c.name == name))


@measure
def container_state(m: ModelView, name: str) -> str:
    """A container's state, or ``removed`` once it existed and is gone, ``missing`` never."""
    c = m.container(name)
    if c is not None:
        return c.state
    return "removed" if m.container_ids(name) else "missing"


@measure
def went_through(m: ModelView, name: str, states: str) -> bool:
    """Did a container of this name pass through every state listed (comma separated;
    ``created``, ``running``, ``paused``, ``restarting``, ``exited``, ``removed``)?"""
    seen: set[str] = set()
    ids = set(m.container_ids(name))
    for e in m.events():
        if isinstance(e, ev.ContainerCreated) and e.container_id in ids:
            seen.add("created")
        elif isinstance(e, ev.ContainerStateChanged) and e.container_id in ids:
            seen.add(e.state)
        elif isinstance(e, ev.ContainerRemoved) and e.container_id in ids:
            seen.add("removed")
    return {s.strip() for s in states.split(",")} <= seen


@measure
def exit_code(m: ModelView, name: str) -> int:
    c = m.container(name)
    return -1 if c is None else c.exit_code


@measure
def restart_count(m: ModelView, name: str) -> int:
    c = m.container(name)
    return 0 if c is None else c.restart_count


@measure
def restart_policy(m: ModelView, name: str) -> str:
    c = m.container(name)
    return "" if c is None else c.restart_policy.name


@measure
def rw_bytes(m: ModelView, name: str) -> int:
    """Bytes in a container's writable layer (its upper dir), as ``docker ps -s`` counts."""
    c = m.container(name)
    return 0 if c is None else m.engine.container_size(c)[0]


@measure
def copy_ups(m: ModelView, name: str) -> int:
    """Whole-file copy-ups into the writable layer of the container now bearing this name."""
    c = m.container(name)
    if c is None:
        return 0
    return sum(1 for e in m.events() if isinstance(e, ev.ContainerFilesChanged)
               and e.container_id == c.id for _p, what, _s in e.changes if what == "copy-up")


@measure
def lost_file(m: ModelView, name: str, path: str) -> bool:
    """Did a container of this name, now removed, write the path in its writable layer?"""
    ids = set(m.container_ids(name))
    removed = {e.container_id for e in m.events() if isinstance(e, ev.ContainerRemoved)}
    return any(isinstance(e, ev.ContainerFilesChanged) and e.container_id in ids & removed
               and any(p == path and what in ("write", "copy-up") for p, what, _s in e.changes)
               for e in m.events())


@measure
def container_file(m: ModelView, name: str, path: str) -> bool:
    """Does the path exist in the container's merged view (layers, upper dir, volumes)?"""
    c = m.container(name)
    return c is not None and m.engine.filesystem(c).stat(path) is not None


@measure
def file_text(m: ModelView, name: str, path: str) -> str:
    """The text of a small file as the container sees it, stripped ('' if absent)."""
    c = m.container(name)
    if c is None:
        return ""
    fs = m.engine.filesystem(c)
    if fs.stat(path) is None:
        return ""
    data = fs.read(path)
    return data.decode("utf-8", "replace").strip() if data else ""


# ---- images and layers -----------------------------------------------------------------
@measure
def image_exists(m: ModelView, ref: str) -> bool:
    return m.image(ref) is not None


@measure
def images(m: ModelView, dangling: bool = False) -> int:
    """Images on the host (top-level, as ``docker images`` lists), or only dangling ones."""
    store = m.engine.images
    if dangling:
        return sum(1 for i in store if store.is_dangling(i.id))
    return sum(1 for i in store if store.references(i.id) or store.is_dangling(i.id))


@measure
def same_image(m: ModelView, a: str, b: str) -> bool:
    ia, ib = m.image(a), m.image(b)
    return ia is not None and ib is not None and ia.id == ib.id


@measure
def tags_of(m: ModelView, ref: str) -> int:
    """How many tags point at the image ``ref`` names."""
    img = m.image(ref)
    return 0 if img is None else len(m.engine.images.tags(img.id))


@measure
def image_layers(m: ModelView, ref: str) -> int:
    img = m.image(ref)
    return 0 if img is None else len(img.layers)


@measure
def layers_stored(m: ModelView) -> int:
    """Read-only layers in the host's layer store, each chainID once."""
    return len(m.engine.layers)


@measure
def layer_copies(m: ModelView, ref: str, layer: int = 0) -> int:
    """How many read-only layers on disk hold the same diff as the image's layer N."""
    img = m.image(ref)
    if img is None or layer >= len(img.layers):
        return 0
    diff = img.diff_ids[layer]
    return sum(1 for ro in m.engine.layers if ro.layer.diff_id == diff)


@measure
def shared_layers(m: ModelView, a: str, b: str) -> int:
    """Layers two images have in common (same chainID: same content on the same base)."""
    ia, ib = m.image(a), m.image(b)
    if ia is None or ib is None:
        return 0
    return len(set(ia.chain_ids) & set(ib.chain_ids))


@measure
def image_mb(m: ModelView, ref: str) -> float:
    img = m.image(ref)
    return 0.0 if img is None else round(img.size / MB, 1)


@measure
def own_mb(m: ModelView, ref: str) -> float:
    """Megabytes of the image's layers that no other image on the host uses."""
    img = m.image(ref)
    if img is None:
        return 0.0
    others = {c for i in m.engine.images if i.id != img.id for c in i.chain_ids}
    own = sum(m.engine.layers.get(c).layer.size for c in img.chain_ids
              if c not in others and c in m.engine.layers)
    return round(own / MB, 1)


@measure
def hidden_mb(m: ModelView, ref: str) -> float:
    """Megabytes of files that a later layer's whiteout hides but that still sit in an
    earlier layer of the image: deleted from view, never from disk."""
    img = m.image(ref)
    if img is None:
        return 0.0
    hidden = 0
    for i, layer in enumerate(img.layers):
        for path, entry in layer.files.items():
            if entry.kind != "whiteout":
                continue
            for lower in img.layers[:i]:
                below = lower.files.get(path)
                if below is not None and below.kind == "file":
                    hidden += below.size
    return round(hidden / MB, 1)


@measure
def disk_mb(m: ModelView) -> float:
    """Everything on the host's disk: unique layers, writable layers, volumes."""
    return round(m.engine.disk_bytes() / MB, 1)


# ---- volumes ---------------------------------------------------------------------------
@measure
def volume_exists(m: ModelView, name: str) -> bool:
    return name in m.engine.volumes.volumes


@measure
def volume_file(m: ModelView, volume: str, path: str) -> bool:
    """Is the path (relative to the volume's root, e.g. ``/notes.txt``) in the volume?"""
    vol = m.engine.volumes.volumes.get(volume)
    return vol is not None and ("/" + path.lstrip("/")) in vol.files


# ---- registries ------------------------------------------------------------------------
def _storage(m: ModelView, registry: str):
    return m.world.registries.get(registry)


@measure
def registry_tag(m: ModelView, registry: str, repository: str, tag: str = "latest") -> bool:
    storage = _storage(m, registry)
    repo = storage.repos.get(repository) if storage is not None else None
    return repo is not None and tag in repo.tags


@measure
def registry_blobs(m: ModelView, registry: str) -> int:
    """Layer blobs the registry stores, each digest once however many repositories link it."""
    storage = _storage(m, registry)
    return 0 if storage is None else len(storage.blobs)


@measure
def last_push(m: ModelView, outcome: str = "uploaded") -> int:
    """Layers of the last ``docker push`` with this outcome: ``uploaded``, ``exists`` or
    ``mounted``."""
    events = m.events()
    start = max((i for i, e in enumerate(events) if isinstance(e, ev.CommandStarted)
                 and (e.line.split()[1:2] == ["push"] or e.line.split()[1:3] == ["image", "push"])),
                default=None)
    if start is None:
        return 0
    return sum(1 for e in events[start:]
               if isinstance(e, ev.LayerTransfer) and e.phase == outcome)


# ---- containers vs virtual machines ----------------------------------------------------
@measure
def vm_disk_mb(m: ModelView, image: str, instances: int) -> float:
    """Disk a VM per instance would need: each VM boots from its own full copy of the disk
    image (here: the image's size), nothing shared."""
    img = m.image(image)
    return 0.0 if img is None else round(instances * img.size / MB, 1)


@measure
def container_disk_mb(m: ModelView, image: str) -> float:
    """Disk the containers from an image really use: its layers once, plus each
    container's thin writable layer."""
    img = m.image(image)
    if img is None:
        return 0.0
    rw = sum(m.engine.container_size(c)[0] for c in m.engine.containers.values()
             if c.image_id == img.id)
    return round((img.size + rw) / MB, 1)
