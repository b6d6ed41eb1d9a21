"""A host's daemon in time: the SimPy side of pull, push, start, stop, exec and the main
process of each container. The engine (pure) decides what; this decides when."""

from __future__ import annotations

import contextlib
import math
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy

from ..model.container import RESTARTING, Container
from ..model.engine import Engine
from ..model.errors import DockerError, NotModified
from ..model.image import Image
from ..model.reference import Reference
from ..model.registry import CONFIG_V1, Descriptor, ImageBlob, Manifest, RegistryStorage
from ..model.workload import COMMAND, JOB, SERVICE, SHELL, default_workload
from ..trace import events as ev

if TYPE_CHECKING:
    from .world import World

Line = Callable[[str], None]
SIGNALS = {"HUP": 1, "INT": 2, "QUIT": 3, "KILL": 9, "USR1": 10, "USR2": 12, "TERM": 15}


def signal_number(text: str) -> int:
    """``-s`` value: a name (KILL, SIGKILL) or a number; Docker's error otherwise."""
    name = text.upper().removeprefix("SIG")
    if name.isdigit():
        return int(name)
    if name not in SIGNALS:
        raise DockerError(f"Invalid signal: {text}", 400)
    return SIGNALS[name]


class Host:
    def __init__(self, world: World, name: str, rng: random.Random) -> None:
        self.world = world
        self.name = name
        self.env: simpy.Environment = world.env
        self.engine = Engine(name, world.wall, world.emit, rng)
        self.download_slots = simpy.Resource(self.env, world.config.timing.max_concurrent_downloads)
        self.upload_slots = simpy.Resource(self.env, world.config.timing.max_concurrent_uploads)
        self.extract_lock = simpy.Resource(self.env, 1)

    @property
    def timing(self):
        return self.world.config.timing

    def wait(self, seconds: float):
        return self.env.timeout(max(0.0, seconds))

    # ---- pull ----------------------------------------------------------------------
    def pull(self, ref: Reference, line: Line):
        """Pull a reference, printing Docker's non-tty progress lines; returns the Image."""
        registry = self._registry(ref)
        self.world.ensure_catalog_repo(ref.domain, ref.path)
        self.engine.emit(ev.PullStarted(self.name, ref.familiar_string(), ref.domain))
        yield self.wait(self.timing.rtt)
        manifest = registry.resolve(ref.path, ref.familiar_name, ref.tag, ref.digest)
        blob = registry.image_for(manifest)
        label = ref.tag if ref.digest is None else ref.digest
        line(f"{label}: Pulling from {ref.path}")  # pull_v2.go pullTag, after the manifest
        if blob.image_id not in self.engine.images:  # config present: no layer lines at all
            yield from self._fetch_layers(blob, line, ref.domain)
        image = self.engine.images.images[blob.image_id]
        digest_ref = Reference(ref.domain, ref.path, None, ref.digest or manifest.pull_digest)
        up_to_date = ref.digest is None and self.engine.images.lookup_ref(ref) == image.id
        if ref.digest is None:
            self.engine.tag(image.id, ref)
        self.engine.tag(image.id, digest_ref)
        line(f"Digest: {manifest.pull_digest}")
        status = "Image is up to date for" if up_to_date else "Downloaded newer image for"
        line(f"Status: {status} {ref.familiar_string()}")
        self.engine.emit(ev.PullFinished(self.name, ref.familiar_string(), image.id))
        return image

    def _registry(self, ref: Reference) -> RegistryStorage:
        registry = self.world.registry(ref.domain)
        if registry is None:
            raise DockerError(f'Get "https://{ref.domain}/v2/": dial tcp: lookup '
                              f"{ref.domain.split(':')[0]}: no such host", 500)
        return registry

    def _fetch_layers(self, blob: ImageBlob, line: Line, registry: str):
        eng = self.engine
        layers = blob.layers
        chains: list[str] = []
        exists = 0
        for layer in layers:  # "Already exists" is a prefix property (chainID)
            parent = chains[-1] if chains else None
            chain = layer.diff_id if parent is None else _chain(parent, layer.diff_id)
            chains.append(chain)
            if exists == len(chains) - 1 and chain in eng.layers and \
                    eng.known_digests.get(layer.digest) == layer.diff_id:
                exists += 1
        for layer in layers[:exists]:
            line(f"{layer.digest[7:19]}: Already exists")
            eng.emit(ev.LayerTransfer(self.name, layer.digest, "exists", layer.size, registry))
        todo = layers[exists:]
        downloads: dict[str, simpy.Event] = {}
        order: list[str] = []
        for layer in todo:
            if layer.digest not in downloads:
                downloads[layer.digest] = self.env.event()
                order.append(layer.digest)
                line(f"{layer.digest[7:19]}: Pulling fs layer")
        cap = self.timing.max_concurrent_downloads
        free = cap - self.download_slots.count
        for digest in order[max(0, free):]:
            line(f"{digest[7:19]}: Waiting")
        by_digest = {layer.digest: layer for layer in todo}
        for digest in order:
            self.env.process(self._download(by_digest[digest], downloads[digest], line,
                                            registry))
        held: list[str] = []
        parent = chains[exists - 1] if exists else None
        for chain in chains[:exists]:
            eng.layers.acquire(chain)
            held.append(chain)
        for layer in todo:  # registration is strictly in layer order
            yield downloads[layer.digest]
            with self.extract_lock.request() as req:
                yield req
                yield self.wait(layer.size / self.timing.extract_rate)
            parent = eng.register_layer(layer, parent)
            held.append(parent)
            eng.known_digests[layer.digest] = layer.diff_id
            eng.emit(ev.LayerTransfer(self.name, layer.digest, "extracted", layer.size,
                                      registry))
            line(f"{layer.digest[7:19]}: Pull complete")
        for layer in layers:
            eng.known_digests[layer.digest] = layer.diff_id
        eng.add_image(Image.create(blob.config, blob.layers, image_id=blob.image_id), held)

    def _download(self, layer, done: simpy.Event, line: Line, registry: str):
        with self.download_slots.request() as req:
            yield req
            self.engine.emit(ev.LayerTransfer(self.name, layer.digest, "downloading",
                                              layer.compressed_size, registry))
            share = self.timing.downlink / self.timing.max_concurrent_downloads
            yield self.wait(self.timing.rtt + layer.compressed_size / share)
            line(f"{layer.digest[7:19]}: Verifying Checksum")
            line(f"{layer.digest[7:19]}: Download complete")
            self.engine.emit(ev.LayerTransfer(self.name, layer.digest, "downloaded",
                                              layer.compressed_size, registry))
        done.succeed()

    # ---- push ----------------------------------------------------------------------
    def push(self, ref: Reference, image: Image, line: Line):
        line(f"The push refers to repository [{ref.name}]")  # moby distribution/push.go
        registry = self._registry(ref)
        eng = self.engine
        layers = list(image.layers)
        for layer in reversed(layers):
            line(f"{layer.diff_id[7:19]}: Preparing")
        cap = self.timing.max_concurrent_uploads
        for layer in list(reversed(layers))[cap:]:
            line(f"{layer.diff_id[7:19]}: Waiting")
        if registry.docker_hub and ref.path.startswith("library/"):
            # the first blob upload is refused: nobody may write to official repositories
            raise DockerError("denied: requested access to the resource is denied", 403)
        done = []
        for layer in reversed(layers):
            ev_done = self.env.event()
            done.append(ev_done)
            self.env.process(self._upload(ref, registry, layer, ev_done, line))
        yield from done
        descs = tuple(Descriptor(layer.media_type, layer.digest, layer.compressed_size)
                      for layer in layers)
        config_size = len(repr(image.config))
        manifest = Manifest.build(Descriptor(CONFIG_V1, image.id, config_size), descs)
        yield self.wait(self.timing.rtt)
        registry.put_image(ref.path, ref.tag, ImageBlob(image.id, image.config, image.layers),
                           manifest)
        eng.tag(image.id, Reference(ref.domain, ref.path, None, manifest.digest))
        eng.emit(ev.ManifestPushed(self.name, ref.domain, ref.path, ref.tag or "latest",
                                   manifest.digest))
        line(f"{ref.tag}: digest: {manifest.digest} size: {manifest.size}")

    def _upload(self, ref: Reference, registry: RegistryStorage, layer, done, line: Line):
        eng = self.engine
        short = layer.diff_id[7:19]
        with self.upload_slots.request() as req:
            yield req
            known = eng.known_digests.get(layer.digest) == layer.diff_id
            if known:
                yield self.wait(self.timing.rtt)
            if known and registry.blob_exists(ref.path, layer.digest):
                line(f"{short}: Layer already exists")
                eng.emit(ev.LayerTransfer(self.name, layer.digest, "exists", layer.size,
                                          ref.domain))
                done.succeed()
                return
            sources = sorted(p for r, p in eng.known_repos.get(layer.diff_id, set())
                             if r == ref.domain and p != ref.path)
            for source in sources[:4]:
                yield self.wait(self.timing.rtt)
                if registry.mount(ref.path, layer.digest, source):
                    line(f"{short}: Mounted from {source}")
                    eng.emit(ev.LayerTransfer(self.name, layer.digest, "mounted", layer.size,
                                              ref.domain))
                    self._remember(layer, ref)
                    done.succeed()
                    return
            rate = min(self.timing.compress_rate,
                       self.timing.uplink / max(1, self.upload_slots.count))
            eng.emit(ev.LayerTransfer(self.name, layer.digest, "uploading", layer.size, ref.domain))
            yield self.wait(self.timing.rtt + layer.size / rate)
            registry.put_blob(ref.path, layer)
            self._remember(layer, ref)
            eng.emit(ev.LayerTransfer(self.name, layer.digest, "uploaded", layer.size, ref.domain))
            line(f"{short}: Pushed")
        done.succeed()

    def _remember(self, layer, ref: Reference) -> None:
        self.engine.known_digests[layer.digest] = layer.diff_id
        self.engine.known_repos.setdefault(layer.diff_id, set()).add((ref.domain, ref.path))

    # ---- containers ----------------------------------------------------------------
    def start(self, c: Container):
        self.engine.check_start(c)
        yield self.wait(self.timing.start)
        self.engine.check_start(c)
        self.engine.allocate_ports(c)
        c.manually_stopped = False
        self._launch(c)

    def _launch(self, c: Container) -> None:
        self.engine.mark_started(c)
        self.env.process(self._main(c, c.run_epoch))

    def _main(self, c: Container, epoch: int):
        """The container's PID 1 as its workload profile says."""
        w = c.workload
        start = self.env.now
        code, duration = 0, 0.0
        if w.kind == COMMAND:
            from ..model.shell import ExecNotFound, run_argv
            fs = self.engine.filesystem(c)
            env = dict(e.split("=", 1) for e in c.config.get("Env") or [] if "=" in e)
            try:
                result = run_argv([c.path, *c.args], fs, env, c.config.get("WorkingDir") or "/")
                self._log(c, result.stdout, result.stderr)
                code, duration = result.exit_code, result.duration
            except ExecNotFound:  # the CLI checks first; a restart may still land here
                code, duration = 127, 0.0
        elif w.kind in (SERVICE, JOB):
            self._log(c, w.output, "")
            if w.kind == JOB:
                fs = self.engine.filesystem(c)
                for path, size in w.writes:
                    fs.mkdir(path.rsplit("/", 1)[0] or "/", parents=True)
                    fs.write(path, None, size=size)
                code, duration = w.exit_code, w.duration
            else:
                duration = math.inf
        elif w.kind == SHELL:
            duration = math.inf if c.interactive else 0.0
        if math.isinf(duration):
            c.exits_at = None
            return  # runs until a signal stops it
        c.exits_at = self.env.now + duration
        yield self.wait(duration)
        if c.run_epoch == epoch and c.running and c.id in self.engine.containers:
            yield from self._exited(c, code, self.env.now - start)

    def _log(self, c: Container, out: str, err: str) -> None:
        t = self.world.wall()
        if out:
            c.logs.append((t, "stdout", out))
        if err:
            c.logs.append((t, "stderr", err))

    def _exited(self, c: Container, code: int, uptime: float):
        """The main process ended by itself: restart policy, or exit (and ``--rm``)."""
        if c.should_restart(code):
            delay = c.next_backoff(uptime)
            self.engine.mark_restarting(c, code)
            epoch = c.run_epoch
            yield self.wait(delay)
            if c.run_epoch == epoch and c.state == RESTARTING:
                c.restart_count += 1
                self._launch(c)
            return
        self.engine.mark_exited(c, code)
        if c.auto_remove and c.id in self.engine.containers:
            yield self.wait(self.timing.remove)
            self.engine.remove(c, remove_volumes=True)

    def stop(self, c: Container, timeout: float | None):
        """SIGTERM, wait for the grace period, then SIGKILL (exit 137)."""
        self.engine.check_stop(c)
        c.manually_stopped = True
        if c.state == RESTARTING:
            self.engine.mark_exited(c, c.exit_code)
            return
        grace = timeout if timeout is not None else (
            c.stop_timeout if c.stop_timeout is not None else self.timing.stop_timeout)
        if c.paused:
            c.paused = False  # thawed so the signal arrives
        if self._honours_sigterm(c) and (grace < 0 or self.timing.stop_exit <= grace):
            yield self.wait(self.timing.stop_exit)
            code = 0
        else:
            yield self.wait(grace if grace >= 0 else self.timing.stop_exit)
            code = 137
        if c.running:
            self.engine.mark_exited(c, code)
            if c.auto_remove:
                self.engine.remove(c, remove_volumes=True)

    @staticmethod
    def _honours_sigterm(c: Container) -> bool:
        w = c.workload
        if w.kind == SERVICE:
            return w.handles_sigterm
        return w.kind == JOB and w.handles_sigterm

    def kill(self, c: Container, typed: str, signal: int):
        """Deliver a signal. SIGKILL always ends PID 1 (137); TERM/INT/QUIT end a process
        that handles them; PID 1 without handlers (a shell, ``sleep``) ignores them; other
        signals (HUP, USR1) are delivered and do not stop it."""
        self.engine.check_kill(c, typed)
        fatal = signal == 9 or (signal in (2, 3, 15) and self._honours_sigterm(c))
        if fatal or c.state == RESTARTING:
            c.manually_stopped = True
        if c.state == RESTARTING:
            self.engine.mark_exited(c, c.exit_code)
            return
        yield self.wait(self.timing.kill)
        if fatal and c.running:
            c.paused = False  # thawed to deliver
            code = 137 if signal == 9 else (0 if c.workload.kind == SERVICE else 128 + signal)
            self.engine.mark_exited(c, code)
            if c.auto_remove:
                self.engine.remove(c, remove_volumes=True)

    def restart(self, c: Container, timeout: float | None):
        if c.running:
            with contextlib.suppress(NotModified):
                yield from self.stop(c, timeout)
        yield from self.start(c)

    def remove(self, c: Container, typed: str, force: bool, volumes: bool):
        self.engine.check_remove(c, typed, force)
        if c.running:
            c.manually_stopped = True
            yield self.wait(self.timing.kill)
            self.engine.mark_exited(c, 137)
        yield self.wait(self.timing.remove)
        self.engine.remove(c, volumes)

    def workload_for(self, image: Image, repository: str):
        return default_workload(repository)


def _chain(parent: str, diff_id: str) -> str:
    from ..model.digest import sha256_digest
    return sha256_digest(f"{parent} {diff_id}".encode())


__all__ = ["Host", "signal_number", "SHELL"]
