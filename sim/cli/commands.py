"""The one registry of docker commands: the specs in ``specs.py`` (syntax, flags, help)
bound here to their handlers. Parsing, help and completion all read the same specs."""

from __future__ import annotations

from collections.abc import Callable

from . import containers, images, system, volumes

Handler = Callable[..., object]


def _inspect_as(kind: str) -> Handler:
    def handler(ctx, o, args):
        yield from system.inspect(ctx, o, args, kind)
    return handler


HANDLERS: dict[tuple[str, ...], Handler] = {
    ("container", "run"): containers.run,
    ("container", "create"): containers.create,
    ("container", "start"): containers.start,
    ("container", "stop"): containers.stop,
    ("container", "restart"): containers.restart,
    ("container", "kill"): containers.kill,
    ("container", "pause"): containers.pause,
    ("container", "unpause"): containers.unpause,
    ("container", "rm"): containers.rm,
    ("container", "exec"): containers.exec_,
    ("container", "logs"): containers.logs,
    ("container", "ls"): containers.ps,
    ("container", "commit"): containers.commit,
    ("container", "inspect"): _inspect_as("container"),
    ("image", "pull"): images.pull,
    ("image", "push"): images.push,
    ("image", "tag"): images.tag,
    ("image", "ls"): images.images,
    ("image", "rm"): images.rmi,
    ("image", "prune"): images.prune,
    ("image", "history"): images.history,
    ("image", "inspect"): _inspect_as("image"),
    ("volume", "create"): volumes.create,
    ("volume", "ls"): volumes.ls,
    ("volume", "rm"): volumes.rm,
    ("volume", "prune"): volumes.prune,
    ("volume", "inspect"): _inspect_as("volume"),
    ("system", "df"): system.df,
    ("system", "info"): system.info,
    ("version",): system.version,
    ("inspect",): system.inspect,
}
