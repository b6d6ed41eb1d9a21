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
A timeout is always armed at or before the earliest exact fluid finish; when one fires, every
flow within its tolerance at the timeout's target finishes at that instant, in start order. A
timeout armed for the earliest finish always finishes that flow, so the loop never spins on a
tiny remainder (a float ``now + delay`` that rounds short cannot strand it) and completion
times never go backwards. Any change (start, cancel, capacity) first finishes the flows already
within tolerance. SimPy cannot retract a timeout, so one armed for a finish that moved later
is not orphaned: it fires, finishes what is due then (perhaps nothing) and arms the next; a new
timeout is made only when the earliest finish moves before every armed one.

Batching: flows that start at one instant on shared links are re-rated once, by an event
queued behind everything already due at that instant, not once per start (a fleet that
starts 900 downloads behind one registry link at once re-rates once, not 900 times, each
over the whole fleet). Nothing moves within an instant and max-min rates depend only on the
set of flows, so the rates, finish times and completion order are exactly those of
re-rating at each start; any change, completion, listener call or read of the rates
(``active_flows``, ``Link.rate``) settles the batch first. A flow alone on a link of its own
is rated at once (cheaper than the event).

Cancel: ``cancel(flow)`` fails the transfer's event with :class:`TransferCancelled`; a waiting
process gets the exception (catch it to retry). The event is pre-defused, so cancelling a
transfer nobody waits on does not crash the environment.

Complexity per start, end or capacity change: O(L log L + F·P) where L and F are the links and
flows of the connected component (links joined by shared flows) the change touches and P the
path length (2 for a pull): a BFS, the water-filling heap, and a pass that re-times each flow
whose rate changed. The completion heaps index whole groups, not flows: a re-rated component
is one entry for the earliest finish and one for the earliest due time among its flows (a
flow re-rated later moves to the newer group; a group popped while it still covers flows that
are not due is indexed again), and a link of its own is one entry likewise. Flows and links
outside the component are not touched: each keeps (remaining bytes, rate, since) and is
advanced lazily, so "advance every flow to now" costs nothing for a flow whose rate stays the
same. The heaps are compacted when stale entries outnumber live ones, so memory stays
O(links + flows). N flows that all share one bottleneck cost O(N x concurrent flows) over a
run: every change re-rates them all.

The listener ``listener(flow, phase)`` is called with "start" (flow.rate is its first rate),
"rate" (a later change) and "end" (flow.state tells done from cancelled), after all rates are
final, so it sees a consistent network; it must not call back into the network.
"""

from __future__ import annotations

import heapq
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

import simpy

from .links import (
    ABS_TOL,
    ACTIVE,
    CANCELLED,
    DONE,
    Flow,
    Link,
    Listener,
    Trail,
    Transfer,
    TransferCancelled,
    _check_capacity,
)

__all__ = ["ABS_TOL", "ACTIVE", "CANCELLED", "DONE", "Flow", "Link", "Listener", "Network",
           "Transfer", "TransferCancelled"]


_by_seq = operator.attrgetter("seq")


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
        self.record_trails = False  # keep each flow's (time, delivered) at rate changes
        self._links: dict[str, Link] = {}
        self._active: dict[Flow, None] = {}  # in start order
        # (time, seq, stamp, flow); an entry is stale once the flow's stamp moved on.
        self._by_finish: list[tuple[float, int, int, Flow]] = []  # drives the one timeout
        self._by_due: list[tuple[float, int, int, Flow]] = []  # who is within tolerance
        self._seq = 0
        self._epoch = 0
        self._armed: list[float] = []  # targets of the completion timeouts pending in SimPy
        self._groups = 0  # components indexed so far (their heap tie-break keys)
        self._dirty: dict[Link, None] = {}  # links whose flows started this instant
        self._fresh: list[Flow] = []  # those flows, not yet rated nor announced
        self._flush_at: simpy.Event | None = None
        self._ended: list[tuple[Flow, BaseException | None]] = []  # streams to call back
        self._drain_at: simpy.Event | None = None
        self._timeout_cb = self._on_timeout  # one bound method for every timeout

    # -- public API -----------------------------------------------------------------------

    @property
    def links(self) -> Mapping[str, Link]:
        return MappingProxyType(self._links)

    @property
    def active_flows(self) -> tuple[Flow, ...]:
        """Flows still moving (or stalled), in start order."""
        self._flush()
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
        return self._start(path, nbytes, label, None)  # type: ignore[return-value]

    def stream(self, path: Sequence[Link], nbytes: int, label: str,
               then: Callable[[Flow, BaseException | None], None]) -> Flow:
        """:meth:`transfer` without an event, for callback-driven callers (a blob download):
        ``then(flow, None)`` when the last byte arrives, ``then(flow, TransferCancelled)``
        when it is cancelled; called at that instant once the network is consistent. Saves
        the Transfer event's construction, scheduling and dispatch on every flow."""
        if len(path) == 1 and self.listener is None and 0 < nbytes < math.inf:
            link = path[0]
            if link._wide == 0 and link._network is self and link not in self._dirty:
                return self._start_alone(link, nbytes, label, then)
        return self._start(path, nbytes, label, then)  # type: ignore[return-value]

    def _start_alone(self, link: Link, nbytes: int, label: str,
                     then: Callable[[Flow, BaseException | None], None]) -> Flow:
        """:meth:`_start` for a stream over a link of its own with nobody listening (a
        host's downlink in a fleet): the same steps without the general case's checks."""
        due = self._by_due
        if due and due[0][0] <= self.env._now:
            self._settle()
        flow = self._new_flow((link,), nbytes, label)
        flow.then = then
        self._active[flow] = None
        self._join_alone(link, flow)
        self._reschedule()
        return flow

    def _new_flow(self, links: tuple[Link, ...], nbytes: int, label: str) -> Flow:
        self._seq += 1
        flow = Flow(self.env, self._seq, label, nbytes, links,
                    max(self.rel_tol * nbytes, ABS_TOL))
        if self.record_trails:
            flow.trail = Trail(nbytes)
        return flow

    def _join_alone(self, link: Link, flow: Flow) -> list[Flow]:
        """Add a flow to a link of its own and split the link equally: what
        :meth:`_recompute` does for that one link, without its dispatch."""
        now = self.env._now
        flows = link._flows
        flows[flow] = None
        link._carried += link._rate * (now - link._since)
        link._since = now
        return self._apply_alone(link, flows, now)

    def _start(self, path: Sequence[Link], nbytes: int, label: str,
               then: Callable[[Flow, BaseException | None], None] | None
               ) -> Transfer | Flow:
        links = tuple(path)
        if not (math.isfinite(nbytes) and nbytes >= 0):
            raise ValueError(f"nbytes must be finite and >= 0, got {nbytes!r}")
        for link in links:
            if link._network is not self:
                raise ValueError(f"{link!r} does not belong to this network")
        if len(links) > 1 and len(set(links)) != len(links):
            raise ValueError("a path crosses each link at most once")
        if nbytes > 0 and not links:
            raise ValueError("a non-empty transfer needs at least one link")
        self._settle()
        flow = self._new_flow(links, nbytes, label)
        if then is None:
            result: Transfer | Flow = Transfer(self.env, flow)
            flow.event = result
        else:
            result = flow
            flow.then = then
        if nbytes == 0:
            flow.state = DONE
            flow.end = self.env.now
            flow._left = 0.0
            flow.event = None
            self._emit(flow, "start")
            self._emit(flow, "end")
            if then is None:
                result.succeed(flow)  # type: ignore[union-attr]
            else:
                self._later(flow, None)
            self._reschedule()
            return result
        self._active[flow] = None
        if len(links) > 1:
            for link in links:
                link._wide += 1
        elif links[0]._wide == 0 and links[0] not in self._dirty:
            # a link of its own (a host's downlink with no shared registry link): re-rating
            # it now costs less than an event
            changed = self._join_alone(links[0], flow)
            if self.listener is not None:
                self._emit(flow, "start")
                self._emit_rates(changed, (flow,))
            self._reschedule()
            return result
        dirty = self._dirty
        for link in links:
            link._flows[flow] = None
            dirty[link] = None
        self._fresh.append(flow)
        if self._flush_at is None:  # re-rate once, after every start of this instant
            flush = self._flush_at = self.env.event()
            flush.callbacks.append(self._on_flush)
            flush.succeed()
        return result

    def set_capacity(self, link: Link, capacity: float) -> None:
        """Change a link's capacity now (a fault slows it or drops it to 0) and re-share."""
        if link._network is not self:
            raise ValueError(f"{link!r} does not belong to this network")
        capacity = _check_capacity(capacity)
        self._flush()
        self._settle()
        if capacity != link._capacity:
            link._capacity = capacity
            if link._flows:
                self._emit_rates(self._recompute((link,)))
        self._reschedule()

    def cancel(self, flow: Flow, reason: str = "") -> bool:
        """Remove an active flow; its event fails with TransferCancelled. False if the flow
        had already finished (including one whose remainder is within tolerance now)."""
        self._flush()
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
        event = flow.event
        flow.event = None  # no Flow <-> Transfer cycle left for the garbage collector
        self._reschedule()
        if event is not None:
            event.fail(TransferCancelled(flow, reason))
            event.defused = True  # a waiting process still gets the exception
        else:
            self._later(flow, TransferCancelled(flow, reason))
            self._drain()
        return True

    # -- internals ------------------------------------------------------------------------

    def _emit(self, flow: Flow, phase: str) -> None:
        if self.listener is not None:
            if self._dirty:  # a listener sees a settled network, never one mid-instant
                self._flush()
            self.listener(flow, phase)

    def _emit_rates(self, flows: list[Flow], skip: Sequence[Flow] = ()) -> None:
        listener = self.listener
        if listener is not None:
            if self._dirty:
                self._flush()
            for flow in flows:
                if flow not in skip:
                    listener(flow, "rate")

    def _remove(self, flow: Flow, state: str) -> None:
        wide = len(flow.path) > 1
        for link in flow.path:
            del link._flows[flow]
            if wide:
                link._wide -= 1
        del self._active[flow]
        flow.state = state
        flow.end = self.env.now
        flow.rate = 0.0
        flow._stamp += 1
        _leave(flow)

    def _settle(self) -> None:
        """Finish flows due now before any change, so a change never re-rates a done flow."""
        due = self._pop_due(self.env.now)
        if due:
            self._flush()
            self._complete(due)
            if self._ended:  # called back at this instant, not in the middle of a change
                self._drain_soon()

    def _on_flush(self, _event: simpy.Event) -> None:
        self._flush_at = None
        self._flush()

    def _flush(self) -> None:
        """Re-rate the components the flows started this instant joined: once for all of
        them (a fleet that starts 900 downloads at one instant re-rates once, not 900
        times). Rates only matter once time moves, so the result is the same as re-rating
        at each start: max-min rates depend on the set of flows, not on its history."""
        if not self._dirty:
            return
        dirty, fresh = self._dirty, self._fresh
        self._dirty, self._fresh = {}, []
        changed = self._recompute(dirty)
        for flow in fresh:
            self._emit(flow, "start")
        self._emit_rates(changed, fresh)
        self._reschedule()

    def _pop_due(self, limit: float) -> list[Flow]:
        due = []
        heap = self._by_due
        while heap:
            when, _, stamp, item = heap[0]
            if stamp != item._stamp:
                heapq.heappop(heap)
            elif when <= limit:
                heapq.heappop(heap)
                if type(item) is Link:  # an isolated link: each of its flows that is due
                    due += [flow for flow in item._flows if flow._due <= limit]
                else:  # a component: its flows that are due; the rest indexed again
                    self._pop_component(item, limit, due)
            else:
                break
        return due

    def _pop_component(self, group: _Component, limit: float, due: list[Flow]) -> None:
        finish = soonest = math.inf
        for flow in group.flows:
            if flow._owner is not group:
                continue  # re-rated since, or ended
            if flow._due <= limit:
                due.append(flow)
            else:
                if flow._finish < finish:
                    finish = flow._finish
                if flow._due < soonest:
                    soonest = flow._due
        group._stamp += 1
        if finish < math.inf:
            heapq.heappush(self._by_finish, (finish, group.key, group._stamp, group))
            heapq.heappush(self._by_due, (soonest, group.key, group._stamp, group))

    def _complete(self, due: list[Flow]) -> None:
        now = self.env.now
        if len(due) > 1:
            due.sort(key=_by_seq)
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
        if self.listener is not None:
            for flow in due:
                self._emit(flow, "end")
            self._emit_rates(changed)
        for flow in due:
            event = flow.event
            if event is not None:
                flow.event = None  # no Flow <-> Transfer cycle left for the collector
                event.succeed(flow)
            else:
                self._ended.append((flow, None))

    def _recompute(self, seeds: Sequence[Link] | Mapping[Link, None]) -> list[Flow]:
        """Max-min rates for the component reachable from ``seeds``; returns the flows whose
        rate changed (each advanced to now and given a new completion-heap entry)."""
        now = self.env.now
        if len(seeds) == 1:
            (alone,) = seeds
            if alone._wide == 0:
                # An isolated link (every flow crosses only it): the fair share is the
                # equal split that water-filling would find, without the BFS and the heap.
                alone._carried += alone._rate * (now - alone._since)
                alone._since = now
                return self._apply_alone(alone, alone._flows, now)
        elif any(link._wide == 0 for link in seeds):
            # isolated links are components of their own: each is split on its own, the
            # rest water-filled together (max-min rates are per component)
            changed: list[Flow] = []
            rest = [link for link in seeds if link._wide != 0]
            for link in seeds:
                if link._wide == 0:
                    link._carried += link._rate * (now - link._since)
                    link._since = now
                    changed += self._apply_alone(link, link._flows, now)
            return changed + self._recompute(rest) if rest else changed
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
            if link._wf_n == unfrozen:
                # every flow still unfrozen crosses this link (a fleet behind one registry
                # link): they all get its share and nothing is left to fill, so the other
                # links' remainders need no update
                for flow in link._flows:
                    if flow._wf_epoch != epoch:
                        flow._wf_epoch = epoch
                        flow._wf_rate = share
                break
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
        """Link totals, new finish and due times for each flow whose rate changed, and the
        component indexed as a whole: one entry in each completion heap for the earliest
        finish and due time among its flows (re-rating a shared link re-times most of them:
        an entry per flow meant rebuilding both heaps at every change)."""
        for link in links:
            link._rate = 0.0
            if link._solo:  # it was indexed as a whole on its own: now the component is
                link._solo = False
                link._stamp += 1
        changed = []
        self._groups += 1
        group = _Component(list(flows), -(1 << 40) - self._groups)
        finish = soonest = math.inf
        for flow in flows:
            rate = flow._wf_rate
            for link in flow.path:
                link._rate += rate
            if rate != flow.rate:
                _retime(flow, rate, now)
                changed.append(flow)
            old = flow._owner
            if old is not None:  # _leave, inlined: every flow of a shared link, every change
                old.count -= 1
                if old.count == 0:
                    old._stamp += 1
                    old.flows = []
            flow._owner = group
            if flow._finish < finish:
                finish = flow._finish
            if flow._due < soonest:
                soonest = flow._due
        if finish < math.inf:
            heapq.heappush(self._by_finish, (finish, group.key, group._stamp, group))
            heapq.heappush(self._by_due, (soonest, group.key, group._stamp, group))
        return changed

    def _apply_alone(self, link: Link, flows: Mapping[Flow, None], now: float) -> list[Flow]:
        """:meth:`_apply` for a link of its own: every flow gets the equal split (the same
        float operations in the same order, without the walk over each flow's path). The
        link is indexed as a whole: one entry in each completion heap for its earliest
        finish and its earliest due time, not one per flow (every flow on it is re-timed at
        every change, so the two minima are all the heaps need)."""
        total = 0.0
        changed = []
        if not link._solo:  # its flows were indexed with a component: they leave it
            link._solo = True
            for flow in flows:
                if flow._owner is not None:
                    _leave(flow)
        link._stamp += 1
        if flows:
            share = link._capacity / len(flows)
            finish = due = math.inf
            for flow in flows:
                flow._wf_rate = share
                total += share
                if share != flow.rate:
                    if flow.trail is None and share > 0.0:
                        # _retime inlined (the same float operations): every start and end
                        # on a host's downlink re-times the flows beside it
                        left = flow._left - flow.rate * (now - flow._since)
                        flow._left = left
                        flow._since = now
                        flow.rate = share
                        flow._stamp += 1
                        end = now + left / share if left > 0.0 else now
                        if end < math.inf:
                            flow._finish = end
                            left -= flow._tol
                            flow._due = now + left / share if left > 0.0 else now
                        else:
                            flow._finish = flow._due = math.inf
                    else:
                        _retime(flow, share, now)
                    changed.append(flow)
                if flow._finish < finish:
                    finish = flow._finish
                if flow._due < due:
                    due = flow._due
            if finish < math.inf:
                key = -1 - link._index
                heapq.heappush(self._by_finish, (finish, key, link._stamp, link))
                heapq.heappush(self._by_due, (due, key, link._stamp, link))
        link._rate = total
        return changed

    def _reschedule(self) -> None:
        """Make sure a completion timeout fires at or before the earliest exact finish. A
        timeout already armed that early is enough (it finds what is due when it fires and
        arms the next one): SimPy cannot retract a timeout, so an armed one is reused rather
        than left to fire for nothing while a new one is made."""
        heap = self._by_finish
        while heap and heap[0][2] != heap[0][3]._stamp:
            heapq.heappop(heap)
        if max(len(heap), len(self._by_due)) > 2 * len(self._active) + 64:
            self._compact()
            heap = self._by_finish
        if not heap:
            return
        finish = heap[0][0]
        armed = self._armed
        if armed and armed[0] <= finish:
            return
        heapq.heappush(armed, finish)
        # the timeout's value is its target: no closure per timeout
        timeout = self.env.timeout(max(finish - self.env.now, 0.0), finish)
        timeout.callbacks.append(self._timeout_cb)

    def _compact(self) -> None:
        """Drop stale heap entries, so memory stays O(links + components)."""
        by_finish: list = []
        by_due: list = []
        indexed: dict = {}  # isolated links and components, each once
        for f in self._active:
            if len(f.path) == 1 and f.path[0]._solo:
                indexed[f.path[0]] = None
            elif f._owner is not None:
                indexed[f._owner] = None
        for item in indexed:
            if type(item) is Link:
                members = list(item._flows)
                key = -1 - item._index
            else:
                members = [f for f in item.flows if f._owner is item]
                key = item.key
            finish = min(f._finish for f in members)
            item._stamp += 1
            if finish < math.inf:
                by_finish.append((finish, key, item._stamp, item))
                by_due.append((min(f._due for f in members), key, item._stamp, item))
        heapq.heapify(by_finish)
        heapq.heapify(by_due)
        self._by_finish, self._by_due = by_finish, by_due

    def _on_timeout(self, event: simpy.Event) -> None:
        finish = event._value
        armed = self._armed
        if armed[0] == finish:
            heapq.heappop(armed)
        else:  # two targets an ulp apart fired out of order (float now + delay)
            armed.remove(finish)
            heapq.heapify(armed)
        if self._dirty:
            self._flush()
        # Flows due by the target are popped even when ``now + delay`` rounds just short of
        # it; a timeout armed for the earliest finish always finishes that flow (its due
        # time is <= its finish), so the loop never spins without progress.
        finished = self._pop_due(max(self.env.now, finish))
        if finished:
            self._complete(finished)
        self._reschedule()
        if self._ended:
            self._drain()

    def _later(self, flow: Flow, error: BaseException | None) -> None:
        self._ended.append((flow, error))
        self._drain_soon()

    def _drain_soon(self) -> None:
        if self._drain_at is None:
            drain = self._drain_at = self.env.event()
            drain.callbacks.append(self._on_drain)
            drain.succeed()

    def _on_drain(self, _event: simpy.Event) -> None:
        self._drain_at = None
        self._drain()

    def _drain(self) -> None:
        """Call the ``then`` of streams that ended, in the order they ended (a callback may
        start or end other flows: the network is consistent by now)."""
        while self._ended:
            ended, self._ended = self._ended, []
            for flow, error in ended:
                then = flow.then
                flow.then = None
                if then is not None:
                    then(flow, error)


def _retime(flow: Flow, rate: float, now: float) -> None:
    """Give ``flow`` a new rate from ``now``: bank what it moved at the old rate (and note it
    in its trail), and compute its exact finish and the instant its remainder reaches the
    tolerance (infinite when it is stalled)."""
    left = flow._left - flow.rate * (now - flow._since)
    if flow.trail is not None:
        flow.trail.note(now, flow.size - left)
    flow._left = left
    flow._since = now
    flow.rate = rate
    flow._stamp += 1
    inf = math.inf
    flow._finish = flow._due = inf
    if rate > 0.0:
        finish = now + left / rate if left > 0.0 else now
        if finish < inf:
            left -= flow._tol
            flow._finish = finish
            flow._due = now + left / rate if left > 0.0 else now


class _Component:
    """The flows one re-rating of a shared component covered, indexed as a whole in the
    completion heaps. A flow re-rated later moves to the newer component; once none is
    left, the entries are stale (``_stamp``)."""

    __slots__ = ("flows", "count", "key", "_stamp")

    def __init__(self, flows: list[Flow], key: int) -> None:
        self.flows = flows
        self.count = len(flows)
        self.key = key  # heap tie-break, unique (flows never tie with it)
        self._stamp = 0


def _leave(flow: Flow) -> None:
    """The flow is no longer covered by its component's entries."""
    group = flow._owner
    if group is not None:
        flow._owner = None
        group.count -= 1
        if group.count == 0:
            group._stamp += 1  # nothing left to index: its entries are stale
            group.flows = []
