"""Hostile input to every door a user can type into: any line gives Docker's answer or a
one-line error, never a traceback or an internal error; a scenario file, whatever it
holds, loads or answers with one line and exit code 2."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli.runner import execute
from sim.scenario.load import ScenarioError, load_scenario_text
from sim.world.world import World, WorldConfig

WORDS = ["docker", "run", "ps", "-a", "-d", "--name", "rm", "-f", "images", "rmi", "pull",
         "nginx", "alpine:3.24", "exec", "sh", "-c", "volume", "create", "ls", "inspect",
         "--format", "{{.Id}}", "{{", "system", "df", "-v", "build", ".", "-t", "tag",
         "x:1", "stop", "-t", "-1", "99999999999999999999", "--restart", "always:x", "-p",
         "80:80", "kill", "-s", "NOPE", "logs", "--tail", "-5", "commit", "push",
         "localhost:5000/x", "history", "image", "prune", "builder", "sleep", "$(", ")",
         "'", '"', "\\", "é", "\x00", "--", "-", "=", "Nginx", "sha256:", "@sha256:abc"]

line_of_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
any_text = st.text(alphabet=string.printable + "éü日\x00", max_size=60)


def check(world: World, line: str) -> None:
    result = execute(world, "host1", line)
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, (line, stream)
        assert "internal error" not in stream, (line, stream)
    assert 0 <= result.exit_code < 256


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(line_of_words, any_text,
                          any_text.map(lambda t: "docker " + t)), min_size=1, max_size=6))
def test_any_line_gets_an_answer_not_a_traceback(lines):
    world = World(WorldConfig(seed=3))
    for line in lines:
        check(world, line)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text(max_size=200))
def test_any_scenario_text_loads_or_says_what_is_wrong_in_one_line(text):
    try:
        load_scenario_text(text, "fuzz.toml")
    except ScenarioError as exc:
        message = str(exc)
        assert message.startswith("fuzz.toml")
        assert "\n" not in message
        assert exc.exit_code == 2


@settings(max_examples=100, deadline=None, derandomize=True)
@given(key=st.sampled_from(["seed", "hosts.node.downlink", "hosts.node.count",
                            "registries.hub.egress", "steps.0.at", "faults.0.kind",
                            "hosts.node.disk", "workloads.nginx"]),
       value=st.one_of(st.text(max_size=20), st.integers(-10**20, 10**20).map(str)))
def test_any_set_override_loads_or_says_what_is_wrong(key, value):
    base = '[hosts.node]\n[[steps]]\nat = "0s"\nhost = "node"\nrun = "docker ps"\n'
    try:
        load_scenario_text(base, "s.toml", [f"{key}={value}"])
    except ScenarioError as exc:
        assert "\n" not in str(exc) and exc.exit_code == 2
