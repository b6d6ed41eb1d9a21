"""``dockersim shell`` as another program drives it: the batch contract of sim/cli/shell.py
(README "Driving it from another program"). Each test runs the real entry point
``python -m sim shell`` in a subprocess with stdin a pipe."""

from __future__ import annotations

import io
import json
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sim.cli.shell import run_batch
from sim.trace import Trace
from sim.trace import events as ev
from sim.world.world import World, WorldConfig

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0  # seconds for any single read; the test fails instead of hanging


class Shell:
    """A running ``python -m sim shell`` whose stdout is read line by line by a thread."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "shell", *args], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def readline(self) -> str:
        try:
            line = self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            self.kill()
            pytest.fail("dockersim shell printed nothing: output is not flushed per line")
        if line is None:
            pytest.fail("dockersim shell ended early: " + self.stderr())
        return line

    def read_until(self, last: str) -> list[str]:
        out = []
        while True:
            out.append(self.readline())
            if out[-1] == last:
                return out

    def close(self) -> tuple[int, str]:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            code = self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail("dockersim shell did not exit after EOF")
        self.reader.join(timeout=TIMEOUT)
        return code, self.stderr()

    def rest(self) -> list[str]:
        out = []
        while (line := self.lines.get(timeout=TIMEOUT)) is not None:
            out.append(line)
        return out

    def stderr(self) -> str:
        assert self.proc.stderr is not None
        return self.proc.stderr.read() if self.proc.poll() is not None else ""

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=TIMEOUT)


@pytest.fixture
def spawn():
    shells: list[Shell] = []

    def start(*args: str) -> Shell:
        shells.append(Shell(*args))
        return shells[-1]

    yield start
    for s in shells:
        if s.proc.poll() is None:
            s.kill()
        for stream in (s.proc.stdin, s.proc.stdout, s.proc.stderr):
            if stream is not None and not stream.closed:
                stream.close()


def test_each_line_is_answered_before_the_next_is_written(spawn):
    shell = spawn()
    shell.send("help")
    # the answer arrives while stdin is still open: the shell flushed after one line
    assert shell.readline() == "$ help\n"
    assert shell.read_until("Lines starting with # are comments.\n")[0].startswith(
        "dockersim shell:")
    shell.send("docker run -d --name web nginx")
    assert shell.readline() == "$ docker run -d --name web nginx\n"
    lines = shell.read_until("Status: Downloaded newer image for nginx:latest\n")
    assert lines[0] == "Unable to find image 'nginx:latest' locally\n"  # §1.6
    container_id = shell.readline().strip()
    assert len(container_id) == 64 and int(container_id, 16) >= 0
    shell.send("docker ps --format '{{.Names}} {{.Status}}'")
    assert shell.readline() == "$ docker ps --format '{{.Names}} {{.Status}}'\n"
    assert shell.readline() == "web Up Less than a second\n"
    code, err = shell.close()
    assert code == 0
    assert shell.rest() == []
    assert err == ""


def test_blank_lines_print_nothing_and_comments_are_echoed(spawn):
    shell = spawn()
    shell.send("")
    shell.send("# just a note")
    assert shell.readline() == "$ # just a note\n"
    code, _ = shell.close()
    assert code == 0


def test_failing_commands_do_not_end_the_session(spawn):
    shell = spawn()
    shell.send("docker rm nosuch")
    assert shell.readline() == "$ docker rm nosuch\n"
    assert shell.readline() == "Error response from daemon: No such container: nosuch\n"
    shell.send("ls")
    assert shell.readline() == "$ ls\n"
    assert shell.readline().startswith("dockersim: ls: command not found")
    code, _ = shell.close()
    assert code == 0  # the batch contract: exit 0 after EOF, whatever the commands did


def test_json_mode_prints_one_object_per_command(spawn):
    shell = spawn("--json")
    objects = []
    for line in ("docker run -d --name web nginx", "sleep 5", "docker stop web",
                 "docker rm nosuch", "", "# comment"):
        shell.send(line)
        objects.append(json.loads(shell.readline()))
    code, err = shell.close()
    assert code == 0 and err == ""
    for obj in objects:
        assert set(obj) == {"cmd", "stdout", "stderr", "exit_code", "t"}
    assert [o["cmd"] for o in objects] == ["docker run -d --name web nginx", "sleep 5",
                                           "docker stop web", "docker rm nosuch", "",
                                           "# comment"]
    assert [o["exit_code"] for o in objects] == [0, 0, 0, 1, 0, 0]
    run = objects[0]
    assert len(run["stdout"].strip()) == 64
    assert run["stderr"].startswith("Unable to find image 'nginx:latest' locally\n")
    assert objects[2]["stdout"] == "web\n"
    assert objects[3]["stderr"] == "Error response from daemon: No such container: nosuch\n"
    # t is simulated seconds since the start: it grows with what the commands took
    times = [o["t"] for o in objects]
    assert times == sorted(times)
    assert times[0] > 0  # the pull and start took simulated time
    assert times[1] == pytest.approx(times[0] + 5)
    assert times[2] > times[1]


def test_trace_file_is_jsonl_that_reads_back(spawn, tmp_path):
    path = tmp_path / "trace.jsonl"
    shell = spawn("--trace", str(path))
    for line in ("docker run -d --name web nginx", "sleep 2", "docker rm -f web"):
        shell.send(line)
    code, err = shell.close()
    assert [ln for ln in shell.rest() if ln.startswith("$ ")] == [
        "$ docker run -d --name web nginx\n", "$ sleep 2\n", "$ docker rm -f web\n"]
    assert code == 0 and err == ""
    text = path.read_text()
    assert all(json.loads(line)["type"] for line in text.splitlines())
    trace = Trace.read_jsonl(text.splitlines())
    kinds = [r.event.kind for r in trace]
    assert "ContainerCreated" in kinds and "ContainerRemoved" in kinds
    assert [r.event.line for r in trace.of(ev.CommandStarted)] == [
        "docker run -d --name web nginx", "docker rm -f web"]
    assert [r.event.seconds for r in trace.of(ev.ClockAdvanced)] == [2]
    times = [r.t for r in trace]
    assert times == sorted(times)


def test_unwritable_trace_path_is_a_one_line_error_before_any_command(tmp_path):
    path = tmp_path / "no" / "such" / "dir" / "trace.jsonl"
    p = subprocess.run([sys.executable, "-m", "sim", "shell", "--trace", str(path)],
                       input="docker ps -q\n", capture_output=True, text=True, cwd=ROOT,
                       timeout=TIMEOUT)
    assert p.returncode != 0
    assert p.stdout == ""  # refused up front: a session is not typed for nothing
    assert "Traceback" not in p.stderr and p.stderr.count("\n") == 1
    assert p.stderr.startswith(f"dockersim shell: --trace {path}: the folder ")
    assert not path.exists()


def test_host_flag_picks_the_host(spawn):
    shell = spawn("--host", "builder")
    shell.send("docker info")
    assert shell.readline() == "$ docker info\n"
    assert " Name: builder\n" in shell.read_until(" Live Restore Enabled: false\n")
    assert shell.close()[0] == 0


def test_hosts_flag_makes_several_hosts_and_the_first_is_current(spawn):
    shell = spawn("--hosts", "alpha,beta", "--host", "beta", "--json")
    shell.send("docker info")
    info = json.loads(shell.readline())
    assert " Name: beta\n" in info["stdout"]
    assert shell.close()[0] == 0
    default = spawn("--hosts", "alpha,beta", "--json")
    default.send("docker info")
    assert " Name: alpha\n" in json.loads(default.readline())["stdout"]
    assert default.close()[0] == 0


def test_unknown_host_among_hosts_is_refused(spawn):
    shell = spawn("--hosts", "alpha,beta", "--host", "gamma")
    code, err = shell.close()
    assert code != 0
    assert err == "dockersim: --host gamma: no such host (hosts: alpha,beta)\n"


def test_run_batch_in_process_matches_the_contract():
    """The same contract without a subprocess: ``$ line`` then exactly what was printed."""
    out = io.StringIO()
    world = World(WorldConfig(seed=0))
    code = run_batch(world, "host1", io.StringIO("docker volume create v\n\ndocker volume ls\n"),
                     out, as_json=False)
    assert code == 0
    assert out.getvalue() == ("$ docker volume create v\nv\n"
                              "$ docker volume ls\nDRIVER    VOLUME NAME\nlocal     v\n")
