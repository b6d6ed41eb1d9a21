"""Build contexts: what is sent, what COPY sees, checksums and Docker's error texts."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.build.context import (
    EMPTY_DIGEST,
    BuildContext,
    ContextError,
    ContextFile,
    record_digest,
    tarsum_header,
    transfer_size,
)
from sim.model.digest import sha256_digest
from sim.model.layer import SYMLINK, file_entry, sized_entry

REF = r"[0-9a-z]{25}::[0-9a-z]{25}"


def write(root: Path, files: dict[str, str], mode: int = 0o644) -> None:
    """Create files (and 0755 parent directories) with fixed modes, whatever the umask."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(mode)
    for directory in sorted({p for p in root.rglob("*") if p.is_dir()}):
        directory.chmod(0o755)


@pytest.fixture
def app(tmp_path: Path) -> Path:
    write(tmp_path, {
        "Dockerfile": "FROM alpine\nCOPY . /app\n",
        ".dockerignore": "# build output\nnode_modules\n*.log\ndocs\n!docs/README.md\n",
        "main.py": "print('hi')\n",
        "app.log": "noise\n",
        "src/a/b.py": "b\n",
        "src/a.py": "a\n",
        "docs/README.md": "readme\n",
        "docs/internal.md": "secret\n",
        "node_modules/left-pad/index.js": "module.exports = 1\n",
    })
    return tmp_path


def test_from_directory_applies_dockerignore(app: Path) -> None:
    ctx = BuildContext.from_directory(app)
    assert list(ctx.files) == [
        ".dockerignore", "Dockerfile", "docs", "docs/README.md", "main.py",
        "src", "src/a", "src/a/b.py", "src/a.py"]  # fsutil order: "a/…" before "a.py"
    assert ctx.excluded == ("app.log", "docs", "docs/internal.md", "node_modules")
    assert ctx.ignore_file == ".dockerignore"
    assert ctx.ignore_patterns == ("node_modules", "*.log", "docs", "!docs/README.md")
    assert ctx.dockerfile_text == "FROM alpine\nCOPY . /app\n"
    assert ctx.dockerfile_path == "Dockerfile"
    readme = ctx.files["docs/README.md"]
    assert isinstance(readme, ContextFile)
    assert readme.entry.data == b"readme\n" and readme.entry.uid == 0
    assert readme.entry.content == sha256_digest(b"readme\n")
    assert ctx.files["src"].kind == "dir" and ctx.files["src"].entry.mode == 0o755
    assert ctx.is_excluded("node_modules/left-pad/index.js")
    assert not ctx.is_excluded("docs/README.md")


def test_dockerfile_specific_ignore_file_takes_precedence(app: Path) -> None:
    (app / "Dockerfile.dockerignore").write_text("src\n")
    ctx = BuildContext.from_directory(app)
    assert ctx.ignore_file == "Dockerfile.dockerignore"
    assert "src/a.py" not in ctx.files
    assert "node_modules" in ctx.files and "app.log" in ctx.files  # .dockerignore unused


def test_ignore_file_named_after_a_dockerfile_elsewhere(app: Path) -> None:
    write(app, {"docker/lint.Dockerfile": "FROM alpine\n",
                "docker/lint.Dockerfile.dockerignore": "**/*.py\n"})
    ctx = BuildContext.from_directory(app, "docker/lint.Dockerfile")
    assert ctx.ignore_file == "docker/lint.Dockerfile.dockerignore"
    assert ctx.dockerfile_name == "lint.Dockerfile"
    assert not any(p.endswith(".py") for p in ctx.files)
    assert "app.log" in ctx.files and "docs/internal.md" in ctx.files


def test_ignored_dockerfile_reaches_builder_but_cannot_be_copied(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": "FROM scratch\n", ".dockerignore": "Dockerfile\n.dockerignore\n",
                     "a.txt": "a"})
    ctx = BuildContext.from_directory(tmp_path)
    assert ctx.dockerfile_text == "FROM scratch\n"
    assert list(ctx.files) == ["a.txt"]
    assert ctx.ignore_size > 2
    with pytest.raises(ContextError, match=rf'^failed to calculate checksum of ref {REF}: '
                                           r'"/Dockerfile": not found$'):
        ctx.select(["Dockerfile"])


def test_missing_directory_and_dockerfile_messages(tmp_path: Path) -> None:
    with pytest.raises(ContextError) as info:
        BuildContext.from_directory(tmp_path / "nope")
    assert str(info.value) == f'unable to prepare context: path "{tmp_path / "nope"}" not found'
    (tmp_path / "file").write_text("x")
    with pytest.raises(ContextError, match="^unable to prepare context: path"):
        BuildContext.from_directory(tmp_path / "file")
    with pytest.raises(ContextError) as info:
        BuildContext.from_directory(tmp_path)
    assert str(info.value) == ("failed to read dockerfile: open Dockerfile: "
                               "no such file or directory")
    with pytest.raises(ContextError) as info:
        BuildContext.from_directory(tmp_path, "deploy/Dockerfile.api")
    assert str(info.value) == ("failed to read dockerfile: open Dockerfile.api: "
                               "no such file or directory")


def test_a_name_too_long_is_not_found_not_a_crash(tmp_path: Path) -> None:
    long = tmp_path / ("a" * 300)  # ENAMETOOLONG from stat: buildx's isLocalDir says no
    with pytest.raises(ContextError, match="^unable to prepare context: path .* not found$"):
        BuildContext.from_directory(long)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    with pytest.raises(ContextError, match="^failed to read dockerfile: open b+: no such"):
        BuildContext.from_directory(tmp_path, "b" * 300)


def test_a_file_the_sender_cannot_read_is_an_error_from_sender(tmp_path: Path,
                                                               monkeypatch) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY secret /\n")
    (tmp_path / "secret").write_text("x")
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "secret":  # as root nothing is unreadable: refuse it here
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(ContextError) as info:
        BuildContext.from_directory(tmp_path)
    assert str(info.value) == f"error from sender: open {tmp_path / 'secret'}: permission denied"


def test_bad_dockerignore_patterns(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": "FROM scratch\n", ".dockerignore": "a\n[\n", "x": "x"})
    with pytest.raises(ContextError) as info:
        BuildContext.from_directory(tmp_path)
    assert str(info.value) == "invalid excludepatterns: [a []: syntax error in pattern"
    (tmp_path / ".dockerignore").write_text("[Local-Only]/\n")
    with pytest.raises(ContextError) as info:
        BuildContext.from_directory(tmp_path)
    assert str(info.value) == "failed to match excludepatterns: syntax error in pattern"


def test_symlinks_stay_symlinks_and_copy_follows_them(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": "FROM scratch\n", "real/config.yml": "a: 1\n"})
    (tmp_path / "config.yml").symlink_to("real/config.yml")
    (tmp_path / "conf").symlink_to("real")
    (tmp_path / "dangling").symlink_to("missing")
    ctx = BuildContext.from_directory(tmp_path)
    link = ctx.files["config.yml"]
    assert link.kind == SYMLINK and link.entry.target == "real/config.yml"
    picked = ctx.select(["config.yml"])
    assert [(f.path, f.copy_path) for f in picked] == [("real/config.yml", "config.yml")]
    assert [(f.path, f.copy_path) for f in ctx.select(["conf"])] == [
        ("real/config.yml", "config.yml")]
    assert ctx.checksum(["config.yml"]) == ctx.checksum(["real/config.yml"])
    assert ctx.checksum(["conf"]) == ctx.checksum(["real"])
    inside = ctx.select(["."])
    assert next(f for f in inside if f.path == "config.yml").kind == SYMLINK
    with pytest.raises(ContextError, match=rf'{REF}: "/dangling": not found$'):
        ctx.select(["dangling"])
    with pytest.raises(ContextError, match=r'"/dangling": not found$'):
        ctx.checksum(["dang*"])


def test_modes_come_from_the_filesystem(tmp_path: Path) -> None:
    write(tmp_path, {"Dockerfile": "FROM scratch\n", "run.sh": "#!/bin/sh\n"})
    before = BuildContext.from_directory(tmp_path)
    assert before.files["run.sh"].entry.mode == 0o644
    (tmp_path / "run.sh").chmod(0o755)
    after = BuildContext.from_directory(tmp_path)
    assert after.files["run.sh"].entry.mode == 0o755
    assert after.checksum(["run.sh"]) != before.checksum(["run.sh"])
    assert after.checksum(["."]) != before.checksum(["."])


def test_checksum_ignores_mtime_but_not_content(app: Path) -> None:
    first = BuildContext.from_directory(app).checksum(["."])
    os.utime(app / "main.py", (1_000_000, 1_000_000))
    assert BuildContext.from_directory(app).checksum(["."]) == first
    (app / "main.py").write_text("print('bye')\n")
    changed = BuildContext.from_directory(app)
    assert changed.checksum(["."]) != first
    assert changed.checksum(["src"]) == BuildContext.from_directory(app).checksum(["src"])
    (app / "docs" / "internal.md").write_text("ignored files do not matter\n")
    assert BuildContext.from_directory(app).checksum(["."]) == changed.checksum(["."])


def test_folder_and_inline_contexts_agree(app: Path) -> None:
    folder = BuildContext.from_directory(app)
    inline = BuildContext.from_inline(
        {"src/a.py": "a\n", "src/a/b.py": "b\n", "main.py": "print('hi')\n",
         "docs/README.md": "readme\n", "docs/internal.md": "secret\n", "app.log": "noise\n",
         "node_modules/left-pad/index.js": "module.exports = 1\n"},
        dockerfile="FROM alpine\nCOPY . /app\n",
        dockerignore="# build output\nnode_modules\n*.log\ndocs\n!docs/README.md\n")
    assert list(inline.files) == list(folder.files)
    for sources in (["."], ["src"], ["src/*.py"], ["main.py", "docs"]):
        assert inline.checksum(sources) == folder.checksum(sources)
    assert inline.size == folder.size


def test_buildkit_digest_layout() -> None:
    """Per-file records are sha256(tarsum v1 header + bytes) and a COPY of one source is
    sha256 of that record's digest string (NewContentHashFunc)."""
    entry = file_entry(b"hello\n", 0o644)
    assert tarsum_header(entry) == (b"namemode420uid0gid0size6typeflag0linknameunamegname"
                                    b"devmajor0devminor0")
    digest = record_digest(entry)
    assert digest == "sha256:" + hashlib.sha256(tarsum_header(entry) + b"hello\n").hexdigest()
    ctx = BuildContext.from_inline({"hello.txt": "hello\n"})
    assert ctx.files["hello.txt"].digest == digest
    assert ctx.checksum(["hello.txt"]) == sha256_digest(digest.encode())
    assert ctx.checksum(["/hello.txt"]) == ctx.checksum(["./x/../hello.txt"])


def test_checksum_dedupes_and_sorts_sources() -> None:
    ctx = BuildContext.from_inline({"a/x": "1", "a/y": "2", "b": "3"})
    assert ctx.checksum(["b", "a"]) == ctx.checksum(["a", "b"])
    assert ctx.checksum(["a", "a/x"]) == ctx.checksum(["a"])
    assert ctx.checksum([]) == ctx.checksum(["."])
    renamed = BuildContext.from_inline({"a/x": "1", "a/z": "2", "b": "3"})
    assert renamed.checksum(["a"]) != ctx.checksum(["a"])
    moved = BuildContext.from_inline({"c/x": "1", "c/y": "2"})
    assert moved.checksum(["c"]) == ctx.checksum(["a"])  # names below the source count
    assert ctx.checksum(["nothing-*"]) == sha256_digest(EMPTY_DIGEST.encode())


def test_select_files_directories_and_wildcards() -> None:
    ctx = BuildContext.from_inline({
        "go.mod": "module x\n", "main.go": "package main\n", "cmd/tool/main.go": "package main\n",
        "pkg/util.go": "package pkg\n", "pkg/sub/deep.go": "package sub\n", "README": "r\n"})
    assert [(f.path, f.copy_path) for f in ctx.select(["go.mod"])] == [("go.mod", "go.mod")]
    assert [(f.path, f.copy_path) for f in ctx.select(["pkg/"])] == [
        ("pkg/sub", "sub"), ("pkg/sub/deep.go", "sub/deep.go"), ("pkg/util.go", "util.go")]
    assert [f.path for f in ctx.select(["*.go"])] == ["main.go"]  # * stays in one directory
    assert [(f.path, f.copy_path) for f in ctx.select(["pkg/*"])] == [
        ("pkg/sub/deep.go", "deep.go"), ("pkg/util.go", "util.go")]  # a matched dir: contents
    assert [f.path for f in ctx.select(["*/*.go"])] == ["pkg/util.go"]
    assert [f.path for f in ctx.select(["go.mo[d]", "READM?"])] == ["go.mod", "README"]
    assert ctx.select(["*.rs"]) == []
    assert {f.path for f in ctx.select(["."])} == set(ctx.files)
    # one match whose base name equals the pattern's: that file's record, as for a path
    assert ctx.checksum(["*/util.go"]) == ctx.checksum(["pkg/util.go"])
    # otherwise the base names and records of the matches are hashed
    main = ctx.files["main.go"].digest
    expected = "sha256:" + hashlib.sha256(b"main.go" + main.encode()).hexdigest()
    assert ctx.checksum(["*.go"]) == sha256_digest(expected.encode())
    assert ctx.checksum(["pkg/*"]) != ctx.checksum(["pkg"])


def test_select_errors() -> None:
    ctx = BuildContext.from_inline({"a.txt": "a"}, name="lesson")
    with pytest.raises(ContextError) as info:
        ctx.select(["a.txt", "nope"])
    assert re.fullmatch(rf'failed to calculate checksum of ref {REF}: "/nope": not found',
                        str(info.value))
    assert ctx.ref_id in str(info.value)
    with pytest.raises(ContextError, match=r'"/dir/nope": not found$'):
        ctx.checksum(["../../dir/nope"])
    with pytest.raises(ContextError, match=r"^lstat /var/lib/docker/tmp/buildkit-mount\d+"
                                           r"/folder/b: no such file or directory$"):
        ctx.select(["folder/b/*"])
    with pytest.raises(ContextError, match=r"syntax error in pattern$"):
        ctx.checksum(["a[.txt"])
    assert ctx.ref_id == BuildContext.from_inline({"a.txt": "a"}, name="lesson").ref_id
    assert ctx.ref_id != BuildContext.from_inline({"a.txt": "b"}, name="lesson").ref_id


def test_from_inline_sizes_modes_and_symlinks() -> None:
    ctx = BuildContext.from_inline({
        "model.bin": {"size": "45MB"},
        "bin/run": {"content": "#!/bin/sh\n", "mode": "0755"},
        "bin/current": {"symlink": "run"},
        "empty/": None,
        "data": b"\x00\x01",
    })
    big = ctx.files["model.bin"].entry
    assert big == sized_entry(45_000_000, "model.bin")
    assert big.data is None and big.size == 45_000_000
    assert ctx.files["bin/run"].entry.mode == 0o755
    assert ctx.files["bin"].kind == "dir" and ctx.files["empty"].kind == "dir"
    assert ctx.files["bin/current"].entry.target == "run"
    assert ctx.content_size == 45_000_000 + 10 + 2
    assert ctx.size > 45_000_000  # content plus fsutil packet overhead
    assert ctx.dockerfile_text is None
    resized = BuildContext.from_inline({"model.bin": {"size": "46MB"}})
    assert resized.checksum(["model.bin"]) != BuildContext.from_inline(
        {"model.bin": {"size": "45MB"}}).checksum(["model.bin"])
    with pytest.raises(ValueError, match="invalid size"):
        BuildContext.from_inline({"x": {"size": "lots"}})
    with pytest.raises(ValueError, match="unknown key"):
        BuildContext.from_inline({"x": {"contents": "typo"}})
    with pytest.raises(ValueError, match="inside the context"):
        BuildContext.from_inline({"../x": "escape"})
    with pytest.raises(ValueError, match="not a directory"):
        BuildContext.from_inline({"a": "file", "a/b": "child"})


def test_transfer_sizes_match_dockers_output() -> None:
    """docs build/concepts/context.md: a 27-byte stdin Dockerfile is "transferring
    dockerfile: 64B" and a missing .dockerignore / empty context "2B"."""
    empty = BuildContext.from_inline({}, dockerfile="FROM scratch\nCOPY main.c .\n")
    assert len(empty.dockerfile_text or "") == 27
    assert empty.dockerfile_size == 64
    assert empty.ignore_size == 2
    assert transfer_size([]) == 2
    assert BuildContext.from_inline({}).size == 2
    one = BuildContext.from_inline({"f": "x" * 40_000})
    assert one.size == one.transfer_size(["f"]) == transfer_size([("f", file_entry(b"x" * 40_000))])


def test_only_copied_paths_are_transferred() -> None:
    ctx = BuildContext.from_inline({"src/app.py": "a", "src/util.py": "u", "big.bin":
                                    {"size": "1GB"}, "lib": {"symlink": "src"}})
    assert [f.path for f in ctx.transferred(["src/app.py"])] == ["src", "src/app.py"]
    assert [f.path for f in ctx.transferred(["lib"])] == [
        "lib", "src", "src/app.py", "src/util.py"]
    assert [f.path for f in ctx.transferred(["src/*.py"])] == [
        "src", "src/app.py", "src/util.py"]
    assert ctx.transfer_size(["src"]) < 1_000 < ctx.size
    assert ctx.transfer_size(["."]) == ctx.transfer_size() == ctx.size


# --- properties ---------------------------------------------------------------------------

_names = st.sampled_from(["a", "b", "a.b", "c", "a-b"])
_paths = st.lists(_names, min_size=1, max_size=3).map("/".join)
_trees = st.dictionaries(_paths, st.binary(max_size=8), min_size=1, max_size=6).filter(
    lambda t: not any(q.startswith(p + "/") for p in t for q in t))


@settings(max_examples=60, deadline=None)
@given(_trees, st.randoms(use_true_random=False))
def test_checksum_independent_of_listing_order(tree: dict[str, bytes], rnd) -> None:
    items = list(tree.items())
    rnd.shuffle(items)
    a = BuildContext.from_inline(tree)
    b = BuildContext.from_inline(dict(items))
    assert list(a.files) == list(b.files)
    assert a.checksum(["."]) == b.checksum(["."])
    assert a.size == b.size


@settings(max_examples=60, deadline=None)
@given(_trees, st.data())
def test_any_content_change_changes_the_checksum(tree: dict[str, bytes], data) -> None:
    path = data.draw(st.sampled_from(sorted(tree)))
    changed = dict(tree)
    changed[path] = tree[path] + b"!"
    before = BuildContext.from_inline(tree)
    after = BuildContext.from_inline(changed)
    assert after.checksum(["."]) != before.checksum(["."])
    assert after.checksum([path]) != before.checksum([path])
