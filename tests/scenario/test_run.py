"""Playing a timeline: steps start at their time or after the previous one, each host of a
jittered step at its own drawn delay, and a run is a pure function of scenario and seed."""

from __future__ import annotations

import io

from sim.scenario.build import build_world
from sim.scenario.load import load_scenario_text
from sim.scenario.run import run_scenario

FLEET = """
seed = 5
[hosts.web]
count = 4
downlink_spread = "20%"
[[steps]]
at = "3s"
host = "web"
run = "docker ps"
[[steps]]
after = "previous"
host = "web"
jitter = "2s"
run = "docker ps"
"""


def play(sets: list[str]):
    scenario = load_scenario_text(FLEET, sets=sets)
    return scenario, run_scenario(scenario, build_world(scenario))


def test_without_jitter_every_host_starts_at_the_steps_time():
    _, report = play([])
    assert {s.started_at for s in report.steps if s.index == 0} == {3.0}


def test_with_jitter_each_host_starts_after_its_own_offset():
    scenario, report = play(["steps.0.jitter=10s"])
    offsets = scenario.step_offsets(0)
    started = {s.host: s.started_at for s in report.steps if s.index == 0}
    assert started == {host: 3.0 + offset for host, offset in offsets.items()}
    assert len(set(started.values())) == 4


def test_after_previous_waits_for_the_last_jittered_host_then_its_own_jitter():
    scenario, report = play(["steps.0.jitter=10s"])
    last = max(s.finished_at for s in report.steps if s.index == 0)
    started = {s.host: s.started_at for s in report.steps if s.index == 1}
    assert started == {h: last + o for h, o in scenario.step_offsets(1).items()}


def test_a_jittered_run_is_a_pure_function_of_the_seed():
    def trace(sets: list[str]) -> str:
        buf = io.StringIO()
        play(sets)[1].world.trace.write_jsonl(buf)
        return buf.getvalue()
    assert trace(["steps.0.jitter=10s"]) == trace(["steps.0.jitter=10s"])

    def starts(seed: int) -> list[float]:
        return [s.started_at for s in play(["steps.0.jitter=10s", f"seed={seed}"])[1].steps]
    assert starts(5) != starts(6)


def test_a_stop_kills_an_exec_in_flight_when_pid_1_dies():
    text = """
seed = 1
[hosts.node]
[[steps]]
at = "0s"
host = "node"
run = "docker run -d --name c alpine sleep 1000"
[[steps]]
at = "5s"
host = "node"
run = "docker exec c sleep 60"
[[steps]]
at = "10s"
host = "node"
run = "docker stop c"
"""
    scenario = load_scenario_text(text)
    report = run_scenario(scenario, build_world(scenario))
    _run, exec_, stop = report.steps
    assert stop.result.exit_code == 0 and stop.finished_at > 19  # sleep ignores SIGTERM: 10 s
    assert exec_.result.exit_code == 137
    assert exec_.finished_at == stop.finished_at  # the SIGKILL ended both at once
