"""Handlers of ``docker build`` and ``docker builder prune``."""

from __future__ import annotations

from pathlib import Path

from ..model.reference import InvalidReference, parse_normalized_named
from . import output
from .context import CommandFailed, Ctx


def _kv(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, eq, value = item.partition("=")
        out[key] = value if eq else ""
    return out


def _exists(path: Path) -> bool:
    """exists(), and False for a name the filesystem refuses (too long): not there."""
    from ..build.context import os_safe
    return os_safe(path.exists)


def _path(ctx: Ctx, text: str) -> Path:
    """Paths are relative to where dockersim runs, or to the scenario's folder."""
    path = Path(text)
    base = getattr(ctx.world, "base_dir", None)
    if not path.is_absolute() and not _exists(path) and base is not None:
        candidate = Path(base) / path
        if _exists(candidate):
            return candidate
    return path


def _context_failed(ctx: Ctx, o: dict, message: str, name: str):
    """A context that cannot be sent fails in buildx before the build; a missing Dockerfile
    is found by the dockerfile frontend once the build runs (``failed to solve:``)."""
    if message.startswith("error from sender"):  # while the context is being sent
        raise CommandFailed(f"ERROR: failed to build: failed to solve: {message}", 1)
    if not message.startswith("failed to read dockerfile"):
        raise CommandFailed(f"ERROR: {message}", 1)
    if not (o.get("quiet") or o.get("progress") == "quiet"):
        ctx.err('#0 building with "default" instance using docker driver\n')
        ctx.err(f"#1 [internal] load build definition from {name}")
        ctx.err("#1 transferring dockerfile: 2B done")
        ctx.err("#1 DONE 0.0s\n")
    raise CommandFailed(f"ERROR: failed to build: failed to solve: {message}", 1)


def build(ctx: Ctx, o: dict, args: list[str]):
    from ..build.builder import BuildFailed, BuildRequest
    from ..build.builder import build as run_build
    from ..build.context import BuildContext, ContextError
    tags = list(o.get("tag") or [])
    for tag in tags:
        try:
            parse_normalized_named(tag)
        except InvalidReference as exc:
            raise CommandFailed(f'ERROR: invalid tag "{tag}": {exc}', 1) from None
    source = args[0]
    if source == "-" or "://" in source or source.startswith("git@"):
        raise CommandFailed("dockersim: docker build: only a local directory context is "
                            "simulated", 1)
    dockerfile = o.get("file") or "Dockerfile"
    if source in ctx.world.contexts and not _exists(Path(source)):
        context = ctx.world.contexts[source]  # a context written in the scenario
    else:
        path = _path(ctx, source)
        if o.get("file"):  # -f is relative to where docker runs, not to the context
            dockerfile = str(Path(dockerfile).resolve())
        try:
            context = BuildContext.from_directory(path, dockerfile)
        except ContextError as exc:
            _context_failed(ctx, o, str(exc), Path(dockerfile).name)
    request = BuildRequest(context, context.dockerfile_text, Path(dockerfile).name, tags,
                           _kv(o.get("build-arg") or []), o.get("target"),
                           bool(o.get("no-cache")), _kv(o.get("label") or []),
                           getattr(ctx.world, "effects", None))
    quiet = bool(o.get("quiet")) or o.get("progress") == "quiet"
    sink = (lambda _s: None) if quiet else (lambda s: ctx.err(s))
    try:
        image = yield from run_build(ctx.host, request, sink)
    except BuildFailed as exc:
        raise CommandFailed(f"ERROR: failed to build: {exc.message}", 1) from None
    if quiet:
        ctx.out(image.id)


def prune(ctx: Ctx, o: dict, args: list[str]):
    from ..build.builder import build_cache
    if not o.get("force"):
        scope = "all build cache" if o.get("all") else "all dangling build cache"
        # buildx commands/prune.go normalWarning / allCacheWarning
        output.prune_prompt(ctx, f"WARNING! This will remove {scope}. Are you sure you want "
                                 "to continue?")
        yield ctx.host.wait(0)
        return
    cache = build_cache(ctx.host)
    records = {r.id: r for r in cache.records.values()}
    ids, _freed = cache.prune(ctx.engine, bool(o.get("all")))
    # docker builder prune is buildx prune (cli cmd/docker/builder.go): buildx prints a
    # tab-padded table of what it removed, then the total (buildx commands/prune.go)
    if ids:
        from .tabwriter import tabwrite
        rows = "ID\tRECLAIMABLE\tSIZE\tLAST ACCESSED\n" + "".join(
            f"{i:<40}\t{'true':<5}\t{output.human_size(records[i].size):<10}\t"
            f"{output.ago(ctx.now, records[i].last_used)}\n" for i in ids)
        ctx.raw(tabwrite(rows, minwidth=1, tabwidth=8, padding=1, padchar="\t"))
    ctx.out(f"Total:\t{output.human_size(sum(records[i].size for i in ids))}")
    yield ctx.host.wait(0)
