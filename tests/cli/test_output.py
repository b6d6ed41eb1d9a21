"""Docker-exact tables (sim/cli/output.py): ``docker ps``, ``images``, ``history`` and
``system df``, checked cell by cell against the fact sheet §1.8 and docker/cli's formatters."""

from __future__ import annotations

import re

import pytest

from sim.cli import output
from sim.cli.units import human_size
from sim.world.world import World, WorldConfig
from tests.cli.helpers import engine, sh

HEX12 = re.compile(r"^[0-9a-f]{12}$")


def columns(text: str, headers: list[str]) -> list[dict[str, str]]:
    """Cut a tabwriter table at the header's column starts (cells may hold spaces)."""
    lines = text.splitlines()
    head = lines[0]
    starts, pos = [], 0
    for h in headers:
        pos = head.index(h, pos)
        starts.append(pos)
        pos += len(h)
    assert head.rstrip() == head.rstrip()  # header is part of the table
    rows = []
    for line in lines[1:]:
        cells = {}
        for i, h in enumerate(headers):
            end = starts[i + 1] if i + 1 < len(starts) else None
            if i > 0:  # every column starts after at least one space of padding
                assert line[starts[i] - 1] == " ", (line, h)
            cells[h] = line[starts[i]:end].rstrip()
        rows.append(cells)
    return rows


# ---- docker ps ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ps_world() -> World:
    world = World(WorldConfig(seed=11))
    sh(world, "docker pull nginx")
    sh(world, "docker run -d --name web nginx")
    sh(world, "docker exec web sh -c 'echo hello > /usr/share/nginx/html/index.html'")
    sh(world, "docker run --name job alpine true")
    sh(world, "sleep 3")
    sh(world, "docker run -d --name fresh nginx")
    return world


PS = ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]


def test_ps_header_and_order(ps_world):
    out = sh(ps_world, "docker ps -a").stdout
    head = out.splitlines()[0]
    assert re.fullmatch(r"CONTAINER ID   IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES", head)
    rows = columns(out, PS)
    assert [r["NAMES"] for r in rows] == ["fresh", "job", "web"]  # newest first (§1.8)
    running = columns(sh(ps_world, "docker ps").stdout, PS)
    assert [r["NAMES"] for r in running] == ["fresh", "web"]  # without -a: running only


def test_ps_cells(ps_world):
    rows = {r["NAMES"]: r for r in columns(sh(ps_world, "docker ps -a").stdout, PS)}
    eng = engine(ps_world)
    for name, row in rows.items():
        assert HEX12.match(row["CONTAINER ID"])  # TruncateID: 12 hex (§0.3)
        assert row["CONTAINER ID"] == eng.container(name).id[:12]
    # COMMAND quoted, cut to 20 display columns ending in "…" (formatter.Ellipsis)
    assert rows["web"]["COMMAND"] == '"/docker-entrypoint.…"'
    assert rows["job"]["COMMAND"] == '"true"'
    assert rows["web"]["IMAGE"] == "nginx" and rows["job"]["IMAGE"] == "alpine"
    # STATUS and CREATED use go-units HumanDuration (§1.1)
    assert rows["fresh"]["STATUS"] == "Up Less than a second"
    assert rows["fresh"]["CREATED"] == "Less than a second ago"
    assert rows["job"]["STATUS"] == "Exited (0) 3 seconds ago"
    assert re.fullmatch(r"Up \d seconds", rows["web"]["STATUS"])


def test_ps_column_widths_follow_the_widest_cell(ps_world):
    out = sh(ps_world, "docker ps -a").stdout
    head = out.splitlines()[0]
    # tabwriter padding 3: 12 hex + 3; the quoted command is 22 display columns + 3
    assert head.index("IMAGE") == 15
    assert head.index("CREATED") - head.index("COMMAND") == len('"/docker-entrypoint.…"') + 3
    widest_status = max(len(r["STATUS"]) for r in columns(out, PS))
    assert head.index("PORTS") - head.index("STATUS") == widest_status + 3


def test_ps_no_trunc_shows_full_id_and_command(ps_world):
    rows = columns(sh(ps_world, "docker ps -a --no-trunc").stdout, PS)
    web = next(r for r in rows if r["NAMES"] == "web")
    assert web["CONTAINER ID"] == engine(ps_world).container("web").id
    assert web["COMMAND"] == '"/docker-entrypoint.sh nginx -g daemon off;"'


def test_ps_size_column(ps_world):
    out = sh(ps_world, "docker ps -a -s").stdout
    rows = {r["NAMES"]: r for r in columns(out, [*PS, "SIZE"])}
    # writable layer (the copied-up index.html, 6 bytes) and virtual = image + rw (§1.8, §4.4)
    assert rows["web"]["SIZE"] == "6B (virtual 158MB)"
    assert rows["fresh"]["SIZE"] == "0B (virtual 158MB)"
    alpine = engine(ps_world).images.get("alpine")
    assert rows["job"]["SIZE"] == f"0B (virtual {output.size3(alpine.size)})"


def test_ps_quiet_lists_short_ids(ps_world):
    ids = sh(ps_world, "docker ps -aq").stdout.split()
    assert len(ids) == 3 and all(HEX12.match(i) for i in ids)


def test_ps_image_column_falls_back_to_the_short_id(ps_world):
    world = World(WorldConfig(seed=12))
    sh(world, "docker pull alpine")
    sh(world, "docker create --name c alpine")
    image_id = engine(world).images.get("alpine").id
    sh(world, "docker rmi -f alpine")  # the tag no longer resolves (§1.8, §7.3)
    row = columns(sh(world, "docker ps -a").stdout, PS)[0]
    assert row["IMAGE"] == image_id[7:19]
    assert row["STATUS"] == "Created"


# ---- docker images -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def img_world() -> World:
    world = World(WorldConfig(seed=13))
    sh(world, "docker pull python:3.14-slim")
    sh(world, "docker pull python:slim")  # a second tag of the same image
    sh(world, "docker pull debian:trixie-slim")
    sh(world, "docker run -d --name c alpine sleep 1000")
    sh(world, "docker exec c sh -c 'echo one > /one'")
    sh(world, "docker commit c app:1")
    sh(world, "docker exec c sh -c 'echo two > /two'")
    sh(world, "docker commit c app:1")  # app:1 moves; the first commit becomes dangling
    return world


IMAGES = ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]


def test_images_one_row_per_tag_and_dangling_rows(img_world):
    out = sh(img_world, "docker images").stdout
    assert re.fullmatch(r"REPOSITORY +TAG +IMAGE ID +CREATED +SIZE", out.splitlines()[0])
    rows = columns(out, IMAGES)
    pairs = [(r["REPOSITORY"], r["TAG"]) for r in rows]
    assert ("python", "3.14-slim") in pairs and ("python", "slim") in pairs
    py = {r["IMAGE ID"] for r in rows if r["REPOSITORY"] == "python"}
    assert len(py) == 1  # two tags, one image ID (§2.2)
    dangling = [r for r in rows if r["REPOSITORY"] == "<none>"]
    assert [(r["TAG"]) for r in dangling] == ["<none>"]  # §2.3, shown by CLI ≤ v28
    eng = engine(img_world)
    for r in rows:
        assert HEX12.match(r["IMAGE ID"])
        image = eng.images.get(r["IMAGE ID"])
        assert r["SIZE"] == output.size3(image.size)
    # newest first: the two commits, then the catalog images by their creation date
    assert [r["REPOSITORY"] for r in rows[:2]] == ["app", "<none>"]


def test_images_quiet_prints_each_id_once(img_world):
    ids = sh(img_world, "docker images -q").stdout.split()
    assert len(ids) == len(set(ids)) == len(list(engine(img_world).images))
    assert all(HEX12.match(i) for i in ids)
    full = sh(img_world, "docker images -q --no-trunc").stdout.split()
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", i) for i in full)


def test_images_digests_column(img_world):
    out = sh(img_world, "docker images --digests").stdout
    headers = ["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"]
    rows = columns(out, headers)
    by = {(r["REPOSITORY"], r["TAG"]): r for r in rows}
    pulled = by[("python", "3.14-slim")]["DIGEST"]
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", pulled)
    assert by[("python", "slim")]["DIGEST"] == pulled  # same manifest list
    assert by[("app", "1")]["DIGEST"] == "<none>"  # committed, never pushed
    assert by[("<none>", "<none>")]["DIGEST"] == "<none>"


def test_images_filter_by_reference_argument(img_world):
    rows = columns(sh(img_world, "docker images python").stdout, IMAGES)
    assert sorted(r["TAG"] for r in rows) == ["3.14-slim", "slim"]
    rows = columns(sh(img_world, "docker images python:slim").stdout, IMAGES)
    assert [r["TAG"] for r in rows] == ["slim"]


def test_sizes_have_three_significant_digits(img_world):
    sizes = [r["SIZE"] for r in columns(sh(img_world, "docker images").stdout, IMAGES)]
    for size in sizes:
        number = re.fullmatch(r"(\d+(?:\.\d+)?)(?:B|kB|MB|GB)", size).group(1)
        assert len(number.replace(".", "").lstrip("0")) <= 3, size
    assert output.size3(157_812_345) == "158MB"
    assert output.size3(9_624_345) == "9.62MB"
    assert output.size3(74_512_000) == "74.5MB"
    assert output.size3(6) == "6B"
    assert output.size3(1000) == "1kB"


# ---- docker history ----------------------------------------------------------------------
HISTORY = ["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]


def test_history_newest_first_with_missing_parents(img_world):
    image = engine(img_world).images.get("python:3.14-slim")
    out = sh(img_world, "docker history python:3.14-slim").stdout
    rows = columns(out, HISTORY)
    assert len(rows) == len(image.history)
    assert rows[0]["IMAGE"] == image.id[7:19]
    assert {r["IMAGE"] for r in rows[1:]} == {"<missing>"}  # pulled: no local parents
    newest = image.history[-1]["created_by"]
    assert rows[0]["CREATED BY"] == output.ellipsis(newest, 45)


def test_history_cuts_created_by_to_45_columns(img_world):
    image = engine(img_world).images.get("python:3.14-slim")
    rows = columns(sh(img_world, "docker history python:3.14-slim").stdout, HISTORY)
    long = [r["CREATED BY"] for r in rows if r["CREATED BY"].endswith("…")]
    assert long and all(len(cell) == 45 for cell in long)
    full = columns(sh(img_world, "docker history --no-trunc python:3.14-slim").stdout, HISTORY)
    # formatter_history.go CreatedBy: tabs become spaces, even with --no-trunc
    assert [r["CREATED BY"] for r in full] == [
        h["created_by"].replace("\t", " ") for h in reversed(image.history)]


def test_history_metadata_rows_are_0B_and_layers_sum_to_the_image(img_world):
    image = engine(img_world).images.get("python:3.14-slim")
    rows = columns(sh(img_world, "docker history python:3.14-slim").stdout, HISTORY)
    entries = list(reversed(image.history))
    sized = [r for r, h in zip(rows, entries, strict=True) if not h.get("empty_layer")]
    empty = [r for r, h in zip(rows, entries, strict=True) if h.get("empty_layer")]
    assert empty and all(r["SIZE"] == "0B" for r in empty)
    assert len(sized) == len(image.layers)
    expected = [output.size3(layer.size) for layer in reversed(image.layers)]
    assert [r["SIZE"] for r in sized] == expected


def test_history_of_a_commit_has_the_new_layer_on_top(img_world):
    rows = columns(sh(img_world, "docker history app:1").stdout, HISTORY)
    app = engine(img_world).images.get("app:1")
    assert rows[0]["IMAGE"] == app.id[7:19]
    assert rows[0]["CREATED"] == "Less than a second ago"
    assert rows[0]["SIZE"] == output.size3(app.layers[-1].size)
    assert rows[0]["CREATED BY"] == "sleep 1000"  # moby commit.go: the container's Cmd


# ---- docker system df --------------------------------------------------------------------
DF = ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"]


def unique_layer_bytes(world: World) -> int:
    layers = {}
    for image in engine(world).images:
        for chain, layer in zip(image.chain_ids, image.layers, strict=True):
            layers[chain] = layer.size
    return sum(layers.values())


@pytest.fixture
def df_world() -> World:
    world = World(WorldConfig(seed=14))
    sh(world, "docker pull python:3.14-slim")
    sh(world, "docker pull python:slim")
    sh(world, "docker pull debian:trixie-slim")  # shares its one layer with python (§2.1)
    return world


def df_rows(world: World) -> dict[str, dict[str, str]]:
    out = sh(world, "docker system df").stdout
    return {r["TYPE"]: r for r in columns(out, DF)}


def test_df_images_size_counts_each_layer_once(df_world):
    rows = df_rows(df_world)
    images = rows["Images"]
    assert images["TOTAL"] == "2"  # images, not tags
    assert images["ACTIVE"] == "0"
    total = unique_layer_bytes(df_world)
    assert total < sum(i.size for i in engine(df_world).images)  # the base is stored once
    assert images["SIZE"] == human_size(total)  # SIZE uses HumanSize (4 digits)
    assert images["RECLAIMABLE"] == f"{human_size(total)} (100%)"
    assert [r for r in rows] == ["Images", "Containers", "Local Volumes", "Build Cache"]
    assert rows["Build Cache"] == {"TYPE": "Build Cache", "TOTAL": "0", "ACTIVE": "0",
                                   "SIZE": "0B", "RECLAIMABLE": "0B"}


def test_df_active_images_and_reclaimable(df_world):
    sh(df_world, "docker create --name c python:3.14-slim")  # any state makes it active
    images = df_rows(df_world)["Images"]
    assert images["ACTIVE"] == "1"
    eng = engine(df_world)
    python, debian = eng.images.get("python:slim"), eng.images.get("debian:trixie-slim")
    base = debian.layers[0].size
    assert python.layers[0].diff_id == debian.layers[0].diff_id
    # docker/cli v28 disk_usage.go: total - sum over used images of (size - shared size)
    total = unique_layer_bytes(df_world)
    reclaimable = total - (python.size - base)
    assert images["RECLAIMABLE"] == f"{human_size(reclaimable)} ({reclaimable * 100 // total}%)"


def test_df_containers_and_volumes(df_world):
    sh(df_world, "docker run -d --name up -v data:/data debian:trixie-slim sleep 1000")
    sh(df_world, "docker exec up sh -c 'head -c 2000 /dev/zero > /big'")
    sh(df_world, "docker exec up sh -c 'head -c 5000 /dev/zero > /data/v'")
    sh(df_world, "docker run --name down debian:trixie-slim sh -c 'head -c 500 /dev/zero > /f'")
    sh(df_world, "docker volume create spare")
    rows = df_rows(df_world)
    # Containers: ACTIVE = running; SIZE = writable layers; reclaimable = the stopped ones
    assert rows["Containers"] == {"TYPE": "Containers", "TOTAL": "2", "ACTIVE": "1",
                                  "SIZE": "2.5kB", "RECLAIMABLE": "500B (20%)"}
    # the volume write is not in the container's size (§4.4), it is in Local Volumes
    assert rows["Local Volumes"] == {"TYPE": "Local Volumes", "TOTAL": "2", "ACTIVE": "1",
                                     "SIZE": "5kB", "RECLAIMABLE": "0B (0%)"}


def test_df_verbose_has_one_row_per_image(df_world):
    sh(df_world, "docker create --name c python:3.14-slim")
    out = sh(df_world, "docker system df -v").stdout
    sections = out.split("\n\n")
    assert sections[0] == "Images space usage:"
    headers = ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE",
               "UNIQUE SIZE", "CONTAINERS"]
    rows = columns(sections[1], headers)
    eng = engine(df_world)
    python, debian = eng.images.get("python:slim"), eng.images.get("debian:trixie-slim")
    # docker/cli formatter/disk_usage.go: "Only show the first tag"
    assert [(r["REPOSITORY"], r["TAG"]) for r in rows] == [("python", "3.14-slim"),
                                                          ("debian", "trixie-slim")]
    base = debian.layers[0].size
    py, deb = rows
    assert py["SIZE"] == output.size3(python.size)
    assert py["SHARED SIZE"] == human_size(base)
    assert py["UNIQUE SIZE"] == human_size(python.size - base)
    assert py["CONTAINERS"] == "1"
    assert deb["SHARED SIZE"] == human_size(base) and deb["UNIQUE SIZE"] == "0B"
    assert deb["CONTAINERS"] == "0"
    assert sections[2] == "Containers space usage:"
    containers = columns(sections[3], ["CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES",
                                       "SIZE", "CREATED", "STATUS", "NAMES"])
    assert [(c["NAMES"], c["SIZE"], c["STATUS"]) for c in containers] == [
        ("c", "0B", "Created")]  # no "(virtual …)" in the verbose table
    assert sections[4] == "Local Volumes space usage:"
    assert sections[6] == "Build cache usage: 0B"
    assert out.endswith("CACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     "
                        "SHARED\n")


def test_df_hides_intermediate_images(df_world):
    """An untagged parent of a committed image is not a "top image" (moby image_list.go
    without All), so df neither lists nor counts it."""
    sh(df_world, "docker run -d --name p python:3.14-slim sleep 1000")
    sh(df_world, "docker commit p child:1")
    sh(df_world, "docker rm -f p")
    sh(df_world, "docker rmi python:3.14-slim python:slim")  # parent keeps living for its child
    assert len(list(engine(df_world).images)) == 3
    assert df_rows(df_world)["Images"]["TOTAL"] == "2"
    out = sh(df_world, "docker system df -v").stdout.split("\n\n")[1]
    assert [r["REPOSITORY"] for r in columns(out, ["REPOSITORY", "TAG"])] == ["child", "debian"]
