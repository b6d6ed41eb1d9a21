"""``docker build`` with BuildKit's rules, in time: stages, steps, cache, export.

Only the stages the target needs are built. RUN/COPY/ADD and WORKDIR (not ``/``) make a
layer even with an empty diff; other instructions only change the config and add a ``0B``
history row. Cache keys follow §3.3: a RUN's key is its parent's key, its argv, its
environment (ENV and ARGs in scope), working dir and user; a COPY's key is the content
checksum of its sources (never mtime) plus its destination and flags; metadata steps are
not in the chain, so a changed LABEL busts nothing. A fully cached rebuild reproduces the
same history and config, hence the same image ID. Progress is BuildKit's plain output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model.errors import DockerError
from ..model.image import Image, rfc3339
from ..model.reference import InvalidReference, parse_normalized_named
from ..trace import events as ev
from .cache import BuildCache, CacheRecord, cache_key
from .state import StageState
from .steps import LAYER_STEPS, StepError, apply_metadata, makes_layer, run_layer_step

if TYPE_CHECKING:
    from ..world.host import Host
    from .context import BuildContext

Line = Any


class BuildFailed(Exception):
    """The build stopped: ``message`` is what follows ``ERROR: failed to build: ``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class BuildRequest:
    context: BuildContext
    dockerfile_text: str
    dockerfile_name: str = "Dockerfile"
    tags: list[str] = field(default_factory=list)
    build_args: dict[str, str] = field(default_factory=dict)
    target: str | None = None
    no_cache: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    effects: Any = None  # a scenario's EffectsTable


class Progress:
    """BuildKit's plain progress: numbered vertices, each a block of lines."""

    def __init__(self, line: Line, env, host: Host | None = None) -> None:
        self.line = line
        self.env = env
        self.n = 0
        self.host = host  # where BuildStep events go (the view lights steps up from them)
        self.names: dict[int, str] = {}

    def step(self, vid: int, status: str) -> None:
        if self.host is not None:
            self.host.engine.emit(ev.BuildStep(self.host.name, vid, self.names.get(vid, ""),
                                               status))

    def vertex(self, name: str) -> tuple[int, float]:
        self.n += 1
        self.names[self.n] = name
        self.line(f"#{self.n} {name}")
        self.step(self.n, "started")
        return self.n, self.env.now

    def done(self, vid: int, start: float) -> None:
        self.line(f"#{vid} DONE {self.env.now - start:.1f}s")
        self.line("")
        self.step(vid, "done")

    def cached(self, vid: int) -> None:
        self.line(f"#{vid} CACHED")
        self.line("")
        self.step(vid, "cached")


def build_cache(host: Host) -> BuildCache:
    return host.engine.build_cache


def build(host: Host, request: BuildRequest, line: Line):
    """The SimPy process body of one build; returns the new image."""
    from .dockerfile import DockerfileError, expand, parse_dockerfile
    env = host.env
    progress = Progress(line, env, host)
    line('#0 building with "default" instance using docker driver')
    line("")
    vid, t0 = progress.vertex(f"[internal] load build definition from "
                              f"{request.dockerfile_name}")
    line(f"#{vid} transferring dockerfile: {request.context.dockerfile_size}B done")
    progress.done(vid, t0)
    try:
        dockerfile = parse_dockerfile(request.dockerfile_text, request.dockerfile_name)
    except DockerfileError as exc:
        raise BuildFailed(f"failed to solve: {exc}") from None
    meta: dict[str, str] = {}
    for name, default in dockerfile.meta_args:  # defaults may use earlier meta ARGs
        meta[name] = request.build_args.get(name, expand(default or "", meta))
    stages = dockerfile.stages
    names = {s.name: s for s in stages if s.name}
    target = stages[-1]
    if request.target is not None:
        target = names.get(request.target.lower())
        if target is None:  # buildkit convert.go resolveTarget, with suggest.WrapError
            from .expand import suggest
            message = f'target stage "{request.target}" could not be found'
            options = [s.name or f"stage-{s.index}" for s in stages]
            raise BuildFailed("failed to solve: " + suggest(message, request.target, options,
                                                            True))
    needed = _needed(target, stages, names, meta, expand)
    bases = []
    for stage in needed:
        base = expand(stage.base, meta)
        if not base:
            raise BuildFailed(f"failed to solve: base name ({stage.base}) should not be blank")
        if base.lower() not in names and base != "scratch" and base not in bases:
            bases.append(base)
    resolved = {}
    for base in bases:
        try:
            ref = parse_normalized_named(base).with_default_tag()
        except InvalidReference as exc:
            raise BuildFailed(f"failed to solve: failed to parse stage name \"{base}\": {exc}"
                              ) from None
        vid, t0 = progress.vertex(f"[internal] load metadata for {ref.string()}")
        yield from _load_metadata(host, base, ref, progress, vid)
        progress.done(vid, t0)
        resolved[base] = ref
    vid, t0 = progress.vertex("[internal] load .dockerignore")
    line(f"#{vid} transferring context: {request.context.ignore_size}B done")
    progress.done(vid, t0)
    states: dict[int, StageState] = {}
    context_sent = False
    follow = _context_paths(needed)
    totals = {s.index: _step_total(s, names, expand(s.base, meta)) for s in needed}
    for stage in needed:
        state, context_sent = yield from _build_stage(
            host, request, stage, states, names, resolved, meta, totals[stage.index],
            progress, context_sent, len(stages) > 1, follow)
        states[stage.index] = state
    image = yield from _export(host, request, states[target.index], progress)
    return image


def _needed(target, stages, names, meta, expand) -> list:
    """The target and the stages it depends on (FROM <stage>, COPY --from=<stage>), in
    Dockerfile order: BuildKit builds nothing else."""
    want = {target.index}
    changed = True
    while changed:
        changed = False
        for stage in stages:
            if stage.index not in want:
                continue
            deps = [expand(stage.base, meta).lower()]
            deps += [i.flags.get("from", "").lower() for i in stage.instructions
                     if i.cmd in ("COPY", "ADD") and "from" in i.flags]
            for dep in deps:
                other = names.get(dep) or (stages[int(dep)] if dep.isdigit() and
                                           int(dep) < len(stages) else None)
                if other is not None and other.index not in want:
                    want.add(other.index)
                    changed = True
    return [s for s in stages if s.index in want]


def _context_paths(needed) -> list[str] | None:
    """The context paths the built stages COPY/ADD (BuildKit's ``ctxPaths``, sent as
    ``llb.FollowPaths``): only those reach the daemon. None sends everything."""
    paths: list[str] = []
    for stage in needed:
        for instr in stage.instructions:
            if instr.cmd not in ("COPY", "ADD") or "from" in instr.flags:
                continue
            for src in instr.args[:-1]:
                if src.startswith("<<") or "://" in src:
                    continue  # heredoc bodies and URLs are not context paths
                if "$" in src:
                    return None  # expanded with the stage's env: send everything
                paths.append(src)
    return paths or None


def _step_total(stage, names, base: str) -> int:
    """m of ``[k/m]``: 1 for a FROM of an image (not scratch, not a stage) plus the
    ADD/COPY/RUN/WORKDIR steps of the stage (buildkit convert.go); ``base`` is the FROM
    argument with the meta ARGs expanded."""
    base = base.lower()
    from_image = base != "scratch" and base not in names
    return int(from_image) + sum(1 for i in stage.instructions if i.cmd in LAYER_STEPS)


def _label(stage, k: int, total: int, multi: bool) -> str:
    width = len(str(total))
    prefix = f"{stage.name} " if multi and stage.name else (
        f"stage-{stage.index} " if multi else "")
    return f"[{prefix}{k:>{width}}/{total}]"


def _build_stage(host, request, stage, states, names, resolved, meta, total, progress,
                 context_sent, multi, follow=None):
    from .context import ContextError
    from .dockerfile import expand
    engine = host.engine
    cache = build_cache(host)
    env = host.env
    k = 0
    base_text = expand(stage.base, meta)
    if base_text.lower() in names:
        state = states[names[base_text.lower()].index].copy()
    elif base_text == "scratch":
        state = StageState(cache_key("scratch"))
    else:
        k += 1
        ref = resolved[base_text]
        vid, t0 = progress.vertex(f"{_label(stage, k, total, multi)} FROM {ref.string()}")
        state = yield from _from_image(host, ref, progress, vid, t0, request.no_cache)
    # a stage built FROM another stage keeps its ARGs (docs build/building/variables.md,
    # scoping; buildkit dispatchState.init) but not its "CMD was set here" mark
    state.cmd_set = False
    for instr in stage.instructions:
        if makes_layer(instr, state):
            k += 1
            if not context_sent and instr.cmd in ("COPY", "ADD") and "from" not in instr.flags:
                vid, t0 = progress.vertex("[internal] load build context")
                try:
                    size = request.context.transfer_size(follow)
                except ContextError:  # a bad pattern: the COPY step reports it
                    size = request.context.transfer_size()
                yield env.timeout(size / host.timing.disk_rate)
                progress.line(f"#{vid} transferring context: {_bytes(size)} done")
                progress.done(vid, t0)
                context_sent = True
            title = f"{_label(stage, k, total, multi)} {_shown(instr)}"
            vid, t0 = progress.vertex(title)
            try:
                key, result = yield from run_layer_step(
                    host, request, instr, state, states, names, cache, progress, vid)
            except StepError as exc:
                progress.line(f"#{vid} ERROR: {exc.message}")
                progress.step(vid, "error")
                _excerpt(progress, request, instr, title)
                raise BuildFailed(exc.failure) from None
            record = cache.get(key, host.world.wall()) if not request.no_cache else None
            if record is not None and result is None:
                progress.cached(vid)
            else:
                layer, row, duration = result
                yield env.timeout(duration)
                chain = _hold_chain(engine, [*state.layers, layer])
                record = CacheRecord(key, layer, row, chain, layer.size, title,
                                     host.world.wall(), host.world.wall())
                cache.put(record, engine)
                engine.release_layer(chain)  # the cache holds it now
                progress.done(vid, t0)
            state.layers.append(record.layer)
            state.history.append(dict(record.row))
            state.key = key
        else:
            apply_metadata(instr, state, meta, request.build_args, host.world.wall())
    return state, context_sent


def _excerpt(progress: Progress, request: BuildRequest, instr, title: str) -> None:
    """What buildx prints under a failed step: the step between rules, then the Dockerfile
    around the failing lines, marked ``>>>``."""
    progress.line("------")
    progress.line(f" > {title}:")
    progress.line("------")
    lines = request.dockerfile_text.splitlines()
    first, last = instr.line, getattr(instr, "end_line", instr.line) or instr.line
    lo, hi = max(1, first - 4), min(len(lines), last + 4)
    progress.line(f"{request.dockerfile_name}:{first}" + (f"-{last}" if last != first else ""))
    progress.line("-" * 20)
    for n in range(lo, hi + 1):
        mark = ">>>" if first <= n <= last else "   "
        progress.line(f"{n:>4} | {mark} {lines[n - 1]}".rstrip() if lines[n - 1] else
                      f"{n:>4} | {mark} ")
    progress.line("-" * 20)


def _shown(instr) -> str:
    """How BuildKit names a step: the instruction as written, continuation lines joined."""
    return " ".join(instr.original.split())


def _bytes(n: int) -> str:
    from ..cli.units import human_size
    return human_size(n)


def _hold_chain(engine, layers) -> str:
    """Register a stage's layers; the caller holds one reference on the top chain."""
    parent = None
    held = []
    for layer in layers:
        parent = engine.register_layer(layer, parent)
        held.append(parent)
    for chain in held[:-1]:
        engine.release_layer(chain)
    return held[-1]


def _load_metadata(host, base: str, ref, progress: Progress, vid: int):
    """``[internal] load metadata``: ask the registry for the image's manifest (a local
    image answers at once); a missing repository or tag fails here, in BuildKit's words."""
    from ..model.errors import NotFound
    from ..world.pull import resolve_manifest
    try:
        host.engine.images.get(ref.familiar_string())
        yield host.env.timeout(0)
        return
    except DockerError:
        pass
    try:
        yield from resolve_manifest(host, ref)
    except DockerError as exc:
        if isinstance(exc, NotFound):
            why = f"{ref.string()}: not found"
        elif "pull access denied" in exc.message:
            why = ("pull access denied, repository does not exist or may require "
                   "authorization: server message: insufficient_scope: authorization failed")
        else:
            why = exc.message
        progress.line(f"#{vid} ERROR: {why}")
        progress.line("------")
        progress.line(f" > [internal] load metadata for {ref.string()}:")
        progress.line("------")
        raise BuildFailed(f"failed to solve: {base}: failed to resolve source metadata for "
                          f"{ref.string()}: {why}") from None


def _from_image(host, ref, progress, vid, t0, no_cache):
    """A FROM step: the image's layers come into the layer store (pulled when missing)
    without creating a tagged image; the build cache holds them."""
    from ..world.pull import fetch_for_build
    engine = host.engine
    cache = build_cache(host)
    local = None
    try:
        local = engine.images.get(ref.familiar_string())
    except DockerError:
        local = None
    if local is not None:
        image_id, config, layers = local.id, local.config, local.layers
        digest = next((r.digest for r in engine.images.references(local.id) if r.digest), None)
        shown = f"{ref.string()}@{digest}" if digest else ref.string()
        key = cache_key("FROM", image_id)
        if cache.get(key, host.world.wall()) is None:
            cache.put(CacheRecord(key, None, None, _hold_chain(engine, layers) if layers
                                  else None, 0, f"FROM {shown}", host.world.wall(),
                                  host.world.wall(), "source.image"), engine)
            if layers:
                engine.release_layer(cache.records[key].chain)
        progress.line(f"#{vid} resolve {shown} done")
        progress.cached(vid)
    else:
        lines: list[str] = []
        try:
            blob, manifest, top = yield from fetch_for_build(host, ref, lines.append)
        except DockerError as exc:
            raise BuildFailed(f"failed to solve: {ref.string()}: failed to resolve source "
                              f"metadata for {ref.string()}: {exc.message}") from None
        image_id, config, layers = blob.image_id, blob.config, blob.layers
        key = cache_key("FROM", image_id)
        progress.line(f"#{vid} resolve {ref.string()}@{manifest.pull_digest} "
                      f"{host.env.now - t0:.1f}s done")
        if key in cache.records:  # an earlier build brought it in: nothing to download
            cache.get(key, host.world.wall())
            if top is not None:
                engine.release_layer(top)
            if no_cache:
                progress.done(vid, t0)
            else:
                progress.cached(vid)
            run = dict(config.get("config") or {})
            return StageState(key, list(layers), run,
                              [dict(h) for h in config.get("history") or []])
        for layer in layers:
            progress.line(f"#{vid} sha256:{layer.digest[7:]} {_bytes(layer.compressed_size)} "
                          f"/ {_bytes(layer.compressed_size)} done")
        for layer in layers:
            progress.line(f"#{vid} extracting sha256:{layer.digest[7:]} done")
        cache.put(CacheRecord(key, None, None, top, 0, f"FROM {ref.string()}",
                              host.world.wall(), host.world.wall(), "source.image"), engine)
        if top is not None:
            engine.release_layer(top)
        progress.done(vid, t0)
    run = dict(config.get("config") or {})
    state = StageState(key, list(layers), run, [dict(h) for h in config.get("history") or []])
    return state


def _fill_created(history: list[dict], fallback: str) -> list[dict]:
    """The exporter's times for metadata rows (buildkit exporter/containerimage/writer.go
    normalizeLayersAndHistory): a row without one takes the time of the layer before it,
    except before this build's first new layer, where it takes that layer's time (not the
    base image's)."""
    created, gap = None, False
    for row in history:
        if row.get("created") is not None:
            created = row["created"]
            if gap:
                break
        else:
            gap = True
    gap = False
    for row in history:
        if row.get("created") is not None:
            if gap:
                created = row["created"]
        else:
            gap = True
            row["created"] = created or fallback
    return history


def _export(host, request, state: StageState, progress):
    """``exporting to image``: write the config, register the image, name it."""
    engine = host.engine
    env = host.env
    vid, t0 = progress.vertex("exporting to image")
    size = sum(layer.size for layer in state.layers)
    yield env.timeout(0.05 + size / host.timing.disk_rate / 50)
    progress.line(f"#{vid} exporting layers {env.now - t0:.1f}s done")
    run = dict(state.config)
    labels = dict(run.get("Labels") or {})
    labels.update(request.labels)
    if labels:
        run["Labels"] = labels
    history = _fill_created([dict(h) for h in state.history], rfc3339(host.world.wall()))
    created = history[-1]["created"] if history else rfc3339(host.world.wall())
    config = {"architecture": "amd64", "os": "linux", "created": created, "config": run,
              "rootfs": {"type": "layers", "diff_ids": [x.diff_id for x in state.layers]},
              "history": history}
    image = Image.create(config, tuple(state.layers))
    engine.add_image(image)
    progress.line(f"#{vid} writing image {image.id} done")
    for tag in request.tags:
        ref = parse_normalized_named(tag).with_default_tag()
        engine.tag(image.id, ref)
        progress.line(f"#{vid} naming to {ref.string()} done")
    progress.done(vid, t0)
    engine.emit(ev.ImageBuilt(host.name, image.id, tuple(request.tags)))
    return image


__all__ = ["BuildFailed", "BuildRequest", "build"]
