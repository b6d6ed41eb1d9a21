"""``docker system df``, ``version``, ``info`` and the generic ``inspect``."""

from __future__ import annotations

from ..model.errors import DockerError, NotFound
from . import output
from .containers import inspect_container, json_dump
from .context import CommandFailed, Ctx
from .images import inspect_image
from .specs import API_VERSION as API
from .specs import CLIENT_GIT_COMMIT
from .specs import CLIENT_VERSION as VERSION
from .volumes import inspect_volume


def df(ctx: Ctx, o: dict, args: list[str]):
    ctx.raw(output.disk_usage(ctx.engine, ctx.now, bool(o.get("verbose"))))
    yield ctx.host.wait(0)


def version(ctx: Ctx, o: dict, args: list[str]):
    ctx.raw(
        "Client:\n"
        f" Version:           {VERSION}\n"
        f" API version:       {API}\n"
        " Go version:        go1.24.9\n"
        f" Git commit:        {CLIENT_GIT_COMMIT}\n"
        " Built:             Wed Nov  5 14:43:25 2025\n"
        " OS/Arch:           linux/amd64\n"
        " Context:           default\n"
        "\n"
        "Server: Docker Engine - Community (simulated by dockersim)\n"
        " Engine:\n"
        f"  Version:          {VERSION}\n"
        f"  API version:      {API} (minimum version 1.24)\n"
        "  Go version:       go1.24.9\n"
        "  Git commit:       89c5e8f\n"
        "  Built:            Wed Nov  5 14:43:25 2025\n"
        "  OS/Arch:          linux/amd64\n"
        "  Experimental:     false\n")
    yield ctx.host.wait(0)


def info(ctx: Ctx, o: dict, args: list[str]):
    eng = ctx.engine
    cs = list(eng.containers.values())
    running = sum(1 for c in cs if c.running and not c.paused)
    paused = sum(1 for c in cs if c.paused)
    ctx.raw(
        "Client:\n"
        f" Version:    {VERSION}\n"
        " Context:    default\n"
        " Debug Mode: false\n"
        "\n"
        "Server:\n"
        f" Containers: {len(cs)}\n"
        f"  Running: {running}\n"
        f"  Paused: {paused}\n"
        f"  Stopped: {len(cs) - running - paused}\n"
        f" Images: {len(eng.images)}\n"
        f" Server Version: {VERSION}\n"
        " Storage Driver: overlay2\n"
        "  Backing Filesystem: extfs\n"
        "  Supports d_type: true\n"
        "  Using metacopy: false\n"
        "  Native Overlay Diff: true\n"
        "  userxattr: false\n"
        f"  Layers: {len(eng.layers)}\n"
        " Logging Driver: json-file\n"
        " Cgroup Driver: systemd\n"
        " Cgroup Version: 2\n"
        f" Name: {ctx.host.name}\n"
        " Docker Root Dir: /var/lib/docker\n"
        " Registry: https://index.docker.io/v1/\n"
        " Live Restore Enabled: false\n")
    yield ctx.host.wait(0)


def inspect(ctx: Ctx, o: dict, args: list[str], kind: str | None = None):
    kind = kind or o.get("type")
    docs, errors = [], []
    for name in args:
        doc = None
        for k, fn in (("container", inspect_container), ("image", inspect_image),
                      ("volume", inspect_volume)):
            if kind and kind != k:
                continue
            try:
                doc = fn(ctx, name)
                break
            except NotFound:
                continue
            except DockerError as exc:
                errors.append(f"Error response from daemon: {exc.message}")
                break
        if doc is None and not errors:
            what = {"image": "No such image", "container": "No such container",
                    "volume": "no such volume"}.get(kind or "", "No such object")
            errors.append(f"Error: {what}: {name}")
        elif doc is not None:
            docs.append(doc)
    fmt = o.get("format")
    if fmt:
        from .gotemplate import TemplateError, parse
        try:
            template = parse(fmt)
        except TemplateError as exc:
            raise CommandFailed(f"template parsing error: {exc}", 1) from None
        for doc in docs:
            try:
                ctx.out(template.execute(doc, missingkey="error"))
            except TemplateError as exc:
                raise CommandFailed(str(exc), 1) from None
    else:
        ctx.out(json_dump(docs))
    yield ctx.host.wait(0)
    if errors:
        raise CommandFailed("\n".join(errors), 1)
