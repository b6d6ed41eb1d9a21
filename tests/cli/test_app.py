"""The ``dockersim`` program (sim/cli/app.py): version, demo, and a light start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import app
from sim.cli.runner import execute
from sim.world.world import World, WorldConfig

ROOT = Path(__file__).resolve().parents[2]


def run_module(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_version_names_the_simulated_engine(capsys):
    assert app.main(["version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("dockersim 0.1.0 (simulating Docker Engine 28.5.")
    assert "overlay2" in out and out.count("\n") == 1


def test_version_agrees_with_docker_version(capsys):
    """The release the program claims is the one ``docker version`` prints."""
    server = execute(World(WorldConfig()), "host1", "docker version").stdout
    engine = server.split(" Engine:\n", 1)[1].splitlines()[0].split()[-1]
    assert engine.startswith("28.5.")
    app.main(["version"])
    assert f"Docker Engine {engine}," in capsys.readouterr().out


def test_no_command_prints_the_usage(capsys):
    assert app.main([]) == 0
    assert "usage: dockersim" in capsys.readouterr().out


def test_demo_prints_the_classroom_transcript(capsys):
    assert app.main(["demo", "--text"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("$ # A classroom session")
    # every line of the script is echoed as a prompt line, in order
    prompts = [line[2:] for line in out.splitlines() if line.startswith("$ ")]
    script = [line for line in app.DEMO.splitlines() if line.strip()]
    assert prompts == script
    assert "Error response from daemon: conflict: unable to remove repository reference" in out


def test_demo_writes_a_trace(tmp_path, capsys):
    from sim.trace import Trace
    path = tmp_path / "demo.jsonl"
    assert app.main(["demo", "--text", "--trace", str(path)]) == 0
    capsys.readouterr()
    trace = Trace.read_jsonl(path.read_text().splitlines())
    assert len(trace) > 50


def test_demo_through_python_dash_m():
    result = run_module("demo", "--text")
    assert result.returncode == 0
    assert result.stdout.startswith("$ # A classroom session")
    assert result.stderr == ""


def test_bad_host_is_a_clean_error():
    with pytest.raises(SystemExit, match=r"--host x: no such host \(hosts: a,b\)"):
        app.main(["shell", "--hosts", "a,b", "--host", "x"])


HEAVY = ("pygame", "matplotlib")
PROBE = f"""
import runpy, sys
sys.argv = ["sim", "--help"]
try:
    runpy.run_module("sim", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
print("EXIT", code)
print("HEAVY", sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r}))
"""


def test_help_does_not_import_pygame_or_matplotlib():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "EXIT 0" in lines
    assert "HEAVY []" in lines
    assert "usage: dockersim" in result.stdout


def test_python_dash_m_help_exits_0():
    result = run_module("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: dockersim")
    for command in ("shell", "demo", "version"):
        assert command in result.stdout


def test_a_reader_that_goes_away_ends_it_quietly():
    """``dockersim shell < lines | head -1``: no BrokenPipeError traceback, exit 141."""
    import subprocess
    import sys
    proc = subprocess.Popen([sys.executable, "-m", "sim", "shell"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(b"docker images\n" * 2000)
    proc.stdin.close()
    assert proc.stdout.readline().startswith(b"$ docker images")
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err and err == ""


def test_the_plain_shell_serves_imported_records_from_their_own_registry(tmp_path,
                                                                           monkeypatch):
    from pathlib import Path

    from sim.catalog import loader
    monkeypatch.setenv("DOCKERSIM_DATA_DIR", str(tmp_path))
    loader.reload()
    try:
        data = Path(__file__).resolve().parents[1] / "catalog" / "data" / "acme.jsonl"
        assert app.main(["catalog", "import", str(data)]) == 0
        world, host = app._world(0, None, None)
        assert "ghcr.io" in world.services
        from sim.cli.runner import execute
        result = execute(world, host, "docker pull ghcr.io/acme/api:1.0")
        assert result.exit_code == 0, result.text
        assert "Status: Downloaded newer image for ghcr.io/acme/api:1.0" in result.stdout
    finally:
        monkeypatch.undo()
        loader.reload()


@pytest.mark.parametrize("hosts, message", [
    (",,", r"--hosts ',,': expected host names separated by commas"),
    ("", r"--hosts '': expected host names"),
    ("a,b,a", r"--hosts a,b,a: a named twice"),
])
def test_bad_host_lists_are_one_line(hosts, message):
    with pytest.raises(SystemExit, match=message):
        app.main(["shell", "--hosts", hosts])


def test_host_names_are_trimmed():
    world, host = app._world(0, " a , b ", None)
    assert list(world.hosts) == ["a", "b"] and host == "a"


def test_shell_refuses_an_unwritable_trace_before_it_starts(tmp_path, monkeypatch):
    import io
    ran = []
    monkeypatch.setattr("sim.cli.shell.run_batch", lambda *a, **k: ran.append(a) or 0)
    monkeypatch.setattr("sys.stdin", io.StringIO("docker ps\n"))
    with pytest.raises(SystemExit, match=r"^dockersim shell: --trace .*: the folder .* does "
                                         r"not exist$"):
        app.main(["shell", "--trace", str(tmp_path / "no" / "t.jsonl")])
    with pytest.raises(SystemExit, match="is a directory"):
        app.main(["shell", "--trace", str(tmp_path)])
    assert ran == []  # refused before a single command ran


def test_demo_refuses_an_unwritable_trace(tmp_path, capsys):
    with pytest.raises(SystemExit, match="dockersim demo: --trace"):
        app.main(["demo", "--text", "--trace", str(tmp_path)])
    assert capsys.readouterr().out == ""


def test_set_without_a_scenario_is_refused():
    with pytest.raises(SystemExit, match=r"--set a=b: .*--scenario FILE"):
        app.main(["shell", "--set", "a=b"])


def test_hosts_with_a_scenario_is_refused():
    scenario = ROOT / "scenarios" / "classroom" / "crash-loop.toml"
    with pytest.raises(SystemExit, match="--hosts is for a world without --scenario"):
        app.main(["shell", "--scenario", str(scenario), "--hosts", "a,b"])
