"""Handlers of the container commands. Each is a SimPy process body (a generator)."""

from __future__ import annotations

import contextlib
import json

from ..model.container import RestartPolicy
from ..model.engine import CreateOptions
from ..model.errors import DockerError, NotFound, NotModified
from ..model.image import rfc3339
from ..model.workload import WORKLOAD_LABEL, parse_workload
from ..trace import events as ev
from . import output
from .context import CommandFailed, Ctx
from .inspect import container_json

RUN_HINT = "\n\nRun 'docker {cmd} --help' for more information"


def _run_error(ctx: Ctx, message: str, code: int = 125) -> CommandFailed:
    verb = ctx.command.split()[-1]
    return CommandFailed(f"docker: {message}{RUN_HINT.format(cmd=verb)}", code)


def _image_for_create(ctx: Ctx, text: str, quiet: bool, pull: str):
    """Find the image, pulling it when missing, as ``docker run``/``create`` do."""
    ref = ctx.reference(text)
    if pull != "always":
        try:
            return ctx.engine.images.get(text)
        except NotFound:
            if pull == "never":
                raise
    if pull != "always" and not quiet:
        ctx.err(f"Unable to find image '{ref.with_default_tag().familiar_string()}' locally")
    sink = (lambda s: None) if quiet else ctx.err
    image = yield from ctx.host.pull(ref.with_default_tag(), sink)
    return image


def _create(ctx: Ctx, o: dict, args: list[str]):
    image_text, cmd = args[0], args[1:]
    try:
        restart = RestartPolicy.parse(o.get("restart") or "no")
    except ValueError as exc:
        raise _run_error(ctx, f"Error response from daemon: {exc}") from None
    if o.get("rm") and restart.name != "no":
        raise _run_error(ctx, "conflicting options: cannot specify both --restart and --rm")
    # the CLI parses these before it asks the daemon for anything (so before a pull)
    labels = dict(item.partition("=")[::2] for item in o.get("label") or [])
    workload = None
    if WORKLOAD_LABEL in labels:
        try:
            workload = parse_workload(labels[WORKLOAD_LABEL])
        except ValueError as exc:
            raise _run_error(ctx, str(exc)) from None
    from ..model.ports import parse_publish
    try:
        publish = [parse_publish(p) for p in o.get("publish") or []]
    except ValueError as exc:
        raise _run_error(ctx, str(exc)) from None
    for spec in o.get("volume") or []:
        if "" in spec.split(":"):  # compose's ParseVolume, which the CLI uses for -v
            raise _run_error(ctx, f"invalid spec: {spec}: empty section between colons")
    try:
        image = yield from _image_for_create(ctx, image_text, bool(o.get("quiet")),
                                             o.get("pull") or "missing")
    except DockerError as exc:
        raise _run_error(ctx, f"Error response from daemon: {exc.message}") from None
    entry = o.get("entrypoint")
    opts = CreateOptions(
        name=o.get("name") or None, cmd=cmd or None,
        entrypoint=[entry] if entry else ([] if entry == "" else None),
        env=list(o.get("env") or []), volumes=list(o.get("volume") or []), restart=restart,
        auto_remove=bool(o.get("rm")), interactive=bool(o.get("interactive")),
        tty=bool(o.get("tty")), stop_timeout=o.get("stop-timeout"), workload=workload,
        labels=labels, publish=publish, working_dir=o.get("workdir"))
    repo = ctx.reference(image_text).familiar_name
    workload = ctx.world.workload_for(ctx.host.name, image, repo)
    yield ctx.host.wait(ctx.host.timing.create)
    try:
        return ctx.engine.create(image, image_text, opts, workload)
    except DockerError as exc:
        raise _run_error(ctx, f"Error response from daemon: {exc.message}") from None


def create(ctx: Ctx, o: dict, args: list[str]):
    c = yield from _create(ctx, o, args)
    ctx.out(c.id)


def _missing_program(ctx: Ctx, c) -> str | None:
    """The program runc cannot find for this container's PID 1, or None."""
    image = ctx.engine.images.images.get(c.image_id)
    profile = None
    if image is not None:
        repo = ctx.reference(c.image_ref).familiar_name if not c.image_ref.startswith(
            "sha256:") else c.image_ref
        profile = ctx.world.workload_for(ctx.host.name, image, repo)
    return ctx.engine.missing_program(c, image, profile)


def _start(ctx: Ctx, c, verb: str):
    missing = _missing_program(ctx, c)
    if missing is not None:
        yield ctx.host.wait(ctx.host.timing.start)
        c.exit_code = 127
        what = f'exec: "{missing}": executable file not found in $PATH' \
            if not missing.startswith("/") else \
            f'exec: "{missing}": stat {missing}: no such file or directory'
        msg = ("failed to create task for container: failed to create shim task: OCI runtime "
               "create failed: runc create failed: unable to start container process: error "
               f"during container init: {what}: unknown")
        raise DockerError(msg, 127)
    yield from ctx.host.start(c)


def run(ctx: Ctx, o: dict, args: list[str]):
    c = yield from _create(ctx, o, args)
    try:
        yield from _start(ctx, c, "run")
    except DockerError as exc:
        raise _run_error(ctx, f"Error response from daemon: {exc.message}",
                         127 if exc.status == 127 else 125) from None
    if o.get("detach"):
        ctx.out(c.id)
        return
    yield ctx.host.wait(0)  # let the main process begin
    if c.running and c.exits_at is None:
        for _t, stream, text in c.logs:
            (ctx.raw if stream == "stdout" else ctx.raw_err)(text)
        ctx.err(f"(dockersim: {c.name} keeps running; the shell detached from it so you can go "
                f"on. Stop it with: docker stop {c.name})")
        return
    while c.running and c.state != "restarting" and c.exits_at is not None:
        yield ctx.world.env.timeout(max(c.exits_at - ctx.world.env.now, 1e-6))
    while c.auto_remove and c.id in ctx.engine.containers:  # --rm waits for "removed"
        yield ctx.world.env.timeout(ctx.host.timing.remove)
    for _t, stream, text in c.logs:
        (ctx.raw if stream == "stdout" else ctx.raw_err)(text)
    ctx.exit_code = c.exit_code


def start(ctx: Ctx, o: dict, args: list[str]):
    failed = []
    for name in args:
        try:
            c = ctx.engine.container(name)
            yield from _start(ctx, c, "start")
            ctx.out(name)
        except NotModified:
            ctx.out(name)
        except DockerError as exc:
            ctx.err(f"Error response from daemon: {exc.message}")
            failed.append(name)
    if failed:
        raise CommandFailed(f"Error: failed to start containers: {', '.join(failed)}", 1)


def _multi(ctx: Ctx, args: list[str], action):
    """stop/kill/pause/unpause on several containers: docker/cli runs them in parallel and
    reports in the order typed (names on stdout, errors joined, exit 1 if any failed)."""
    env = ctx.world.env
    outcomes: list[str | None] = [None] * len(args)

    def one(i: int, name: str):
        try:
            c = ctx.engine.container(name)
            yield from action(c, name)
        except NotModified:
            pass
        except DockerError as exc:
            outcomes[i] = f"Error response from daemon: {exc.message}"

    procs = [env.process(one(i, name)) for i, name in enumerate(args)]
    yield env.all_of(procs)
    errors = []
    for name, error in zip(args, outcomes, strict=True):
        if error is None:
            ctx.out(name)
        else:
            errors.append(error)
    if errors:
        raise CommandFailed("\n".join(errors), 1)


def stop(ctx: Ctx, o: dict, args: list[str]):
    timeout = o.get("timeout")
    yield from _multi(ctx, args, lambda c, n: ctx.host.stop(c, timeout))


def restart(ctx: Ctx, o: dict, args: list[str]):
    timeout = o.get("timeout")
    yield from _multi(ctx, args, lambda c, n: ctx.host.restart(c, timeout))


def kill(ctx: Ctx, o: dict, args: list[str]):
    from ..world.host import signal_number
    try:
        sig = signal_number(o.get("signal") or "KILL")
    except DockerError as exc:
        raise CommandFailed(f"Error response from daemon: {exc.message}", 1) from None
    yield from _multi(ctx, args, lambda c, n: ctx.host.kill(c, n, sig))


def pause(ctx: Ctx, o: dict, args: list[str]):
    def act(c, n):
        yield ctx.host.wait(ctx.host.timing.pause)
        ctx.engine.pause(c)
    yield from _multi(ctx, args, act)


def unpause(ctx: Ctx, o: dict, args: list[str]):
    def act(c, n):
        yield ctx.host.wait(ctx.host.timing.pause)
        ctx.engine.unpause(c)
    yield from _multi(ctx, args, act)


def rm(ctx: Ctx, o: dict, args: list[str]):
    """docker/cli rm.go: removals run in parallel, results are reported in the order typed;
    with ``-f`` a missing container is not an error."""
    force, volumes = bool(o.get("force")), bool(o.get("volumes"))
    env = ctx.world.env
    outcomes: list[str | None] = [None] * len(args)
    silent: set[int] = set()

    def one(i: int, name: str):
        try:
            c = ctx.engine.container(name)
            yield from ctx.host.remove(c, name, force, volumes)
        except NotFound as exc:
            if force:
                silent.add(i)
            else:
                outcomes[i] = f"Error response from daemon: {exc.message}"
        except DockerError as exc:
            outcomes[i] = f"Error response from daemon: {exc.message}"

    yield env.all_of([env.process(one(i, name)) for i, name in enumerate(args)])
    errors = []
    for i, (name, error) in enumerate(zip(args, outcomes, strict=True)):
        if error is not None:
            errors.append(error)
        elif i not in silent:
            ctx.out(name)
    if errors:
        raise CommandFailed("\n".join(errors), 1)


def exec_(ctx: Ctx, o: dict, args: list[str]):
    from ..model.shell import ExecNotFound, run_argv
    name, argv = args[0], args[1:]
    c = ctx.engine.container(name)
    ctx.engine.check_exec(c, name)
    yield ctx.host.wait(ctx.host.timing.exec)
    from ..model.workload import SHELL_PROGRAMS
    if len(argv) == 1 and argv[0].rsplit("/", 1)[-1] in SHELL_PROGRAMS:
        ctx.err(f"(dockersim: an interactive {argv[0]} is not simulated; give it the command "
                f"instead, e.g. docker exec {name} sh -c 'ls -l /')")
        return
    fs = ctx.engine.filesystem(c)
    before = dict(c.upper)
    vols_before = {m.source: dict(ctx.engine.volumes.volumes[m.source].files)
                   for m in c.mounts if m.source in ctx.engine.volumes.volumes}
    env = dict(e.split("=", 1) for e in c.config.get("Env") or [] if "=" in e)
    env.update(dict(e.split("=", 1) for e in o.get("env") or [] if "=" in e))
    try:
        result = run_argv(argv, fs, env, o.get("workdir") or c.config.get("WorkingDir") or "/")
    except ExecNotFound as exc:
        prog = getattr(exc, "program", None) or (exc.args[0] if exc.args else argv[0])
        what = f'exec: "{prog}": executable file not found in $PATH' \
            if not str(prog).startswith("/") else \
            f'exec: "{prog}": stat {prog}: no such file or directory'
        # the daemon writes this into the attached stream, so it lands on stdout
        ctx.out("OCI runtime exec failed: exec failed: unable to start container "
                f"process: {what}: unknown")
        ctx.exit_code = 127
        return
    detached = bool(o.get("detach"))
    forever = result.duration == float("inf")
    ran = True
    if result.duration and not detached and not forever:
        # it dies with the container's main process: SIGKILL, 128 + 9
        ran = yield from ctx.host.exec_process(c, result.duration)
    changes = _changes(before, c.upper, vols_before, ctx, c)
    if changes:
        ctx.engine.emit(ev.ContainerFilesChanged(ctx.host.name, c.id, tuple(changes),
                                                 ctx.engine.container_size(c)[0]))
    if detached:  # docker exec -d: started in the background, nothing printed
        return
    if result.stdout:
        ctx.raw(result.stdout)
    if result.stderr:
        ctx.raw_err(result.stderr)
    if forever:
        ctx.err(f"(dockersim: the exec'd process keeps running until {name} stops; the "
                "shell detached from it so you can go on)")
    ctx.exit_code = result.exit_code if ran else 137


def _changes(before, after, vols_before, ctx: Ctx, c) -> list[tuple[str, str, int]]:
    out = []
    for path, entry in sorted(after.items()):
        if before.get(path) == entry:
            continue
        if entry.kind == "whiteout":
            what = "whiteout"
        elif path not in before and ctx.engine.filesystem(c)._lower_stat(path) is not None:
            what = "copy-up"
        else:
            what = "write" if entry.kind == "file" else entry.kind
        out.append((path, what, entry.size))
    out += [(p, "removed", 0) for p in sorted(set(before) - set(after))]
    for m in c.mounts:
        vol = ctx.engine.volumes.volumes.get(m.source)
        if vol is None:
            continue
        old = vols_before.get(m.source, {})
        for path, entry in sorted(vol.files.items()):
            if old.get(path) != entry:
                out.append((f"{m.destination}{path}", f"volume:{m.source}", entry.size))
    return out


def logs(ctx: Ctx, o: dict, args: list[str]):
    c = ctx.engine.container(args[0])
    # the log driver keeps one entry per line; a process may have printed several at once
    lines = [(t, stream, ln) for t, stream, text in c.logs
             for ln in text.splitlines(keepends=True)]
    n = _tail_lines(o.get("tail"))
    for t, stream, text in (lines[len(lines) - n:] if 0 <= n < len(lines) else lines):
        if o.get("timestamps"):
            text = f"{rfc3339(t)} {text}" if text.endswith("\n") else f"{rfc3339(t)} {text}\n"
        (ctx.raw if stream == "stdout" else ctx.raw_err)(text)
    yield ctx.host.wait(0)


def _tail_lines(tail: str | None) -> int:
    """moby ``daemon/logs.go``: ``--tail`` that is not a whole number ("all", "x") or is
    negative shows every line."""
    try:
        return int(tail) if tail is not None else -1
    except ValueError:
        return -1


def ps(ctx: Ctx, o: dict, args: list[str]):
    containers = sorted(ctx.engine.containers.values(), key=lambda c: c.created, reverse=True)
    if not o.get("all"):
        containers = [c for c in containers if c.running]
    if o.get("filter"):
        from .filters import match_container, parse_filters
        filters = parse_filters(o["filter"], {"status", "name", "id", "exited", "label",
                                              "ancestor"})
        ids = {}
        for v in filters.get("ancestor", []):
            with contextlib.suppress(DockerError):
                ids[v] = ctx.engine.images.get(v).id
        pool = ctx.engine.containers.values() if "status" in filters else containers
        containers = sorted((c for c in pool if match_container(c, filters, ids)),
                            key=lambda c: c.created, reverse=True)
    if o.get("latest"):
        containers = containers[:1]
    elif o.get("last") not in (None, -1):
        containers = containers[: int(o["last"])]
    trunc = not o.get("no-trunc")
    rows = [output.container_fields(ctx.engine, c, ctx.now, trunc) for c in containers]
    if o.get("quiet"):
        for r in rows:
            ctx.out(r["ID"])
        yield ctx.host.wait(0)
        return
    fmt = o.get("format")
    default = ("table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t"
               "{{.Ports}}\t{{.Names}}")
    if o.get("size"):
        default += "\t{{.Size}}"
    _render(ctx, fmt or default, rows, output.PS_HEADERS, default)
    yield ctx.host.wait(0)


def _render(ctx: Ctx, fmt: str, rows: list[dict], headers: dict, default: str) -> None:
    from .formatter import render_format
    from .gotemplate import TemplateError
    if fmt.strip() == "table":
        fmt = default
    try:
        ctx.raw(render_format(fmt, rows, headers))
    except TemplateError as exc:
        raise CommandFailed(f"template parsing error: {exc}", 1) from None


def inspect_container(ctx: Ctx, name: str) -> dict:
    c = ctx.engine.container(name)
    return container_json(ctx.engine, c)


def commit(ctx: Ctx, o: dict, args: list[str]):
    from .images import commit_container
    yield from commit_container(ctx, o, args)


def json_dump(value) -> str:
    """``docker inspect`` JSON: 4-space indent, no HTML escaping (moby#27060)."""
    return json.dumps(value, indent=4, ensure_ascii=False)


def port(ctx: Ctx, o: dict, args: list[str]):
    """docker port (cli container/port.go): the host addresses of published ports; a stopped
    container publishes none."""
    from ..model.ports import port_lines
    c = ctx.engine.container(args[0])
    try:
        lines = port_lines(c.bound if c.running else (), args[1] if len(args) > 1 else None,
                           args[0])
    except ValueError as exc:
        raise CommandFailed(str(exc), 1) from None
    for line in lines:
        ctx.out(line)
    yield ctx.host.wait(0)


def diff(ctx: Ctx, o: dict, args: list[str]):
    """docker diff (cli container/diff.go): the writable layer's changes, ``{{.Type}}
    {{.Path}}``."""
    c = ctx.engine.container(args[0])
    for kind, path in ctx.engine.filesystem(c).changes():
        ctx.out(f"{kind} {path}")
    yield ctx.host.wait(0)


def prune(ctx: Ctx, o: dict, args: list[str]):
    """docker container prune (cli container/prune.go): stopped containers, newest first."""
    from ..model.prune import container_prune
    if not o.get("force"):
        output.prune_prompt(ctx, "WARNING! This will remove all stopped containers.\n"
                                 "Are you sure you want to continue?")
        yield ctx.host.wait(0)
        return
    removed, reclaimed = container_prune(ctx.engine)
    output.prune_report(ctx, "Deleted Containers:", removed, reclaimed)
    yield ctx.host.wait(0)
