""".dockerignore patterns, matched exactly as Docker matches them.

Three Go sources are reproduced here (with gomatch.py and goregex.py), because users meet
their quirks:

* ``github.com/moby/patternmatcher/ignorefile`` ``ReadAll``: how a .dockerignore file
  becomes a pattern list (a UTF-8 BOM is dropped, a line is a comment only when ``#`` is
  in column 1, whitespace is trimmed, ``!`` exceptions, ``path.Clean``, one leading ``/``
  dropped).
* ``github.com/moby/patternmatcher`` ``New``/``compile``/``match``: every pattern is first
  checked with Go's ``filepath.Match`` (``syntax error in pattern``), then rewritten into a
  Go regular expression (``*`` → ``[^/]*``, ``?`` → ``[^/]``, ``**`` → any number of
  directories), or into a plain equality / prefix / suffix test when it has no wildcards.
  Because the regexp engine sees the rewritten text, a few spellings mean what RE2 says
  rather than what ``filepath.Match`` says (``\\d`` is a digit, ``[[:alpha:]]`` a letter,
  ``[a*]`` is a bracket expression followed by ``*``); those are translated faithfully.
  Only RE2's Unicode classes ``\\p``/``\\P`` are not translated: such patterns are rejected.
* ``github.com/tonistiigi/fsutil`` ``filterFS.Walk`` (what BuildKit uses to send the
  context): every pattern remembers whether it matched a parent directory
  (``MatchesUsingParentResults``), the last matching pattern wins, and an excluded
  directory is still walked when a ``!`` exception could re-include something inside it.

Go's ``path/filepath.Match`` and ``path.Clean`` (also used for COPY wildcards) live in
gomatch.py and the pattern-to-regexp translation in goregex.py; the names callers use are
re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .gomatch import (
    BAD_PATTERN,
    PatternError,
    contains_wildcards,
    go_clean,
    go_trim_space,
    match,
    split_wildcards,
)
from .goregex import EXACT, PREFIX, RE2, REGEXP, SUFFIX, go_regexp_text

__all__ = [
    "BAD_PATTERN",
    "IgnoreMatcher",
    "MatchInfo",
    "Pattern",
    "PatternError",
    "contains_wildcards",
    "go_clean",
    "go_trim_space",
    "match",
    "parse_dockerignore",
    "split_wildcards",
]


@dataclass
class Pattern:
    """One cleaned pattern. Compiled lazily, like patternmatcher: an RE2 syntax error only
    surfaces when a path is first matched against this pattern."""

    cleaned: str
    exclusion: bool = False
    _kind: str = ""
    _regexp: re.Pattern[str] | None = None
    _error: bool = False

    def __str__(self) -> str:
        return self.cleaned

    def _compile(self) -> None:
        kind, text = go_regexp_text(self.cleaned)
        self._kind = kind
        if kind == REGEXP:
            try:
                self._regexp = re.compile(RE2(text).translate(), re.ASCII)
            except (PatternError, re.error):
                self._error = True

    def match(self, path: str) -> bool:
        """Pattern.match: True when ``path`` (slash-separated, relative) matches."""
        if not self._kind:
            self._compile()
        if self._error:
            raise PatternError()
        if self._kind == EXACT:
            return path == self.cleaned
        if self._kind == PREFIX:
            return path.startswith(self.cleaned[:-2])
        if self._kind == SUFFIX:
            suffix = self.cleaned[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        assert self._regexp is not None
        return self._regexp.search(path) is not None

    def without_trailing_glob(self) -> str:
        """fsutil patternWithoutTrailingGlob: ``dir/**`` and ``dir/*`` → ``dir``."""
        text = self.cleaned
        text = text.removesuffix("/**")
        return text.removesuffix("/*")


@dataclass(frozen=True)
class MatchInfo:
    """Which patterns matched a directory (directly or through its own parents)."""

    parent_matched: tuple[bool, ...] = ()


_PATTERN_CHARS = set("*[]?^\\")


class IgnoreMatcher:
    """patternmatcher.PatternMatcher over .dockerignore patterns.

    Each pattern is first normalised as ignorefile.ReadAll normalises a line (trimmed,
    ``!`` kept, path.Clean, one leading ``/`` dropped), so ``IgnoreMatcher(["/logs/"])``
    means what that line means in a file; comment lines only exist in file text, so use
    :meth:`from_text` (or :func:`parse_dockerignore`) for the contents of a file.

    ``matches(path)`` answers "is this path left out of the build context?" the way
    BuildKit's context walk decides it; ``matches_or_parent_matches`` is the stateless
    variant patternmatcher also offers (it differs only for odd lists such as
    ``a/b`` then ``!a``, where the walk excludes ``a/b`` but the stateless check keeps it)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns: list[Pattern] = []
        self.exclusions = False
        for raw in patterns:
            text = _normalize_line(raw)
            if not text:
                continue
            text = go_clean(text)
            exclusion = text.startswith("!")
            if exclusion:
                if len(text) == 1:
                    raise PatternError('illegal exclusion pattern: "!"')
                text = text[1:]
                self.exclusions = True
            match(text, ".")  # filepath.Match's syntax check, as patternmatcher.New does
            self.patterns.append(Pattern(text, exclusion))
        self.only_prefix_exceptions = not any(
            p.exclusion and _PATTERN_CHARS & set(p.without_trailing_glob())
            for p in self.patterns)

    @classmethod
    def from_text(cls, text: str) -> IgnoreMatcher:
        """A matcher for the contents of a .dockerignore file."""
        return cls(parse_dockerignore(text))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def __repr__(self) -> str:
        shown = [("!" if p.exclusion else "") + p.cleaned for p in self.patterns]
        return f"IgnoreMatcher({shown!r})"

    def matches_exact(self, path: str) -> bool:
        """MatchesExact: the patterns against ``path`` alone, no parent directories."""
        matched = False
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            if pattern.match(path):
                matched = not pattern.exclusion
        return matched

    def _parent_match(self, pattern: Pattern, path: str) -> bool:
        parent = path.rpartition("/")[0]
        if not parent:
            return False
        dirs = parent.split("/")
        return any(pattern.match("/".join(dirs[:i + 1])) for i in range(len(dirs)))

    def matches_or_parent_matches(self, path: str) -> bool:
        """MatchesOrParentMatches: a pattern counts when it matches the path or any parent."""
        path = _clean_rel(path)
        if path == ".":
            return False
        matched = False
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            hit = pattern.match(path) or self._parent_match(pattern, path)
            if hit:
                matched = not pattern.exclusion
        return matched

    def matches_using_parent_results(self, path: str, parent: MatchInfo | None = None
                                     ) -> tuple[bool, MatchInfo]:
        """MatchesUsingParentResults: what the context walk calls for every entry, with
        the MatchInfo of the directory it is in (None for top-level entries)."""
        prior = parent.parent_matched if parent is not None else ()
        if prior and len(prior) != len(self.patterns):
            raise ValueError("wrong number of values in parentMatched")
        matched = False
        info: list[bool] = []
        for idx, pattern in enumerate(self.patterns):
            hit = bool(prior) and prior[idx]
            if not hit:
                if pattern.exclusion != matched:
                    info.append(False)
                    continue
                hit = pattern.match(path)
                if not hit and not prior:
                    hit = self._parent_match(pattern, path)
            info.append(hit)
            if hit:
                matched = not pattern.exclusion
        return matched, MatchInfo(tuple(info))

    def matches(self, path: str) -> bool:
        """True when ``path`` (relative to the context root) is excluded from the context:
        it or a parent directory matches an exclusion that no later ``!`` pattern undoes."""
        path = _clean_rel(path)
        if path == ".":
            return False
        info = MatchInfo()
        parts = path.split("/")
        for i in range(1, len(parts)):
            _, info = self.matches_using_parent_results("/".join(parts[:i]), info)
        return self.matches_using_parent_results(path, info)[0]

    def may_reinclude_under(self, directory: str) -> bool:
        """Whether the walk must still enter an excluded directory: fsutil skips it unless a
        ``!`` pattern has wildcards or starts with ``directory/``."""
        if not self.exclusions:
            return False
        if not self.only_prefix_exceptions:
            return True
        prefix = directory + "/"
        return any(p.exclusion and (p.without_trailing_glob() + "/").startswith(prefix)
                   for p in self.patterns)


def _clean_rel(path: str) -> str:
    """A path as patternmatcher sees it: cleaned, relative (leading ``/`` ignored)."""
    return go_clean(path.lstrip("/")) if path.strip("/") else "."


def parse_dockerignore(text: str | bytes) -> list[str]:
    """ignorefile.ReadAll: the pattern list of a .dockerignore file.

    ``#`` starts a comment only in column 1; lines are trimmed; ``!`` keeps its meaning
    with the rest cleaned by path.Clean and one leading ``/`` removed (``/foo`` is ``foo``).
    A bare ``!`` is kept: the matcher then reports ``illegal exclusion pattern: "!"``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: list[str] = []
    for line in lines:
        line = line.removesuffix("\r")
        if line.startswith("#"):
            continue
        pattern = _normalize_line(line)
        if pattern:
            out.append(pattern)
    return out


def _normalize_line(line: str) -> str:
    """One ReadAll line after the comment check ("" for a blank line)."""
    pattern = go_trim_space(line)
    if not pattern:
        return ""
    invert = pattern.startswith("!")
    if invert:
        pattern = go_trim_space(pattern[1:])
    if pattern:
        pattern = go_clean(pattern)
        if len(pattern) > 1 and pattern.startswith("/"):
            pattern = pattern[1:]
    return "!" + pattern if invert else pattern
