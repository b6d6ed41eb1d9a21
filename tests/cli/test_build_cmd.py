"""``docker build`` and ``docker builder prune`` handlers (sim/cli/build_cmd.py): every way
a build can fail before or during the solve prints one clear Docker-worded message, exits
non-zero, shows no traceback and adds no image (docker-facts §0.3, §3.6); ``-q``; and the
``builder prune`` confirmation and report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli.runner import execute
from sim.world.world import World, WorldConfig

BASE = "alpine:3.22"
FAILED = "ERROR: failed to build: failed to solve: "


@pytest.fixture
def world():
    return World(WorldConfig(seed=1))


def sh(world, line: str):
    r = execute(world, "host1", line)
    assert "internal error" not in r.text and "Traceback" not in r.text, r.text
    return r


def ctx(root: Path, dockerfile: str | None, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if dockerfile is not None:
        (root / "Dockerfile").write_text(dockerfile)
    for name, text in (files or {}).items():
        (root / name).write_text(text)
    return root


def images(world) -> int:
    return len(list(world.hosts["host1"].engine.images))


def fails(world, line: str) -> tuple[str, str]:
    """Run a build that must fail: exit 1, nothing on stdout, no image added; returns
    (its last stderr line, the whole stderr)."""
    before = images(world)
    r = sh(world, line)
    assert r.exit_code == 1, r.text
    assert r.stdout == ""
    assert images(world) == before
    return r.stderr.splitlines()[-1], r.stderr


# --- errors -------------------------------------------------------------------------------

def test_unknown_instruction(world, tmp_path):
    """§3.6: a Dockerfile BuildKit refuses fails before any step (buildkit
    instructions/parse.go)."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN true\nFROBNICATE bar\n")
    last, err = fails(world, f"docker build -t app:1 {path}")
    assert last == f"{FAILED}dockerfile parse error on line 3: unknown instruction: FROBNICATE"
    assert err.startswith('#0 building with "default" instance using docker driver\n\n'
                          "#1 [internal] load build definition from Dockerfile\n")
    assert "load metadata" not in err  # the Dockerfile is rejected before anything runs


def test_unknown_instruction_close_to_a_known_one_gets_a_suggestion(world, tmp_path):
    """§3.6: buildkit suggest.WrapError."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nCOPPY a b\n")
    last, _ = fails(world, f"docker build -t app:1 {path}")
    assert last == (f"{FAILED}dockerfile parse error on line 2: unknown instruction: COPPY "
                    "(did you mean COPY?)")


def test_missing_context_directory(world, tmp_path):
    """§3.5: buildx checks the context before building: no progress, no ``failed to solve``."""
    r = sh(world, f"docker build -t app:1 {tmp_path / 'nope'}")
    assert r.exit_code == 1
    assert r.stderr == f'ERROR: unable to prepare context: path "{tmp_path / "nope"}" not found\n'
    assert images(world) == 0


def test_a_context_path_too_long_is_not_found(world, tmp_path):
    path = tmp_path / ("a" * 300)
    r = sh(world, f"docker build {path}")
    assert (r.exit_code, r.stderr) == (1, f'ERROR: unable to prepare context: path "{path}" '
                                          "not found\n")


def test_an_unreadable_file_fails_while_sending_the_context(world, tmp_path, monkeypatch):
    root = ctx(tmp_path / "app", "FROM scratch\nCOPY secret /\n", {"secret": "x"})
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "secret":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", denied)
    r = sh(world, f"docker build {root}")
    assert r.exit_code == 1
    assert r.stderr == ("ERROR: failed to build: failed to solve: error from sender: open "
                        f"{root / 'secret'}: permission denied\n")


def test_missing_dockerfile_is_reported_by_the_frontend(world, tmp_path):
    """§3.6: The dockerfile frontend reads the Dockerfile once the build runs, so the error comes
    after the ``load build definition`` vertex (2B transferred) with ``failed to solve:``."""
    path = ctx(tmp_path / "c", None, {"a.txt": "a"})
    last, err = fails(world, f"docker build -t app:1 {path}")
    assert last == (f"{FAILED}failed to read dockerfile: open Dockerfile: no such file or "
                    "directory")
    assert err == ('#0 building with "default" instance using docker driver\n\n'
                   "#1 [internal] load build definition from Dockerfile\n"
                   "#1 transferring dockerfile: 2B done\n#1 DONE 0.0s\n\n" + last + "\n")


def test_missing_dockerfile_named_with_f(world, tmp_path):
    """§3.6: same frontend error, with the -f name."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\n")
    last, err = fails(world, f"docker build -f {path}/Other.dockerfile -t app:1 {path}")
    assert last == (f"{FAILED}failed to read dockerfile: open Other.dockerfile: no such file "
                    "or directory")
    assert "#1 [internal] load build definition from Other.dockerfile\n" in err


def test_quiet_build_errors_still_print_the_error_alone(world, tmp_path):
    """§3.6: ``-q`` hides progress, not errors."""
    path = ctx(tmp_path / "c", None)
    r = sh(world, f"docker build -q -t app:1 {path}")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr == (f"{FAILED}failed to read dockerfile: open Dockerfile: no such file or "
                        "directory\n")


def test_empty_dockerfile(world, tmp_path):
    """§3.6: buildkit convert.go: ``the Dockerfile cannot be empty``."""
    last, _ = fails(world, f"docker build -t app:1 {ctx(tmp_path / 'c', '')}")
    assert last == f"{FAILED}the Dockerfile cannot be empty"


def test_dockerfile_without_from(world, tmp_path):
    """§3.6: buildkit instructions/parse.go ``no build stage in current context``."""
    path = ctx(tmp_path / "c", "RUN true\n")
    last, _ = fails(world, f"docker build -t app:1 {path}")
    assert last == f"{FAILED}no build stage in current context"


def test_arg_without_value_used_in_from(world, tmp_path):
    """§3.6: buildkit convert.go: ``base name (${BASE}) should not be blank``."""
    path = ctx(tmp_path / "c", "ARG BASE\nFROM ${BASE}\nRUN true\n")
    last, _ = fails(world, f"docker build -t app:1 {path}")
    assert last == f"{FAILED}base name (${{BASE}}) should not be blank"
    # given a value, the same Dockerfile builds
    r = sh(world, f"docker build --build-arg BASE={BASE} -q -t app:1 {path}")
    assert r.exit_code == 0, r.text


def test_unknown_target(world, tmp_path):
    """§3.4: buildkit resolveTarget, with its ``did you mean`` suggestion."""
    path = ctx(tmp_path / "c", f"FROM {BASE} AS build\nRUN true\nFROM build AS final\n")
    last, _ = fails(world, f"docker build --target nope -t app:1 {path}")
    assert last == f'{FAILED}target stage "nope" could not be found'
    last, _ = fails(world, f"docker build --target buidl -t app:1 {path}")
    assert last == f'{FAILED}target stage "buidl" could not be found (did you mean build?)'


def test_copy_from_an_unknown_stage_is_an_image_that_does_not_exist(world, tmp_path):
    """§3.4: ``COPY --from=<name>`` that is no stage names an image (buildkit toCommand)."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nCOPY --from=nosuchstage /x /x\n")
    last, _ = fails(world, f"docker build -t app:1 {path}")
    assert last.startswith(f"{FAILED}nosuchstage: failed to resolve source metadata for "
                           "docker.io/library/nosuchstage:latest: pull access denied, "
                           "repository does not exist or may require authorization")


def test_invalid_tag(world, tmp_path):
    """§0.3: buildx validates ``-t`` before building."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\n")
    r = sh(world, f"docker build -t Bad:Tag {path}")
    assert r.exit_code == 1
    assert r.stderr == ('ERROR: invalid tag "Bad:Tag": invalid reference format: repository '
                        "name (library/Bad) must be lowercase\n")


def test_remote_contexts_are_refused_clearly(world):
    """§3.5: only a local context is modelled; the refusal says so."""
    r = sh(world, "docker build -t app:1 https://github.com/docker/welcome-to-docker.git")
    assert r.exit_code == 1
    assert "only a local directory context is simulated" in r.stderr


def test_failed_run_exits_1_without_tagging(world, tmp_path):
    """§3.6: nothing is exported or named after a failed step."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN false\n")
    last, err = fails(world, f"docker build -t app:1 {path}")
    assert last == (f'{FAILED}process "/bin/sh -c false" did not complete successfully: '
                    "exit code: 1")
    assert "naming to" not in err and "exporting to image" not in err


def test_failed_run_shows_the_step_and_the_dockerfile_excerpt(world, tmp_path):
    """§3.6"""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN false\n")
    _, err = fails(world, f"docker build -t app:1 {path}")
    assert "------\n > [2/2] RUN false:\n------\n" in err
    assert "\nDockerfile:2\n" in err and ">>> RUN false" in err


# --- a good build through the handler -------------------------------------------------------

def test_relative_context_path(world, tmp_path, monkeypatch):
    """§3.5: the context path is relative to where docker runs."""
    ctx(tmp_path / "ctx", f"FROM {BASE}\nCOPY a.txt /a.txt\n", {"a.txt": "rel\n"})
    monkeypatch.chdir(tmp_path)
    r = sh(world, "docker build -q -t app:1 ctx")
    assert r.exit_code == 0, r.text
    assert sh(world, "docker run --rm app:1 cat /a.txt").stdout == "rel\n"


def test_dockerfile_named_with_f(world, tmp_path):
    """§3.5: ``-f`` names the Dockerfile; the vertex shows its name."""
    path = ctx(tmp_path / "c", "FROM scratch\nLABEL which=default\n")
    (path / "Prod.dockerfile").write_text("FROM scratch\nLABEL which=prod\n")
    r = sh(world, f"docker build -f {path}/Prod.dockerfile -t app:1 {path}")
    assert r.exit_code == 0, r.text
    assert "#1 [internal] load build definition from Prod.dockerfile\n" in r.stderr
    assert sh(world, "docker inspect --format '{{json .Config.Labels}}' app:1"
              ).stdout == '{"which":"prod"}\n'


def test_quiet_build(world, tmp_path):
    """§3.6: ``--quiet`` prints only the image ID."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\n")
    r = sh(world, f"docker build --quiet -t app:1 {path}")
    assert r.exit_code == 0
    assert re.fullmatch(r"sha256:[0-9a-f]{64}\n", r.stdout) and r.stderr == ""


def test_build_takes_simulated_time(world, tmp_path):
    """§6: a build advances the simulated clock by its steps' durations."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\n# sim: takes 2s\nRUN ./slow\n")
    r = sh(world, f"docker build -t app:1 {path}")
    assert r.exit_code == 0
    assert r.t == world.now >= 2.0


# --- docker builder prune -------------------------------------------------------------------

def built(world, tmp_path) -> Path:
    path = ctx(tmp_path / "c", f"FROM {BASE}\nCOPY a.txt /a\nRUN echo x > /x\n",
               {"a.txt": "a\n"})
    assert sh(world, f"docker build -q -t app:1 {path}").exit_code == 0
    return path


def test_builder_prune_asks_first_and_does_nothing_without_force(world, tmp_path):
    """§3.3: without ``-f`` buildx asks and (no answer) removes nothing."""
    built(world, tmp_path)
    cache = world.hosts["host1"].engine.build_cache
    records = len(cache)
    r = sh(world, "docker builder prune")
    assert r.stdout == ("WARNING! This will remove all dangling build cache. Are you sure you "
                        "want to continue? [y/N] \n")
    r = sh(world, "docker builder prune -a")
    assert r.stdout == ("WARNING! This will remove all build cache. Are you sure you want to "
                        "continue? [y/N] \n")  # buildx commands/prune.go allCacheWarning
    assert len(cache) == records


def test_builder_prune_reports_what_it_removed(world, tmp_path):
    """§3.3: the removed records are listed by ID, then a total."""
    path = built(world, tmp_path)
    (path / "a.txt").write_text("changed\n")
    assert sh(world, f"docker build -q -t app:1 {path}").exit_code == 0
    assert sh(world, "docker image prune -f").exit_code == 0
    cache = world.hosts["host1"].engine.build_cache
    before = {r.id for r in cache.records.values()}
    r = sh(world, "docker builder prune -f")
    assert r.exit_code == 0 and r.stderr == ""
    removed = before - {rec.id for rec in cache.records.values()}
    assert len(removed) == 2  # the old COPY and RUN
    listed = [line.split()[0] for line in r.stdout.splitlines()
              if re.match(r"[0-9a-z]{25}\b", line)]
    assert sorted(listed) == sorted(removed)
    assert r.stdout.splitlines()[-1].startswith("Total")


def test_builder_prune_with_nothing_to_remove(world):
    """§3.3"""
    r = sh(world, "docker builder prune -f")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[-1].startswith("Total")
    assert r.stdout.splitlines()[-1].endswith("0B")


def test_builder_prune_prints_buildx_table(world, tmp_path):
    """§3.3"""
    built(world, tmp_path)
    cache = world.hosts["host1"].engine.build_cache
    sizes = {r.id: r.size for r in cache.records.values()}
    r = sh(world, "docker builder prune -af")
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"ID\t+RECLAIMABLE\t+SIZE\t+LAST ACCESSED", lines[0])
    assert all(re.fullmatch(r"[0-9a-z]{25} {15}\ttrue \t+\S+ *\t.* ago", line)
               for line in lines[1:-1])
    # COPY a.txt ("a\n") and RUN echo x > /x ("x\n"): 4 bytes of layers, FROM counts 0
    assert lines[-1] == "Total:\t4B" and sum(sizes.values()) == 4
