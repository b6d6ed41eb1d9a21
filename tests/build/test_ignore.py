"""The .dockerignore matcher against the cases moby/patternmatcher and Go test themselves."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.build.ignore import (
    BAD_PATTERN,
    IgnoreMatcher,
    PatternError,
    contains_wildcards,
    go_clean,
    match,
    parse_dockerignore,
    split_wildcards,
)

# patternmatcher_test.go TestMatches: "exact" matches the path itself, "inexact" only
# through a parent directory, "fail" not at all.
PM_CASES = [
    ("**", "file", "exact"), ("**", "dir/file", "exact"), ("**/", "dir/file", "exact"),
    ("**/**", "dir/file", "exact"), ("dir/**", "dir/file", "exact"),
    ("dir/**", "dir/dir2/file", "exact"), ("**/dir", "dir", "exact"),
    ("**/dir", "dir/file", "inexact"), ("**/dir2/*", "dir/dir2/file", "exact"),
    ("**/dir2/**", "dir/dir2/dir3/file", "exact"), ("**file", "dir/file", "exact"),
    ("**/file", "dir/dir/file", "exact"), ("**/file*.txt", "dir/dir/file.txt", "exact"),
    ("**/**/*.txt", "dir/dir/file.txt", "exact"), ("**/**/*.txt2", "dir/dir/file.txt", "fail"),
    ("**/*.txt", "file.txt", "exact"), ("a**/*.txt", "a/dir/dir/file.txt", "exact"),
    ("a/*.txt", "a/dir/file.txt", "fail"), ("a/*.txt", "a/file.txt", "exact"),
    ("a/*.txt**", "a/file.txt", "exact"), ("a[b-d]e", "ae", "fail"), ("a[b-d]e", "ace", "exact"),
    ("a[^b-d]e", "aze", "exact"), (".*", ".foo", "exact"), (".*", "foo", "fail"),
    ("abc.def", "abcdef", "fail"), ("abc?def", "abcZdef", "exact"), ("abc?def", "abcdef", "fail"),
    ("**/foo/bar", "foo/bar", "exact"), ("abc/**", "abc", "fail"), ("abc/**", "abc/def", "exact"),
    ("**/.foo", ".foo", "exact"), ("**/.foo", "bar.foo", "fail"),
    ("a(b)c/def", "a(b)c/def", "exact"), ("a.|)$(}+{bc", "a.|)$(}+{bc", "exact"),
    ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "exact"),
    ("a\\\\", "a\\", "exact"), ("a\\*b", "a*b", "exact"),
]


@pytest.mark.parametrize(("pattern", "path", "kind"), PM_CASES)
def test_patternmatcher_table(pattern: str, path: str, kind: str) -> None:
    matcher = IgnoreMatcher([pattern])
    assert matcher.matches_exact(path) is (kind == "exact")
    assert matcher.matches(path) is (kind != "fail")
    assert matcher.matches_or_parent_matches(path) is (kind != "fail")


# Go's filepath.Match tests (path/filepath/match_test.go), as patternmatcher reuses them.
GO_MATCH = [
    ("abc", "abc", True), ("*", "abc", True), ("*c", "abc", True), ("a*", "a", True),
    ("a*/b", "abc/b", True), ("a*/b", "a/c/b", False), ("a*b*c*d*e*/f", "axbxcxdxe/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False), ("a*b?c*x", "abxbbxdbxebxczzx", True),
    ("a*b?c*x", "abxbbxdbxebxczzy", False), ("ab[c]", "abc", True), ("ab[^c]", "abc", False),
    ("ab[^e-g]", "abc", True), ("a\\*b", "ab", False), ("a?b", "a☺b", True),
    ("a[^a]b", "a☺b", True), ("a???b", "a☺b", False), ("[a-ζ]*", "α", True),
    ("*[a-ζ]", "A", False), ("a?b", "a/b", False), ("a*b", "a/b", False), ("[\\]a]", "]", True),
    ("[\\-]", "-", True), ("[x\\-]", "-", True), ("[\\-x]", "a", False), ("*x", "xxx", True),
]
GO_BAD = ["[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[", "*[", "a*[x"]


@pytest.mark.parametrize(("pattern", "name", "expected"), GO_MATCH)
def test_go_filepath_match(pattern: str, name: str, expected: bool) -> None:
    assert match(pattern, name) is expected
    assert IgnoreMatcher([pattern]).matches_exact(name) is expected


@pytest.mark.parametrize("pattern", GO_BAD)
def test_bad_patterns_are_rejected_up_front(pattern: str) -> None:
    with pytest.raises(PatternError, match="^syntax error in pattern$"):
        match(pattern, "abc")
    with pytest.raises(ValueError, match="^syntax error in pattern$"):
        IgnoreMatcher(["ok", pattern])


def test_lone_exclamation_mark() -> None:
    with pytest.raises(ValueError) as info:
        IgnoreMatcher.from_text("foo\n!\n")
    assert str(info.value) == 'illegal exclusion pattern: "!"'


def test_regexp_errors_surface_when_matching_as_in_moby_52203() -> None:
    """``[Local-Only]`` is a valid filepath.Match range (reversed, never matches) but an
    invalid RE2 one: New() accepts it, every match attempt fails."""
    matcher = IgnoreMatcher(["[Local-Only]/"])
    for _ in range(2):
        with pytest.raises(PatternError, match=BAD_PATTERN):
            matcher.matches("x")


def test_regexp_spellings_mean_what_re2_says() -> None:
    assert IgnoreMatcher(["log\\d"]).matches("log7")
    assert not IgnoreMatcher(["log\\d"]).matches("logd")
    assert IgnoreMatcher(["[[:digit:]]*"]).matches("7up")
    star_class = IgnoreMatcher(["x[a*]"])  # RE2 sees ^x[a[^/]*]$
    assert star_class.matches("x]") and star_class.matches("xa/]")
    assert not star_class.matches("x*")
    assert IgnoreMatcher(["a^b"]).matches("a^b")  # no wildcard: plain comparison
    assert not IgnoreMatcher(["a^b*"]).matches("a^bc")  # regexp: ^ is an anchor


def test_parse_dockerignore_like_ignorefile_readall() -> None:
    text = ("test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n"
            "! /inverted/abs/path\n!\n! ")
    assert parse_dockerignore(text) == [
        "test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "!", "!"]


def test_parse_dockerignore_comments_whitespace_and_cleaning() -> None:
    text = "\ufeff# c\r\n  # not a comment\r\n  node_modules/  \n./src/../build//\n/\n\t\n"
    assert parse_dockerignore(text) == ["# not a comment", "node_modules", "build", "/"]
    assert parse_dockerignore(b"*.log\n") == ["*.log"]
    assert parse_dockerignore("") == []


def test_star_does_not_cross_slash_but_double_star_does() -> None:
    one = IgnoreMatcher(["*.go"])
    assert one.matches("main.go") and not one.matches("cmd/main.go")
    anywhere = IgnoreMatcher(["**/*.go"])
    assert anywhere.matches("main.go") and anywhere.matches("cmd/app/main.go")
    assert not anywhere.matches("main.go.txt")


def test_docs_matching_examples() -> None:
    """docs build/concepts/context.md: */temp*, */*/temp*, temp?."""
    m = IgnoreMatcher.from_text("# comment\n*/temp*\n*/*/temp*\ntemp?\n")
    assert m.matches("somedir/temporary.txt") and m.matches("somedir/temp")
    assert m.matches("somedir/subdir/temporary.txt")
    assert m.matches("tempa") and m.matches("tempb")
    assert not m.matches("temp") and not m.matches("temporary.txt")
    assert not m.matches("a/b/c/temp")


def test_exception_and_last_match_wins() -> None:
    md = IgnoreMatcher.from_text("*.md\n!README.md\n")
    assert md.matches("CHANGES.md") and not md.matches("README.md")
    assert not md.matches("docs/CHANGES.md")  # *.md is for the root only
    secret_last = IgnoreMatcher.from_text("*.md\n!README*.md\nREADME-secret.md\n")
    assert secret_last.matches("README-secret.md")
    assert not secret_last.matches("README-public.md")
    readme_last = IgnoreMatcher.from_text("*.md\nREADME-secret.md\n!README*.md\n")
    assert not readme_last.matches("README-secret.md")
    assert readme_last.matches("notes.md")


def test_directory_exclusion_reaches_everything_inside() -> None:
    m = IgnoreMatcher(["build", "/logs/"])
    assert m.matches("build") and m.matches("build/x/y.o") and m.matches("logs/a.log")
    assert not m.matches("src/build.go")
    assert not m.matches(".") and not m.matches("")


def test_exclude_directory_but_reinclude_a_file_inside() -> None:
    """Docker re-includes docs/README.md: the walk enters docs because the exception
    starts with ``docs/`` (patternmatcher TestPatternMatchesFolderExclusions)."""
    m = IgnoreMatcher(["docs", "!docs/README.md"])
    assert m.matches("docs") and m.matches("docs/other.md")
    assert not m.matches("docs/README.md")
    assert m.may_reinclude_under("docs") and not m.may_reinclude_under("src")
    no_cross = IgnoreMatcher(["docs", "!*.md"])  # *.md cannot reach into docs/
    assert no_cross.matches("docs/README.md") and not no_cross.matches("README.md")
    deep = IgnoreMatcher(["docs", "!**/*.md"])
    assert not deep.matches("docs/README.md") and deep.matches("docs/logo.png")
    assert deep.may_reinclude_under("docs")


def test_wildcard_exception_after_double_star() -> None:
    m = IgnoreMatcher(["**", "!dist/*.whl"])
    assert not m.matches("dist/app-1.0-py3-none-any.whl")
    assert m.matches("dist/app.tar.gz") and m.matches("src/app.py")
    web = IgnoreMatcher(["**", "!util/docker/web"])
    assert not web.matches("util/docker/web/foo")
    assert IgnoreMatcher(["**", "!util/docker/web", "util/docker/web/foo"]).matches(
        "util/docker/web/foo")


def test_walk_and_stateless_checks_differ_only_on_odd_lists() -> None:
    """``!a`` is skipped while ``a`` is not excluded, so the walk never records that it
    matched ``a``; the stateless check re-tests parents and re-includes ``a/b``."""
    m = IgnoreMatcher(["a/b", "!a"])
    assert m.matches("a/b") is True
    assert m.matches_or_parent_matches("a/b") is False


def test_helpers() -> None:
    assert go_clean("") == "." and go_clean("/../a/./b//") == "/a/b"
    assert go_clean("../../x") == "../../x" and go_clean("a/../..") == ".."
    assert contains_wildcards("a/*.go") and not contains_wildcards("a\\*b")
    assert split_wildcards("/src/*/main.go") == ("/src", "*/main.go")
    assert split_wildcards("/*.txt") == ("/", "*.txt")
    assert split_wildcards("/a/b") == ("/a/b", "")


# --- properties ---------------------------------------------------------------------------

_segment = st.text(alphabet="ab*?", min_size=1, max_size=4).filter(
    lambda s: "**" not in s and s not in (".", ".."))
_simple_pattern = st.lists(_segment, min_size=1, max_size=3).map("/".join)
_name = st.text(alphabet="ab.", min_size=1, max_size=4).filter(lambda s: s not in (".", ".."))
_path = st.lists(_name, min_size=1, max_size=4).map("/".join)


@given(_simple_pattern, _path)
def test_regexp_translation_agrees_with_filepath_match(pattern: str, path: str) -> None:
    """Without ``**`` patternmatcher's regexp means exactly what filepath.Match means."""
    assert IgnoreMatcher([pattern]).matches_exact(path) is match(pattern, path)


@given(st.lists(_simple_pattern, min_size=1, max_size=4), _path)
def test_without_exceptions_walk_and_stateless_agree(patterns: list[str], path: str) -> None:
    m = IgnoreMatcher(patterns)
    expected = any(match(p, "/".join(path.split("/")[:i]))
                   for p in patterns for i in range(1, path.count("/") + 2))
    assert m.matches(path) is m.matches_or_parent_matches(path) is expected


@given(st.lists(st.sampled_from(["a", "b", "..", ".", ""]), max_size=6).map("/".join))
def test_go_clean_matches_normpath(path: str) -> None:
    cleaned = go_clean(path)
    assert go_clean(cleaned) == cleaned
    if not path.startswith("//"):
        assert cleaned == posixpath.normpath(path or ".")
