"""The Scene: a fold of trace records into plain state, with keyframes so that the state at
any simulated time is rebuilt exactly and quickly (stepping back, scrubbing)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from ..trace import events as ev
from ..trace.trace import Record
from .state import (
    BuildView,
    ContainerView,
    HostView,
    ImageView,
    LayerView,
    RegistryView,
    State,
    TransferView,
)

__all__ = ["BuildView", "ContainerView", "DONE_PHASES", "FADE", "HostView", "ImageView",
           "KEYFRAME_EVERY", "LINGER", "LayerView", "RegistryView", "Scene", "State",
           "TransferView", "fold"]

KEYFRAME_EVERY = 64  # records between two keyframes
FADE = 1.0  # seconds a removed container stays visible while it fades out
LINGER = 1.5  # seconds a finished transfer stays visible ("Pull complete")
DONE_PHASES = ("extracted", "exists", "uploaded", "mounted")


def _repo(ref: str) -> tuple[str, str]:
    """``nginx:latest`` -> (``nginx``, ``latest``); digests keep their ``@`` form."""
    if "@" in ref:
        name, dig = ref.split("@", 1)
        return name, dig[:19]
    name, _, tag = ref.rpartition(":")
    if not name or "/" in tag:
        return ref, "latest"
    return name, tag


class Scene:
    """Records in time order, folded on demand: ``state_at(t)`` is exact for any t."""

    def __init__(self, hosts: Iterable[str] = (), registries: Iterable[str] = (),
                 prompts: bool = True) -> None:
        self.prompts = prompts  # add "$ line" to the console for each command started
        self.host_names = list(hosts)
        self.registry_names = list(registries)
        self.records: list[Record] = []
        self.times: list[float] = []
        self.ends: dict[int, float] = {}  # start record seq -> the transfer's end time
        # start record seq -> (time, bytes delivered) where the transfer's rate changed
        self.waypoints: dict[int, tuple[tuple[float, int], ...]] = {}
        self._open: dict[tuple[str, str, str], int] = {}
        self.console: list[tuple[float, str, str]] = []  # (t, host, text line)
        self._console_keys: list[tuple[float, float, int, int]] = []
        # host -> its commands: start times, CommandStarted indices, end times (inf: running)
        self._started: dict[str, tuple[list[float], list[int], list[float]]] = {}
        self._order = 0
        self.keyframes: list[State] = [self._empty()]
        self._head = self._empty()  # state after every record (keyframes are cut from it)
        self._cursor: State | None = None
        self.generation = 0  # bumped when the cursor state is rebuilt (layout caches key on it)

    def _empty(self) -> State:
        return State({n: HostView(n) for n in self.host_names},
                     {n: RegistryView(n) for n in self.registry_names})

    # ---- input --------------------------------------------------------------------------
    def extend(self, records: Iterable[Record]) -> None:
        """Fold new records (in trace order) into the head and cut keyframes."""
        for rec in records:
            self.records.append(rec)
            self.times.append(rec.t)
            e = rec.event
            if isinstance(e, ev.LayerTransfer):
                key = (e.host, e.digest, "up" if e.phase.startswith("upload") else "down")
                if e.phase in ("downloading", "uploading"):
                    self._open[key] = len(self.records) - 1
                elif e.phase in ("downloaded", "uploaded") and key in self._open:
                    start = self._open.pop(key)
                    self.ends[start] = rec.t
                    if e.progress:  # where the fair-share rate changed on the way
                        self.waypoints[start] = e.progress
            elif isinstance(e, ev.CommandStarted):
                times, seqs, ends = self._started.setdefault(e.host, ([], [], []))
                times.append(rec.t)
                seqs.append(len(self.records) - 1)
                ends.append(float("inf"))
                if self.prompts:
                    self.add_output(rec.t, e.host, f"$ {e.line}", rec.t, len(self.records) - 1)
            elif isinstance(e, ev.CommandFinished) and e.host in self._started:
                ends = self._started[e.host][2]
                k = next((k for k in range(len(ends) - 1, -1, -1) if ends[k] == float("inf")),
                         None)  # nested commands end first
                if k is not None:
                    ends[k] = rec.t
            fold(self._head, rec, len(self.records) - 1)
            if len(self.records) % KEYFRAME_EVERY == 0:
                self.keyframes.append(self._head.copy())

    def sync(self, trace) -> int:
        """Fold the records a live world appended since the last call; return how many."""
        new = trace.records[len(self.records):]
        self.extend(new)
        return len(new)

    def add_output(self, t: float, host: str, text: str, start: float | None = None,
                   seq: int | None = None) -> None:
        """Console text printed at simulated time t by a command started at ``start`` whose
        ``CommandStarted`` is record ``seq``: a long command's output sorts before a prompt
        typed when it ended, and a command's output stays under its own prompt when the
        next command starts at the same instant (ties go by trace order). Without ``seq``,
        the host's first command still running at t (see ``_printer``)."""
        start = t if start is None else start
        if seq is None:
            seq = self._printer(host, t, start)
        for line in text.rstrip("\n").split("\n") if text else ():
            self._order += 1
            key = (t, start, seq, self._order)
            i = bisect_right(self._console_keys, key)
            self._console_keys.insert(i, key)
            self.console.insert(i, (t, host, line.expandtabs(4)))

    def _printer(self, host: str, t: float, start: float, look: int = 64) -> int:
        """The command that printed at t, when the caller did not say: of the host's last
        ``look`` commands started by ``start``, the first still running at t (a pull that
        ends at the instant the next command starts printed its last line itself); else
        the last one started."""
        times, seqs, ends = self._started.get(host, ((), (), ()))
        i = bisect_right(times, start)
        for k in range(max(0, i - look), i):
            if ends[k] >= t:
                return seqs[k]
        return seqs[i - 1] if i else -1

    # ---- queries -----------------------------------------------------------------------
    @property
    def end(self) -> float:
        return self.times[-1] if self.times else 0.0

    def index_at(self, t: float) -> int:
        """How many records happened at or before t."""
        return bisect_right(self.times, t)

    def state_at(self, t: float) -> State:
        """The state after every record at or before t. The returned object is reused by the
        next call: copy it to keep it."""
        return self.state_after(self.index_at(t))

    def state_after(self, n: int) -> State:
        cur = self._cursor
        if cur is None or cur.seq > n or n - cur.seq > KEYFRAME_EVERY:
            cur = self.keyframes[min(n // KEYFRAME_EVERY, len(self.keyframes) - 1)].copy()
            self.generation += 1
        for i in range(cur.seq, n):
            fold(cur, self.records[i], i)
        self._cursor = cur
        return cur

    def console_index(self, t: float) -> int:
        """How many console lines were printed at or before t."""
        return bisect_right(self._console_keys, (t, float("inf"), 0, 0))

    def console_at(self, t: float, n: int) -> list[tuple[float, str, str]]:
        i = self.console_index(t)
        return self.console[max(0, i - n):i]

    def event_time(self, t: float, direction: int) -> float:
        """The time of the next (+1) or previous (-1) distinct event time from t."""
        if direction > 0:
            i = bisect_right(self.times, t)
            return self.times[i] if i < len(self.times) else t
        i = bisect_right(self.times, t - 1e-9) - 1
        while i >= 0 and self.times[i] >= t - 1e-9:
            i -= 1
        return self.times[i] if i >= 0 else 0.0


def _host(state: State, name: str) -> HostView:
    h = state.hosts.get(name)
    if h is None:
        h = state.hosts[name] = HostView(name)
    return h


def _registry(state: State, name: str) -> RegistryView:
    """The registry about to change (its version goes up)."""
    r = state.registries.get(name)
    if r is None:
        r = state.registries[name] = RegistryView(name)
    r.version += 1
    return r


def fold(state: State, rec: Record, index: int) -> None:
    """Apply one record (the ``index``-th of the trace) to the state, in place."""
    e, t = rec.event, rec.t
    state.seq = index + 1
    if isinstance(e, ev.FaultStarted | ev.FaultEnded):
        target = state.registries.get(e.host) or state.hosts.get(e.host)
        if target is not None:
            target.version += 1
            faults = set(target.faults)
            faults.add(e.fault) if isinstance(e, ev.FaultStarted) else faults.discard(e.fault)
            target.faults = tuple(sorted(faults))
        return
    if isinstance(e, ev.ManifestPushed):
        _registry(state, e.registry).use(e.repository, e.tag)
        return
    if isinstance(e, ev.RegistryOpened):  # what it serves from the start (Docker Hub)
        r = _registry(state, e.host)
        for ref in e.refs:
            repo, tag = _repo(ref)
            r.repos.setdefault(repo, set()).add(tag)
        return
    h = _host(state, e.host)
    h.version += 1
    if h.ghosts:
        for cid in [k for k, c in h.ghosts.items() if c.removed < t - FADE]:
            del h.ghosts[cid]
    if h.transfers:
        for d in [k for k, x in h.transfers.items() if x.done_at is not None
                  and x.done_at < t - LINGER]:
            del h.transfers[d]
    kind = type(e)
    if kind is ev.CommandStarted:
        h.command = e.line
    elif kind is ev.CommandFinished:
        h.command = None
    elif kind is ev.LayerRegistered:
        h.layers[e.chain_id] = LayerView(e.chain_id, e.diff_id, e.parent, e.size, e.digest,
                                         e.created_by, t)
    elif kind is ev.LayerDeleted:
        h.layers.pop(e.chain_id, None)
    elif kind is ev.ImageCreated:
        h.images[e.image_id] = ImageView(e.image_id, tuple(e.chain_ids), e.size, [], t)
    elif kind is ev.ImageTagged:
        img = h.images.get(e.image_id)
        if img is not None and e.ref not in img.tags:
            img = h.images[e.image_id] = img.copy()
            img.tags.append(e.ref)
    elif kind is ev.ImageUntagged:
        img = h.images.get(e.image_id)
        if img is not None and e.ref in img.tags:
            img = h.images[e.image_id] = img.copy()
            img.tags.remove(e.ref)
    elif kind is ev.ImageDeleted:
        h.images.pop(e.image_id, None)
    elif kind is ev.ContainerCreated:
        h.containers[e.container_id] = ContainerView(
            e.container_id, e.name, e.image_id, e.image_ref, e.top_chain, t, since=t)
    elif kind is ev.ContainerStateChanged:
        c = h.containers.get(e.container_id)
        if c is not None:
            c = h.containers[e.container_id] = c.copy()
            c.state, c.exit_code, c.since = e.state, e.exit_code, t
    elif kind is ev.ContainerFilesChanged:
        c = h.containers.get(e.container_id)
        if c is not None:
            c = h.containers[e.container_id] = c.copy()
            c.rw_size, c.changes, c.changed_at = e.rw_size, tuple(e.changes), t
            for path, what, _size in e.changes:
                if what == "removed":  # gone from the upper dir again
                    c.files.pop(path, None)
                else:
                    c.files[path] = what
    elif kind is ev.ContainerRemoved:
        c = h.containers.pop(e.container_id, None)
        if c is not None:
            c = c.copy()
            c.removed = t
            h.ghosts[e.container_id] = c
    elif kind is ev.VolumeCreated:
        h.volumes[e.name] = e.anonymous
    elif kind is ev.VolumeRemoved:
        h.volumes.pop(e.name, None)
    elif kind is ev.PullStarted:
        _registry(state, e.registry).use(*_repo(e.ref))
    elif kind is ev.LayerTransfer:
        _transfer(state, h, e, t, index)
    elif kind is ev.BuildStep:
        if h.build is None or h.build.finished is not None:
            h.build = BuildView(started=t)
        else:
            h.build = h.build.copy()
        for step in h.build.steps:
            if step[0] == e.vertex:
                step[2], step[3] = e.status, t
                break
        else:
            h.build.steps.append([e.vertex, e.name, e.status, t])
    elif kind is ev.ImageBuilt and h.build is not None:
        h.build = h.build.copy()
        h.build.finished, h.build.tags = t, tuple(e.tags)


def _transfer(state: State, h: HostView, e: ev.LayerTransfer, t: float, index: int) -> None:
    x = h.transfers.get(e.digest)
    if x is None or x.done_at is not None:
        order = sum(1 for y in h.transfers.values() if y.done_at is None)
        x = h.transfers[e.digest] = TransferView(e.host, e.registry, e.digest, e.size, e.phase,
                                                 t, order=order)
    else:
        x = h.transfers[e.digest] = x.copy()
    x.phase, x.since = e.phase, t
    if e.registry:
        x.registry = e.registry
    if e.phase in ("downloading", "uploading"):
        x.started, x.start_seq = t, index
    elif e.phase == "downloaded":
        h.bytes_pulled += e.size
    if e.phase in ("downloading", "exists", "mounted", "uploaded"):
        _registry(state, x.registry or "?").blobs.add(e.digest)
    if e.phase in DONE_PHASES:
        x.done_at = t
