"""BuildKit's build cache (docker-facts §3.3, §7.7): what hits and what misses, image IDs of
cached rebuilds, dangling images, and the cache's own bookkeeping (``docker system df``,
``docker builder prune``, sim.build.cache)."""

from __future__ import annotations

import os
import re

import pytest

from sim.build.cache import BuildCache, CacheRecord, cache_key
from tests.build.helpers import BASE, ctx, sh, vertices
from tests.build.helpers import build as _build


def build(world, path, tag="app:1", flags=""):
    return _build(world, path, tag, flags, ok=True)



def status(text: str) -> dict[str, str]:
    """{step: CACHED | DONE} for the ``[k/m]`` steps of a build's plain progress."""
    return {k: v for k, v in vertices(text).items()
            if v in ("CACHED", "DONE") and re.match(r"\[[^]]*\d+/\d+\] ", k)}


def image_id(world, ref: str) -> str:
    return sh(world, f"docker inspect --format '{{{{.Id}}}}' {ref}").stdout.strip()


def dangling(world) -> list[str]:
    return [line for line in sh(world, "docker images").stdout.splitlines()[1:]
            if line.startswith("<none>")]


APP = f"""FROM {BASE}
WORKDIR /app
COPY requirements.txt .
RUN echo installed > /deps
COPY main.py .
RUN echo built > /out
"""
APP_FILES = {"requirements.txt": "flask\n", "main.py": "print('v1')\n", "notes.md": "x\n"}
STEPS = [f"[1/6] FROM docker.io/library/{BASE}", "[2/6] WORKDIR /app",
         "[3/6] COPY requirements.txt .", "[4/6] RUN echo installed > /deps",
         "[5/6] COPY main.py .", "[6/6] RUN echo built > /out"]


@pytest.fixture
def app(world, tmp_path):
    path = ctx(tmp_path / "app", APP, APP_FILES)
    first = build(world, path)
    assert set(status(first.stderr).values()) == {"DONE"}
    return path


def test_unchanged_rebuild_is_all_cached_with_the_same_image_id(world, app):
    """§3.3: a fully cached rebuild reproduces the config → same image ID, the tag does
    not move, no dangling image."""
    first = image_id(world, "app:1")
    r = build(world, app)
    assert status(r.stderr) == dict.fromkeys(STEPS, "CACHED")
    assert image_id(world, "app:1") == first
    assert f"writing image {first} done" in r.stderr
    assert dangling(world) == []
    assert sh(world, "docker images -q").stdout.count("\n") == 1


def test_editing_a_copied_file_rebuilds_that_copy_and_everything_after(world, app):
    """§3.3: COPY's key is the content checksum; once a step misses, the rest miss."""
    (app / "main.py").write_text("print('v2')\n")
    r = build(world, app)
    assert status(r.stderr) == {**dict.fromkeys(STEPS[:4], "CACHED"),
                                **dict.fromkeys(STEPS[4:], "DONE")}
    assert sh(world, "docker run --rm app:1 cat /app/main.py").stdout == "print('v2')\n"


def test_touching_a_file_without_changing_it_stays_cached(world, app):
    """§3.3: mtime is ignored by the COPY/ADD checksum."""
    first = image_id(world, "app:1")
    os.utime(app / "main.py", (1_000_000, 1_000_000))
    os.utime(app / "requirements.txt", (2_000_000, 2_000_000))
    r = build(world, app)
    assert set(status(r.stderr).values()) == {"CACHED"}
    assert image_id(world, "app:1") == first


def test_changing_an_ignored_file_stays_cached(world, tmp_path):
    """§3.5: files excluded by .dockerignore are not sent, so they cannot bust the cache."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nCOPY . /src/\nRUN echo x > /x\n",
               {"app.py": "a\n", "secret.env": "K=1\n", ".dockerignore": "*.env\n"})
    build(world, path)
    first = image_id(world, "app:1")
    assert sh(world, "docker run --rm app:1 ls -a /src").stdout == \
        ".\n..\n.dockerignore\nDockerfile\napp.py\n"
    (path / "secret.env").write_text("K=2 and much longer\n")
    r = build(world, path)
    assert set(status(r.stderr).values()) == {"CACHED"}
    assert image_id(world, "app:1") == first
    (path / "app.py").write_text("b\n")  # a file that is sent does bust it
    r = build(world, path)
    assert status(r.stderr)["[2/3] COPY . /src/"] == "DONE"


def test_changing_a_label_keeps_later_runs_cached_but_gives_a_new_image(world, tmp_path):
    """§3.3 / §7.7: LABEL creates no LLB operation in BuildKit, so the RUN after it stays
    CACHED; the config (and so the image ID) still changes."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nLABEL version=1\nRUN echo x > /x\n")
    build(world, path)
    first = image_id(world, "app:1")
    (path / "Dockerfile").write_text(f"FROM {BASE}\nLABEL version=2\nRUN echo x > /x\n")
    r = build(world, path)
    assert status(r.stderr)["[2/2] RUN echo x > /x"] == "CACHED"
    assert image_id(world, "app:1") != first
    labels = sh(world, "docker inspect --format '{{json .Config.Labels}}' app:1").stdout
    assert labels == '{"version":"2"}\n'


def test_build_arg_change_busts_the_first_run_after_the_arg_not_a_copy(world, tmp_path):
    """§3.3: ARG values are part of every later RUN's key (docs: a changed --build-arg
    misses at its first use); a COPY that does not expand it stays cached."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN echo early > /early\nARG V=1\n"
               "COPY a.txt /a.txt\nRUN echo unrelated > /u\nRUN echo $V > /v\n",
               {"a.txt": "a\n"})
    build(world, path, flags="--build-arg V=1")
    r = build(world, path, flags="--build-arg V=2")
    assert status(r.stderr) == {
        f"[1/5] FROM docker.io/library/{BASE}": "CACHED",
        "[2/5] RUN echo early > /early": "CACHED",  # before the ARG
        "[3/5] COPY a.txt /a.txt": "CACHED",  # file ops carry no env
        "[4/5] RUN echo unrelated > /u": "DONE",  # every RUN after the ARG counts as a use
        "[5/5] RUN echo $V > /v": "DONE"}
    assert sh(world, "docker run --rm app:1 cat /v").stdout == "2\n"
    # the same value again is a hit
    r = build(world, path, flags="--build-arg V=2")
    assert set(status(r.stderr).values()) == {"CACHED"}


def test_env_change_busts_later_runs(world, tmp_path):
    """§3.3: ENV values become environment of the LLB state → part of later RUN keys."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN echo a > /a\nENV MODE=dev\n"
               "COPY f.txt /f\nRUN echo $MODE > /mode\n", {"f.txt": "f\n"})
    build(world, path)
    (path / "Dockerfile").write_text((path / "Dockerfile").read_text().replace("dev", "prod"))
    r = build(world, path)
    assert status(r.stderr) == {f"[1/4] FROM docker.io/library/{BASE}": "CACHED",
                                "[2/4] RUN echo a > /a": "CACHED",
                                "[3/4] COPY f.txt /f": "CACHED",
                                "[4/4] RUN echo $MODE > /mode": "DONE"}
    assert sh(world, "docker run --rm app:1 cat /mode").stdout == "prod\n"


def test_no_cache_rebuilds_every_step(world, app):
    """§3.3: ``--no-cache`` disables the cache; the new image has new layer times, so a new
    ID, and the old image is left dangling."""
    first = image_id(world, "app:1")
    r = build(world, app, flags="--no-cache")
    assert "CACHED" not in r.stderr
    assert status(r.stderr) == dict.fromkeys(STEPS, "DONE")
    assert "extracting" not in r.stderr  # the base image is not downloaded again
    assert image_id(world, "app:1") != first
    assert [line.split()[2] for line in dangling(world)] == [first[7:19]]


def test_moving_a_tag_leaves_the_previous_image_dangling(world, app):
    """§2.3: the image that lost its only tag is listed as ``<none> <none>``."""
    first = image_id(world, "app:1")
    (app / "main.py").write_text("print('v2')\n")
    build(world, app)
    rows = dangling(world)
    assert len(rows) == 1
    assert rows[0].split()[:3] == ["<none>", "<none>", first[7:19]]
    assert sh(world, "docker images -q").stdout.count("\n") == 2


def test_rebuild_with_another_tag_reuses_the_image(world, app):
    """§3.3: a fully cached build under a new tag is the same image."""
    first = image_id(world, "app:1")
    r = build(world, app, "app:2")
    assert set(status(r.stderr).values()) == {"CACHED"}
    assert image_id(world, "app:2") == first
    assert dangling(world) == []


def test_from_image_rebuild_does_not_download_again(world, app):
    """§3.6: the base brought in by the first build is a cache hit (``#N CACHED``)."""
    r = build(world, app)
    lines = r.stderr.split(f"[1/6] FROM docker.io/library/{BASE}\n")[1].split("\n\n")[0]
    assert re.fullmatch(rf"#4 resolve docker\.io/library/{re.escape(BASE)}@sha256:[0-9a-f]{{64}}"
                        r" \d\.\ds done\n#4 CACHED", lines)


def test_failed_step_keeps_the_cache_of_the_steps_before_it(world, tmp_path):
    """§3.3: steps that succeeded before a failure are cache records."""
    path = ctx(tmp_path / "c", f"FROM {BASE}\nRUN echo a > /a\nRUN false\n")
    r = sh(world, f"docker build -t app:1 {path}")
    assert r.exit_code == 1
    (path / "Dockerfile").write_text(f"FROM {BASE}\nRUN echo a > /a\nRUN true\n")
    r = build(world, path)
    assert status(r.stderr) == {f"[1/3] FROM docker.io/library/{BASE}": "CACHED",
                                "[2/3] RUN echo a > /a": "CACHED", "[3/3] RUN true": "DONE"}


def test_copy_from_an_unchanged_stage_output_stays_cached(world, tmp_path):
    """§3.3: sources of ``COPY --from`` are hashed by content, so a rebuilt stage that
    produced byte-identical files still gives a hit downstream."""
    path = ctx(tmp_path / "c", f"FROM {BASE} AS b\nARG NOISE=1\nRUN echo same > /out\n\n"
               f"FROM {BASE}\nCOPY --from=b /out /out\nRUN echo after > /after\n")
    build(world, path, flags="--build-arg NOISE=1")
    r = build(world, path, flags="--build-arg NOISE=2")
    got = status(r.stderr)
    assert got["[b 2/2] RUN echo same > /out"] == "DONE"
    assert got["[stage-1 2/3] COPY --from=b /out /out"] == "CACHED"
    assert got["[stage-1 3/3] RUN echo after > /after"] == "CACHED"


# --- the cache's bookkeeping ------------------------------------------------------------------

def df_build_cache(world) -> list[str]:
    r = sh(world, "docker system df")
    row = next(line for line in r.stdout.splitlines() if line.startswith("Build Cache"))
    return row.split()[2:]


def test_system_df_counts_build_cache_records_and_bytes(world, tmp_path):
    """§3.3: The ``Build Cache`` row of ``docker system df``: one record per solved step (the
    FROM's source record has no size of its own), bytes of the layers the steps made."""
    assert df_build_cache(world) == ["0", "0", "0B", "0B"]
    build(world, ctx(tmp_path / "c", f"FROM {BASE}\nCOPY a.txt /a\nRUN echo xy > /x\n",
                     {"a.txt": "1234567\n"}))
    assert df_build_cache(world) == ["3", "0", "11B", "11B"]  # 8B + 3B
    cache = world.hosts["host1"].engine.build_cache
    assert sorted(r.size for r in cache.records.values()) == [0, 3, 8]
    assert sorted(r.kind for r in cache.records.values()) == ["regular", "regular",
                                                              "source.image"]


def test_builder_prune_frees_layers_no_image_uses(world, app):
    """§3.3/§2.4: ``docker builder prune -f`` drops the records whose layers no image uses and their
    layers leave the disk; the records of the tagged image stay (without ``-a``)."""
    engine = world.hosts["host1"].engine
    cache = engine.build_cache
    (app / "main.py").write_text("print('v2, a longer version')\n")
    build(world, app)
    assert sh(world, "docker image prune -f").exit_code == 0  # the old image is gone...
    stale = [r for r in cache.records.values()
             if r.chain not in {c for i in engine.images for c in i.chain_ids}]
    assert sorted(r.description.split("] ", 1)[1] for r in stale) == [
        "COPY main.py .", "RUN echo built > /out"]  # ...but its layers are still cached
    disk = engine.disk_bytes()
    records = len(cache)
    r = sh(world, "docker builder prune -f")
    assert r.exit_code == 0
    for record in stale:
        assert record.id in r.stdout
    assert r.stdout.splitlines()[-1].startswith("Total")
    assert len(cache) == records - 2
    assert engine.disk_bytes() == disk - sum(record.size for record in stale)
    assert sh(world, "docker run --rm app:1 cat /app/main.py").exit_code == 0
    # nothing left to prune: the rest is used by app:1
    again = sh(world, "docker builder prune -f")
    assert again.stdout.splitlines()[-1].startswith("Total")
    assert not any(record.id in again.stdout for record in cache.records.values())
    assert len(cache) == records - 2


def test_builder_prune_all_removes_every_record(world, app):
    """§3.3: ``prune -a`` drops every record; layers images use stay on disk."""
    engine = world.hosts["host1"].engine
    disk = engine.disk_bytes()
    ids = [r.id for r in engine.build_cache.records.values()]
    r = sh(world, "docker builder prune -af")
    assert r.exit_code == 0
    assert all(i in r.stdout for i in ids)
    assert len(engine.build_cache) == 0
    assert df_build_cache(world) == ["0", "0", "0B", "0B"]
    assert engine.disk_bytes() == disk  # app:1 still uses every layer
    # with no cache every step runs again, and the result is a new image
    first = image_id(world, "app:1")
    r = build(world, app)
    assert "CACHED" not in r.stderr.split("[2/6]")[1]
    assert image_id(world, "app:1") != first


def test_pruned_base_image_is_downloaded_again(world, app):
    """§3.3/§2.4: After ``prune -a`` the base image's layers were only held by the cache and the
    image: removing the image too leaves nothing, so the next build downloads it."""
    assert sh(world, "docker rmi app:1").exit_code == 0
    assert sh(world, "docker builder prune -af").exit_code == 0
    assert world.hosts["host1"].engine.disk_bytes() == 0
    r = build(world, app)
    assert "extracting sha256:" in r.stderr


# --- sim.build.cache unit behaviour ---------------------------------------------------------

def test_cache_key_depends_on_every_part():
    """§3.3: a key is a digest over the parent key and the step."""
    assert cache_key("a", "b") == cache_key("a", "b")
    assert cache_key("a", "b") != cache_key("a", "c")
    assert cache_key("ab", "") != cache_key("a", "b")  # parts are separated
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", cache_key("x"))


class _Layers:
    def __init__(self):
        self.held: list[str] = []

    def acquire(self, chain):
        self.held.append(chain)


class _Engine:
    def __init__(self):
        self.layers = _Layers()


def test_put_keeps_the_first_record_and_takes_one_reference():
    """§3.3/§2.4: a record holds one reference on its layer chain; a repeat put keeps the first."""
    cache, engine = BuildCache(), _Engine()
    first = CacheRecord(cache_key("k"), None, None, "sha256:chain", 5, "RUN x", 1.0, 1.0)
    cache.put(first, engine)
    cache.put(CacheRecord(cache_key("k"), None, None, "sha256:chain", 9, "RUN y", 2.0, 2.0),
              engine)
    assert len(cache) == 1 and cache.size() == 5
    assert engine.layers.held == ["sha256:chain"]
    assert cache.get(cache_key("k"), 7.0) is first
    assert first.last_used == 7.0
    assert cache.get(cache_key("other"), 8.0) is None
    assert first.id == first.key[7:32] and len(first.id) == 25
