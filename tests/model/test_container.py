"""Container state, STATUS text and the restart manager (fact sheet §1.1, §1.4, §1.5)."""

from __future__ import annotations

import itertools

import pytest

from sim.model.container import (
    BACKOFF_MAX,
    BACKOFF_START,
    CREATED,
    DEAD,
    EXITED,
    PAUSED,
    REMOVING,
    RESTARTING,
    RUNNING,
    STATES,
    Container,
    RestartPolicy,
)
from sim.model.workload import Workload

try:
    from sim.cli.units import human_duration
except ImportError:  # pragma: no cover - the CLI package is someone else's
    def human_duration(seconds: float) -> str:
        s = int(seconds)
        if s < 1:
            return "Less than a second"
        if s == 1:
            return "1 second"
        if s < 60:
            return f"{s} seconds"
        return f"{s // 60} minutes"

T0 = 1_800_000_000.0
CID = "f" * 12 + "0" * 52
UNKNOWN_POLICY = ("invalid restart policy: unknown policy '{}'; use one of 'no', 'always', "
                  "'on-failure', or 'unless-stopped'")
RETRY_ONLY_ON_FAILURE = ("invalid restart policy: maximum retry count can only be used with "
                         "'on-failure'")


def container(policy: str = "no", **state) -> Container:
    c = Container(CID, "web", "sha256:" + "a" * 64, "app:1", T0, "/bin/sh", ["-c", "x"], {},
                  Workload(), restart_policy=RestartPolicy.parse(policy))
    for key, value in state.items():
        setattr(c, key, value)
    return c


def test_the_seven_states() -> None:
    # §1.1: the API enum
    assert set(STATES) == {"created", "running", "paused", "restarting", "removing", "exited",
                           "dead"}


def expected_state(running, paused, restarting, removing, dead, started) -> str:
    # §1.1 precedence, verbatim
    if running and paused:
        return "paused"
    if running and restarting:
        return "restarting"
    if running:
        return "running"
    if removing:
        return "removing"
    if dead:
        return "dead"
    if not started:
        return "created"
    return "exited"


@pytest.mark.parametrize("flags", list(itertools.product([False, True], repeat=6)))
def test_state_precedence(flags: tuple[bool, ...]) -> None:
    running, paused, restarting, removing, dead, started = flags
    c = container(running=running, paused=paused, restarting=restarting,
                  removal_in_progress=removing, dead=dead,
                  started_at=T0 if started else None)
    assert c.state == expected_state(*flags)


@pytest.mark.parametrize(
    ("state", "now", "expected"),
    [
        # §1.1 STATUS table; <dur> from go-units HumanDuration
        (dict(running=True, started_at=T0), T0, "Up Less than a second"),
        (dict(running=True, started_at=T0), T0 + 5, "Up 5 seconds"),
        (dict(running=True, started_at=T0), T0 + 1, "Up 1 second"),
        (dict(running=True, started_at=T0), T0 + 3 * 3600, "Up 3 hours"),
        (dict(running=True, paused=True, started_at=T0), T0 + 5, "Up 5 seconds (Paused)"),
        (dict(running=True, restarting=True, started_at=T0, finished_at=T0 + 2, exit_code=1),
         T0 + 5, "Restarting (1) 3 seconds ago"),
        (dict(removal_in_progress=True, started_at=T0, finished_at=T0), T0 + 5,
         "Removal In Progress"),
        (dict(dead=True, started_at=T0, finished_at=T0), T0 + 5, "Dead"),
        (dict(), T0 + 5, "Created"),
        (dict(started_at=T0, finished_at=T0 + 10, exit_code=137), T0 + 130,
         "Exited (137) 2 minutes ago"),
        (dict(started_at=T0, finished_at=T0 + 10, exit_code=0), T0 + 10,
         "Exited (0) Less than a second ago"),
    ],
)
def test_status_text(state: dict, now: float, expected: str) -> None:
    assert container(**state).status(now, human_duration) == expected


def test_status_uses_the_given_duration_function() -> None:
    c = container(running=True, started_at=T0)
    assert c.status(T0 + 42, lambda s: f"<{s:g}>") == "Up <42>"


# ---- restart policies (§1.5) -------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "retries"),
    [("no", "no", 0), ("always", "always", 0), ("unless-stopped", "unless-stopped", 0),
     ("on-failure", "on-failure", 0), ("on-failure:3", "on-failure", 3),
     ("on-failure:0", "on-failure", 0)],
)
def test_parse_valid(text: str, name: str, retries: int) -> None:
    assert RestartPolicy.parse(text) == RestartPolicy(name, retries)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("always:3", RETRY_ONLY_ON_FAILURE),
        ("unless-stopped:1", RETRY_ONLY_ON_FAILURE),
        ("no:2", RETRY_ONLY_ON_FAILURE),
        ("sometimes", UNKNOWN_POLICY.format("sometimes")),
        ("never:1", UNKNOWN_POLICY.format("never")),
        ("on-failure:-1", "invalid restart policy: maximum retry count cannot be negative"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as exc:
        RestartPolicy.parse(text)
    assert str(exc.value) == message


def test_default_policy_is_no() -> None:
    assert RestartPolicy() == RestartPolicy("no", 0)


@pytest.mark.parametrize(
    ("policy", "code", "expected"),
    [
        ("no", 0, False), ("no", 1, False),
        ("always", 0, True), ("always", 1, True),
        ("unless-stopped", 0, True), ("unless-stopped", 137, True),
        ("on-failure", 0, False), ("on-failure", 1, True), ("on-failure", 137, True),
    ],
)
def test_should_restart_on_exit_by_itself(policy: str, code: int, expected: bool) -> None:
    assert container(policy).should_restart(code) is expected


@pytest.mark.parametrize("policy", ["no", "always", "unless-stopped", "on-failure"])
def test_no_restart_after_manual_stop(policy: str) -> None:
    # §1.4/§1.5: stop/kill mark the container manually stopped
    assert container(policy, manually_stopped=True).should_restart(1) is False


def test_on_failure_retry_limit() -> None:
    # §1.5: at most N restarts
    c = container("on-failure:2")
    assert c.should_restart(1)
    c.restart_count = 1
    assert c.should_restart(1)
    c.restart_count = 2
    assert not c.should_restart(1)


def test_on_failure_without_limit_is_unlimited() -> None:
    c = container("on-failure", restart_count=10_000)
    assert c.should_restart(3)


# ---- backoff (§1.5, §6) ------------------------------------------------------------
def test_backoff_doubles_to_one_minute() -> None:
    assert (BACKOFF_START, BACKOFF_MAX) == (0.1, 60.0)
    c = container("always")
    delays = [c.next_backoff(uptime=0.5) for _ in range(14)]
    assert delays[:5] == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.6])
    assert delays[9] == pytest.approx(51.2)
    assert delays[10:] == [60.0] * 4


def test_backoff_resets_after_ten_seconds_up() -> None:
    c = container("always")
    for _ in range(5):
        c.next_backoff(uptime=1)
    assert c.backoff == pytest.approx(1.6)
    assert c.next_backoff(uptime=9.99) == pytest.approx(3.2)
    assert c.next_backoff(uptime=10.0) == pytest.approx(0.1)
    assert c.next_backoff(uptime=0) == pytest.approx(0.2)


def test_state_constants() -> None:
    assert (CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD) == STATES
