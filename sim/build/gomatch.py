"""Ports of the Go path functions Docker's pattern handling relies on, quirks included.

``path.Clean`` (``go_clean``), ``strings.TrimSpace`` (``go_trim_space``), BuildKit's
``containsWildcards`` and ``splitWildcards``, and Go's ``path/filepath.Match`` (``match``)
with its ``syntax error in pattern`` (PatternError). Both .dockerignore matching
(ignore.py, goregex.py) and COPY/ADD wildcard sources (context.py, contenthash.py) use
them; they were split from ignore.py to keep it small, and ignore.py re-exports them.
"""

from __future__ import annotations

from collections.abc import Sequence

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
