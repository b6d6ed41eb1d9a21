"""Motion as functions of simulated time: the same t gives the same picture, whether a live
window at any speed or a video at a fixed frame rate asks for it."""

from __future__ import annotations

from .scene import FADE, LINGER, Scene, TransferView

APPEAR = 0.35  # seconds a new layer or container takes to grow in
FLASH = 1.2  # seconds a copy-up or write stays highlighted
SETTLE = max(APPEAR, FLASH, FADE, LINGER)  # after the last event, everything is still


def ease(k: float) -> float:
    """Smoothstep: starts and ends gently."""
    k = 0.0 if k < 0 else 1.0 if k > 1 else k
    return k * k * (3 - 2 * k)


def appear(born: float, t: float) -> float:
    """0 at birth, 1 once grown in."""
    return ease((t - born) / APPEAR)


def fade(removed: float | None, t: float) -> float:
    """1 while present; falls to 0 over FADE seconds after removal."""
    if removed is None:
        return 1.0
    return 1.0 - ease((t - removed) / FADE)


def flash(changed_at: float, t: float) -> float:
    """1 right after a change, 0 after FLASH seconds."""
    dt = t - changed_at
    return 0.0 if dt < 0 or dt > FLASH else 1.0 - dt / FLASH


def progress(scene: Scene, x: TransferView, t: float) -> float:
    """Bytes moved, as a fraction, between the ``downloading`` record and its ``downloaded``
    record (the trace holds both once the command ran): piecewise linear through the points
    where the fair-share rate changed, so the bar slows when another flow joins the link
    and speeds up when one leaves; linear when the trace has no such points."""
    if x.phase in ("waiting", "exists", "mounted"):
        return 0.0 if x.phase == "waiting" else 1.0
    if x.phase not in ("downloading", "uploading") or x.started is None:
        return 1.0
    end = scene.ends.get(x.start_seq)
    if end is None or end <= x.started:
        return 0.0
    if t >= end:
        return 1.0
    t0, b0 = x.started, 0.0
    size = float(x.size) or 1.0
    for tw, bw in scene.waypoints.get(x.start_seq, ()):
        if tw >= end:
            break
        if t < tw:
            return _between(t, t0, b0, tw, bw) / size
        t0, b0 = tw, float(bw)
    return _between(t, t0, b0, end, size) / size


def _between(t: float, t0: float, b0: float, t1: float, b1: float) -> float:
    if t <= t0 or t1 <= t0:
        return max(0.0, b0)
    return b0 + (b1 - b0) * (t - t0) / (t1 - t0)


def linger(x: TransferView, t: float) -> float:
    """How visible a finished transfer still is (1 until LINGER seconds have passed)."""
    if x.done_at is None:
        return 1.0
    return 1.0 - ease((t - x.done_at) / LINGER)
