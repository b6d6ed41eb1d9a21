"""How moby/patternmatcher turns a .dockerignore pattern into a regexp, translated to Python.

``go_regexp_text`` is patternmatcher's ``compile()``: the match type (exact, prefix, suffix
or regexp) and the Go regexp text built from a cleaned pattern. ``RE2`` translates that
text into Python ``re`` syntax keeping RE2's meaning and errors (``\\d``, POSIX classes,
``[a*]``), as ignore.py's docstring explains. Split from ignore.py, whose Pattern is the
only user, to keep modules small.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .gomatch import PatternError

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


class RE2:
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


def go_regexp_text(cleaned: str) -> tuple[str, str]:
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
