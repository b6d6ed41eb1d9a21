"""Fluid network: flows share links max-min fairly in simulated time.

Why fluid: a pull of a 100 MB layer is one flow, not 70,000 packets. Rates change only when a
flow starts or ends or a link's capacity changes; between those moments every flow's
remaining bytes fall linearly, so one pending timeout (for the earliest finish) is all the
clock needs.

Rates are max-min fair, by progressive filling: repeatedly take the most constrained link
(smallest remaining capacity / unfrozen flows on it), give its unfrozen flows that share,
freeze them, subtract their rate from the other links of their paths, repeat. A path through a
0-capacity link gets rate 0: the flow stalls until capacity returns.

Tolerance: a flow is finished when its remaining bytes are <= max(rel_tol * size, 1e-6).
One timeout is pending, for the earliest exact fluid finish; when it fires, every flow within
its tolerance finishes at that instant, in start order, and the timeout's own flow always
finishes, so the loop never spins on a tiny remainder (a float ``now + delay`` that rounds
short cannot strand it) and completion times never go backwards. Any change (start, cancel,
capacity) first finishes the flows already within tolerance. Stale timeouts (the state changed
after they were scheduled) carry an old version number and are ignored; SimPy cannot retract
a timeout.

Cancel: ``cancel(flow)`` fails the transfer's event with :class:`TransferCancelled`; a waiting
process gets the exception (catch it to retry). The event is pre-defused, so cancelling a
transfer nobody waits on does not crash the environment.

Complexity per start, end or capacity change: O((L + F·P) log(L + F·P)) where L and F are the
links and flows of the connected component (links joined by shared flows) the change touches
and P the path length (2 for a pull): a BFS, the water-filling heap, and two completion-heap
pushes (exact finish; tolerance reached) per flow whose rate actually changed, or one O(F)
rebuild of those heaps when most of them did (a shared bottleneck re-rates every flow). Flows
and links outside the component are not touched: each keeps (remaining bytes, rate, since)
and is advanced lazily, so "advance every flow to now" costs nothing for a flow whose rate
stays the same. The completion heaps are compacted when stale entries outnumber live ones, so
memory stays O(links + flows). Measured: about 1.5 us per flow per change, so N flows that
all share one bottleneck cost O(N x concurrent flows) over a run.

The listener ``listener(flow, phase)`` is called with "start" (flow.rate is its first rate),
"rate" (a later change) and "end" (flow.state tells done from cancelled), after all rates are
final, so it sees a consistent network; it must not call back into the network.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

import simpy

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

    @property
    def capacity(self) -> float:
        return self._capacity

    @property
    def rate(self) -> float:
        """Bytes/s the link carries now (sum of its flows' rates, <= capacity)."""
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


class Network:
    """Links and the flows crossing them, with max-min fair rates (see the module doc)."""

    def __init__(
        self, env: simpy.Environment, rel_tol: float = 1e-9, listener: Listener | None = None
    ) -> None:
        if not (math.isfinite(rel_tol) and rel_tol >= 0.0):
            raise ValueError(f"rel_tol must be finite and >= 0, got {rel_tol!r}")
        self.env = env
        self.rel_tol = rel_tol
        self.listener = listener
        self._links: dict[str, Link] = {}
        self._active: dict[Flow, None] = {}  # in start order
        # (time, seq, stamp, flow); an entry is stale once the flow's stamp moved on.
        self._by_finish: list[tuple[float, int, int, Flow]] = []  # drives the one timeout
        self._by_due: list[tuple[float, int, int, Flow]] = []  # who is within tolerance
        self._seq = 0
        self._epoch = 0
        self._version = 0
        self._pending: tuple[float, int, int] | None = None

    # -- public API -----------------------------------------------------------------------

    @property
    def links(self) -> Mapping[str, Link]:
        return MappingProxyType(self._links)

    @property
    def active_flows(self) -> tuple[Flow, ...]:
        """Flows still moving (or stalled), in start order."""
        return tuple(self._active)

    def link(self, name: str, capacity: float) -> Link:
        """Create and register a link; names are unique within a network."""
        if name in self._links:
            raise ValueError(f"link {name!r} already exists")
        link = Link(name, capacity)
        link._network = self
        link._index = len(self._links)
        link._since = self.env.now
        self._links[name] = link
        return link

    def transfer(self, path: Sequence[Link], nbytes: int, label: str = "") -> Transfer:
        """Start a flow of ``nbytes`` over every link of ``path``; the event's value is the
        Flow, when the last byte arrives (at once for 0 bytes)."""
        links = tuple(path)
        if not (math.isfinite(nbytes) and nbytes >= 0):
            raise ValueError(f"nbytes must be finite and >= 0, got {nbytes!r}")
        for link in links:
            if link._network is not self:
                raise ValueError(f"{link!r} does not belong to this network")
        if len(set(links)) != len(links):
            raise ValueError("a path crosses each link at most once")
        if nbytes > 0 and not links:
            raise ValueError("a non-empty transfer needs at least one link")
        self._settle()
        self._seq += 1
        tol = max(self.rel_tol * nbytes, ABS_TOL)
        flow = Flow(self.env, self._seq, label, nbytes, links, tol)
        event = Transfer(self.env, flow)
        flow.event = event
        if nbytes == 0:
            flow.state = DONE
            flow.end = self.env.now
            flow._left = 0.0
            self._emit(flow, "start")
            self._emit(flow, "end")
            event.succeed(flow)
            self._reschedule()
            return event
        self._active[flow] = None
        for link in links:
            link._flows[flow] = None
        changed = self._recompute(links)
        self._emit(flow, "start")
        self._emit_rates(changed, flow)
        self._reschedule()
        return event

    def set_capacity(self, link: Link, capacity: float) -> None:
        """Change a link's capacity now (a fault slows it or drops it to 0) and re-share."""
        if link._network is not self:
            raise ValueError(f"{link!r} does not belong to this network")
        capacity = _check_capacity(capacity)
        self._settle()
        if capacity != link._capacity:
            link._capacity = capacity
            if link._flows:
                self._emit_rates(self._recompute((link,)))
        self._reschedule()

    def cancel(self, flow: Flow, reason: str = "") -> bool:
        """Remove an active flow; its event fails with TransferCancelled. False if the flow
        had already finished (including one whose remainder is within tolerance now)."""
        self._settle()
        if flow.state != ACTIVE or flow not in self._active:
            self._reschedule()
            return False
        now = self.env.now
        flow._left = max(flow._left - flow.rate * (now - flow._since), 0.0)
        flow._since = now
        self._remove(flow, CANCELLED)
        self._emit_rates(self._recompute(flow.path))
        self._emit(flow, "end")
        assert flow.event is not None
        flow.event.fail(TransferCancelled(flow, reason))
        flow.event.defused = True  # a waiting process still gets the exception
        self._reschedule()
        return True

    # -- internals ------------------------------------------------------------------------

    def _emit(self, flow: Flow, phase: str) -> None:
        if self.listener is not None:
            self.listener(flow, phase)

    def _emit_rates(self, flows: list[Flow], skip: Flow | None = None) -> None:
        listener = self.listener
        if listener is not None:
            for flow in flows:
                if flow is not skip:
                    listener(flow, "rate")

    def _remove(self, flow: Flow, state: str) -> None:
        for link in flow.path:
            del link._flows[flow]
        del self._active[flow]
        flow.state = state
        flow.end = self.env.now
        flow.rate = 0.0
        flow._stamp += 1  # its heap entry, if any, is now stale

    def _settle(self) -> None:
        """Finish flows due now before any change, so a change never re-rates a done flow."""
        due = self._pop_due(self.env.now)
        if due:
            self._complete(due)

    def _pop_due(self, limit: float) -> list[Flow]:
        due = []
        heap = self._by_due
        while heap:
            when, _, stamp, flow = heap[0]
            if stamp != flow._stamp:
                heapq.heappop(heap)
            elif when <= limit:
                heapq.heappop(heap)
                due.append(flow)
            else:
                break
        return due

    def _complete(self, due: list[Flow]) -> None:
        now = self.env.now
        due.sort(key=lambda f: f.seq)
        seeds: dict[Link, None] = {}
        for flow in due:
            # Snap to the full size: the (tolerance-sized) remainder is credited to the links.
            left = flow._left - flow.rate * (now - flow._since)
            for link in flow.path:
                link._carried += left
                seeds[link] = None
            flow._left = 0.0
            flow._since = now
            self._remove(flow, DONE)
        changed = self._recompute(seeds)
        for flow in due:
            self._emit(flow, "end")
        self._emit_rates(changed)
        for flow in due:
            assert flow.event is not None
            flow.event.succeed(flow)

    def _recompute(self, seeds: Sequence[Link] | Mapping[Link, None]) -> list[Flow]:
        """Max-min rates for the component reachable from ``seeds``; returns the flows whose
        rate changed (each advanced to now and given a new completion-heap entry)."""
        now = self.env.now
        if len(seeds) == 1:
            (alone,) = seeds
            flows_on = alone._flows
            if all(len(flow.path) == 1 for flow in flows_on):
                # An isolated link (every flow crosses only it): the fair share is the
                # equal split that water-filling would find, without the BFS and the heap.
                alone._carried += alone._rate * (now - alone._since)
                alone._since = now
                if flows_on:
                    share = alone._capacity / len(flows_on)
                    for flow in flows_on:
                        flow._wf_rate = share
                return self._apply((alone,), flows_on, now)
        self._epoch += 1
        epoch = self._epoch
        # Component: links joined by shared flows (BFS; dicts keep a deterministic order).
        seen: dict[Link, None] = dict.fromkeys(seeds)
        links = list(seen)
        flows: dict[Flow, None] = {}
        i = 0
        while i < len(links):
            for flow in links[i]._flows:
                if flow not in flows:
                    flows[flow] = None
                    for link in flow.path:
                        if link not in seen:
                            seen[link] = None
                            links.append(link)
            i += 1
        # Progressive filling with a lazy heap: an entry is live iff its key is the link's
        # current key (a link's share only grows as flows freeze, so stale keys are smaller).
        heap = []
        for link in links:
            link._carried += link._rate * (now - link._since)
            link._since = now
            n = len(link._flows)
            link._wf_n = n
            link._wf_rem = link._capacity
            if n:
                link._wf_key = link._capacity / n
                heap.append((link._wf_key, link._index, link))
        heapq.heapify(heap)
        unfrozen = len(flows)
        while unfrozen:
            share, _, link = heapq.heappop(heap)
            if link._wf_n == 0 or share != link._wf_key:
                continue
            touched: dict[Link, None] = {}
            for flow in link._flows:
                if flow._wf_epoch == epoch:
                    continue
                flow._wf_epoch = epoch
                flow._wf_rate = share
                unfrozen -= 1
                for other in flow.path:
                    if other is not link:
                        other._wf_rem -= share
                        other._wf_n -= 1
                        touched[other] = None
            link._wf_n = 0
            for other in touched:
                if other._wf_n:
                    other._wf_key = max(other._wf_rem, 0.0) / other._wf_n
                    heapq.heappush(heap, (other._wf_key, other._index, other))
        return self._apply(links, flows, now)

    def _apply(self, links: Sequence[Link], flows: Mapping[Flow, None], now: float
               ) -> list[Flow]:
        """Link totals, and new completion entries for each flow whose rate changed (pushed
        one by one, or the heaps rebuilt when most flows changed: O(F) not F log F)."""
        for link in links:
            link._rate = 0.0
        changed = []
        entries = []
        inf = math.inf
        for flow in flows:
            rate = flow._wf_rate
            for link in flow.path:
                link._rate += rate
            if rate != flow.rate:
                left = flow._left - flow.rate * (now - flow._since)
                flow._left = left
                flow._since = now
                flow.rate = rate
                flow._stamp += 1
                flow._finish = flow._due = inf
                if rate > 0.0:
                    finish = now + left / rate if left > 0.0 else now
                    if finish < inf:
                        left -= flow._tol
                        flow._finish = finish
                        flow._due = now + left / rate if left > 0.0 else now
                        entries.append(flow)
                changed.append(flow)
        if 2 * len(entries) > len(self._active):
            self._compact()
        else:
            by_finish, by_due, push = self._by_finish, self._by_due, heapq.heappush
            for flow in entries:
                push(by_finish, (flow._finish, flow.seq, flow._stamp, flow))
                push(by_due, (flow._due, flow.seq, flow._stamp, flow))
        return changed

    def _reschedule(self) -> None:
        """Keep exactly one live completion timeout, for the earliest exact finish."""
        heap = self._by_finish
        while heap and heap[0][2] != heap[0][3]._stamp:
            heapq.heappop(heap)
        if max(len(heap), len(self._by_due)) > 2 * len(self._active) + 64:
            self._compact()
            heap = self._by_finish
        if not heap:
            if self._pending is not None:
                self._version += 1
                self._pending = None
            return
        finish, seq, stamp, _ = heap[0]
        key = (finish, seq, stamp)
        if key == self._pending:
            return
        self._version += 1
        self._pending = key
        timeout = self.env.timeout(max(finish - self.env.now, 0.0))
        timeout.callbacks.append(functools.partial(self._on_timeout, self._version, finish))

    def _compact(self) -> None:
        """Drop stale heap entries, so memory stays O(active flows)."""
        live = [f for f in self._active if f._finish < math.inf]
        self._by_finish = [(f._finish, f.seq, f._stamp, f) for f in live]
        self._by_due = [(f._due, f.seq, f._stamp, f) for f in live]
        heapq.heapify(self._by_finish)
        heapq.heapify(self._by_due)

    def _on_timeout(self, version: int, finish: float, _event: simpy.Event) -> None:
        if version != self._version:
            return  # stale: the state changed after this timeout was scheduled
        self._pending = None
        # The target's due time is <= its finish, so it is popped even when ``now + delay``
        # rounds just short of ``finish``: every live timeout makes progress.
        finished = self._pop_due(max(self.env.now, finish))
        if finished:
            self._complete(finished)
        self._reschedule()
