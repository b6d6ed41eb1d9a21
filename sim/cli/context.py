"""What a command handler gets: the world, the host it runs on, and its output streams."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model.reference import InvalidReference, Reference, parse_normalized_named

if TYPE_CHECKING:
    from ..world.host import Host
    from ..world.world import World


class CommandFailed(Exception):
    """Stop the handler: its message (already Docker's words) goes to stderr."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@dataclass
class Ctx:
    world: World
    host: Host
    command: str  # "docker run", for help hints
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    exit_code: int = 0
    merged: list[tuple[str, str]] = field(default_factory=list)  # (stream, text) in order
    times: list[float] = field(default_factory=list)  # simulated time of each merged chunk

    @property
    def engine(self):
        return self.host.engine

    def out(self, text: str = "") -> None:
        self.raw(text + "\n")

    def err(self, text: str = "") -> None:
        self.raw_err(text + "\n")

    def raw(self, text: str) -> None:
        self.stdout.append(text)
        self.merged.append(("stdout", text))
        self.times.append(self.world.env.now)

    def raw_err(self, text: str) -> None:
        self.stderr.append(text)
        self.merged.append(("stderr", text))
        self.times.append(self.world.env.now)

    @property
    def now(self) -> float:
        return self.world.wall()

    def reference(self, text: str) -> Reference:
        try:
            return parse_normalized_named(text)
        except InvalidReference as exc:
            raise CommandFailed(str(exc), 1) from None
