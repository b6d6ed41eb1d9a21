"""Handlers of the image commands: pull, push, tag, images, rmi, image prune, history,
commit, inspect."""

from __future__ import annotations

from ..model.digest import EMPTY_TAR_DIFFID
from ..model.errors import DockerError, NotFound
from ..model.image import Image
from ..model.layer import Layer
from ..model.reference import InvalidReference, parse_any_reference, parse_normalized_named
from ..model.rmi import image_delete, image_prune
from . import output
from .context import CommandFailed, Ctx


def pull(ctx: Ctx, o: dict, args: list[str]):
    ref = ctx.reference(args[0])
    quiet = bool(o.get("quiet"))
    if ref.is_name_only() and not o.get("all-tags") and not quiet:  # cli image/pull.go
        ctx.out("Using default tag: latest")
    ref = ref.with_default_tag()
    try:
        yield from ctx.host.pull(ref, (lambda s: None) if quiet else ctx.out)
    except DockerError as exc:
        raise CommandFailed(f"Error response from daemon: {exc.message}", 1) from None
    ctx.out(ref.string())


def push(ctx: Ctx, o: dict, args: list[str]):
    ref = ctx.reference(args[0])
    quiet = bool(o.get("quiet"))  # cli image/push.go: progress discarded, then ref.String()
    if ref.is_name_only():
        if not quiet:
            ctx.out("Using default tag: latest")
        ref = ref.with_default_tag()
    line = (lambda s: None) if quiet else ctx.out
    image_id = ctx.engine.images.lookup_ref(ref)
    if image_id is None:
        # moby distribution/push.go names the repository before it looks for local images
        line(f"The push refers to repository [{ref.name}]")
        if any(r.name == ref.name for r in ctx.engine.images._parsed.values()):
            raise CommandFailed(f"tag does not exist: {ref.familiar_string()}", 1)
        raise CommandFailed(
            f"An image does not exist locally with the tag: {ref.familiar_name}", 1)
    image = ctx.engine.images.images[image_id]
    try:
        yield from ctx.host.push(ref, image, line)
    except DockerError as exc:
        raise CommandFailed(exc.message, 1) from None
    if quiet:
        ctx.out(ref.string())


def tag(ctx: Ctx, o: dict, args: list[str]):
    source, target = args
    # moby client ImageTag: both references are parsed before the daemon is asked
    for text, parse in ((source, parse_any_reference), (target, parse_normalized_named)):
        try:
            parsed = parse(text)
        except InvalidReference as exc:
            raise CommandFailed(f"Error parsing reference: {output.go_quote(text)} is not a "
                                f"valid repository/tag: {exc}", 1) from None
    if getattr(parsed, "digest", None) is not None:
        raise CommandFailed("refusing to create a tag with a digest reference", 1)
    try:
        image = ctx.engine.images.get(source)
    except DockerError as exc:
        raise CommandFailed(f"Error response from daemon: {exc.message}", 1) from None
    ref = ctx.reference(target).with_default_tag()
    yield ctx.host.wait(ctx.host.timing.tag)
    try:  # the image may have been removed while the tag was under way
        ctx.engine.tag(image.id, ref, source)
    except DockerError as exc:
        raise CommandFailed(f"Error response from daemon: {exc.message}", 1) from None


def images(ctx: Ctx, o: dict, args: list[str]):
    rows = output.image_rows(ctx.engine, bool(o.get("all")))
    if args:
        ref = ctx.reference(args[0])
        rows = [r for r in rows if r[1] == ref.familiar_name and (ref.tag is None
                                                                  or r[2] == ref.tag)]
    if o.get("filter"):
        from .filters import match_image_row, parse_filters
        filters = parse_filters(o["filter"], {"dangling", "reference"})
        rows = [r for r in rows if match_image_row(r[1], r[2], r[1] == "<none>", filters)]
    trunc = not o.get("no-trunc")
    if o.get("quiet"):
        seen = []
        for image, *_ in rows:
            shown = image.id[7:19] if trunc else image.id
            if shown not in seen:
                seen.append(shown)
                ctx.out(shown)
        yield ctx.host.wait(0)
        return
    fields = [output.image_fields(ctx.engine, r, ctx.now, trunc) for r in rows]
    default = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
    if o.get("digests"):
        default = ("table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}"
                   "\t{{.Size}}")
    from .containers import _render
    _render(ctx, o.get("format") or default, fields, output.IMAGE_HEADERS, default)
    yield ctx.host.wait(0)


def rmi(ctx: Ctx, o: dict, args: list[str]):
    force = bool(o.get("force"))
    errors = []
    for name in args:
        try:
            records = image_delete(ctx.engine, name, force, prune=not o.get("no-prune"))
        except NotFound as exc:
            if force:  # the CLI prints it and still exits 0
                ctx.err(f"Error response from daemon: {exc.message}")
                continue
            errors.append(f"Error response from daemon: {exc.message}")
            continue
        except DockerError as exc:
            errors.append(f"Error response from daemon: {exc.message}")
            continue
        for what, value in records:
            ctx.out(f"{what}: {value}")
    yield ctx.host.wait(0)
    if errors:
        raise CommandFailed("\n".join(errors), 1)


def prune(ctx: Ctx, o: dict, args: list[str]):
    if not o.get("force"):
        warning = ("WARNING! This will remove all images without at least one container "
                   "associated to them." if o.get("all") else
                   "WARNING! This will remove all dangling images.")
        output.prune_prompt(ctx, f"{warning}\nAre you sure you want to continue?")
        yield ctx.host.wait(0)
        return
    records, reclaimed = image_prune(ctx.engine, bool(o.get("all")))
    output.prune_report(ctx, "Deleted Images:", [f"{w}: {v}" for w, v in records], reclaimed)
    yield ctx.host.wait(0)


def history(ctx: Ctx, o: dict, args: list[str]):
    try:
        image = ctx.engine.images.get(args[0])
    except DockerError as exc:
        raise CommandFailed(f"Error response from daemon: {exc.message}", 1) from None
    trunc = not o.get("no-trunc")
    rows = output.history_rows(image, ctx.now, trunc)
    if o.get("quiet"):
        for r in rows:
            ctx.out(r[0])
    else:
        ctx.raw(output.table(["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"], rows))
    yield ctx.host.wait(0)


def commit_container(ctx: Ctx, o: dict, args: list[str]):
    """``docker commit``: the RW layer's diff becomes a new top layer; volumes excluded."""
    c = ctx.engine.container(args[0])
    if c.dead or c.removal_in_progress:
        word = "Dead" if c.dead else "being removed"
        raise CommandFailed(f"Error response from daemon: You cannot commit container {c.id} "
                            f"which is {word}", 1)
    base = ctx.engine.images.images.get(c.image_id)
    lower = [ro.layer for ro in ctx.engine.layers.chain(c.rw_chain)] if c.rw_chain else []
    yield ctx.host.wait(ctx.host.timing.commit)
    created_by = " ".join(c.config.get("Cmd") or [])  # moby commit.go: the container's Cmd
    layer = Layer.from_files(dict(c.upper), created_by=created_by)
    # moby image.NewChildImage: an empty diff adds no rootfs entry, only an empty_layer step
    empty = layer.diff_id == EMPTY_TAR_DIFFID
    history = list(base.history if base else [])
    history.append({"created": output.rfc(ctx.now), "created_by": created_by,
                    "comment": o.get("message") or "", **({"empty_layer": True} if empty else {})})
    config = dict(base.config if base else {})
    run = dict(config.get("config") or {})
    run.update({"Cmd": c.config.get("Cmd"), "Entrypoint": c.config.get("Entrypoint"),
                "Env": c.config.get("Env")})
    layers = tuple(lower) if empty else (*lower, layer)
    config.update({"created": output.rfc(ctx.now), "config": run, "history": history,
                   "rootfs": {"type": "layers", "diff_ids": [x.diff_id for x in layers]}})
    image = Image.create(config, tuple(layers), parent=c.image_id if base else "")
    ctx.engine.add_image(image)
    if len(args) > 1:
        ctx.engine.tag(image.id, ctx.reference(args[1]).with_default_tag())
    ctx.out(image.id)


def inspect_image(ctx: Ctx, name: str) -> dict:
    from .inspect import image_json
    return image_json(ctx.engine, ctx.engine.images.get(name))
