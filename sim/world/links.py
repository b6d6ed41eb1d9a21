"""The pieces the fluid network is made of: links, flows and the transfer event.

Kept apart from the rate computation (sim.world.network) so each module stays small; the
network owns and mutates their private fields.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy

if TYPE_CHECKING:
    from .network import Network

ACTIVE = "active"
DONE = "done"
CANCELLED = "cancelled"
ABS_TOL = 1e-6  # bytes: the floor of the completion tolerance, for tiny flows

Listener = Callable[["Flow", str], None]


def _check_capacity(capacity: float) -> float:
    capacity = float(capacity)
    if not (math.isfinite(capacity) and capacity >= 0.0):
        raise ValueError(f"link capacity must be finite and >= 0 bytes/s, got {capacity!r}")
    return capacity


class TransferCancelled(Exception):
    """A transfer's flow was removed before its last byte (a fault); the caller may retry."""

    def __init__(self, flow: Flow | None = None, reason: str = "") -> None:
        # args mirror the signature so SimPy can re-create the exception when re-raising it.
        super().__init__(flow, reason)
        self.flow = flow
        self.reason = reason

    def __str__(self) -> str:
        name = "transfer" if self.flow is None else f"transfer {self.flow.name}"
        return f"{name} cancelled" + (f": {self.reason}" if self.reason else "")


class Link:
    """A shared pipe of ``capacity`` bytes/s; change it through ``Network.set_capacity``."""

    __slots__ = (
        "name",
        "_capacity",
        "_network",
        "_index",
        "_flows",
        "_carried",
        "_since",
        "_rate",
        "_wf_rem",
        "_wf_n",
        "_wf_key",
        "_wide",
        "_solo",
        "_stamp",
    )

    def __init__(self, name: str, capacity: float) -> None:
        self.name = name
        self._capacity = _check_capacity(capacity)
        self._network: Network | None = None
        self._index = -1  # registration order: deterministic tie-break in water-filling
        self._flows: dict[Flow, None] = {}  # active flows, in start order
        self._carried = 0.0  # bytes carried up to ``_since``
        self._since = 0.0
        self._rate = 0.0  # sum of the rates of the flows on it
        self._wf_rem = 0.0
        self._wf_n = 0
        self._wf_key = 0.0
        self._wide = 0  # flows on it that cross other links too (0: a link of its own)
        self._solo = False  # indexed as a whole in the completion heaps (a link of its own)
        self._stamp = 0  # bumped when its index entry is replaced: older entries are stale

    @property
    def capacity(self) -> float:
        return self._capacity

    @property
    def rate(self) -> float:
        """Bytes/s the link carries now (sum of its flows' rates, <= capacity)."""
        if self._network is not None:
            self._network._flush()
        return self._rate

    @property
    def flows(self) -> tuple[Flow, ...]:
        return tuple(self._flows)

    @property
    def bytes_carried(self) -> float:
        """Exact fluid integral of the link's rate up to the current simulated time."""
        now = self._network.env.now if self._network is not None else self._since
        return self._carried + self._rate * (now - self._since)

    def __repr__(self) -> str:
        return f"Link({self.name!r}, {self._capacity!r})"


TRAIL_TOLERANCE = 0.005  # of a flow's bytes: how far its drawn progress may stray (x2)


class Trail:
    """A flow's progress as (time, bytes delivered) waypoints, kept only where they matter:
    a straight line from one waypoint to the next stays within ``2 x TRAIL_TOLERANCE`` of
    the flow's bytes of where it really was at every rate change in between. A flow that
    shares a registry link with 1,000 others changes rate at every start and end among them;
    its every change would make the trace grow with the square of the fleet, while a
    progress bar needs a few dozen points.

    Online slope-window simplification: from the last waypoint (the anchor), keep the range
    of slopes whose line passes within the tolerance of every point since; when a new point
    empties the range, the previous point becomes a waypoint and the new anchor."""

    __slots__ = ("points", "tol", "lo", "hi", "last")

    def __init__(self, size: float) -> None:
        self.points: list[tuple[float, float]] = []
        self.tol = TRAIL_TOLERANCE * size
        self.lo = -math.inf
        self.hi = math.inf
        self.last: tuple[float, float] | None = None  # a point not (yet) a waypoint

    def note(self, t: float, done: float) -> None:
        """The flow's rate changes at ``t`` with ``done`` bytes delivered."""
        points = self.points
        if not points:
            points.append((t, done))
            return
        t0, b0 = points[-1]
        span = t - t0
        if span <= 0.0:
            return  # the anchor's own instant: nothing moved
        tol = self.tol
        lo = (done - tol - b0) / span
        hi = (done + tol - b0) / span
        if lo < self.lo:
            lo = self.lo
        if hi > self.hi:
            hi = self.hi
        last = self.last
        if lo <= hi or last is None:
            self.lo = lo
            self.hi = hi
            self.last = (t, done)
            return
        points.append(last)  # the line must bend at the previous point
        t0, b0 = last
        span = t - t0
        if span <= 0.0:
            self.lo, self.hi, self.last = -math.inf, math.inf, None
            return
        self.lo = (done - self.tol - b0) / span
        self.hi = (done + self.tol - b0) / span
        self.last = (t, done)

    def waypoints(self, end: float, size: float) -> list[tuple[float, float]]:
        """The waypoints once the flow ended at ``end`` with ``size`` bytes: the last point
        noted is kept if the line to the end would stray from the points since the anchor."""
        points = self.points
        last = self.last
        if last is not None and points:
            t0, b0 = points[-1]
            span = end - t0
            slope = (size - b0) / span if span > 0.0 else math.inf
            if not self.lo <= slope <= self.hi:
                points = [*points, last]
        return points


class Flow:
    """One transfer of ``size`` bytes over every link of ``path`` at one (max-min) rate."""

    __slots__ = (
        "seq",
        "label",
        "size",
        "path",
        "event",
        "start",
        "end",
        "state",
        "rate",
        "_env",
        "_left",
        "_since",
        "_tol",
        "_stamp",
        "_finish",
        "_due",
        "_wf_epoch",
        "_wf_rate",
        "trail",
        "then",
        "_owner",
    )

    def __init__(
        self,
        env: simpy.Environment,
        seq: int,
        label: str,
        size: float,
        path: tuple[Link, ...],
        tol: float,
    ) -> None:
        self.seq = seq  # start order
        self.label = label
        self.size = size
        self.path = path
        self.event: Transfer | None = None
        self.start: float = env.now
        self.end: float | None = None
        self.state = ACTIVE
        self.rate = 0.0
        self._env = env
        self._left = float(size)  # remaining bytes at ``_since``
        self._since = env.now
        self._tol = tol
        self._stamp = 0  # bumped whenever the rate changes: older heap entries are stale
        self._finish = math.inf  # exact fluid finish at the current rate
        self._due = math.inf  # when the remainder reaches the tolerance (<= _finish)
        self._wf_epoch = 0
        self._wf_rate = 0.0
        # (time, bytes delivered) where the rate changed, when the network records trails: what
        # a view needs to draw progress at the fair-share rate of every moment
        self.trail: Trail | None = None
        self.then: Callable[[Flow, BaseException | None], None] | None = None  # a stream's
        self._owner = None  # the component whose heap entries cover it (sim.world.network)

    @property
    def name(self) -> str:
        return self.label or f"#{self.seq}"

    @property
    def remaining(self) -> float:
        if self.state == DONE:
            return 0.0
        if self.state == CANCELLED:
            return self._left
        left = self._left - self.rate * (self._env.now - self._since)
        return min(max(left, 0.0), float(self.size))

    @property
    def delivered(self) -> float:
        return float(self.size) - self.remaining

    def __repr__(self) -> str:
        return f"Flow({self.name}, {self.size} B, {self.state}, {self.rate:g} B/s)"


class Transfer(simpy.Event):
    """The event ``Network.transfer`` returns; ``.flow`` is what ``cancel`` takes."""

    def __init__(self, env: simpy.Environment, flow: Flow) -> None:
        super().__init__(env)
        self.flow = flow
