"""RUN effects: # sim: annotations, a scenario's table, the built-in estimates and merge."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.build import effects_table as T
from sim.build.effects import (
    EffectError,
    EffectsTable,
    RunEffect,
    estimate,
    format_annotation,
    merge,
    parse_annotation,
)

MB = 1_000_000


def debian(*names: str, recommends: bool = False) -> dict[str, int]:
    """Bytes per Debian package that installing ``names`` adds, straight from the table."""
    out: dict[str, int] = {}
    for name in names:
        closure = T.DEBIAN_DEPENDS[name].split()
        if recommends:
            closure += T.DEBIAN_RECOMMENDS.get(name, "").split()
        for dep in closure:
            out[dep] = T.DEBIAN_KIB[dep] * 1024
    return out


def install_seconds(size: float, rate: float = T.ASSUMED_INSTALL_RATE) -> float:
    return T.ASSUMED_INSTALL_OVERHEAD + size / rate


# --------------------------------------------------------------------------- annotations


def test_annotation_writes_and_takes() -> None:
    effect = parse_annotation("# sim: writes /usr/lib/git 45MB, takes 20s")
    assert effect == RunEffect(writes=(("/usr/lib/git", 45 * MB),), duration=20.0,
                               source="annotation")
    assert not effect.estimated


def test_annotation_writes_removes_takes() -> None:
    effect = parse_annotation(
        "# sim: writes /app/node_modules 120MB, removes /tmp/cache, takes 35s")
    assert effect is not None
    assert effect.writes == (("/app/node_modules", 120 * MB),)
    assert effect.removes == ("/tmp/cache",)
    assert effect.duration == 35.0


def test_annotation_exit_code_alone_keeps_default_duration() -> None:
    effect = parse_annotation("# sim: exits 1")
    assert effect is not None and effect.exit_code == 1 and effect.duration == 1.0


@pytest.mark.parametrize(("text", "seconds"), [
    ("takes 2m", 120.0), ("takes 20s", 20.0), ("takes 1m30s", 90.0), ("takes 500ms", 0.5),
    ("takes 1h", 3600.0), ("takes 1.5s", 1.5), ("takes 12", 12.0), ("takes 2 m", 120.0),
])
def test_annotation_durations(text: str, seconds: float) -> None:
    effect = parse_annotation(f"# sim: {text}")
    assert effect is not None and effect.duration == seconds


def test_annotation_several_writes_and_units() -> None:
    effect = parse_annotation(
        "# sim: writes /a 1.5GB, writes /b 300KiB, writes /c 45 MB, writes /d 1024, "
        "removes /x /y")
    assert effect is not None
    assert effect.writes == (("/a", 1_500_000_000), ("/b", 300 * 1024), ("/c", 45 * MB),
                             ("/d", 1024))
    assert effect.removes == ("/x", "/y")


def test_annotation_comment_block_and_spelling() -> None:
    text = "# build the app\n#sim: writes /app/bin 3MB\n#   sim: takes 12s\n# done"
    effect = parse_annotation(text)
    assert effect == RunEffect(writes=(("/app/bin", 3 * MB),), duration=12.0,
                               source="annotation")


def test_annotation_quoted_path() -> None:
    effect = parse_annotation("# sim: writes '/opt/my app, v2' 1MB, removes \"/tmp/#x\"")
    assert effect is not None
    assert effect.writes == (("/opt/my app, v2", MB),)
    assert effect.removes == ("/tmp/#x",)


@pytest.mark.parametrize("text", [
    "# install git", "", "# simulated: writes /x 1MB", "# SIM is a card", "RUN make",
])
def test_not_an_annotation(text: str) -> None:
    assert parse_annotation(text) is None


def test_bad_size_message_names_the_clause() -> None:
    with pytest.raises(EffectError) as info:
        parse_annotation("# sim: writes /x lots")
    assert str(info.value) == "bad # sim: annotation 'writes /x lots': expected a size like 45MB"


@pytest.mark.parametrize(("text", "fragment"), [
    ("# sim:", "expected writes, removes, takes or exits"),
    ("# sim: writes /x", "expected a path and a size"),
    ("# sim: writes x 1MB", "expected an absolute path"),
    ("# sim: removes", "expected a path"),
    ("# sim: removes tmp", "expected an absolute path"),
    ("# sim: writes /a 1MB /b 2MB", "separate several writes with commas"),
    ("# sim: takes forever", "expected a duration like 20s"),
    ("# sim: takes", "expected a duration like 20s"),
    ("# sim: takes 1s, takes 2s", "takes is given twice"),
    ("# sim: exits one", "expected an exit code from 0 to 255"),
    ("# sim: exits 256", "expected an exit code from 0 to 255"),
    ("# sim: exits 1, exits 2", "exits is given twice"),
    ("# sim: writes /a 1MB,, takes 1s", "empty clause"),
    ("# sim: writes /a 1MB,", "empty clause"),
    ("# sim: write /a 1MB", "unknown clause 'write'"),
    ("# sim: writes '/a 1MB", "unbalanced quotes"),
])
def test_bad_annotations(text: str, fragment: str) -> None:
    with pytest.raises(EffectError) as info:
        parse_annotation(text)
    message = str(info.value)
    assert message.startswith("bad # sim: annotation ")
    assert fragment in message
    assert "\n" not in message


def test_format_annotation() -> None:
    effect = RunEffect(writes=(("/usr/lib/git", 45 * MB), ("/b", 2**20), ("/c", 1001)),
                       removes=("/tmp/x y",), duration=20.0, exit_code=2)
    assert format_annotation(effect) == (
        "# sim: writes /usr/lib/git 45MB, writes /b 1MiB, writes /c 1001B, "
        "removes '/tmp/x y', takes 20s, exits 2")


def test_format_refuses_line_breaks() -> None:
    with pytest.raises(EffectError):
        format_annotation(RunEffect(writes=(("/a\nb", 1),)))


_PATH_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
_paths = st.builds(lambda rest: "/" + rest, st.text(_PATH_CHARS, max_size=20))
_effects = st.builds(
    lambda writes, removes, duration, code: RunEffect(
        tuple(writes), tuple(removes), duration, code, estimated=False, source="annotation"),
    st.lists(st.tuples(_paths, st.integers(0, 10**15)), max_size=4),
    st.lists(_paths, max_size=3),
    st.floats(0, 1e7, allow_nan=False, allow_infinity=False),
    st.integers(0, 255),
)


@given(_effects)
def test_annotation_round_trip(effect: RunEffect) -> None:
    assert parse_annotation(format_annotation(effect)) == effect


# --------------------------------------------------------------------------- scenario table

TABLE = EffectsTable.from_mapping({
    "apt-get install -y git": "writes /usr/lib/git 45MB, takes 20s",
    "re:^make( |$)": "writes /app/bin 3MB, takes 12s",
    "make": "# sim: exits 2",
})


def test_table_substring_match() -> None:
    effect = TABLE.lookup("apt-get update && apt-get install -y git")
    assert effect is not None
    assert effect.writes == (("/usr/lib/git", 45 * MB),) and effect.duration == 20.0
    assert effect.source == "scenario" and not effect.estimated
    assert "apt-get install -y git" in effect.note


def test_table_regex_and_first_match_wins() -> None:
    regex_hit = TABLE.lookup("make -j4")
    assert regex_hit is not None and regex_hit.writes == (("/app/bin", 3 * MB),)
    plain_hit = TABLE.lookup("cmake .. && make")  # the regex wants make at the start
    assert plain_hit is not None and plain_hit.exit_code == 2
    assert TABLE.lookup("cargo build") is None
    assert len(TABLE) == 3


def test_table_takes_precedence_over_builtin() -> None:
    effect = estimate("apt-get install -y git", TABLE)
    assert effect.source == "scenario" and effect.writes == (("/usr/lib/git", 45 * MB),)
    assert estimate("apt-get install -y git").source == "table"
    assert estimate("frobnicate", TABLE).source == "default"


def test_table_accepts_run_effects() -> None:
    declared = RunEffect(duration=3.0, source="scenario")
    assert EffectsTable.from_mapping({"x": declared}).lookup("run x") is declared


@pytest.mark.parametrize(("mapping", "fragment"), [
    ({"re:(": "takes 1s"}, "bad effects table entry 're:(': invalid regular expression"),
    ({"make": "writes /x lots"}, "bad effects table entry 'make': 'writes /x lots': expected "
                                 "a size like 45MB"),
    ({"make": 12}, "bad effects table entry 'make': expected text like"),
    ({"": "takes 1s"}, "expected a command or 're:REGEX'"),
])
def test_table_errors(mapping: dict, fragment: str) -> None:
    with pytest.raises(EffectError) as info:
        EffectsTable.from_mapping(mapping)
    assert fragment in str(info.value)


# --------------------------------------------------------------------------- built-in: apt


def assert_builtin(effect: RunEffect) -> None:
    assert effect.estimated and effect.source == "table" and effect.note


def test_apt_get_update() -> None:
    effect = estimate("apt-get update")
    assert_builtin(effect)
    assert effect.writes == (("/var/lib/apt/lists", sum(s for _, s in T.APT_LISTS)),)
    assert 15 * MB < effect.bytes_written < 25 * MB
    assert effect.duration == T.ASSUMED_APT_UPDATE_SECONDS


def test_apt_get_install_git_with_recommends() -> None:
    effect = estimate("apt-get install -y git")
    assert_builtin(effect)
    expected = debian("git", recommends=True)
    assert dict(effect.writes) == {f"/usr/lib/{n}": s for n, s in expected.items()}
    assert all(path.startswith("/usr/") for path, _ in effect.writes)
    assert effect.duration == pytest.approx(install_seconds(sum(expected.values())))
    assert effect.note.startswith("apt-get install git: ")
    assert "Debian 12 installed sizes, approximate" in effect.note
    # git's own Installed-Size is the familiar ~45 MB; its dependencies (perl) add the rest
    assert dict(effect.writes)["/usr/lib/git"] == 44890 * 1024


def test_no_install_recommends_is_smaller() -> None:
    lean = estimate("apt-get install -y --no-install-recommends git")
    full = estimate("apt-get install -y git")
    assert lean.bytes_written == sum(debian("git").values())
    assert lean.bytes_written < full.bytes_written
    assert lean.duration < full.duration
    same = estimate("apt-get -o APT::Install-Recommends=false install -y git")
    assert same.writes == lean.writes


def test_apt_shared_dependencies_count_once() -> None:
    both = estimate("apt-get install -y --no-install-recommends git curl")
    assert both.bytes_written == sum(debian("git", "curl").values())
    separate = sum(estimate(f"apt-get install -y --no-install-recommends {p}").bytes_written
                   for p in ("git", "curl"))
    assert both.bytes_written < separate


@pytest.mark.parametrize("package", [
    "curl", "git", "ca-certificates", "build-essential", "python3", "gcc", "make", "vim",
    "wget", "unzip", "libpq-dev", "nginx",
])
def test_well_known_debian_packages(package: str) -> None:
    effect = estimate(f"apt-get install -y {package}")
    assert effect.bytes_written == sum(debian(package, recommends=True).values()) > 0
    assert f"/usr/lib/{package}" in dict(effect.writes)


def test_apt_install_without_yes_aborts() -> None:
    effect = estimate("apt-get install git")
    assert effect.exit_code == 1 and effect.writes == ()
    assert "Do you want to continue?" in effect.note
    assert estimate("apt-get install -qq git").exit_code == 0  # -qq implies -y
    assert estimate("apt-get install --yes git").exit_code == 0
    # nothing beyond the named packages: apt does not ask
    assert estimate("apt-get install make").exit_code == 0


def test_apt_unknown_and_present_packages() -> None:
    effect = estimate("DEBIAN_FRONTEND=noninteractive apt-get install -y libfoo1=2.0 bash")
    assert effect.writes == (("/usr/lib/libfoo1", T.ASSUMED_DEBIAN_PACKAGE),)
    assert "libfoo1: not in the table, 10MB assumed" in effect.note
    assert "bash: already in debian:bookworm" in effect.note


def test_apt_lists_removed_in_the_same_run_leave_nothing() -> None:
    effect = estimate("apt-get update && apt-get install -y --no-install-recommends curl "
                      "&& rm -rf /var/lib/apt/lists/*")
    paths = dict(effect.writes)
    assert "/var/lib/apt/lists" not in paths
    assert effect.removes == ("/var/lib/apt/lists/*",)
    assert effect.bytes_written == sum(debian("curl").values())
    assert effect.duration == pytest.approx(
        T.ASSUMED_APT_UPDATE_SECONDS + install_seconds(effect.bytes_written) + 0.2)


def test_apt_remove_and_clean() -> None:
    assert estimate("apt-get purge -y git").removes == ("/usr/lib/git",)
    assert estimate("apt-get clean").removes == ("/var/cache/apt/archives/*.deb",)


# --------------------------------------------------------------------------- built-in: apk


def test_apk_add_no_cache() -> None:
    effect = estimate("apk add --no-cache curl git")
    assert_builtin(effect)
    assert effect.writes == (("/usr/lib/curl", 4_500_000), ("/usr/lib/git", 19_000_000))
    assert "approximat" in effect.note


def test_apk_add_keeps_index_without_no_cache() -> None:
    effect = estimate("apk add --virtual .build-deps gcc")
    assert ("/var/cache/apk", T.ASSUMED_APK_INDEX) in effect.writes
    assert "--no-cache avoids it" in effect.note


@pytest.mark.parametrize(("alpine", "debian_name"), [
    ("git", "git"), ("curl", "curl"), ("build-base", "build-essential"), ("vim", "vim"),
    ("nginx", "nginx"),
])
def test_alpine_is_smaller(alpine: str, debian_name: str) -> None:
    small = estimate(f"apk add --no-cache {alpine}")
    big = estimate(f"apt-get install -y --no-install-recommends {debian_name}")
    assert small.bytes_written < big.bytes_written


def test_apk_unknown_package_and_del() -> None:
    effect = estimate("apk add --no-cache libfrob=1.2-r0")
    assert effect.writes == (("/usr/lib/libfrob", T.ASSUMED_ALPINE_PACKAGE),)
    assert estimate("apk del .build-deps").removes == ("/usr/lib/.build-deps",)


# --------------------------------------------------------------------------- built-in: pip


def pip_bytes(*names: str) -> dict[str, int]:
    return {d: T.PIP_DISTS[d][0] for n in names for d in T.PIP_REQUIRES[n].split()}


@pytest.mark.parametrize("package", [
    "flask", "django", "requests", "numpy", "pandas", "fastapi", "uvicorn", "gunicorn",
    "psycopg2-binary",
])
def test_pip_well_known_packages(package: str) -> None:
    effect = estimate(f"pip install --no-cache-dir {package}")
    assert_builtin(effect)
    site = "/usr/local/lib/python3.12/site-packages"
    assert dict(effect.writes) == {f"{site}/{d}": s for d, s in pip_bytes(package).items()}
    assert effect.duration == pytest.approx(install_seconds(effect.bytes_written))


def test_pip_specs_are_normalized_and_shared_dists_count_once() -> None:
    effect = estimate("pip install --no-cache-dir 'Flask>=3' uvicorn[standard]==0.30")
    assert effect.bytes_written == sum(pip_bytes("flask", "uvicorn").values())  # click once


def test_pip_cache_is_written_unless_disabled() -> None:
    cached = estimate("pip install requests")
    wheels = sum(T.PIP_DISTS[d][1] for d in T.PIP_REQUIRES["requests"].split())
    cache = {p: s for p, s in cached.writes if p.startswith("/root/.cache/pip/")}
    assert sum(cache.values()) == wheels
    assert "--no-cache-dir avoids it" in cached.note
    env_off = estimate("PIP_NO_CACHE_DIR=1 pip install requests")
    assert not any(p.startswith("/root/.cache") for p, _ in env_off.writes)


def test_pip_requirements_file_uses_default_count() -> None:
    effect = estimate("pip install --no-cache-dir -r requirements.txt")
    site = "/usr/local/lib/python3.12/site-packages"
    assert effect.writes == ((site, T.ASSUMED_REQUIREMENTS * T.ASSUMED_PIP_PACKAGE),)
    assert "10 requirements" in effect.note


def test_pip_site_packages_follow_the_interpreter() -> None:
    user = estimate("python3.11 -m pip install --no-cache-dir --user numpy")
    assert user.writes[0][0] == "/root/.local/lib/python3.11/site-packages/numpy"
    venv = estimate("python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir "
                    "gunicorn")
    assert venv.writes == (("/opt/venv", T.PIP_DISTS["pip"][0]),
                           ("/opt/venv/lib/python3.12/site-packages/gunicorn",
                            T.PIP_DISTS["gunicorn"][0]))


def test_pip_unknown_package_default() -> None:
    effect = estimate("pip3 install --no-cache-dir leftpad")
    assert effect.writes == (("/usr/local/lib/python3.12/site-packages/leftpad",
                              T.ASSUMED_PIP_PACKAGE),)
    assert "not in the table" in effect.note


# --------------------------------------------------------------------------- built-in: node


@pytest.mark.parametrize("command", ["npm ci", "npm install", "yarn install", "yarn",
                                     "pnpm install"])
def test_node_installs(command: str) -> None:
    effect = estimate(command)
    assert_builtin(effect)
    assert effect.writes == (("/app/node_modules", T.ASSUMED_NODE_MODULES),)
    assert effect.duration == pytest.approx(
        install_seconds(T.ASSUMED_NODE_MODULES, T.ASSUMED_NODE_RATE))


def test_node_production_install_and_packages() -> None:
    prod = estimate("npm ci --omit=dev")
    assert prod.bytes_written == T.ASSUMED_NODE_MODULES * T.ASSUMED_NODE_PROD_SHARE
    glob = estimate("npm install -g pm2 @scope/tool@1.2")
    assert [p for p, _ in glob.writes] == ["/usr/local/lib/node_modules/pm2",
                                           "/usr/local/lib/node_modules/@scope/tool"]


def test_npm_run_build_and_workdir() -> None:
    effect = estimate("npm ci && npm run build", workdir="/srv/web")
    assert [p for p, _ in effect.writes] == ["/srv/web/node_modules", "/srv/web/dist"]
    assert dict(effect.writes)["/srv/web/dist"] == T.ASSUMED_WEB_BUNDLE
    assert estimate("yarn build").writes == (("/app/dist", T.ASSUMED_WEB_BUNDLE),)


# --------------------------------------------------------------------------- built-in: builds


def test_go_build_output() -> None:
    effect = estimate("CGO_ENABLED=0 go build -ldflags='-s -w' -o /out/server ./cmd/server")
    assert_builtin(effect)
    assert effect.writes == (("/out/server", T.ASSUMED_GO_BINARY),)
    relative = estimate("cd /src && go build -o bin/api .")
    assert relative.writes == (("/src/bin/api", T.ASSUMED_GO_BINARY),)
    named = estimate("go build ./cmd/worker", workdir="/w")
    assert named.writes == (("/w/worker", T.ASSUMED_GO_BINARY),)


def test_go_mod_download() -> None:
    effect = estimate("go mod download")
    assert effect.writes == (("/go/pkg/mod", T.ASSUMED_GO_MODULES),)
    assert effect.duration == pytest.approx(install_seconds(T.ASSUMED_GO_MODULES))


def test_cargo_make_maven_gradle() -> None:
    cargo = estimate("cargo build --release")
    assert cargo.writes == (("/app/target", T.ASSUMED_CARGO_RELEASE_TARGET),)
    assert cargo.duration == T.ASSUMED_CARGO_RELEASE_SECONDS
    make = estimate("make -j $(nproc) && make install")
    assert make.writes == (("/app/build", T.ASSUMED_MAKE_OUTPUT),
                           ("/usr/local/bin", T.ASSUMED_MAKE_OUTPUT))
    mvn = estimate("./mvnw -B clean package -DskipTests")
    assert mvn.removes == ("/app/target",)
    assert mvn.writes == (("/app/target", T.ASSUMED_MAVEN_TARGET),
                          ("/root/.m2/repository", T.ASSUMED_MAVEN_REPOSITORY))
    gradle = estimate("gradle build --no-daemon -x test")
    assert gradle.writes == (("/app/build", T.ASSUMED_GRADLE_BUILD),
                             ("/root/.gradle", T.ASSUMED_GRADLE_HOME))
    for effect in (cargo, make, mvn, gradle):
        assert_builtin(effect)


# --------------------------------------------------------------------------- built-in: small


def test_downloads() -> None:
    curl = estimate("curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz")
    assert curl.writes == (("/tmp/tool.tgz", T.ASSUMED_DOWNLOAD),)
    assert "unknown size" in curl.note
    remote = estimate("curl -fsSLO https://example.com/dl/app.zip?x=1", workdir="/opt")
    assert remote.writes == (("/opt/app.zip", T.ASSUMED_DOWNLOAD),)
    wget = estimate("wget -q https://example.com/a/b.tar.gz")
    assert wget.writes == (("/app/b.tar.gz", T.ASSUMED_DOWNLOAD),)
    wget_o = estimate("wget -qO /usr/local/bin/tini https://example.com/tini")
    assert wget_o.writes == (("/usr/local/bin/tini", T.ASSUMED_DOWNLOAD),)
    redirected = estimate("curl -fsSL https://example.com/key > /etc/key.asc")
    assert redirected.writes == (("/etc/key.asc", T.ASSUMED_DOWNLOAD),)


def test_download_unpack_and_clean_up() -> None:
    effect = estimate("curl -fsSL -o /tmp/go.tgz https://go.dev/go.tgz && "
                      "tar -C /usr/local -xzf /tmp/go.tgz && rm /tmp/go.tgz")
    assert effect.writes == (("/usr/local/go", int(T.ASSUMED_DOWNLOAD * 2.5)),)
    assert effect.removes == ("/tmp/go.tgz",)


def test_accounts() -> None:
    effect = estimate("groupadd -r app && useradd -r -m -g app app")
    assert_builtin(effect)
    paths = dict(effect.writes)
    assert set(paths) == {"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow",
                          "/home/app"}
    assert paths["/home/app"] == 3526 + 807 + 220
    assert all(size < 10_000 for size in paths.values())
    assert "/home/app" not in dict(estimate("useradd app").writes)
    assert "/home/bob" in dict(estimate("adduser --disabled-password bob").writes)


def test_metadata_and_trivial_commands() -> None:
    chown = estimate("chown -R app:app /app && chmod 755 /app")
    assert chown.writes == () and chown.removes == () and chown.source == "table"
    assert "metadata only" in chown.note
    assert estimate("true").writes == () and estimate("true").duration == 0.0
    echo = estimate("echo hello > /etc/motd")
    assert echo.writes == (("/etc/motd", 6),)
    assert estimate("echo hello").writes == ()


# --------------------------------------------------------------------------- shell semantics


def test_or_and_skip_like_sh() -> None:
    assert estimate("false || true").exit_code == 0
    assert estimate("false; true").exit_code == 0
    skipped = estimate("false && apt-get update")
    assert skipped.exit_code == 1 and skipped.writes == ()
    tolerated = estimate("apt-get install git || true")
    assert tolerated.exit_code == 0 and tolerated.writes == ()
    assert estimate("apt-get update; exit 3").exit_code == 3
    nested = estimate("sh -c 'cd /x && make'")
    assert nested.writes == (("/x/build", T.ASSUMED_MAKE_OUTPUT),)


def test_unknown_command_falls_to_default() -> None:
    effect = estimate("frobnicate --all")
    assert effect == RunEffect(estimated=True, source="default", note=effect.note)
    assert effect.writes == () and effect.duration == 1.0 and effect.exit_code == 0
    assert "frobnicate" in effect.note and "# sim:" in effect.note


def test_unknown_segment_inside_known_command() -> None:
    effect = estimate("./configure && make")
    assert effect.source == "table" and effect.estimated
    assert effect.duration == pytest.approx(1.0 + T.ASSUMED_MAKE_SECONDS)
    assert "configure: not in the built-in table" in effect.note


def test_durations_scale_with_bytes() -> None:
    sizes = ["make", "curl", "python3", "git", "build-essential"]
    effects = [estimate(f"apt-get install -y {p}") for p in sizes]
    pairs = sorted((e.bytes_written, e.duration) for e in effects)
    assert [d for _, d in pairs] == sorted(d for _, d in pairs)
    for effect in effects:
        assert effect.duration == pytest.approx(install_seconds(effect.bytes_written))
    small, big = (estimate(f"pip install --no-cache-dir {p}") for p in ("flask", "pandas"))
    assert small.duration < big.duration


# --------------------------------------------------------------------------- merge


def test_merge_sums_and_unions() -> None:
    a = RunEffect(writes=(("/a", 1), ("/b", 2)), removes=("/old",), duration=1.5)
    b = RunEffect(writes=(("/b", 5), ("/c", 3)), removes=("/old", "/tmp"), duration=2.0,
                  exit_code=4, estimated=True, source="table", note="b")
    c = RunEffect(duration=0.5, exit_code=7, note="c")
    merged = merge([a, b, c])
    assert dict(merged.writes) == {"/a": 1, "/b": 5, "/c": 3}
    assert merged.removes == ("/old", "/tmp")
    assert merged.duration == 4.0
    assert merged.exit_code == 4
    assert merged.estimated
    assert merged.note == "b; c"
    assert merged.source == "default+table"


def test_merge_later_remove_drops_earlier_writes() -> None:
    written = RunEffect(writes=(("/tmp/build/x", 9), ("/tmp/a/b.txt", 1), ("/var/lists", 7),
                                ("/keep", 2)))
    cleaned = RunEffect(removes=("/tmp/build", "/tmp/*.txt", "/var/lists/*"))
    merged = merge([written, cleaned])
    assert dict(merged.writes) == {"/tmp/a/b.txt": 1, "/keep": 2}  # * does not cross /
    rewritten = merge([cleaned, RunEffect(writes=(("/tmp/build", 4),))])
    assert rewritten.writes == (("/tmp/build", 4),)  # removes apply before writes


def test_merge_empty() -> None:
    assert merge([]) == RunEffect(duration=0.0)


# --------------------------------------------------------------------------- the data


def test_debian_table_is_consistent() -> None:
    for table in (T.DEBIAN_DEPENDS, T.DEBIAN_RECOMMENDS):
        for root, names in table.items():
            for name in names.split():
                assert name in T.DEBIAN_KIB, (root, name)
                assert name not in T.DEBIAN_BASE_PACKAGES, (root, name)
    for root in T.DEBIAN_RECOMMENDS:
        assert root in T.DEBIAN_DEPENDS
    assert len(T.DEBIAN_BASE_PACKAGES) == 88


def test_pip_table_is_consistent() -> None:
    for root, names in T.PIP_REQUIRES.items():
        assert names.split()[0] == root
        for name in names.split():
            installed, wheel, version = T.PIP_DISTS[name]
            assert 0 < wheel < installed and version
