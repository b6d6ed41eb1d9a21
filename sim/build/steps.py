"""What each Dockerfile instruction does to a stage: metadata steps change the config and
add a ``0B`` history row; RUN, COPY, ADD and WORKDIR make a layer (even an empty one).

RUN runs for real when it is made only of the shell subset ``docker exec`` understands;
otherwise its effect comes from a ``# sim:`` annotation, the scenario's effects table, the
built-in estimates, or a default marked as estimated (sim.build.effects)."""

from __future__ import annotations

import contextlib
import posixpath
from typing import TYPE_CHECKING, Any

from ..model.errors import FSError
from ..model.image import rfc3339
from ..model.layer import Layer, dir_entry
from ..model.unionfs import MergedFS, normpath
from .cache import BuildCache, cache_key
from .state import StageState, go_list, history_row

if TYPE_CHECKING:
    from ..world.host import Host

LAYER_STEPS = frozenset({"RUN", "COPY", "ADD", "WORKDIR"})
RUN_OVERHEAD = 0.3  # starting the step's container
#: Effect paths that name a directory of many files rather than one file.
DIRECTORY_NAMES = frozenset({
    "site-packages", "dist-packages", "node_modules", "dist", "lists", "mod", "pkg",
    "go-build", "cache", ".cache", "target", "vendor", ".m2", ".gradle", "etc", "lib",
    "share", "include", "html", "build"})


class StepError(Exception):
    """A step failed: ``message`` for its vertex, ``failure`` for the final ERROR line."""

    def __init__(self, message: str, failure: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.failure = failure or f"failed to solve: {message}"


def _pairs(instr, env: dict[str, str]) -> list[tuple[str, str]]:
    """``K=V K2="v 2"`` (or the legacy ``K V``) with variables expanded."""
    import shlex

    from .dockerfile import expand
    text = instr.args[0] if len(instr.args) == 1 else " ".join(instr.args)
    words = shlex.split(text, posix=True) if "=" in text.split(" ", 1)[0] else None
    if words is None:  # legacy form: ENV KEY value with spaces
        key, _, value = text.partition(" ")
        return [(key, expand(value.strip(), env))]
    out = []
    for word in words:
        key, _, value = word.partition("=")
        out.append((key, expand(value, env)))
    return out


def _argv(instr, state: StageState) -> list[str]:
    if instr.json_form:
        return list(instr.args)
    shell = state.config.get("Shell") or ["/bin/sh", "-c"]
    text = instr.args[0] if len(instr.args) == 1 else " ".join(instr.args)
    if instr.cmd == "RUN" and instr.heredocs and text.lstrip().startswith("<<"):
        text = instr.heredocs[0][1]  # RUN <<EOF: the body is the script
    return [*shell, text]


def apply_metadata(instr, state: StageState, meta: dict[str, str],
                   build_args: dict[str, str], now: float) -> None:
    """A step that changes only the config (and adds an empty history row)."""
    from .dockerfile import expand
    cmd = instr.cmd
    env = state.env()
    # BuildKit records no time for a metadata row; its exporter fills in the time of the
    # layer before it (or of the build's first new layer): see builder._fill_created
    created = None
    shown = f"{cmd} {' '.join(instr.args)}" if not instr.json_form else ""
    config = state.config
    if cmd == "ARG":
        for word in instr.args:
            name, eq, default = word.partition("=")
            value = build_args.get(name, expand(default, env) if eq else meta.get(name))
            if value is not None:
                state.args[name] = value
        shown = f"ARG {' '.join(instr.args)}"
    elif cmd == "ENV":
        pairs = _pairs(instr, env)
        for key, value in pairs:
            state.set_env(key, value)
        shown = "ENV " + " ".join(f"{k}={v}" for k, v in pairs)
    elif cmd == "LABEL":
        pairs = _pairs(instr, env)
        labels = dict(config.get("Labels") or {})
        labels.update(pairs)
        config["Labels"] = labels
        shown = "LABEL " + " ".join(f"{k}={v}" for k, v in pairs)
    elif cmd == "EXPOSE":
        ports = dict(config.get("ExposedPorts") or {})
        for word in " ".join(instr.args).split():
            port = expand(word, env)
            ports[port if "/" in port else f"{port}/tcp"] = {}
        config["ExposedPorts"] = ports
        shown = "EXPOSE map[" + " ".join(f"{p}:{{}}" for p in sorted(ports)) + "]"
    elif cmd in ("CMD", "ENTRYPOINT"):
        value = _argv(instr, state)
        if cmd == "ENTRYPOINT" and "Cmd" in config and not state.cmd_set:
            config["Cmd"] = None  # ENTRYPOINT resets a CMD inherited from the base image
        config["Cmd" if cmd == "CMD" else "Entrypoint"] = value
        if cmd == "CMD":
            state.cmd_set = True
        shown = f"{cmd} {go_list(value)}"
    elif cmd == "USER":
        config["User"] = expand(instr.args[0], env)
        shown = f"USER {config['User']}"
    elif cmd == "WORKDIR":
        config["WorkingDir"] = "/"
        shown = "WORKDIR /"
    elif cmd == "VOLUME":
        paths = list(instr.args) if instr.json_form else " ".join(instr.args).split()
        vols = dict(config.get("Volumes") or {})
        for p in paths:
            vols[expand(p, env)] = {}
        config["Volumes"] = vols
        shown = f"VOLUME {go_list([expand(p, env) for p in paths]).replace(chr(34), '')}"
    elif cmd == "STOPSIGNAL":
        config["StopSignal"] = expand(instr.args[0], env)
    elif cmd == "SHELL":
        config["Shell"] = list(instr.args)
        shown = f"SHELL {go_list(list(instr.args))}"
    elif cmd == "HEALTHCHECK":
        config["Healthcheck"] = {"Test": list(instr.args)}
    elif cmd == "ONBUILD":
        config["OnBuild"] = [*(config.get("OnBuild") or []), " ".join(instr.args)]
    state.history.append(history_row(created, shown or instr.original, True))


def _resolve(path: str, workdir: str) -> str:
    return normpath(path if path.startswith("/") else posixpath.join(workdir, path))


def makes_layer(instr, state: StageState) -> bool:
    """RUN, COPY, ADD, and WORKDIR unless it resolves to ``/`` (buildkit convert.go
    dispatchWorkdir: no mkdir, no vertex, an empty-layer history row)."""
    from .dockerfile import expand
    if instr.cmd == "WORKDIR":
        return _resolve(expand(instr.args[0], state.env()), state.workdir) != "/"
    return instr.cmd in LAYER_STEPS


def run_layer_step(host: Host, request, instr, state: StageState, states: dict,
                   names: dict, cache: BuildCache, progress, vid: int):
    """Compute the step's cache key; on a hit return (key, None); otherwise execute it and
    return (key, (layer, history row, duration))."""
    from .dockerfile import expand
    env = state.env()
    now = rfc3339(host.world.wall())
    cmd = instr.cmd
    clock = lambda: int(host.world.wall())  # noqa: E731
    if cmd == "WORKDIR":
        path = _resolve(expand(instr.args[0], env), state.workdir)
        state.config["WorkingDir"] = path
        key = cache_key(state.key, "WORKDIR", path)
        if not request.no_cache and key in cache.records:
            return key, None
        yield from ()
        upper: dict = {}
        fs = state.filesystem(upper, clock)
        try:
            fs.mkdir(path, parents=True)
        except FSError as exc:
            raise StepError(f"mkdir {path}: {exc.strerror}") from None
        layer = Layer.from_files(upper, created_by=f"WORKDIR {path}")
        return key, (layer, history_row(now, f"WORKDIR {path}", False), 0.05)
    if cmd == "RUN":
        argv = _argv(instr, state)
        key = cache_key(state.key, "RUN", argv, sorted(env.items()), state.workdir,
                        state.config.get("User") or "")
        if not request.no_cache and key in cache.records:
            return key, None
        upper, duration = yield from _run(host, request, instr, argv, state, env, progress, vid)
        shown = " ".join(argv)
        layer = Layer.from_files(upper, created_by=f"RUN {shown}")
        # buildkit convert.go runCommandString: the stage's ARGs prefix the command
        build_args = [f"{k}={env.get(k, v)}" for k, v in state.args.items()]
        if build_args:
            shown = " ".join([f"|{len(build_args)}", *build_args, shown])
        return key, (layer, history_row(now, f"RUN {shown} # buildkit", False), duration)
    # COPY / ADD
    sources, dest = list(instr.args[:-1]), instr.args[-1]
    sources = [expand(s, env) for s in sources] if cmd in ("COPY", "ADD") else sources
    dest = _resolve(expand(dest, env), state.workdir) + ("/" if dest.endswith("/") else "")
    if instr.heredocs and all(src.startswith("<<") for src in sources):
        files, checksum = _heredoc_sources(instr)
    else:
        files, checksum = _sources(request, instr, sources, states, names, host)
    flags = sorted(instr.flags.items())
    key = cache_key(state.key, cmd, checksum, dest, flags)
    if not request.no_cache and key in cache.records:
        return key, None
    yield from ()
    upper = {}
    fs = state.filesystem(upper, clock)
    size = _copy(fs, files, dest, len(sources) > 1, instr.flags)
    layer = Layer.from_files(upper, created_by=f"{cmd} {' '.join(instr.args)}")
    # buildkit convert_copy.go: only --parents, --chown and --chmod are recorded (not
    # --from or --link), then the expanded sources and destination
    words = [cmd]
    if instr.flags.get("parents") == "true":
        words.append("--parents")
    words += [f"--{k}={instr.flags[k]}" for k in ("chown", "chmod") if k in instr.flags]
    words += [*sources, expand(instr.args[-1], env), "# buildkit"]
    created_by = " ".join(words)
    return key, (layer, history_row(now, created_by, False),
                 0.05 + size / host.timing.disk_rate)


def _heredoc_sources(instr) -> tuple[list[tuple[str, str, Any]], str]:
    """``COPY <<EOF /path``: each heredoc becomes a file named after its marker."""
    from ..model.digest import sha256_digest
    from ..model.layer import file_entry
    out = [(f"<<{name}", name, file_entry(body.encode())) for name, body in instr.heredocs]
    return out, sha256_digest("\n".join(f"{n}:{e.content}" for _s, n, e in out).encode())


def _sources(request, instr, sources: list[str], states: dict, names: dict, host
             ) -> tuple[list[tuple[str, str, Any]], str]:
    """[(source pattern, path relative to it, FileEntry)] and their content checksum."""
    from dataclasses import replace

    from ..model.digest import sha256_digest
    from .context import ContextError
    stage_name = instr.flags.get("from")
    out: list[tuple[str, str, Any]] = []
    if stage_name is None:
        for src in sources:
            try:
                picked = request.context.select([src])
            except ContextError as exc:
                raise StepError(str(exc), f"failed to solve: failed to compute cache key: {exc}"
                                ) from None
            out.extend((src, f.copy_path, f.entry) for f in picked)
        try:
            checksum = request.context.checksum(sources)
        except ContextError as exc:
            raise StepError(str(exc)) from None
        return out, checksum
    other = names.get(stage_name.lower())
    index = other.index if other is not None else (
        int(stage_name) if stage_name.isdigit() else None)  # --from=0: a stage by number
    if index is None or index not in states:
        raise StepError(f"{stage_name}: failed to resolve source metadata for "
                        f"docker.io/library/{stage_name}:latest: pull access denied, repository "
                        "does not exist or may require authorization")
    fs = states[index].filesystem({}, lambda: 0)
    for src in sources:
        path = normpath(src)
        entry = fs.stat(path)
        if entry is None:
            raise StepError(f'failed to calculate checksum of ref: "{path}": not found',
                            f'failed to solve: failed to compute cache key: failed to calculate '
                            f'checksum of ref: "{path}": not found')
        if entry.kind != "dir":
            out.append((src, posixpath.basename(path), entry))
            continue
        stack = [path]
        while stack:
            d = stack.pop()
            for name in fs.listdir(d):
                child = f"{d.rstrip('/')}/{name}"
                e = fs.stat(child)
                if e is None:
                    continue
                out.append((src, child[len(path):].lstrip("/"), e))
                if e.kind == "dir":
                    stack.append(child)
    # content, mode and owner, never mtime (§3.3; buildkit cache/contenthash)
    body = "\n".join(replace(e, mtime=0).line(f"{s}:{r}")
                     for s, r, e in sorted(out, key=lambda x: x[:2]))
    return out, sha256_digest(body.encode())


def _copy(fs: MergedFS, files, dest: str, many: bool, flags: dict[str, str]) -> int:
    """Put the selected files under ``dest`` (a directory when it ends in ``/``, when there
    are several sources, or when it already is one). Returns bytes written."""
    from dataclasses import replace
    to_dir = dest.endswith("/") or many or (fs.stat(dest.rstrip("/")) or dir_entry()).kind \
        == "dir" and fs.stat(dest.rstrip("/")) is not None
    dest = dest.rstrip("/") or "/"
    uid = gid = None
    if "chown" in flags:
        user, _, group = flags["chown"].partition(":")
        uid = 0 if user in ("root", "0") else int(user) if user.isdigit() else 1000
        gid = uid if not group else 0 if group in ("root", "0") else (
            int(group) if group.isdigit() else 1000)
    mode = int(flags["chmod"], 8) if "chmod" in flags else None
    written = 0
    single_file = len(files) == 1 and files[0][2].kind != "dir" and not to_dir
    for _src, rel, entry in files:
        target = dest if single_file else normpath(f"{dest}/{rel}")
        parent = posixpath.dirname(target)
        if fs.stat(parent) is None:
            fs.mkdir(parent, parents=True)
        new = replace(entry, uid=uid if uid is not None else entry.uid,
                      gid=gid if gid is not None else entry.gid,
                      mode=mode if mode is not None and entry.kind == "file" else entry.mode)
        if entry.kind == "dir":
            if fs.stat(target) is None:
                fs.mkdir(target, parents=True)
            continue
        existing = fs.stat(target)
        if existing is not None and existing.kind == "dir":
            fs.remove(target, recursive=True)
        fs._copy_up_parents(target)
        fs.upper[target] = new
        written += new.size
    return written


def _run(host: Host, request, instr, argv: list[str], state: StageState, env, progress, vid):
    """Execute a RUN: for real with the shell subset, else by its declared or estimated
    effect. Returns (upper dir, duration)."""
    from ..model.shell import ExecNotFound, run_argv
    from .effects import EffectError, estimate, merge, parse_annotation
    yield from ()
    clock = lambda: int(host.world.wall())  # noqa: E731
    command = " ".join(argv[2:]) if argv[:2] == ["/bin/sh", "-c"] else " ".join(argv)
    shown = " ".join(argv)
    effect = None
    if instr.annotation:  # one or more "# sim:" lines, prefix already stripped
        try:
            parts = [parse_annotation(f"# sim: {text}") for text in
                     instr.annotation.splitlines() if text.strip()]
        except EffectError as exc:
            raise StepError(str(exc)) from None
        found = [p for p in parts if p is not None]
        effect = merge(found) if found else None
    if effect is None:
        upper: dict = {}
        fs = state.filesystem(upper, clock)
        try:
            result = run_argv(argv, fs, env, state.workdir)
        except ExecNotFound:
            result = None
        if result is not None and not (result.exit_code == 127 and
                                       "not found" in result.stderr):
            for text in (result.stdout, result.stderr):
                for line in text.splitlines():
                    progress.line(f"#{vid} {0.1:.3f} {line}")
            if result.exit_code:
                raise StepError(f'process "{shown}" did not complete successfully: exit code: '
                                f"{result.exit_code}")
            duration = result.duration if result.duration != float("inf") else 0.0
            return upper, RUN_OVERHEAD + duration
        effect = estimate(command, request.effects, workdir=state.workdir)
    upper = {}
    fs = state.filesystem(upper, clock)
    for path in effect.removes:
        _remove(fs, path)
    for path, size in effect.writes:
        target = normpath(path)
        existing = fs.stat(target)
        if path.endswith("/") or (existing is not None and existing.kind == "dir") or \
                posixpath.basename(target) in DIRECTORY_NAMES:
            fs.mkdir(target, parents=True)  # a tree of unknown files: one file stands for it
            fs.write(f"{target}/.dockersim-estimated", None, size=size)
        else:
            fs.mkdir(posixpath.dirname(target), parents=True)
            fs.write(target, None, size=size)
    if effect.estimated:
        progress.line(f"#{vid} 0.000 (dockersim: not executed; effect {effect.source}: "
                      f"{effect.note or 'default estimate'})")
    if effect.exit_code:
        raise StepError(f'process "{shown}" did not complete successfully: exit code: '
                        f"{effect.exit_code}")
    return upper, RUN_OVERHEAD + effect.duration


def _remove(fs: MergedFS, path: str) -> None:
    """``rm -rf`` semantics for an effect's removes, globs in the last component included."""
    import fnmatch
    path = normpath(path)
    parent, pattern = posixpath.split(path)
    if any(c in pattern for c in "*?["):
        try:
            names = fs.listdir(parent)
        except FSError:
            return
        for name in names:
            if fnmatch.fnmatchcase(name, pattern):
                fs.remove(f"{parent.rstrip('/')}/{name}", recursive=True)
        return
    with contextlib.suppress(FSError):
        fs.remove(path, recursive=True)
