"""One host's daemon state and Docker's rules for it, with no clock of its own.

The world decides *when* (durations, queues); the engine decides *what*: the new state or
Docker's exact error. Every change is emitted as a trace event. Times are wall-clock unix
seconds given by the ``clock`` callable.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from ..trace import events as ev
from .container import NO_RESTART, PAUSED, RESTARTING, Container, Mount, RestartPolicy
from .errors import Conflict, DockerError, InvalidParameter, NotFound, NotModified
from .image import Image
from .imagestore import ImageStore, no_such_image
from .layer import DIR, FileEntry, Layer
from .layerstore import LayerStore
from .names import check_container_name, check_volume_name, generate_name, random_hex_id
from .ports import EPHEMERAL_END, EPHEMERAL_START, PortBinding
from .reference import Reference
from .unionfs import MergedFS, normpath
from .volume import Volume, VolumeStore, check_mount_mode
from .workload import COMMAND, Workload, command_workload

PATH_DIRS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
CONFIGS_KEPT = 64  # containers' configs an engine keeps to share (one per image and options)


@dataclass
class CreateOptions:
    name: str | None = None
    cmd: list[str] | None = None
    entrypoint: list[str] | None = None
    env: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)  # -v specs
    restart: RestartPolicy = field(default_factory=RestartPolicy)
    auto_remove: bool = False
    interactive: bool = False
    tty: bool = False
    stop_timeout: int | None = None
    workload: Workload | None = None
    labels: dict[str, str] = field(default_factory=dict)
    publish: list[PortBinding] = field(default_factory=list)
    working_dir: str | None = None


def _config_key(image_id: str, image_ref: str, opts: CreateOptions) -> tuple | None:
    """What a container's config depends on, or None when an option is not plain text or
    a bool (1, True and 1.0 are equal keys but print differently: no sharing then)."""
    texts = [*(opts.entrypoint or ()), *(opts.cmd or ()), *opts.env, *opts.labels.keys(),
             *opts.labels.values()]
    if opts.working_dir:
        texts.append(opts.working_dir)
    if (type(opts.tty) is not bool or type(opts.interactive) is not bool
            or any(type(t) is not str for t in texts)):
        return None
    return (image_id, image_ref,
            None if opts.entrypoint is None else tuple(opts.entrypoint),
            tuple(opts.cmd) if opts.cmd else None, tuple(opts.env),
            opts.working_dir or None, opts.tty, opts.interactive, tuple(opts.labels.items()))


def _make_run_config(image: Image, image_ref: str,
                     opts: CreateOptions) -> tuple[dict, str, list[str]]:
    """moby's merge of the image's config and the create options; InvalidParameter when
    there is no command to run."""
    run = dict(image.run_config)
    entrypoint = opts.entrypoint if opts.entrypoint is not None else run.get("Entrypoint")
    cmd = opts.cmd if opts.cmd else run.get("Cmd")
    argv = [*(entrypoint or []), *(cmd or [])]
    if not argv:
        raise InvalidParameter("no command specified")
    env = list(run.get("Env") or [])
    for item in opts.env:
        key = item.split("=", 1)[0]
        env = [e for e in env if e.split("=", 1)[0] != key] + [item]
    if opts.working_dir:
        run["WorkingDir"] = opts.working_dir
    config = {**run, "Cmd": cmd, "Entrypoint": entrypoint, "Env": env,
              "Image": image_ref, "Tty": opts.tty, "OpenStdin": opts.interactive,
              "Labels": {**(run.get("Labels") or {}), **opts.labels}}
    return config, argv[0], argv[1:]


class Engine:
    def __init__(self, host: str, clock: Callable[[], float],
                 emit: Callable[[ev.Event], None], rng: random.Random) -> None:
        self.host = host
        self.clock = clock
        self.emit = emit
        self.rng = rng
        self.layers = LayerStore()
        self.images = ImageStore()
        self.volumes = VolumeStore()
        self.containers: dict[str, Container] = {}
        self._configs: dict[tuple, tuple[dict, str, list[str]]] = {}  # see _run_config
        # container ID -> what to call when its main process ends (its exec'd processes die)
        self._exit_watchers: dict[str, list[Callable[[], None]]] = {}
        self.known_digests: dict[str, str] = {}  # blob digest -> diffID (v2 metadata service)
        self.known_repos: dict[str, set[tuple[str, str]]] = {}  # diffID -> {(registry, repo)}
        self.next_pid = 1000
        self.host_paths: dict[str, dict[str, FileEntry]] = {}  # bind-mount sources
        self.build_cache = None  # set by the host: BuildKit's cache (sim.build.cache)
        # bytes left on the host's disk, None when unlimited (set by the host, which knows
        # its disk size and faults); container writes past it fail with ENOSPC
        self.disk_free: Callable[[], int | None] = lambda: None

    # ---- layers and images ---------------------------------------------------------
    def register_layer(self, layer: Layer, parent: str | None) -> str:
        """Register one layer on top of ``parent``; the caller holds one reference."""
        chain, created = self.layers.register(layer, parent)
        if created:
            self.emit(ev.LayerRegistered(self.host, chain, layer.diff_id, parent, layer.size,
                                         layer.digest, layer.created_by))
        return chain

    def release_layer(self, chain: str | None) -> list[str]:
        deleted = self.layers.release_layers(chain)
        for ro in deleted:
            self.emit(ev.LayerDeleted(self.host, ro.chain_id, ro.layer.size))
        return [ro.chain_id for ro in deleted]

    def add_image(self, image: Image, held: list[str] | None = None) -> bool:
        """Store an image whose layers the caller registered (``held``: the caller's
        references, base first). The image keeps its top layer; the rest are released."""
        if held is None:
            held, parent = [], None
            try:
                for layer in image.layers:
                    parent = self.register_layer(layer, parent)
                    held.append(parent)
            except DockerError:  # e.g. max depth exceeded: give back what was taken
                for chain in reversed(held):
                    self.release_layer(chain)
                raise
        new = self.images.add(image)
        keep = held[-1] if (new and held) else None
        for chain in held:
            # a layer below the top is still held by its child: only a count goes down
            if chain != keep and not self.layers.release_held(chain):
                self.release_layer(chain)
        if new:
            chains = tuple(held) if len(held) == len(image.layers) else tuple(image.chain_ids)
            self.emit(ev.ImageCreated(self.host, image.id, chains, image.size))
        return new

    def tag(self, image_id: str, ref: Reference, asked: str | None = None) -> None:
        """Point ``ref`` at an image that is in the store (``asked``: how the user named it,
        for the error when it is gone)."""
        if image_id not in self.images.images:
            raise no_such_image(asked or image_id)
        previous = self.images.set_ref(ref, image_id)
        if previous is not None and previous != image_id:
            self.emit(ev.ImageUntagged(self.host, previous, ref.familiar_string()))
        if previous != image_id:
            self.emit(ev.ImageTagged(self.host, image_id, ref.familiar_string()))

    def untag(self, ref: Reference) -> str:
        image_id = self.images.remove_ref(ref)
        self.emit(ev.ImageUntagged(self.host, image_id, ref.familiar_string()))
        return image_id

    def delete_image_record(self, image_id: str) -> list[str]:
        """Remove an image and release its top layer; return deleted chainIDs, top first."""
        image = self.images.delete(image_id)
        self.emit(ev.ImageDeleted(self.host, image_id))
        return self.release_layer(image.top_chain)

    def image_users(self, image_id: str) -> list[Container]:
        return [c for c in self.containers.values() if c.image_id == image_id]

    # ---- containers ----------------------------------------------------------------
    def container(self, text: str) -> Container:
        """moby GetByPrefix: full ID, then name, then a unique ID prefix."""
        if text in self.containers:
            return self.containers[text]
        name = text.lstrip("/")
        for c in self.containers.values():
            if c.name == name:
                return c
        if text and all(ch in "0123456789abcdef" for ch in text):
            found = [c for c in self.containers.values() if c.id.startswith(text)]
            if len(found) > 1:
                raise InvalidParameter(f"multiple IDs found with provided prefix: {text}")
            if found:
                return found[0]
        raise NotFound(f"No such container: {text}")

    def create(self, image: Image, image_ref: str, opts: CreateOptions,
               default_workload: Workload) -> Container:
        if image.id not in self.images.images:  # removed while the create was under way
            raise no_such_image(image_ref)
        if opts.name is not None:
            check_container_name(opts.name)
            name = opts.name.lstrip("/")
            for other in self.containers.values():
                if other.name == name:
                    raise Conflict(
                        f'Conflict. The container name "/{name}" is already in use by container '
                        f'"{other.id}". You have to remove (or rename) that container to be able '
                        "to reuse that name.")
        cid = random_hex_id(self.rng)
        taken = {c.name for c in self.containers.values()}
        name = opts.name.lstrip("/") if opts.name else generate_name(self.rng, taken, cid)
        config, path, args = self._run_config(image, image_ref, opts)
        workload = opts.workload or (
            command_workload([path, *args]) if opts.cmd or opts.entrypoint
            else default_workload)
        restart = NO_RESTART if opts.restart == NO_RESTART else opts.restart
        c = Container(cid, name, image.id, image_ref, self.clock(), path, args, config,
                      workload, restart, opts.auto_remove, opts.interactive and opts.tty,
                      opts.stop_timeout)
        c.publish = tuple(opts.publish)
        c.mounts = self._mounts(opts.volumes, image.run_config.get("Volumes") or {}, cid)
        c.rw_chain = image.top_chain
        if c.rw_chain is not None:
            self.layers.acquire(c.rw_chain)
        for m in c.mounts:  # Docker creates missing mount points in the RW layer
            fs = MergedFS(self._lower_files(c), c.upper, clock=lambda: 0)
            if fs.stat(m.destination) is None:
                fs.mkdir(m.destination, parents=True)
        self.containers[cid] = c
        self.emit(ev.ContainerCreated(self.host, cid, name, image.id, image_ref, c.rw_chain))
        return c

    def _run_config(self, image: Image, image_ref: str,
                    opts: CreateOptions) -> tuple[dict, str, list[str]]:
        """The container's config, PID 1's path and its args. Containers of one image made
        with the same options share these objects (read-only, as the image's config they
        share lists with): a fleet would otherwise hold a copy of the image's config in
        each of its 100,000s of containers. The last CONFIGS_KEPT option sets are kept."""
        key = _config_key(image.id, image_ref, opts)
        found = self._configs.pop(key, None) if key is not None else None
        if found is None:
            found = _make_run_config(image, image_ref, opts)
            if key is not None and len(self._configs) >= CONFIGS_KEPT:
                del self._configs[next(iter(self._configs))]  # the least recently used
        if key is not None:
            self._configs[key] = found
        return found

    def _mounts(self, specs: list[str], image_volumes: dict,
                cid: str) -> tuple[Mount, ...]:
        mounts: list[Mount] = []
        for spec in specs:
            parts = spec.split(":")
            if len(parts) == 1:
                dest, source, anon = parts[0], random_hex_id(self.rng), True
            else:
                source, dest, anon = parts[0], parts[1], False
            if not dest.startswith("/"):
                raise InvalidParameter(
                    f"invalid volume specification: '{spec}': invalid mount config for type "
                    f'"volume": invalid mount path: \'{dest}\' mount path must be absolute')
            kind = "bind" if source.startswith("/") else "volume"
            if kind == "volume" and not anon:
                check_volume_name(source)
            mode = parts[2] if len(parts) > 2 else ""
            if mode:
                check_mount_mode(mode)
            mounts.append(Mount(kind, source, normpath(dest), "ro" in mode.split(","), anon))
        taken = {m.destination for m in mounts}
        for dest in sorted(image_volumes):
            if normpath(dest) not in taken:
                mounts.append(Mount("volume", random_hex_id(self.rng), normpath(dest), False, True))
        for m in mounts:
            if m.type == "volume":
                _, created = self.volumes.create(m.source, self.clock(), m.anonymous)
                if created:
                    self.emit(ev.VolumeCreated(self.host, m.source, m.anonymous))
        return tuple(mounts)

    def _lower_files(self, c: Container) -> list:
        return [ro.layer.files for ro in self.layers.chain(c.rw_chain)] if c.rw_chain else []

    def filesystem(self, c: Container) -> MergedFS:
        """The container's merged root: image layers, its upper dir, and its volumes."""
        mounts = {}
        for m in c.mounts:
            if m.type == "volume":
                vol = self.volumes.volumes.get(m.source)
                if vol is not None:
                    mounts[m.destination] = MergedFS([], vol.files, clock=self._now_int,
                                                     space=self.disk_free)
            else:  # a bind mount: a directory of the host, shared by whoever mounts it
                files = self.host_paths.setdefault(m.source, {})
                mounts[m.destination] = MergedFS([], files, clock=self._now_int,
                                                 space=self.disk_free)
        return MergedFS(self._lower_files(c), c.upper, mounts, clock=self._now_int,
                        space=self.disk_free)

    def _now_int(self) -> int:
        return int(self.clock())

    def _populate_volumes(self, c: Container) -> None:
        """An empty volume mounted over image content is filled with that content once."""
        base = MergedFS(self._lower_files(c), c.upper)
        for m in c.mounts:
            vol = self.volumes.volumes.get(m.source) if m.type == "volume" else None
            if vol is None or vol.populated or vol.files:
                continue
            vol.populated = True
            stack = [m.destination]
            while stack:
                path = stack.pop()
                entry = base.stat(path)
                if entry is None or entry.kind != DIR:
                    continue
                for name in base.listdir(path):
                    child = f"{path.rstrip('/')}/{name}"
                    e = base.stat(child)
                    if e is not None:
                        vol.files["/" + child[len(m.destination):].lstrip("/")] = e
                        stack.append(child)

    def missing_program(self, c: Container, image: Image | None,
                        image_profile: Workload | None) -> str | None:
        """What runc would say of a command given to run/create: None when PID 1 can
        start (a built-in program, a file on the PATH, or the image's own program, which
        then runs with the image's profile), else the missing program."""
        from .shell import known_programs
        if c.workload.kind != COMMAND:
            return None
        prog = c.path
        base = prog.rsplit("/", 1)[-1]
        if base in known_programs() and (
                "/" not in prog or prog.rsplit("/", 1)[0] in PATH_DIRS):
            return None
        fs = self.filesystem(c)
        on_path = fs.stat(prog) is not None if prog.startswith("/") else any(
            fs.stat(f"{d}/{prog}") is not None for d in PATH_DIRS)
        own = {p.rsplit("/", 1)[-1] for p in (image.entrypoint or []) + (image.cmd or [])[:1]} \
            if image is not None else set()
        if on_path or base in own:
            if image_profile is not None:
                c.workload = image_profile
            return None
        return prog

    # ---- lifecycle -----------------------------------------------------------------
    def _set(self, c: Container) -> None:
        self.emit(ev.ContainerStateChanged(self.host, c.id, c.state, c.exit_code))

    def check_start(self, c: Container) -> None:
        if c.state == PAUSED:
            raise Conflict("cannot start a paused container, try unpause instead")
        if c.removal_in_progress or c.dead:
            raise Conflict("container is marked for removal and cannot be started")
        if c.running:
            raise NotModified("container is already running")

    def allocate_ports(self, c: Container) -> None:
        """Bind the published host ports, or fail as the port allocator does."""
        held = {(b.host_ip or "0.0.0.0", b.host_port, b.proto)
                for other in self.containers.values() for b in other.bound}
        held_any = {(p, proto) for ip, p, proto in held if ip == "0.0.0.0"}
        bound = []
        for want in c.publish:
            port = want.host_port
            if port is None:
                port = next(p for p in range(EPHEMERAL_START, EPHEMERAL_END)
                            if (p, want.proto) not in held_any and
                            all(b.host_port != p for b in bound))
            ip = want.host_ip or "0.0.0.0"
            if (ip, port, want.proto) in held or (port, want.proto) in held_any:
                endpoint = random_hex_id(self.rng)
                raise DockerError(
                    "failed to set up container networking: driver failed programming external "
                    f"connectivity on endpoint {c.name} ({endpoint}): Bind for {ip}:{port} "
                    "failed: port is already allocated", 500)
            bound.append(PortBinding(want.container_port, want.proto, want.host_ip, port))
        c.bound = tuple(bound)

    def mark_started(self, c: Container) -> None:
        self._populate_volumes(c)
        c.running, c.paused, c.restarting = True, False, False
        c.started_at = self.clock()
        c.pid, self.next_pid = self.next_pid, self.next_pid + 1
        c.run_epoch += 1
        c.exit_code = 0
        self._set(c)

    def mark_exited(self, c: Container, code: int) -> None:
        c.running = c.paused = c.restarting = False
        c.bound = ()
        c.finished_at, c.exit_code, c.pid = self.clock(), code, 0
        c.run_epoch += 1
        self._set(c)
        self._main_ended(c)

    def mark_restarting(self, c: Container, code: int) -> None:
        c.paused, c.restarting, c.running = False, True, True
        c.finished_at, c.exit_code, c.pid = self.clock(), code, 0
        c.run_epoch += 1
        self._set(c)
        self._main_ended(c)

    def watch_exit(self, c: Container, callback: Callable[[], None]) -> None:
        """Call ``callback`` once, when the main process of ``c`` ends: the kernel then
        kills every other process of its PID namespace (pid_namespaces(7)), the exec'd
        ones included."""
        self._exit_watchers.setdefault(c.id, []).append(callback)

    def unwatch_exit(self, c: Container, callback: Callable[[], None]) -> None:
        watchers = self._exit_watchers.get(c.id)
        if watchers is not None and callback in watchers:
            watchers.remove(callback)
            if not watchers:
                del self._exit_watchers[c.id]

    def _main_ended(self, c: Container) -> None:
        for callback in self._exit_watchers.pop(c.id, ()):
            callback()

    def check_stop(self, c: Container) -> None:
        if not c.running:
            raise NotModified("container is already stopped")

    def check_kill(self, c: Container, typed: str) -> None:
        if not c.running:
            raise Conflict(f"cannot kill container: {typed}: container {c.id} is not running")

    def pause(self, c: Container) -> None:
        if not c.running:
            raise Conflict(f"container {c.id} is not running")
        if c.paused:
            # Engine 28.5 wording (errNotPaused at v28.5.2); v29 lowercased it
            raise Conflict(f"Container {c.id} is already paused")
        if c.restarting:
            raise Conflict(f"Container {c.id} is restarting, wait until the container is running")
        c.paused = True
        self._set(c)

    def unpause(self, c: Container) -> None:
        if not c.paused:
            raise DockerError(f"Container {c.id} is not paused", 500)
        c.paused = False
        self._set(c)

    def check_exec(self, c: Container, typed: str) -> None:
        if not c.running:
            raise Conflict(f"container {c.id} is not running")
        if c.paused:
            raise Conflict(f"Container {typed} is paused, unpause the container before exec")
        if c.state == RESTARTING:
            raise Conflict(f"Container {c.id} is restarting, wait until the container is running")

    def check_remove(self, c: Container, typed: str, force: bool) -> None:
        if c.removal_in_progress:
            raise Conflict(f"removal of container {typed} is already in progress")
        if force:
            return
        if c.paused:
            raise Conflict(f'cannot remove container "{typed}": container is paused and must '
                           "be unpaused first")
        if c.running:
            word = "restarting" if c.restarting else "running"
            raise Conflict(f'cannot remove container "{typed}": container is {word}: stop the '
                           "container before removing or force remove")

    def remove(self, c: Container, remove_volumes: bool) -> None:
        """Delete the container and its RW layer; anonymous volumes go with ``-v``/``--rm``.
        Removing twice (an auto-removal racing a ``docker rm``) is a no-op."""
        if self.containers.get(c.id) is not c:
            return
        c.removal_in_progress = True
        self._set(c)
        del self.containers[c.id]
        c.upper.clear()
        self.emit(ev.ContainerRemoved(self.host, c.id))
        self.release_layer(c.rw_chain)
        if remove_volumes:
            for m in c.mounts:
                if m.type == "volume" and m.anonymous and m.source in self.volumes.volumes \
                        and not self.volume_users(m.source):
                    self.volumes.remove(m.source, [])
                    self.emit(ev.VolumeRemoved(self.host, m.source))

    # ---- volumes -------------------------------------------------------------------
    def volume_users(self, name: str) -> list[str]:
        return [c.id for c in self.containers.values()
                if any(m.type == "volume" and m.source == name for m in c.mounts)]

    def create_volume(self, name: str | None) -> Volume:
        if name:
            check_volume_name(name)
        vol, created = self.volumes.create(name or random_hex_id(self.rng), self.clock(),
                                           anonymous=name is None)
        if created:
            self.emit(ev.VolumeCreated(self.host, vol.name, vol.anonymous))
        return vol

    def remove_volume(self, name: str, force: bool = False) -> None:
        self.volumes.remove(name, self.volume_users(name), force)
        self.emit(ev.VolumeRemoved(self.host, name))

    # ---- accounting ----------------------------------------------------------------
    def container_size(self, c: Container) -> tuple[int, int]:
        """(writable layer bytes, virtual = image chain + writable)."""
        rw = sum(e.size for e in c.upper.values() if e.kind == "file")
        image = sum(ro.layer.size for ro in self.layers.chain(c.rw_chain)) if c.rw_chain else 0
        return rw, image + rw

    def disk_bytes(self) -> int:
        """Everything on this host's disk: unique layers + RW layers + volumes."""
        return (self.layers.size() + sum(self.container_size(c)[0]
                                         for c in self.containers.values())
                + sum(v.size for v in self.volumes.volumes.values()))
