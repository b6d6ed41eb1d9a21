"""The view's plain state: what the Scene folds the trace into (hosts, their layers, images,
containers, volumes and transfers; registries). Values are replaced, never changed in place,
once a keyframe shares them, so a keyframe costs dict copies only."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class LayerView:
    chain_id: str
    diff_id: str
    parent: str | None
    size: int
    digest: str
    created_by: str
    born: float


@dataclass(slots=True)
class ImageView:
    image_id: str
    chain_ids: tuple[str, ...]
    size: int
    tags: list[str]
    born: float

    def copy(self) -> ImageView:
        return ImageView(self.image_id, self.chain_ids, self.size, list(self.tags), self.born)


@dataclass(slots=True)
class ContainerView:
    container_id: str
    name: str
    image_id: str
    image_ref: str
    top_chain: str | None
    born: float
    state: str = "created"
    exit_code: int = 0
    since: float = 0.0  # when the state last changed
    rw_size: int = 0
    changes: tuple[tuple[str, str, int], ...] = ()  # the last command's changes
    changed_at: float = float("-inf")
    files: dict[str, str] = field(default_factory=dict)  # path -> what, in the upper dir
    removed: float | None = None

    def copy(self) -> ContainerView:
        c = ContainerView(self.container_id, self.name, self.image_id, self.image_ref,
                          self.top_chain, self.born, self.state, self.exit_code, self.since,
                          self.rw_size, self.changes, self.changed_at, dict(self.files),
                          self.removed)
        return c


@dataclass(slots=True)
class TransferView:
    """One blob moving: ``start_seq`` keys its end time in ``Scene.ends``."""

    host: str
    registry: str
    digest: str
    size: int
    phase: str
    since: float
    started: float | None = None
    start_seq: int = -1
    done_at: float | None = None
    order: int = 0  # position in its pull (extraction goes in this order)

    def copy(self) -> TransferView:
        return TransferView(self.host, self.registry, self.digest, self.size, self.phase,
                            self.since, self.started, self.start_seq, self.done_at, self.order)


@dataclass(slots=True)
class BuildView:
    steps: list[list] = field(default_factory=list)  # [vertex, name, status, t]
    started: float = 0.0
    finished: float | None = None
    tags: tuple[str, ...] = ()

    def copy(self) -> BuildView:
        return BuildView([list(s) for s in self.steps], self.started, self.finished, self.tags)


@dataclass(slots=True)
class HostView:
    name: str
    layers: dict[str, LayerView] = field(default_factory=dict)
    images: dict[str, ImageView] = field(default_factory=dict)
    containers: dict[str, ContainerView] = field(default_factory=dict)
    ghosts: dict[str, ContainerView] = field(default_factory=dict)
    volumes: dict[str, bool] = field(default_factory=dict)  # name -> anonymous
    transfers: dict[str, TransferView] = field(default_factory=dict)  # blob digest -> transfer
    bytes_pulled: int = 0
    command: str | None = None  # the command running now
    build: BuildView | None = None
    faults: tuple[str, ...] = ()
    version: int = 0  # records folded into this host: same name and version, same content

    def copy(self) -> HostView:
        """Shallow: the values are replaced, never changed in place, once they are shared
        (``fold`` copies a container, image, transfer or build before changing it)."""
        return HostView(self.name, dict(self.layers), dict(self.images),
                        dict(self.containers), dict(self.ghosts), dict(self.volumes),
                        dict(self.transfers), self.bytes_pulled, self.command, self.build,
                        self.faults, self.version)

    def disk(self) -> int:
        """Bytes on disk: every layer once, plus the containers' upper dirs."""
        return sum(ly.size for ly in self.layers.values()) + \
            sum(c.rw_size for c in self.containers.values())

    def unshared(self) -> int:
        """Bytes if no layer were shared: each image its own copy of every layer."""
        return sum(i.size for i in self.images.values()) + \
            sum(c.rw_size for c in self.containers.values())


@dataclass(slots=True)
class RegistryView:
    name: str
    repos: dict[str, set[str]] = field(default_factory=dict)  # repository -> tags
    blobs: set[str] = field(default_factory=set)
    faults: tuple[str, ...] = ()
    version: int = 0  # changes folded in (a picture of it is kept per version)
    used: tuple[str, ...] = ()  # repository:tag pulled or pushed, in order of first use

    def copy(self) -> RegistryView:
        return RegistryView(self.name, {k: set(v) for k, v in self.repos.items()},
                            set(self.blobs), self.faults, self.version, self.used)

    def use(self, repo: str, tag: str) -> None:
        """A pull from or a push to ``repo:tag``: the registry holds it, and shows it first."""
        self.repos.setdefault(repo, set()).add(tag)
        ref = f"{repo}:{tag}" if not tag.startswith("sha256:") else f"{repo}@{tag}"
        if ref not in self.used:
            self.used += (ref,)


@dataclass(slots=True)
class State:
    hosts: dict[str, HostView]
    registries: dict[str, RegistryView]
    seq: int = 0  # records folded so far

    def copy(self) -> State:
        return State({k: v.copy() for k, v in self.hosts.items()},
                     {k: v.copy() for k, v in self.registries.items()}, self.seq)

    def snapshot(self) -> tuple:
        """A plain, comparable picture of everything (tests: keyframes == fold)."""
        def c(v) -> tuple:
            return tuple(sorted((f, repr(getattr(v, f))) for f in v.__slots__))
        hosts = tuple((n, tuple(sorted((k, c(x)) for k, x in h.layers.items())),
                       tuple(sorted((k, c(x)) for k, x in h.images.items())),
                       tuple(sorted((k, c(x)) for k, x in h.containers.items())),
                       tuple(sorted((k, c(x)) for k, x in h.ghosts.items())),
                       tuple(sorted(h.volumes.items())),
                       tuple(sorted((k, c(x)) for k, x in h.transfers.items())),
                       h.bytes_pulled, h.command, c(h.build) if h.build else None, h.faults,
                       h.version)
                      for n, h in sorted(self.hosts.items()))
        regs = tuple((n, tuple(sorted((k, tuple(sorted(v))) for k, v in r.repos.items())),
                      tuple(sorted(r.blobs)), r.faults, r.version, r.used)
                     for n, r in sorted(self.registries.items()))
        return hosts, regs, self.seq
