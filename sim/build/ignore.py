""".dockerignore patterns, matched exactly as Docker matches them.

Three Go sources are reproduced here, because users meet their quirks:

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

Go's ``path/filepath.Match`` itself is here too (``match``): COPY wildcards use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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

#: filepath.ErrBadPattern's text: the one error a malformed pattern produces.
BAD_PATTERN = "syntax error in pattern"


class PatternError(ValueError):
    """A pattern Go rejects; ``str()`` is Go's error text."""

    def __init__(self, message: str = BAD_PATTERN) -> None:
        super().__init__(message)
        self.message = message


# --- Go string and path helpers -----------------------------------------------------------

_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
            "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def go_trim_space(text: str) -> str:
    """strings.TrimSpace: Go's notion of white space differs from Python's (no \\x1c-\\x1f)."""
    return text.strip(_GO_SPACE)


def go_clean(path: str) -> str:
    """path.Clean: the shortest equivalent path (``..`` above the root is dropped, ``""`` → ``.``).

    Python's ``posixpath.normpath`` keeps a leading ``//``; Go never does, so it is not used."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(seg)
    out = "/".join(parts)
    if rooted:
        return "/" + out
    return out or "."


def contains_wildcards(name: str) -> bool:
    """BuildKit's containsWildcards: ``*``, ``?`` or ``[`` not escaped by a backslash."""
    i = 0
    while i < len(name):
        ch = name[i]
        if ch == "\\":
            i += 1
        elif ch in "*?[":
            return True
        i += 1
    return False


def split_wildcards(path: str) -> tuple[str, str]:
    """BuildKit/fsutil splitWildcards: the literal leading directories and the rest.

    ``/src/*/main.go`` → (``/src``, ``*/main.go``); a path without wildcards is all prefix."""
    parts = (go_clean(path) if path else "").split("/")
    head: list[str] = []
    tail: list[str] = []
    found = False
    for part in parts:
        if not found and contains_wildcards(part):
            found = True
        part = part or "/"
        (tail if found else head).append(part)
    return _go_join(head), _go_join(tail)


def _go_join(parts: Sequence[str]) -> str:
    """path.Join: join the non-empty elements and Clean; no elements → ``""``."""
    kept = [p for p in parts if p]
    return go_clean("/".join(kept)) if kept else ""


# --- filepath.Match -----------------------------------------------------------------------


def _scan_chunk(pattern: str) -> tuple[bool, str, str]:
    """Split off leading stars and the text up to the next star outside a bracket."""
    star = False
    while pattern.startswith("*"):
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if i + 1 < len(pattern):
                i += 1
        elif ch == "[":
            in_range = True
        elif ch == "]":
            in_range = False
        elif ch == "*" and not in_range:
            break
        i += 1
    return star, pattern[:i], pattern[i:]


def _get_esc(chunk: str) -> tuple[str, str]:
    """One (possibly escaped) character of a bracket range; Go's getEsc."""
    if not chunk or chunk[0] in "-]":
        raise PatternError()
    if chunk[0] == "\\":
        chunk = chunk[1:]
        if not chunk:
            raise PatternError()
    ch, rest = chunk[0], chunk[1:]
    if not rest:
        raise PatternError()
    return ch, rest


def _match_chunk(chunk: str, s: str) -> tuple[str, bool]:
    """Go's matchChunk (1.16+): keeps scanning after a mismatch so bad syntax is reported."""
    failed = False
    while chunk:
        if not failed and not s:
            failed = True
        head = chunk[0]
        if head == "[":
            r = ""
            if not failed:
                r, s = s[0], s[1:]
            chunk = chunk[1:]
            negated = chunk.startswith("^")
            if negated:
                chunk = chunk[1:]
            matched = False
            nrange = 0
            while True:
                if chunk.startswith("]") and nrange > 0:
                    chunk = chunk[1:]
                    break
                lo, chunk = _get_esc(chunk)
                hi = lo
                if chunk[0] == "-":
                    hi, chunk = _get_esc(chunk[1:])
                if not failed and lo <= r <= hi:
                    matched = True
                nrange += 1
            if matched == negated:
                failed = True
        elif head == "?":
            if not failed:
                if s[0] == "/":
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
        else:
            if head == "\\":
                chunk = chunk[1:]
                if not chunk:
                    raise PatternError()
            if not failed:
                if chunk[0] != s[0]:
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
    if failed:
        return "", False
    return s, True


def match(pattern: str, name: str) -> bool:
    """Go ``filepath.Match`` on Linux: ``*`` and ``?`` never match ``/``; ``[...]`` ranges,
    ``[^...]`` negation and ``\\`` escapes. Raises PatternError for a malformed pattern
    (anywhere in it, as Go 1.16+ does)."""
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and chunk == "":
            return "/" not in name
        rest, ok = _match_chunk(chunk, name)
        if ok and (not rest or pattern):
            name = rest
            continue
        if star:
            advanced = False
            i = 0
            while i < len(name) and name[i] != "/":
                rest, ok = _match_chunk(chunk, name[i + 1:])
                if ok and not (not pattern and rest):
                    name = rest
                    advanced = True
                    break
                i += 1
            if advanced:
                continue
        while pattern:
            _, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, "")
        return False
    return not name


# --- patternmatcher's regexp, translated from RE2 to Python --------------------------------

_SHOULD_ESCAPE = set(".+()|{}$")
_PERL = {
    "d": ([("0", "9")], False), "D": ([("0", "9")], True),
    "s": ([("\t", "\n"), ("\f", "\r"), (" ", " ")], False),
    "S": ([("\t", "\n"), ("\f", "\r"), (" ", " ")], True),
    "w": ([("0", "9"), ("A", "Z"), ("_", "_"), ("a", "z")], False),
    "W": ([("0", "9"), ("A", "Z"), ("_", "_"), ("a", "z")], True),
}
_POSIX = {
    "alnum": [("0", "9"), ("A", "Z"), ("a", "z")],
    "alpha": [("A", "Z"), ("a", "z")],
    "ascii": [("\x00", "\x7f")],
    "blank": [("\t", "\t"), (" ", " ")],
    "cntrl": [("\x00", "\x1f"), ("\x7f", "\x7f")],
    "digit": [("0", "9")],
    "graph": [("!", "~")],
    "lower": [("a", "z")],
    "print": [(" ", "~")],
    "punct": [("!", "/"), (":", "@"), ("[", "`"), ("{", "~")],
    "space": [("\t", "\r"), (" ", " ")],
    "upper": [("A", "Z")],
    "word": [("0", "9"), ("A", "Z"), ("_", "_"), ("a", "z")],
    "xdigit": [("0", "9"), ("A", "F"), ("a", "f")],
}
_SIMPLE_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_OCTAL = "01234567"
_HEX = "0123456789abcdefABCDEF"


def _cls_char(ch: str) -> str:
    """A character as a member of a Python bracket expression."""
    if ch in "\\]^-[":
        return "\\" + ch
    if ch == "\n":
        return "\\n"
    return ch


def _ranges_text(ranges: Iterable[tuple[str, str]], negate: bool) -> str:
    """Bracket-expression members for ranges (or their complement over all code points)."""
    spans = sorted((ord(lo), ord(hi)) for lo, hi in ranges)
    if negate:
        out_spans: list[tuple[int, int]] = []
        nxt = 0
        for lo, hi in spans:
            if lo > nxt:
                out_spans.append((nxt, lo - 1))
            nxt = max(nxt, hi + 1)
        if nxt <= 0x10FFFF:
            out_spans.append((nxt, 0x10FFFF))
        spans = out_spans
    return "".join(_cls_char(chr(lo)) if lo == hi else f"{_cls_char(chr(lo))}-{_cls_char(chr(hi))}"
                   for lo, hi in spans)


class _RE2:
    """Translate the small RE2 dialect patternmatcher produces into Python ``re`` syntax,
    keeping RE2's meaning (and its errors) rather than Python's."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.i = 0

    def translate(self) -> str:
        out: list[str] = []
        src = self.src
        while self.i < len(src):
            ch = src[self.i]
            if ch == "\\":
                out.append(self._escape(in_class=False))
            elif ch == "[":
                out.append(self._klass())
            elif ch == "$" and self.i == len(src) - 1:
                out.append(r"\Z")
                self.i += 1
            elif ch in "^.*?()":
                out.append(ch)
                self.i += 1
            else:
                out.append(re.escape(ch))
                self.i += 1
        return "".join(out)

    def _escape(self, in_class: bool) -> str:
        """One RE2 escape starting at a backslash; returns Python text (class members
        when ``in_class``)."""
        src = self.src
        self.i += 1
        if self.i >= len(src):
            raise PatternError()
        ch = src[self.i]
        self.i += 1
        if ch < "\x80" and not ch.isalnum():
            return _cls_char(ch) if in_class else re.escape(ch)
        if ch in _PERL:
            ranges, negate = _PERL[ch]
            text = _ranges_text(ranges, negate)
            return text if in_class else f"[{text}]"
        if ch in _SIMPLE_ESCAPES:
            lit = _SIMPLE_ESCAPES[ch]
            return _cls_char(lit) if in_class else re.escape(lit)
        if ch in _OCTAL:
            if ch != "0" and (self.i >= len(src) or src[self.i] not in _OCTAL):
                raise PatternError()  # \1-\7 alone would be a backreference
            value = int(ch)
            for _ in range(2):
                if self.i < len(src) and src[self.i] in _OCTAL:
                    value = value * 8 + int(src[self.i])
                    self.i += 1
                else:
                    break
            lit = chr(value)
            return _cls_char(lit) if in_class else re.escape(lit)
        if ch == "x":
            return self._hex(in_class)
        if not in_class:
            if ch == "Q":
                end = src.find("\\E", self.i)
                lit = src[self.i:] if end < 0 else src[self.i:end]
                self.i = len(src) if end < 0 else end + 2
                return re.escape(lit)
            if ch in "bB":
                return "\\" + ch
            if ch == "A":
                return r"\A"
            if ch == "z":
                return r"\Z"
        raise PatternError()  # \p, \P, \C and unknown escapes

    def _hex(self, in_class: bool) -> str:
        src = self.src
        if self.i < len(src) and src[self.i] == "{":
            end = src.find("}", self.i)
            digits = src[self.i + 1:end] if end > 0 else ""
            if end < 0 or not digits or any(d not in _HEX for d in digits):
                raise PatternError()
            self.i = end + 1
        else:
            digits = src[self.i:self.i + 2]
            if len(digits) != 2 or any(d not in _HEX for d in digits):
                raise PatternError()
            self.i += 2
        value = int(digits, 16)
        if value > 0x10FFFF:
            raise PatternError()
        lit = chr(value)
        return _cls_char(lit) if in_class else re.escape(lit)

    def _class_char(self) -> tuple[str, str | None]:
        """One member: (python text, the single character it stands for or None)."""
        src = self.src
        if src[self.i] == "\\":
            start = self.i
            text = self._escape(in_class=True)
            body = src[start + 1:self.i]
            single = None if body[:1] in _PERL else self._decode_single(body)
            return text, single
        ch = src[self.i]
        self.i += 1
        return _cls_char(ch), ch

    @staticmethod
    def _decode_single(body: str) -> str | None:
        """The character an escape body (text after the backslash) denotes, for ranges."""
        head = body[0]
        if head < "\x80" and not head.isalnum():
            return head
        if head in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[head]
        if head in _OCTAL:
            return chr(int(body, 8))
        if head == "x":
            return chr(int(body[1:].strip("{}"), 16))
        return None

    def _klass(self) -> str:
        """An RE2 bracket expression: ``]`` first is literal, ``[:name:]`` POSIX groups,
        Perl classes, ranges (a reversed range is an error, as in RE2)."""
        src = self.src
        self.i += 1
        negate = self.i < len(src) and src[self.i] == "^"
        if negate:
            self.i += 1
        members: list[str] = []
        first = True
        while True:
            if self.i >= len(src):
                raise PatternError()  # missing closing ]
            ch = src[self.i]
            if ch == "]" and not first:
                self.i += 1
                break
            first = False
            if src.startswith("[:", self.i):
                end = src.find(":]", self.i + 2)
                if end >= 0:
                    name = src[self.i + 2:end]
                    neg = name.startswith("^")
                    group = _POSIX.get(name[1:] if neg else name)
                    if group is None:
                        raise PatternError()
                    members.append(_ranges_text(group, neg))
                    self.i = end + 2
                    continue
            text, lo = self._class_char()
            if (self.i + 1 < len(src) and src[self.i] == "-" and src[self.i + 1] != "]"
                    and lo is not None):
                self.i += 1
                hi_text, hi = self._class_char()
                if hi is None or hi < lo:
                    raise PatternError()
                members.append(f"{text}-{hi_text}")
            else:
                members.append(text)
        body = "".join(members)
        if not body:
            return "(?!)" if not negate else "(?s:.)"
        return f"[{'^' if negate else ''}{body}]"


# --- patterns and the matcher ------------------------------------------------------------

EXACT, PREFIX, SUFFIX, REGEXP = "exact", "prefix", "suffix", "regexp"


def _go_regexp_text(cleaned: str) -> tuple[str, str]:
    """patternmatcher's compile(): the match type and the Go regexp text it builds."""
    reg = "^"
    kind = EXACT
    i = 0
    pos = 0
    n = len(cleaned)
    while pos < n:
        ch = cleaned[pos]
        pos += 1
        if ch == "*":
            if pos < n and cleaned[pos] == "*":
                pos += 1
                if pos < n and cleaned[pos] == "/":
                    pos += 1
                if pos >= n:
                    if kind == EXACT:
                        kind = PREFIX
                    else:
                        reg += ".*"
                        kind = REGEXP
                else:
                    reg += "(.*/)?"
                    kind = REGEXP
                if i == 0:
                    kind = SUFFIX
            else:
                reg += "[^/]*"
                kind = REGEXP
        elif ch == "?":
            reg += "[^/]"
            kind = REGEXP
        elif ch in _SHOULD_ESCAPE:
            reg += "\\" + ch
        elif ch == "\\":
            if pos < n:
                reg += "\\" + cleaned[pos]
                pos += 1
                kind = REGEXP
            else:
                reg += "\\"
        elif ch in "[]":
            reg += ch
            kind = REGEXP
        else:
            reg += ch
        i += 1
    return kind, reg + "$"


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
        kind, text = _go_regexp_text(self.cleaned)
        self._kind = kind
        if kind == REGEXP:
            try:
                self._regexp = re.compile(_RE2(text).translate(), re.ASCII)
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
