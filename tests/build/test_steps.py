"""What each instruction does (sim.build.steps): RUN through the shell subset or a declared /
estimated effect, COPY/ADD semantics, WORKDIR, and the history rows BuildKit writes
(docker-facts §3.2, §3.6, §7). Builds run through ``sim.cli.runner.execute``."""

from __future__ import annotations

import re

import pytest

from tests.build.helpers import BASE, build, ctx, sh

FAILED = "ERROR: failed to build: failed to solve: "


def run(world, image: str, command: str) -> str:
    r = sh(world, f"docker run --rm {image} {command}")
    assert r.exit_code == 0, r.text
    return r.stdout


def image_count(world) -> int:
    return len(list(world.hosts["host1"].engine.images))


def history(world, ref: str) -> list[tuple[str, str]]:
    """(CREATED BY, SIZE) of each ``docker history --no-trunc`` row, newest first."""
    r = sh(world, f"docker history --no-trunc {ref}")
    assert r.exit_code == 0, r.text
    lines = r.stdout.splitlines()
    by, size, comment = (lines[0].index(h) for h in ("CREATED BY", "SIZE", "COMMENT"))
    return [(line[by:size].strip(), line[size:comment].strip()) for line in lines[1:]]


def done_seconds(stderr: str, title: str) -> float:
    vid = re.search(rf"#(\d+) {re.escape(title)}\n", stderr).group(1)
    return float(re.search(rf"#{vid} DONE (\d+\.\d)s", stderr).group(1))


# --- RUN ----------------------------------------------------------------------------------

def test_shell_subset_run_creates_its_files_in_the_layer(world, tmp_path):
    """§3.2: A RUN made of the shell subset runs for real against the step's filesystem."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nWORKDIR /app\n"
               "RUN mkdir -p data && echo hello > data/greeting.txt && echo rel > rel.txt\n")
    r = build(world, path)
    assert r.exit_code == 0, r.text
    assert run(world, "app:1", "cat /app/data/greeting.txt") == "hello\n"
    assert run(world, "app:1", "cat /app/rel.txt") == "rel\n"  # relative to WORKDIR
    assert history(world, "app:1")[0] == (
        "RUN /bin/sh -c mkdir -p data && echo hello > data/greeting.txt && echo rel > rel.txt"
        " # buildkit", "10B")


def test_run_sees_env_and_arg_values(world, tmp_path):
    """§3.3: ENV and ARG values are the environment of later RUNs."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nARG V=from-arg\nENV E=from-env\n"
               "RUN echo $V $E > /out\n")
    assert build(world, path, flags="--build-arg V=given").exit_code == 0
    assert run(world, "app:1", "cat /out") == "given from-env\n"


def test_run_history_is_prefixed_with_the_stage_args(world, tmp_path):
    """§3.2/§3.3: buildkit convert.go runCommandString: the ARGs in scope prefix the RUN's history
    entry as ``|<n> KEY=value …`` (the value the RUN saw; ENV wins over ARG)."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nARG A=1\nARG B=2\nENV B=3\nRUN true\n")
    assert build(world, path, flags="--build-arg A=9").exit_code == 0
    assert history(world, "app:1")[0] == ("RUN |2 A=9 B=3 /bin/sh -c true # buildkit", "0B")


def test_exec_form_run(world, tmp_path):
    """§3.6: the step shows the instruction as written; history has the argv."""
    path = ctx(tmp_path / "c", f'FROM {BASE}\nRUN ["/bin/sh", "-c", "echo hi > /j"]\n')
    r = build(world, path)
    assert "[2/2] RUN [\"/bin/sh\", \"-c\", \"echo hi > /j\"]" in r.stderr  # as written
    assert history(world, "app:1")[0] == ("RUN /bin/sh -c echo hi > /j # buildkit", "3B")
    assert run(world, "app:1", "cat /j") == "hi\n"


@pytest.mark.parametrize(("command", "code"), [("false", 1), ("exit 3", 3)])
def test_failing_run_fails_the_build(world, tmp_path, command, code):
    """§3.6: ``process "/bin/sh -c <cmd>" did not complete successfully: exit code: <n>``,
    reported as ``ERROR: failed to build: failed to solve: …``; the CLI exits 1."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN echo before > /before\nRUN {command}\n")
    before = image_count(world)
    r = build(world, path)
    message = (f'process "/bin/sh -c {command}" did not complete successfully: '
               f"exit code: {code}")
    assert r.exit_code == 1
    assert r.stderr.endswith(f"{FAILED}{message}\n")
    assert f"#6 [3/3] RUN {command}\n#6 ERROR: {message}\n" in r.stderr
    assert r.stdout == ""
    # nothing half-registered: no image, no tag
    assert image_count(world) == before
    assert sh(world, "docker images -q").stdout == ""
    assert sh(world, "docker inspect app:1").exit_code == 1


def test_annotated_run_writes_its_declared_files_and_takes_its_time(world, tmp_path):
    """§3.2/§6: ``# sim: writes /opt/x 10MB, takes 5s`` → a 10MB layer; the step takes 5 s of
    simulated time (plus the step container's start)."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\n# sim: writes /opt/x 10MB, takes 5s\n"
               "RUN ./configure && make install\n")
    start = world.now
    r = build(world, path)
    assert r.exit_code == 0, r.text
    assert world.now - start >= 5.0
    assert 5.0 <= done_seconds(r.stderr, "[2/2] RUN ./configure && make install") < 6.0
    assert "not executed" not in r.stderr  # declared, not estimated
    assert history(world, "app:1")[0] == (
        "RUN /bin/sh -c ./configure && make install # buildkit", "10MB")
    assert "10000000" in run(world, "app:1", "ls -l /opt/x")


def test_unknown_program_uses_the_estimate_and_says_so(world, tmp_path):
    """§3.2: A RUN outside the shell subset is never executed: its effect is estimated (here
    from the built-in table) and the output says it was not executed."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN apt-get install -y git\n")
    r = build(world, path)
    assert r.exit_code == 0, r.text
    note = re.search(r"#5 0\.000 \(dockersim: not executed; effect table: ([^)]*)", r.stderr)
    assert note is not None and "git" in note.group(1)
    size = history(world, "app:1")[0][1]
    assert size.endswith("MB") and float(size[:-2]) > 10


def test_program_with_no_known_effect_gets_the_default(world, tmp_path):
    """§3.2: still a layer (0B), and the output says the effect is a default."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN frobnicate --all\n")
    r = build(world, path)
    assert r.exit_code == 0, r.text
    assert "(dockersim: not executed; effect default: no effect known for 'frobnicate --all'" \
        in r.stderr
    assert history(world, "app:1")[0] == ("RUN /bin/sh -c frobnicate --all # buildkit", "0B")


def test_annotated_failure_exit_code(world, tmp_path):
    """§3.6: a declared exit code fails the step like a real one."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\n# sim: exits 2\nRUN make test\n")
    r = build(world, path)
    assert r.exit_code == 1
    assert r.stderr.endswith(f'{FAILED}process "/bin/sh -c make test" did not complete '
                             "successfully: exit code: 2\n")


# --- COPY / ADD ---------------------------------------------------------------------------

FILES = {"a.txt": "aaa\n", "f.txt": "0123456789\n"}


def test_copy_destination_directory_or_file(world, tmp_path):
    """§3.2: docs COPY: a destination ending in ``/`` (or several sources, or an existing
    directory) is a directory; otherwise the file is copied to that name."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nCOPY a.txt /dest/\nCOPY a.txt /renamed\n"
               "COPY a.txt f.txt /multi/\nCOPY a.txt /tmp\n", FILES)
    assert build(world, path).exit_code == 0
    assert run(world, "app:1", "cat /dest/a.txt /renamed /tmp/a.txt") == "aaa\n" * 3
    assert run(world, "app:1", "ls /multi") == "a.txt\nf.txt\n"
    assert run(world, "app:1", "ls -ld /renamed").startswith("-rw-r--r--")


def test_copy_a_directory_copies_its_contents(world, tmp_path):
    """§3.2: COPY of a directory copies its contents, not the directory itself."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nCOPY src /app\n",
               {"src/main.py": "print()\n", "src/pkg/util.py": "x = 1\n"})
    assert build(world, path).exit_code == 0
    assert run(world, "app:1", "cat /app/main.py /app/pkg/util.py") == "print()\nx = 1\n"
    assert sh(world, "docker run --rm app:1 ls /app/src").exit_code != 0


def test_copy_chown_and_chmod(world, tmp_path):
    """§3.2/§7.10: COPY --chown/--chmod set owner and mode of the copied files, and BuildKit records
    both flags in the history entry (buildkit convert_copy.go)."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nCOPY --chown=1000:1000 --chmod=600 a.txt /d/\n",
               FILES)
    assert build(world, path).exit_code == 0
    assert re.match(r"-rw------- +1 1000 +1000 +4 ", run(world, "app:1", "ls -l /d/a.txt"))
    assert history(world, "app:1")[0] == (
        "COPY --chown=1000:1000 --chmod=600 a.txt /d/ # buildkit", "4B")


def test_copy_over_an_existing_file_puts_the_whole_new_file_in_the_layer(world, tmp_path):
    """§4.2 copy-up: the new layer holds the whole new file (its new size)."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN echo a > /f\nCOPY f.txt /f\n", FILES)
    assert build(world, path).exit_code == 0
    assert history(world, "app:1")[:2] == [("COPY f.txt /f # buildkit", "11B"),
                                           ("RUN /bin/sh -c echo a > /f # buildkit", "2B")]
    assert run(world, "app:1", "cat /f") == "0123456789\n"


def test_copy_of_a_missing_file_fails_like_buildkit(world, tmp_path):
    """§3.3/§3.6: A missing COPY source: BuildKit's ``failed to compute cache key: failed
    to calculate checksum of ref …: "/nope.txt": not found``; exit 1, no image."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nCOPY nope.txt /\n", FILES)
    before = image_count(world)
    r = build(world, path)
    assert r.exit_code == 1
    last = r.stderr.splitlines()[-1]
    assert re.fullmatch(
        FAILED.replace(".", r"\.") + r"failed to compute cache key: failed to calculate "
        r'checksum of ref [0-9a-z]{25}::[0-9a-z]{25}: "/nope\.txt": not found', last), last
    assert image_count(world) == before


def test_copy_from_stage_is_not_recorded_in_history(world, tmp_path):
    """§3.4: buildkit convert_copy.go: the history entry has --parents/--chown/--chmod, never
    --from."""
    path = ctx(tmp_path / "c", f"FROM {BASE} AS b\nRUN echo x > /x\n\nFROM {BASE}\n"
               "COPY --from=b --chown=1:1 /x /y\n")
    assert build(world, path).exit_code == 0
    assert history(world, "app:1")[0] == ("COPY --chown=1:1 /x /y # buildkit", "2B")


def test_add_of_a_local_file_copies_it(world, tmp_path):
    """§3.2: ADD of a local (non-archive) file is a COPY with its own history word."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nADD a.txt /added\n", FILES)
    assert build(world, path).exit_code == 0
    assert run(world, "app:1", "cat /added") == "aaa\n"
    assert history(world, "app:1")[0] == ("ADD a.txt /added # buildkit", "4B")


def test_copy_expands_variables_in_sources_and_destination(world, tmp_path):
    """§3.3: COPY expands ARG/ENV in its words; history shows the result."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nARG NAME=a.txt\nENV DEST=/data\n"
               "COPY $NAME $DEST/\n", FILES)
    assert build(world, path).exit_code == 0
    assert run(world, "app:1", "cat /data/a.txt") == "aaa\n"
    assert history(world, "app:1")[0] == ("COPY a.txt /data/ # buildkit", "4B")


# --- WORKDIR and metadata -----------------------------------------------------------------

def test_workdir_creates_the_directory_and_sets_the_config(world, tmp_path):
    """§3.2: WORKDIR mkdirs (a layer) and sets WorkingDir; relative paths join the previous one."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nWORKDIR /srv\nWORKDIR app\n")
    r = build(world, path)
    assert r.exit_code == 0
    assert "[3/3] WORKDIR app" in r.stderr
    assert sh(world, "docker inspect --format '{{.Config.WorkingDir}}' app:1"
              ).stdout == "/srv/app\n"
    assert history(world, "app:1")[:2] == [("WORKDIR /srv/app", "0B"), ("WORKDIR /srv", "0B")]
    assert run(world, "app:1", "ls -d /srv/app") == "/srv/app\n"


def test_entrypoint_resets_an_inherited_cmd(world, tmp_path):
    """§3.2: docs ENTRYPOINT: an ENTRYPOINT resets the CMD inherited from the base image."""
    path = ctx(tmp_path / "c", f'FROM {BASE}\nENTRYPOINT ["echo"]\n')
    assert build(world, path).exit_code == 0
    assert sh(world, "docker inspect --format '{{json .Config.Entrypoint}} {{json .Config.Cmd}}'"
              " app:1").stdout == '["echo"] null\n'
    assert history(world, "app:1")[0] == ('ENTRYPOINT ["echo"]', "0B")


def test_env_is_written_to_the_image_config(world, tmp_path):
    """§3.2: ENV persists in the image config; a later ENV of the same key replaces it."""
    path = ctx(tmp_path / "c", f'FROM {BASE}\nENV A=1 B="two words"\nENV A=3\n')
    assert build(world, path).exit_code == 0
    env = sh(world, "docker inspect --format '{{json .Config.Env}}' app:1").stdout
    assert env.endswith('"B=two words","A=3"]\n')
    assert history(world, "app:1")[:2] == [("ENV A=3", "0B"), ("ENV A=1 B=two words", "0B")]


def test_args_are_inherited_by_a_stage_built_from_their_stage(world, tmp_path):
    """§3.3/§3.4: docs (build variables, scoping): an ARG declared in a stage is available
    in stages based on it (buildkit dispatchState.init inherits buildArgs and the env)."""
    path = ctx(tmp_path / "c", f"FROM {BASE} AS base\nARG NAME=joe\n\n"
               "FROM base AS build\nRUN echo hello $NAME > /greeting\n\n"
               f"FROM {BASE}\nRUN echo ${{NAME:-unset}} > /other\n"
               "COPY --from=build /greeting /greeting\n")
    assert build(world, path).exit_code == 0
    assert run(world, "app:1", "cat /greeting /other") == "hello joe\nunset\n"
    assert build(world, path, "build:1", "--target build").exit_code == 0
    assert history(world, "build:1")[0] == (
        "RUN |1 NAME=joe /bin/sh -c echo hello $NAME > /greeting # buildkit", "10B")
