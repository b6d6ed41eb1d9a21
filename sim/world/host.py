"""A host's daemon in time: the SimPy side of pull, push, start, stop, exec and the main
process of each container. The engine (pure) decides what; this decides when."""

from __future__ import annotations

import contextlib
import math
import random
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy

from ..model.container import RESTARTING, Container
from ..model.engine import Engine
from ..model.errors import DockerError, NotModified
from ..model.image import Image
from ..model.reference import Reference
from ..model.workload import COMMAND, JOB, SERVICE, SHELL, default_workload

if TYPE_CHECKING:
    from .world import HostConfig, World

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
    def __init__(self, world: World, config: HostConfig, rng: random.Random) -> None:
        self.world = world
        self.config = config
        self.name = config.name
        self.timing = config.timing
        self.env: simpy.Environment = world.env
        self.engine = Engine(self.name, world.wall, world.emit, rng)
        from ..build.cache import BuildCache
        self.engine.build_cache = BuildCache()  # BuildKit's cache lives on the host
        self.engine.disk_free = self.disk_free
        self.downloads_active = 0  # download slots in use (max_concurrent_downloads)
        self.download_queue: deque = deque()  # downloads waiting for a slot, FIFO
        self.upload_slots = simpy.Resource(self.env, self.timing.max_concurrent_uploads)
        self.extract_free_at = 0.0  # when the host's single extractor is next free
        self.downlink = world.network.link(f"{self.name}:downlink", self.timing.downlink)
        self.uplink = world.network.link(f"{self.name}:uplink", self.timing.uplink)
        self.inflight: dict = {}  # transfer key -> the pull bringing that layer prefix in
        self.bytes_pulled = 0
        self.bytes_served = 0  # blobs sent to other hosts (peer-to-peer distribution)
        self.disk_full = False

    def wait(self, seconds: float):
        return self.env.timeout(max(0.0, seconds))

    # ---- transfers ---------------------------------------------------------------
    def pull(self, ref: Reference, line: Line):
        """Pull a reference, printing Docker's non-tty progress lines; returns the Image."""
        from .pull import pull
        return (yield from pull(self, ref, line))

    def push(self, ref: Reference, image: Image, line: Line):
        from .push import push
        yield from push(self, ref, image, line)

    def disk_free(self) -> int | None:
        """Bytes the disk has left for container writes: none while a disk-full fault
        holds; None when the host's disk has no size."""
        if self.disk_full:
            return 0
        limit = self.config.disk
        return None if limit is None else max(0, limit - self.engine.disk_bytes())

    def check_disk(self, layer) -> None:
        """Refuse a layer that does not fit: ``no space left on device``."""
        limit = self.config.disk
        if self.disk_full or (limit is not None and
                              self.engine.disk_bytes() + layer.size > limit):
            raise DockerError(
                f"failed to register layer: write /var/lib/docker/overlay2/"
                f"{layer.diff_id[7:19]}/diff: no space left on device", 507)

    # ---- containers ----------------------------------------------------------------
    def start(self, c: Container):
        self.engine.check_start(c)
        if self.world.config.distribution.instances != "vm":
            yield self.wait(self.timing.start)
        elif c.started_at is None:
            from .vm import provision
            yield from provision(self, c)  # the first start copies the disk, then boots
        else:
            yield self.wait(self.world.config.distribution.vm_boot)  # the disk is there
        self.engine.check_start(c)
        self.engine.allocate_ports(c)
        c.manually_stopped = False
        self._launch(c)

    def _launch(self, c: Container) -> None:
        self.engine.mark_started(c)
        w = c.workload
        if w.kind == SERVICE or (w.kind == SHELL and c.interactive):
            # runs until a signal stops it: nothing to wait for, so no process (a fleet of
            # 100,000 services holds no generator frames)
            if w.kind == SERVICE:  # printed as it starts: the same instant, one float
                self._log(c, w.output, "", c.started_at)
            c.exits_at = None
            return
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

    def exec_process(self, c: Container, duration: float):
        """An exec'd process that runs ``duration`` seconds (``inf``: until killed); it dies
        with the container's main process (SIGKILL with the rest of its PID namespace).
        Returns True when it ran to its end, False when it was killed."""
        ended = self.env.event()

        def killed() -> None:
            if not ended.triggered:
                ended.succeed(False)
        self.engine.watch_exit(c, killed)
        if not math.isinf(duration):
            self.env.timeout(duration).callbacks.append(
                lambda _e: None if ended.triggered else ended.succeed(True))
        try:
            return (yield ended)
        finally:
            self.engine.unwatch_exit(c, killed)

    def _log(self, c: Container, out: str, err: str, t: float | None = None) -> None:
        if t is None:
            t = self.world.wall()
        if out:
            c.log(t, "stdout", out)
        if err:
            c.log(t, "stderr", err)

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
            c.removal_in_progress = True  # a docker rm now gets "already in progress"
            yield self.wait(self.timing.remove)
            self.engine.remove(c, remove_volumes=True)

    def stop(self, c: Container, timeout: float | None, auto_remove: bool = True):
        """SIGTERM, wait for the grace period, then SIGKILL (exit 137). Returns as soon as
        the container exits, also when its process ends by itself during the grace period.
        ``auto_remove=False`` for ``docker restart``, which never removes an ``--rm``
        container (moby monitor.go: HasBeenManuallyRestarted)."""
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
            wait, code = self.timing.stop_exit, 0
        else:
            wait, code = (grace if grace >= 0 else self.timing.stop_exit), 137
        remaining = None if c.exits_at is None else c.exits_at - self.env.now
        if remaining is not None and 0 <= remaining < wait:
            keep, c.auto_remove = c.auto_remove, c.auto_remove and auto_remove
            yield self.wait(remaining)  # the process ends by itself first, with its code
            yield self.wait(0)
            c.auto_remove = keep
            if not c.running:
                return
        else:
            yield self.wait(wait)
        if c.running:
            self.engine.mark_exited(c, code)
            if c.auto_remove and auto_remove:
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
                yield from self.stop(c, timeout, auto_remove=False)
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


__all__ = ["Host", "signal_number", "SHELL"]
