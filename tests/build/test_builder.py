"""The BuildKit solver seen from the CLI: which steps make layers (docker-facts §3.2), which
stages are built and how steps are labelled (§3.4, §3.6), and the plain progress output
(§3.6). Every build runs through ``sim.cli.runner.execute`` on a fresh world, with a
context written into pytest's tmp_path."""

from __future__ import annotations

import re

from sim.trace.events import ImageBuilt
from tests.build.helpers import BASE, build, ctx, sh, vertices


def steps(text: str) -> list[str]:
    """The ``[k/m] ...`` step names, in order."""
    return [name for name in vertices(text) if name.startswith("[") and
            not name.startswith("[internal]")]


def layer_count(world, ref: str) -> int:
    r = sh(world, f"docker inspect --format '{{{{len .RootFS.Layers}}}}' {ref}")
    assert r.exit_code == 0, r.text
    return int(r.stdout)


def history(world, ref: str) -> list[list[str]]:
    """``docker history --no-trunc`` rows as [IMAGE, CREATED, CREATED BY, SIZE, COMMENT]."""
    r = sh(world, f"docker history --no-trunc {ref}")
    assert r.exit_code == 0, r.text
    lines = r.stdout.splitlines()
    header = lines[0]
    cols = [header.index(h) for h in ("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT")]
    rows = []
    for line in lines[1:]:
        bounds = [*cols[1:], len(line) + 1]
        rows.append([line[a:b].strip() for a, b in zip(cols, bounds, strict=True)])
    return rows


# --- §3.2 which instructions create layers ------------------------------------------------

def test_run_true_adds_a_layer_even_with_an_empty_diff(world, tmp_path):
    """§3.2 / §7.7: in BuildKit RUN always adds a layer, even when nothing changed."""
    build(world, ctx(tmp_path / "a", f"FROM {BASE}\n"), "plain:1")
    r = build(world, ctx(tmp_path / "b", f"FROM {BASE}\nRUN true\n"), "runtrue:1")
    assert r.exit_code == 0, r.text
    assert layer_count(world, "runtrue:1") == layer_count(world, "plain:1") + 1
    top = history(world, "runtrue:1")[0]
    assert top[2] == "RUN /bin/sh -c true # buildkit"
    assert top[3] == "0B"
    assert top[4] == "buildkit.dockerfile.v0"


def test_copy_add_and_workdir_each_add_a_layer(world, tmp_path):
    """§3.2: RUN, COPY, ADD and WORKDIR (not /) are the layer-producing instructions."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nWORKDIR /app\nCOPY a.txt .\nADD a.txt b.txt\n"
               "RUN echo hi > made.txt\n", {"a.txt": "aaa\n"})
    assert build(world, path).exit_code == 0
    assert layer_count(world, "app:1") == 1 + 4
    created_by = [row[2] for row in history(world, "app:1")[:4]]
    assert created_by == ["RUN /bin/sh -c echo hi > made.txt # buildkit",
                          "ADD a.txt b.txt # buildkit", "COPY a.txt . # buildkit",
                          "WORKDIR /app"]  # WORKDIR's row has no "# buildkit" (no LLB state)


def test_workdir_of_an_existing_directory_still_adds_a_layer(world, tmp_path):
    """§3.2: WORKDIR of an existing dir → a (tiny) layer all the same."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nWORKDIR /etc\n")
    assert build(world, path).exit_code == 0
    assert layer_count(world, "app:1") == 2
    assert history(world, "app:1")[0][2:4] == ["WORKDIR /etc", "0B"]


def test_workdir_root_is_metadata_only(world, tmp_path):
    """§3.2: ``WORKDIR /`` is in the metadata-only list (no mkdir, no step vertex)."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nWORKDIR /\nRUN true\n")
    r = build(world, path)
    assert r.exit_code == 0, r.text
    assert layer_count(world, "app:1") == 2  # base + RUN
    assert history(world, "app:1")[1][2:4] == ["WORKDIR /", "0B"]
    assert not any("WORKDIR" in s for s in steps(r.stderr))


def test_metadata_instructions_add_zero_byte_history_rows_and_no_layer(world, tmp_path):
    """§3.2: ENV, ARG, LABEL, CMD, EXPOSE, USER, … only change the config: each adds a 0B
    history row (empty_layer) with BuildKit's comment, and no layer."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nARG V=1\nENV E=2\nLABEL team=web\nEXPOSE 8080\n"
               'USER nobody\nCMD ["sh"]\n')
    r = build(world, path)
    assert r.exit_code == 0, r.text
    assert layer_count(world, "app:1") == 1
    rows = history(world, "app:1")
    assert [row[2] for row in rows[:6]] == [
        'CMD ["sh"]', "USER nobody", "EXPOSE map[8080/tcp:{}]", "LABEL team=web", "ENV E=2",
        "ARG V=1"]
    assert all(row[3] == "0B" and row[4] == "buildkit.dockerfile.v0" for row in rows[:6])
    # metadata steps are not shown as steps: only the FROM is
    assert steps(r.stderr) == [f"[1/1] FROM docker.io/library/{BASE}"]
    inspect = sh(world, "docker inspect --format '{{json .Config.Labels}} {{json .Config.Cmd}} "
                        "{{json .Config.ExposedPorts}} {{json .Config.Env}}' app:1")
    assert inspect.stdout == ('{"team":"web"} ["sh"] {"8080/tcp":{}} '
                              '["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:'
                              '/bin","E=2"]\n')  # ARG values do not persist in the image
    assert world.hosts["host1"].engine.images.get("app:1").run_config["User"] == "nobody"


def test_from_scratch_has_no_layers(world, tmp_path):
    """§3.2: ``FROM scratch`` = no layers; a metadata step gives the only history row."""
    r = build(world, ctx(tmp_path / "c", "FROM scratch\nLABEL a=b\n"), "empty:1")
    assert r.exit_code == 0, r.text
    assert layer_count(world, "empty:1") == 0
    rows = history(world, "empty:1")
    assert len(rows) == 1
    assert rows[0][2:4] == ["LABEL a=b", "0B"]
    assert "load metadata" not in r.stderr  # nothing to resolve for scratch
    assert steps(r.stderr) == []


def test_from_inherits_the_base_image_layers_and_history(world, tmp_path):
    """§3.2: FROM adds no history entry; layers and history come from the base."""
    assert sh(world, f"docker pull {BASE}").exit_code == 0
    base_layers = sh(world, f"docker inspect --format '{{{{json .RootFS.Layers}}}}' {BASE}")
    r = build(world, ctx(tmp_path / "c", f"FROM {BASE}\nRUN echo x > /x\n"))
    assert r.exit_code == 0, r.text
    layers = sh(world, "docker inspect --format '{{json .RootFS.Layers}}' app:1")
    assert layers.stdout.startswith(base_layers.stdout.rstrip("]\n"))
    base_rows = history(world, BASE)
    rows = history(world, "app:1")
    assert len(rows) == len(base_rows) + 1
    assert [r[2:] for r in rows[1:]] == [r[2:] for r in base_rows]
    # a local base is resolved, not downloaded, and shown as CACHED
    assert vertices(r.stderr)[f"[1/2] FROM docker.io/library/{BASE}"] == "CACHED"
    assert "extracting" not in r.stderr


def test_metadata_row_after_from_takes_the_first_new_layer_time(world, tmp_path):
    """§3.2/§3.3: BuildKit's exporter (buildkit exporter/containerimage/writer.go
    normalizeLayersAndHistory) gives a metadata row before the first new layer that layer's
    time, not the base image's: ``docker history`` shows the ARG as just built."""
    r = build(world, ctx(tmp_path / "c", f"FROM {BASE}\nARG V=1\nRUN true\nENV E=1\n"))
    assert r.exit_code == 0, r.text
    rows = history(world, "app:1")
    assert [row[2] for row in rows[:3]] == ["ENV E=1", "RUN |1 V=1 /bin/sh -c true # buildkit",
                                            "ARG V=1"]
    assert rows[0][1] == rows[1][1] == rows[2][1] == "Less than a second ago"
    assert rows[3][1].endswith("months ago")  # the base image's own rows keep their times


# --- §3.4 multi-stage -----------------------------------------------------------------------

MULTI = f"""FROM {BASE} AS build
WORKDIR /src
COPY a.txt .
RUN cp a.txt out.txt

FROM {BASE} AS unrelated
RUN echo never > /never

FROM {BASE}
COPY --from=build /src/out.txt /app/out.txt
CMD ["cat", "/app/out.txt"]
"""


def test_only_the_stages_the_target_needs_are_built(world, tmp_path):
    """§3.4: BuildKit builds only stages the target depends on."""
    r = build(world, ctx(tmp_path / "c", MULTI, {"a.txt": "from the build stage\n"}))
    assert r.exit_code == 0, r.text
    assert "never" not in r.stderr and "unrelated" not in r.stderr
    assert steps(r.stderr) == [
        f"[build 1/4] FROM docker.io/library/{BASE}", "[build 2/4] WORKDIR /src",
        "[build 3/4] COPY a.txt .", "[build 4/4] RUN cp a.txt out.txt",
        f"[stage-2 1/2] FROM docker.io/library/{BASE}",
        "[stage-2 2/2] COPY --from=build /src/out.txt /app/out.txt"]
    assert sh(world, "docker run --rm app:1").stdout == "from the build stage\n"
    # only the target is exported: one layer on the base, none of the build stage's
    assert layer_count(world, "app:1") == 2
    assert history(world, "app:1")[1][2] == "COPY /src/out.txt /app/out.txt # buildkit"
    run = sh(world, "docker run --rm app:1 ls /src")
    assert run.exit_code != 0
    # earlier stages are not tagged
    assert sh(world, "docker images -q").stdout.count("\n") == 1


def test_target_builds_and_exports_an_earlier_stage(world, tmp_path):
    """§3.4: ``--target`` picks the stage to export; later stages are not built; the stage
    name prefix stays because the Dockerfile has several stages (buildkit convert.go drops
    it only for a single-stage Dockerfile)."""
    path = ctx(tmp_path / "c", MULTI, {"a.txt": "x\n"})
    r = build(world, path, "app:build", "--target build")
    assert r.exit_code == 0, r.text
    assert steps(r.stderr) == [
        f"[build 1/4] FROM docker.io/library/{BASE}", "[build 2/4] WORKDIR /src",
        "[build 3/4] COPY a.txt .", "[build 4/4] RUN cp a.txt out.txt"]
    assert sh(world, "docker run --rm app:build cat /src/out.txt").stdout == "x\n"
    assert sh(world, "docker inspect --format '{{.Config.WorkingDir}}' app:build"
              ).stdout == "/src\n"


def test_copy_from_a_stage_by_number(world, tmp_path):
    """§3.4 / docs multi-stage: unnamed stages are referred to by number from 0."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN echo one > /one\n\nFROM {BASE}\n"
               "COPY --from=0 /one /copied\n")
    r = build(world, path)
    assert r.exit_code == 0, r.text
    assert "[stage-0 2/2] RUN echo one > /one" in steps(r.stderr)
    assert sh(world, "docker run --rm app:1 cat /copied").stdout == "one\n"


def test_a_stage_built_from_another_stage(world, tmp_path):
    """§3.4/§3.6: ``FROM <stage>`` inherits that stage and is not counted as a step."""
    path = ctx(tmp_path / "c", f"FROM {BASE} AS base\nRUN echo one > /one\n\n"
               "FROM base AS final\nRUN echo two > /two\n")
    r = build(world, path)
    assert r.exit_code == 0, r.text
    assert steps(r.stderr) == [f"[base 1/2] FROM docker.io/library/{BASE}",
                               "[base 2/2] RUN echo one > /one", "[final 1/1] RUN echo two > /two"]
    assert layer_count(world, "app:1") == 3
    assert sh(world, "docker run --rm app:1 cat /one /two").stdout == "one\ntwo\n"


# --- §3.6 step labels -------------------------------------------------------------------

def test_step_total_counts_from_and_layer_steps_only(world, tmp_path):
    """§3.6: m = 1 for a FROM of an image + the ADD/COPY/RUN/WORKDIR of the stage; a
    single-stage build has no stage prefix."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nENV A=1\nWORKDIR /w\nLABEL l=1\nRUN true\n"
               "COPY a.txt .\nCMD [\"true\"]\n", {"a.txt": "a"})
    r = build(world, path)
    assert steps(r.stderr) == [f"[1/4] FROM docker.io/library/{BASE}", "[2/4] WORKDIR /w",
                               "[3/4] RUN true", "[4/4] COPY a.txt ."]


def test_from_scratch_is_not_counted_as_a_step(world, tmp_path):
    """§3.6: FROM scratch adds nothing to m."""
    r = build(world, ctx(tmp_path / "c", "FROM scratch\nCOPY a.txt /a.txt\n", {"a.txt": "a"}))
    assert steps(r.stderr) == ["[1/1] COPY a.txt /a.txt"]


def test_step_total_uses_the_base_after_meta_args_are_expanded(world, tmp_path):
    """§3.6: whether FROM counts depends on what it names once ARGs are expanded."""
    r = build(world, ctx(tmp_path / "a", "ARG BASE=scratch\nFROM $BASE\nCOPY a.txt /a\n",
                         {"a.txt": "a"}))
    assert steps(r.stderr) == ["[1/1] COPY a.txt /a"]
    r = build(world, ctx(tmp_path / "b", f"ARG FROM_STAGE=base\nFROM {BASE} AS base\n"
                         "RUN true\nFROM $FROM_STAGE\nRUN echo x > /x\n"), "b:1")
    assert steps(r.stderr)[-1] == "[stage-1 1/1] RUN echo x > /x"


def test_step_numbers_are_right_aligned_from_ten_steps(world, tmp_path):
    """§3.6: k is right-aligned to the width of m when m ≥ 10 (``[ 2/10]``)."""
    runs = "".join(f"RUN echo {i} > /f{i}\n" for i in range(9))
    r = build(world, ctx(tmp_path / "c", f"FROM {BASE}\n{runs}"))
    assert r.exit_code == 0, r.text
    labels = [s.split("]")[0] + "]" for s in steps(r.stderr)]
    assert labels == [f"[{k:>2}/10]" for k in range(1, 11)]
    assert labels[1] == "[ 2/10]"


def test_unnamed_stages_are_prefixed_with_their_index(world, tmp_path):
    """§3.6: multi-stage builds prefix each step with the stage name, ``stage-N`` when
    unnamed (buildkit convert.go)."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN echo a > /a\n\nFROM scratch\n"
               "COPY --from=0 /a /a\n")
    r = build(world, path)
    assert steps(r.stderr) == [f"[stage-0 1/2] FROM docker.io/library/{BASE}",
                               "[stage-0 2/2] RUN echo a > /a", "[stage-1 1/1] COPY --from=0 /a /a"]


# --- §3.6 output --------------------------------------------------------------------------

def test_plain_progress_shape(world, tmp_path):
    """§3.6: BuildKit's plain progress on stderr: numbered vertices, DONE/CACHED lines,
    then exporting to image and naming; nothing on stdout."""
    r = build(world, ctx(tmp_path / "c", f"FROM {BASE}\nCOPY a.txt /a.txt\n", {"a.txt": "a"}),
              "x:1")
    assert r.exit_code == 0
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[:2] == ['#0 building with "default" instance using docker driver', ""]
    assert lines[2] == "#1 [internal] load build definition from Dockerfile"
    assert re.fullmatch(r"#1 transferring dockerfile: \d+B done", lines[3])
    assert re.fullmatch(r"#1 DONE \d+\.\ds", lines[4])
    names = list(vertices(r.stderr))
    assert names == ["building with \"default\" instance using docker driver",
                     "[internal] load build definition from Dockerfile",
                     f"[internal] load metadata for docker.io/library/{BASE}",
                     "[internal] load .dockerignore",
                     f"[1/2] FROM docker.io/library/{BASE}",
                     "[internal] load build context", "[2/2] COPY a.txt /a.txt",
                     "exporting to image"]
    assert all(re.fullmatch(r"#\d+ DONE \d+\.\ds", line) for line in lines
               if " DONE " in line)
    image_id = sh(world, "docker inspect --format '{{.Id}}' x:1").stdout.strip()
    assert f"writing image {image_id} done" in r.stderr
    assert r.stderr.endswith("#7 naming to docker.io/library/x:1 done\n#7 DONE 0.1s\n\n")


def test_quiet_prints_only_the_image_id(world, tmp_path):
    """§3.6 / buildx ``-q``: no progress, the image ID (``sha256:<64 hex>``) on stdout."""
    r = build(world, ctx(tmp_path / "c", f"FROM {BASE}\nRUN true\n"), flags="-q")
    assert r.exit_code == 0
    assert re.fullmatch(r"sha256:[0-9a-f]{64}\n", r.stdout)
    assert r.stderr == ""
    assert sh(world, "docker inspect --format '{{.Id}}' app:1").stdout == r.stdout


def test_every_tag_is_named(world, tmp_path):
    """§3.6: one ``naming to`` line per ``-t``; all name the same image."""
    path = ctx(tmp_path / "c", "FROM scratch\nLABEL a=b\n")
    r = sh(world, f"docker build -t one:1 -t two:2 {path}")
    assert "naming to docker.io/library/one:1 done" in r.stderr
    assert "naming to docker.io/library/two:2 done" in r.stderr
    ids = {sh(world, f"docker inspect --format '{{{{.Id}}}}' {t}").stdout
           for t in ("one:1", "two:2")}
    assert len(ids) == 1


def test_build_context_sends_only_the_paths_copy_names(world, tmp_path):
    """§3.5 / buildkit convert.go ``ctxPaths`` → ``llb.FollowPaths``: only what COPY/ADD
    name is transferred; ``COPY .`` sends everything."""
    files = {"small.txt": "s\n", "big.bin": "x" * 200_000}
    r = build(world, ctx(tmp_path / "a", f"FROM {BASE}\nCOPY small.txt /\n", files))
    sent = re.search(r"transferring context: (\S+) done\n#\d+ DONE", r.stderr.split(
        "load build context")[1]).group(1)
    assert sent.endswith("B") and not sent.endswith("kB")
    r = build(world, ctx(tmp_path / "b", f"FROM {BASE}\nCOPY . /all/\n", files), "all:1")
    sent = re.search(r"transferring context: (\S+) done", r.stderr.split(
        "load build context")[1]).group(1)
    assert sent.endswith("kB") and float(sent[:-2]) > 200
    # no COPY from the context: no "load build context" vertex at all
    r = build(world, ctx(tmp_path / "c", f"FROM {BASE}\nRUN true\n", files), "norun:1")
    assert "load build context" not in r.stderr


def test_label_flag_sets_an_image_label(world, tmp_path):
    """§3.3: ``--label`` goes into the exported config (buildkit finalizeResultImage)."""
    r = build(world, ctx(tmp_path / "c", "FROM scratch\nLABEL a=1\n"), flags="--label b=2")
    assert r.exit_code == 0
    assert sh(world, "docker inspect --format '{{json .Config.Labels}}' app:1"
              ).stdout == '{"a":"1","b":"2"}\n'


def test_build_emits_an_image_built_trace_event(world, tmp_path):
    """§3.6: the export is recorded in the trace with the image ID it wrote."""
    r = build(world, ctx(tmp_path / "c", "FROM scratch\nLABEL a=1\n"))
    image_id = r.stderr.split("writing image ")[1].split()[0]
    events = [r.event for r in world.trace.of(ImageBuilt)]
    assert [(e.image_id, e.tags) for e in events] == [(image_id, ("app:1",))]
