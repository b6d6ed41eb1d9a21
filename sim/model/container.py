"""Containers: Docker's state booleans, the seven API states derived from them, and the
restart manager's decisions. Pure: time comes in as arguments."""

from __future__ import annotations

from dataclasses import dataclass, field

from .layer import FileEntry
from .ports import PortBinding
from .workload import Workload

CREATED, RUNNING, PAUSED, RESTARTING = "created", "running", "paused", "restarting"
REMOVING, EXITED, DEAD = "removing", "exited", "dead"
STATES = (CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD)

BACKOFF_START, BACKOFF_MAX, BACKOFF_RESET_UPTIME = 0.1, 60.0, 10.0
RESTART_POLICIES = ("no", "always", "on-failure", "unless-stopped")


@dataclass(frozen=True)
class RestartPolicy:
    name: str = "no"
    max_retries: int = 0

    @staticmethod
    def parse(text: str) -> RestartPolicy:
        """``--restart`` value, validated with the CLI's and daemon's exact messages."""
        name, _, count = text.partition(":")
        name = name or "no"
        if name not in RESTART_POLICIES:
            raise ValueError(
                f"invalid restart policy: unknown policy '{name}'; use one of 'no', 'always', "
                "'on-failure', or 'unless-stopped'")
        n = 0
        if count:
            try:
                n = int(count)
            except ValueError:
                raise ValueError("invalid restart policy format: maximum retry count must be "
                                 "an integer") from None
        if n != 0 and name != "on-failure":
            raise ValueError("invalid restart policy: maximum retry count can only be used "
                             "with 'on-failure'")
        if n < 0:
            raise ValueError("invalid restart policy: maximum retry count cannot be negative")
        return RestartPolicy(name, n)


NO_RESTART = RestartPolicy()  # frozen: every container without --restart shares this one


@dataclass
class Mount:
    type: str  # volume | bind
    source: str  # volume name or host path
    destination: str
    read_only: bool = False
    anonymous: bool = False


@dataclass(slots=True)  # a fleet holds 100,000s of these: no per-instance dict
class Container:
    """One container. A fleet runs 100,000s from a few images, so what containers made alike
    have in common is shared, not copied: ``config`` and ``args`` (one object for every
    container of the same image and options, see ``Engine.create``) are read-only, to be
    replaced and never changed in place; mounts, ports and logs are tuples, empty ones the
    same ``()``, until a container has some (logs then become a list that grows)."""

    id: str
    name: str
    image_id: str
    image_ref: str  # what the user typed (ps shows it while it still resolves)
    created: float
    path: str
    args: list[str]
    config: dict
    workload: Workload
    restart_policy: RestartPolicy = NO_RESTART
    auto_remove: bool = False
    interactive: bool = False
    stop_timeout: int | None = None
    mounts: tuple[Mount, ...] = ()
    upper: dict[str, FileEntry] = field(default_factory=dict)
    publish: tuple[PortBinding, ...] = ()  # what -p asked for
    bound: tuple[PortBinding, ...] = ()  # host ports held while running
    rw_chain: str | None = None  # the image top chainID the RW layer holds
    # moby daemon/container/state.go booleans
    running: bool = False
    paused: bool = False
    restarting: bool = False
    removal_in_progress: bool = False
    dead: bool = False
    started_at: float | None = None
    finished_at: float | None = None
    exit_code: int = 0
    pid: int = 0
    restart_count: int = 0
    manually_stopped: bool = False
    backoff: float = 0.0
    logs: list[tuple[float, str, str]] | tuple[()] = ()  # a list from the first line on
    exits_at: float | None = None  # simulated time the main process ends by itself, if ever
    run_epoch: int = 0  # bumps at each start, so a stale workload timer knows it is stale

    @property
    def state(self) -> str:
        """The API state, with Docker's precedence (state.go StateString)."""
        if self.running:
            if self.paused:
                return PAUSED
            if self.restarting:
                return RESTARTING
            return RUNNING
        if self.removal_in_progress:
            return REMOVING
        if self.dead:
            return DEAD
        if self.started_at is None:
            return CREATED
        return EXITED

    def log(self, t: float, stream: str, text: str) -> None:
        """Keep one ``docker logs`` entry; the list is made at the first one."""
        if self.logs:
            self.logs.append((t, stream, text))
        else:
            self.logs = [(t, stream, text)]

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def command(self) -> str:
        return " ".join([self.path, *self.args]).strip()

    def status(self, now: float, human_duration) -> str:
        """``docker ps`` STATUS text (state.go String)."""
        state = self.state
        if state == PAUSED:
            return f"Up {human_duration(now - (self.started_at or now))} (Paused)"
        if state == RESTARTING:
            ago = human_duration(now - (self.finished_at or now))
            return f"Restarting ({self.exit_code}) {ago} ago"
        if state == RUNNING:
            return f"Up {human_duration(now - (self.started_at or now))}"
        if state == REMOVING:
            return "Removal In Progress"
        if state == DEAD:
            return "Dead"
        if state == CREATED:
            return "Created"
        if self.finished_at is None:
            return ""
        return f"Exited ({self.exit_code}) {human_duration(now - self.finished_at)} ago"

    def should_restart(self, exit_code: int) -> bool:
        """The restart manager's verdict when the process exits by itself."""
        policy = self.restart_policy
        if self.manually_stopped or policy.name == "no":
            return False
        if policy.name in ("always", "unless-stopped"):
            return True
        if exit_code == 0:
            return False
        return policy.max_retries == 0 or self.restart_count < policy.max_retries

    def next_backoff(self, uptime: float) -> float:
        """100 ms doubling to 60 s; back to 100 ms after a run of 10 s or more."""
        if uptime >= BACKOFF_RESET_UPTIME or self.backoff == 0:
            self.backoff = BACKOFF_START
        else:
            self.backoff = min(self.backoff * 2, BACKOFF_MAX)
        return self.backoff
