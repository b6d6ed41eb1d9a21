"""``docker system df``, ``version``, ``info`` and the generic ``inspect``."""

from __future__ import annotations

import json

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


def prune(ctx: Ctx, o: dict, args: list[str]):
    """docker system prune (cli system/prune.go): stopped containers, unused networks (the
    simulator has only the default ones, never pruned), anonymous volumes with
    ``--volumes``, dangling images (every unused one with ``-a``) and build cache, each
    removed as its own prune would, then one total."""
    from ..model.prune import container_prune, volume_prune
    from ..model.rmi import image_prune
    everything = bool(o.get("all"))
    if not o.get("force"):
        warnings = ["all stopped containers", "all networks not used by at least one container"]
        if o.get("volumes"):
            warnings.append("all anonymous volumes not used by at least one container")
        warnings.append("all images without at least one container associated to them"
                        if everything else "all dangling images")
        warnings.append("all build cache" if everything else "unused build cache")
        output.prune_prompt(ctx, "WARNING! This will remove:\n" + "".join(
            f"  - {w}\n" for w in warnings) + "\nAre you sure you want to continue?")
        yield ctx.host.wait(0)
        return
    sections: list[tuple[str, list[str]]] = []
    total = 0
    removed, reclaimed = container_prune(ctx.engine)
    sections.append(("Deleted Containers:", removed))
    total += reclaimed
    if o.get("volumes"):
        removed, reclaimed = volume_prune(ctx.engine, False)  # anonymous ones only
        sections.append(("Deleted Volumes:", removed))
        total += reclaimed
    records, reclaimed = image_prune(ctx.engine, everything)
    sections.append(("Deleted Images:", [f"{w}: {v}" for w, v in records]))
    total += reclaimed
    cache = ctx.engine.build_cache
    if cache is not None:
        ids, reclaimed = cache.prune(ctx.engine, everything)
        sections.append(("Deleted build cache objects:", ids))  # the API's report, not buildx
        total += reclaimed
    output.prune_sections(ctx, sections, total)
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
    """docker/cli inspect.Inspect (cli/command/inspect/inspector.go): each reference is
    looked up and rendered on its own, errors are collected, the output is flushed once
    (an empty template output still prints a newline), then the errors, exit 1."""
    from .gotemplate import TemplateError, parse
    kind = kind or o.get("type")
    fmt = o.get("format") or ""
    template = None
    if fmt and fmt != "json":
        try:
            template = parse(fmt)
        except TemplateError as exc:
            raise CommandFailed(f"template parsing error: {exc}", 64) from None
    docs, rendered, errors = [], [], []
    for name in args:
        doc, error = None, None
        for k, fn in (("container", inspect_container), ("image", inspect_image),
                      ("volume", inspect_volume)):
            if kind and kind != k:
                continue
            try:
                doc = fn(ctx, name)
                break
            except DockerError as exc:
                # untyped lookups skip "not found" and bad references (isErrSkippable);
                # a typed one reports the daemon's error, not rewritten since moby#43398
                skippable = isinstance(exc, NotFound) or "invalid reference format" in \
                    exc.message
                if kind or not skippable:
                    error = f"Error response from daemon: {exc.message}"
                    break
        if doc is None:
            errors.append(error or f"Error: No such object: {name}")
        elif template is None:
            docs.append(doc)
        else:
            try:
                rendered.append(template.execute(doc, missingkey="error") + "\n")
            except TemplateError as exc:
                errors.append(f"template parsing error: {exc}")
    if template is not None:
        ctx.raw("".join(rendered) or "\n")
    elif fmt == "json" and docs:  # NewJSONInspector: compact, like json.Compact
        ctx.out(json.dumps(docs, ensure_ascii=False, separators=(",", ":")))
    else:
        ctx.out(json_dump(docs))
    yield ctx.host.wait(0)
    if errors:
        raise CommandFailed("\n".join(errors), 1)
