"""Handlers of ``docker volume``."""

from __future__ import annotations

from ..model.errors import DockerError
from ..model.prune import volume_prune
from . import output
from .context import CommandFailed, Ctx


def create(ctx: Ctx, o: dict, args: list[str]):
    name = args[0] if args else o.get("name")
    vol = ctx.engine.create_volume(name or None)
    ctx.out(vol.name)
    yield ctx.host.wait(0)


def ls(ctx: Ctx, o: dict, args: list[str]):
    vols = sorted(ctx.engine.volumes.volumes.values(), key=lambda v: v.name)
    if o.get("filter"):
        from .filters import _bool, parse_filters
        filters = parse_filters(o["filter"], {"dangling", "name", "driver"})
        for v in filters.get("dangling", []):
            want = _bool("dangling", v)
            vols = [x for x in vols if (not ctx.engine.volume_users(x.name)) == want]
        if "name" in filters:
            vols = [x for x in vols if any(n in x.name for n in filters["name"])]
        if "driver" in filters:
            vols = [x for x in vols if x.driver in filters["driver"]]
    if o.get("quiet"):
        for v in vols:
            ctx.out(v.name)
    else:
        ctx.raw(output.table(["DRIVER", "VOLUME NAME"], [[v.driver, v.name] for v in vols]))
    yield ctx.host.wait(0)


def rm(ctx: Ctx, o: dict, args: list[str]):
    errors = []
    for name in args:
        try:
            ctx.engine.remove_volume(name, bool(o.get("force")))
            ctx.out(name)
        except KeyError:
            ctx.out(name)
        except DockerError as exc:
            errors.append(f"Error response from daemon: {exc.message}")
    yield ctx.host.wait(0)
    if errors:
        raise CommandFailed("\n".join(errors), 1)


def prune(ctx: Ctx, o: dict, args: list[str]):
    if not o.get("force"):
        output.prune_prompt(ctx, "WARNING! This will remove anonymous local volumes not used "
                                 "by at least one container.\nAre you sure you want to "
                                 "continue?")
        yield ctx.host.wait(0)
        return
    removed, reclaimed = volume_prune(ctx.engine, bool(o.get("all")))
    output.prune_report(ctx, "Deleted Volumes:", removed, reclaimed)
    yield ctx.host.wait(0)


def inspect_volume(ctx: Ctx, name: str) -> dict:
    vol = ctx.engine.volumes.get(name)
    return {"CreatedAt": output.rfc(vol.created), "Driver": vol.driver,
            "Labels": vol.labels or None, "Mountpoint": vol.mountpoint, "Name": vol.name,
            "Options": None, "Scope": "local",
            **({"Labels": {"com.docker.volume.anonymous": ""}} if vol.anonymous else {})}
