"""Events and the trace: the one-way channel from the world to views and metrics."""

from .events import Event
from .trace import Record, Trace

__all__ = ["Event", "Record", "Trace"]
