"""The one registry of docker commands: the specs in ``specs.py`` (syntax, flags, help)
bound here to their handlers. Parsing, help and completion all read the same specs."""

from __future__ import annotations

from collections.abc import Callable

from . import build_cmd, containers, images, system, volumes

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
    ("container", "prune"): containers.prune,
    ("container", "diff"): containers.diff,
    ("container", "port"): containers.port,
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
    ("image", "build"): build_cmd.build,
    ("builder", "prune"): build_cmd.prune,
    ("system", "info"): system.info,
    ("system", "prune"): system.prune,
    ("version",): system.version,
    ("inspect",): system.inspect,
}

#: The options each handler honours. A valid Docker flag outside this set is refused with a
#: clear message instead of being ignored silently (the simulator never pretends).
SUPPORTED: dict[tuple[str, ...], frozenset[str]] = {
    path: frozenset(flags.split()) for path, flags in {
        ("container", "run"): "detach name rm volume env restart interactive tty stop-timeout "
                              "entrypoint label pull quiet publish workdir",
        ("container", "create"): "name rm volume env restart interactive tty stop-timeout "
                                 "entrypoint label pull quiet publish workdir",
        ("container", "start"): "",
        ("container", "stop"): "timeout",
        ("container", "restart"): "timeout",
        ("container", "kill"): "signal",
        ("container", "pause"): "",
        ("container", "unpause"): "",
        ("container", "rm"): "force volumes",
        ("container", "exec"): "env workdir interactive tty detach",
        ("container", "logs"): "tail timestamps",
        ("container", "ls"): "all size quiet format no-trunc latest last filter",
        ("container", "commit"): "message",
        ("container", "inspect"): "format size",
        ("container", "prune"): "force",
        ("container", "diff"): "",
        ("container", "port"): "",
        ("image", "pull"): "quiet",
        ("image", "push"): "quiet",
        ("image", "tag"): "",
        ("image", "ls"): "all quiet digests no-trunc format filter",
        ("image", "rm"): "force no-prune",
        ("image", "prune"): "all force",
        ("image", "history"): "quiet no-trunc",
        ("image", "inspect"): "format",
        ("volume", "create"): "name",
        ("volume", "ls"): "quiet filter",
        ("volume", "rm"): "force",
        ("volume", "prune"): "all force",
        ("volume", "inspect"): "format",
        ("system", "df"): "verbose",
        ("image", "build"): "tag file build-arg target no-cache quiet label progress",
        ("builder", "prune"): "all force",
        ("system", "info"): "",
        ("system", "prune"): "all force volumes",
        ("version",): "",
        ("inspect",): "format type size",
    }.items()
}


def unsupported(path: tuple[str, ...], options: dict) -> list[str]:
    """Options the user set that the simulator does not model for this command."""
    return sorted(set(options) - SUPPORTED.get(path, frozenset()))
