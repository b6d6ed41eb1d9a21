"""Volumes: data that outlives containers. Named volumes stay until removed; anonymous ones
go with ``docker rm -v`` or ``--rm``; bind mounts are host paths Docker never deletes."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Conflict, InvalidParameter, NotFound
from .layer import FileEntry, diff_size

#: moby ``volume/mounts/linux_parser.go``: the options a ``-v`` spec may end with.
MOUNT_MODES = frozenset({"rw", "ro", "z", "Z", "nocopy", "shared", "rshared", "slave",
                         "rslave", "private", "rprivate", "consistent", "cached", "delegated"})


def check_mount_mode(mode: str) -> None:
    """``-v src:/dst:MODE``: comma-separated options Docker knows, else its daemon error."""
    if not all(part in MOUNT_MODES for part in mode.split(",")):
        raise InvalidParameter(f"invalid mode: {mode}")


@dataclass
class Volume:
    name: str
    created: float
    anonymous: bool = False
    driver: str = "local"
    files: dict[str, FileEntry] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    populated: bool = False  # copied from image content on first mount

    @property
    def mountpoint(self) -> str:
        return f"/var/lib/docker/volumes/{self.name}/_data"

    @property
    def size(self) -> int:
        return diff_size(self.files)


class VolumeStore:
    def __init__(self) -> None:
        self.volumes: dict[str, Volume] = {}

    def get(self, name: str) -> Volume:
        vol = self.volumes.get(name)
        if vol is None:
            raise NotFound(f"get {name}: no such volume")
        return vol

    def create(self, name: str, now: float, anonymous: bool = False) -> tuple[Volume, bool]:
        """Create or return the existing volume (``docker volume create`` is idempotent)."""
        if name in self.volumes:
            return self.volumes[name], False
        vol = Volume(name, now, anonymous)
        self.volumes[name] = vol
        return vol, True

    def remove(self, name: str, users: list[str], force: bool = False) -> Volume:
        """Remove; refuse while any container (even stopped) references it."""
        vol = self.volumes.get(name)
        if vol is None:
            if force:
                raise KeyError(name)
            raise NotFound(f"get {name}: no such volume")
        if users:
            raise Conflict(f"remove {name}: volume is in use - [{', '.join(users)}]")
        del self.volumes[name]
        return vol
