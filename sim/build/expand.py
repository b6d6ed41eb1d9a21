"""Dockerfile variable substitution, ported from BuildKit's shell lexer
(buildkit:frontend/dockerfile/shell/lex.go).

Also the few Go behaviours BuildKit's messages depend on (``%q`` quoting, edit-distance
suggestions, duration parsing), so that errors read exactly like BuildKit's.

The builder, not a shell, expands ``$VAR`` in the instructions listed in :data:`EXPANDS`,
against the stage's ENV and ARG values. RUN, CMD and ENTRYPOINT are left alone: their shell
expands variables when the container runs. The lexer also removes quotes and escapes, so
``expand('"a b"', {})`` is ``a b``; inside single quotes nothing is expanded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = [
    "EXPANDS", "ExpansionError", "expand", "expand_words", "go_duration", "go_quote",
    "heredoc_marker", "raw_words", "suggest",
]

#: Instructions whose arguments BuildKit expands at build time: those with an ``Expand``
#: method in buildkit:frontend/dockerfile/instructions/commands.go. FROM (image and
#: ``--platform``) sees only the ARGs declared before the first FROM; ARG expands its default
#: value; COPY/ADD expand sources, destination and ``--chown``/``--chmod``. RUN expands only
#: its ``--mount`` option values, never the command. CMD, ENTRYPOINT, SHELL, HEALTHCHECK,
#: MAINTAINER and ONBUILD are not expanded (an ONBUILD trigger is expanded later, in the
#: build that runs it).
EXPANDS: frozenset[str] = frozenset({
    "ADD", "ARG", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME",
    "WORKDIR",
})

_EOF = ""
_SPECIAL = frozenset("@*#?-$!0")
_SPACE = frozenset(" \t\n\r\v\f\x85\xa0")  # Go unicode.IsSpace for the Latin-1 range


class ExpansionError(ValueError):
    """A substitution BuildKit rejects; ``str()`` is BuildKit's message."""


def go_quote(text: str) -> str:
    """Go's ``%q`` of a string (strconv.Quote), as BuildKit puts words into messages."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif not ch.isprintable() and code > 0x7F:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _is_space(ch: str) -> bool:
    return ch in _SPACE or (len(ch) == 1 and ord(ch) > 0xFF and ch.isspace())


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


def _is_digit(ch: str) -> bool:
    return unicodedata.category(ch) == "Nd"


class _Words:
    """Word splitting after expansion (lex.go wordsStruct): expansions split on blanks,
    quoted text never does, and an empty quoted word is dropped."""

    def __init__(self) -> None:
        self.buf = ""
        self.words: list[str] = []
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if _is_space(ch):
            if self.in_word and self.buf:
                self.words.append(self.buf)
                self.buf = ""
                self.in_word = False
        else:
            self.add_raw(ch)

    def add_raw(self, text: str) -> None:
        self.buf += text
        self.in_word = True

    def add_string(self, text: str) -> None:
        for ch in text:
            self.add_char(ch)

    def result(self) -> list[str]:
        if self.buf:
            self.words.append(self.buf)
            self.buf = ""
        return self.words


class _Lexer:
    """One pass over a word; the options match the Lex fields BuildKit's parser uses for
    heredoc detection (RawQuotes, RawEscapes, SkipUnsetEnv)."""

    def __init__(self, text: str, env: Mapping[str, str], escape: str, *,
                 raw_quotes: bool = False, raw_escapes: bool = False,
                 skip_unset: bool = False) -> None:
        self.text = text
        self.pos = 0
        self.env = env
        self.escape = escape
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.skip_unset = skip_unset

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else _EOF

    def next(self) -> str:
        ch = self.peek()
        if ch:
            self.pos += 1
        return ch

    def run(self) -> tuple[str, list[str]]:
        try:
            return self.stop_on(_EOF, self.raw_escapes)
        except ExpansionError as exc:
            raise ExpansionError(f"failed to process {go_quote(self.text)}: {exc}") from None

    def stop_on(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        saved, self.raw_escapes = self.raw_escapes, raw_escapes
        try:
            return self._stop_on(stop)
        finally:
            self.raw_escapes = saved

    def _stop_on(self, stop: str) -> tuple[str, list[str]]:
        result: list[str] = []
        words = _Words()
        while self.peek() != _EOF:
            ch = self.peek()
            if stop and ch == stop:
                self.next()
                return "".join(result), words.result()
            if ch in "$'\"":
                if ch == "$":
                    tmp = self.dollar()
                    words.add_string(tmp)
                else:
                    tmp = self.single_quote() if ch == "'" else self.double_quote()
                    words.add_raw(tmp)
                result.append(tmp)
                continue
            ch = self.next()
            if ch == self.escape:
                if self.raw_escapes:
                    words.add_raw(ch)
                    result.append(ch)
                ch = self.next()
                if ch == _EOF:
                    break
                words.add_raw(ch)
            else:
                words.add_char(ch)
            result.append(ch)
        if stop:
            raise ExpansionError(
                f"unexpected end of statement while looking for matching {stop}")
        return "".join(result), words.result()

    def single_quote(self) -> str:
        quote = self.next()
        out = [quote] if self.raw_quotes else []
        while True:
            ch = self.next()
            if ch == _EOF:
                raise ExpansionError(
                    "unexpected end of statement while looking for matching single-quote")
            if ch == "'":
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            out.append(ch)

    def double_quote(self) -> str:
        quote = self.next()
        out = [quote] if self.raw_quotes else []
        while True:
            ch = self.peek()
            if ch == _EOF:
                raise ExpansionError(
                    "unexpected end of statement while looking for matching double-quote")
            if ch == '"':
                self.next()
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if ch == "$":
                out.append(self.dollar())
                continue
            ch = self.next()
            if ch == self.escape:
                if self.raw_escapes:
                    out.append(ch)
                following = self.peek()
                if following == _EOF:
                    continue
                if following in ('"', "$", self.escape):
                    ch = self.next()
            out.append(ch)

    def lookup(self, name: str) -> tuple[str, bool]:
        if name in self.env:
            return self.env[name], True
        return "", False

    def dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.name()
            if not name:
                return "$"
            value, found = self.lookup(name)
            return "$" + name if not found and self.skip_unset else value
        self.next()
        if self.peek() == _EOF:
            raise ExpansionError("syntax error: missing '}'")
        if self.peek() in "{}:":
            raise ExpansionError("syntax error: bad substitution")
        name = self.name()
        ch = self.next()
        chs = ch or "\ufffd"  # Go: string(scanner.EOF) is U+FFFD
        if ch == "}":
            value, found = self.lookup(name)
            return "${" + name + "}" if not found and self.skip_unset else value
        if ch == "/":
            return self.substitute(name)
        null_is_unset = ch == ":"
        if null_is_unset:
            ch = self.next()
            chs += ch or "\ufffd"
        elif ch not in ("+", "-", "?", "#", "%"):
            raise ExpansionError(f"unsupported modifier ({chs}) in substitution")
        trims = ch in ("#", "%")
        if null_is_unset and trims:
            raise ExpansionError(f"unsupported modifier ({chs}) in substitution")
        word = self.braced(trims)
        value, found = self.lookup(name)
        if self.skip_unset and not found:
            return "${" + name + chs + word + "}"
        empty = not found or (null_is_unset and value == "")
        if ch == "-":
            return word if empty else value
        if ch == "+":
            return "" if empty else word
        if ch == "?":
            if not found:
                raise ExpansionError(f"{name}: {word or 'is not allowed to be unset'}")
            if null_is_unset and value == "":
                raise ExpansionError(f"{name}: {word or 'is not allowed to be empty'}")
            return value
        if ch in ("#", "%"):
            greedy = word[:1] == ch
            if greedy:
                word = word[1:]
            if ch == "%":
                return _trim_suffix(word, value, greedy)
            return _trim_prefix(word, value, greedy)
        raise ExpansionError(f"unsupported modifier ({chs}) in substitution")

    def braced(self, raw_escapes: bool, stop: str = "}") -> str:
        try:
            word, _ = self.stop_on(stop, raw_escapes)
        except ExpansionError:
            if self.peek() == _EOF:
                raise ExpansionError(
                    "syntax error: missing '/' in ${}" if stop == "/"
                    else "syntax error: missing '}'") from None
            raise
        return word

    def substitute(self, name: str) -> str:
        replace_all = self.peek() == "/"
        if replace_all:
            self.next()
        pattern = self.braced(True, "/")
        replacement = self.braced(True)
        value, found = self.lookup(name)
        if self.skip_unset and not found:
            return "${" + name + "/" + pattern + "/" + replacement + "}"
        regex = _pattern_regex(pattern, greedy=True, anchored=False)
        if replace_all:
            expanded = _GO_TEMPLATE.sub(lambda m: "$" if m.group(0) == "$$" else "", replacement)
            return regex.sub(lambda _m: expanded, value)
        match = regex.search(value)
        if match:
            value = value[:match.start()] + replacement + value[match.end():]
        return value

    def name(self) -> str:
        """``$name`` (letters, digits, ``_``); a leading digit run or one special character
        (``$@``, ``$1``) is a name of its own, looked up like any other."""
        out: list[str] = []
        while self.peek() != _EOF:
            ch = self.peek()
            if not out and _is_digit(ch):
                while self.peek() != _EOF and _is_digit(self.peek()):
                    out.append(self.next())
                return "".join(out)
            if not out and ch in _SPECIAL:
                return self.next()
            if not (_is_letter(ch) or _is_digit(ch) or ch == "_"):
                break
            out.append(self.next())
        return "".join(out)


_GO_TEMPLATE = re.compile(r"\$(\$|\{[^}]*\}|[A-Za-z0-9_]+)")


def _pattern_regex(pattern: str, *, greedy: bool, anchored: bool) -> re.Pattern[str]:
    """Shell wildcard (``*``, ``?``, ``\\`` escapes, no brackets) to a regex, as BuildKit's
    convertShellPatternToRegex does."""
    out = ["^"] if anchored else []
    star = ".*" if greedy else ".*?"
    i = 0
    while i < len(pattern):
        tok = pattern[i]
        i += 1
        if tok == "*":
            out.append(star)
            continue
        if tok == "?":
            out.append(".")
            continue
        if tok == "\\":
            following = pattern[i] if i < len(pattern) else ""
            if following in ("}", "/"):
                continue
            i += 1
            if following not in ("*", "?", "\\"):
                bad = following or "\ufffd"
                raise ExpansionError(
                    f"invalid pattern ({pattern}) in substitution: invalid escape '\\{bad}'")
            out.append(re.escape(following))
            continue
        out.append(re.escape(tok))
    return re.compile("".join(out))


def _trim_prefix(pattern: str, value: str, greedy: bool) -> str:
    match = _pattern_regex(pattern, greedy=greedy, anchored=True).search(value)
    return value[match.end():] if match else value


def _reverse_pattern(pattern: str) -> str:
    """Reverse a pattern but keep each ``\\x`` escape pair in order."""
    chunks: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\" and i != len(pattern) - 1:
            chunks.append(pattern[i:i + 2])
            i += 2
        else:
            chunks.append(pattern[i])
            i += 1
    return "".join(reversed(chunks))


def _trim_suffix(pattern: str, value: str, greedy: bool) -> str:
    """Shortest/longest suffix match by reversing pattern and text (regexes only find
    leftmost matches), exactly as BuildKit does."""
    return _trim_prefix(_reverse_pattern(pattern), value[::-1], greedy)[::-1]


def expand(word: str, env: Mapping[str, str], escape: str = "\\") -> str:
    """One word with variables substituted and quotes/escapes removed (ProcessWord)."""
    return _Lexer(word, env, escape).run()[0]


def expand_words(text: str, env: Mapping[str, str], escape: str = "\\") -> list[str]:
    """Substitute, then split into words the way BuildKit does for EXPOSE (ProcessWords):
    blanks from an expansion split words, quoted blanks do not."""
    return _Lexer(text, env, escape).run()[1]


def raw_words(text: str) -> list[str]:
    """Words of a line with quotes and escapes kept and unknown variables left as written:
    how BuildKit's parser looks for ``<<EOF`` heredoc markers."""
    try:
        return _Lexer(text, {}, "\\", raw_quotes=True, raw_escapes=True,
                      skip_unset=True).run()[1]
    except ExpansionError:
        return []


def heredoc_marker(word: str) -> tuple[str, bool, bool] | None:
    """``(name, chomp, expand)`` when ``word`` is a heredoc marker like ``<<-"EOF"``
    (parser.go heredocFromMatch): a quoted name means the body is not expanded."""
    match = re.fullmatch(r"(\d*)<<(-?)\s*([^<]*)", word)
    if not match or not match.group(3):
        return None
    rest = match.group(3)
    try:
        words = _Lexer(rest, {}, "\\", skip_unset=True).run()[1]
        raw = _Lexer(rest, {}, "\\", raw_quotes=True, skip_unset=True).run()[1]
    except ExpansionError:
        return None
    if len(words) != 1 or len(raw) != 1:
        return None
    quotes = sum(words[0].count(q) for q in "'\"")
    raw_quotes = sum(raw[0].count(q) for q in "'\"")
    return words[0], match.group(2) == "-", quotes == raw_quotes


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def suggest(message: str, value: str, options: list[str], case_sensitive: bool) -> str:
    """buildkit:util/suggest/error.go: add ``(did you mean X?)`` for the closest option
    within edit distance 2, in the case of ``value`` when ``case_sensitive`` is false.
    Go walks a map, so ties are broken here alphabetically."""
    val = value if case_sensitive else value.lower()
    best, best_dist = "", 3
    for opt in sorted(options):
        cand = opt if case_sensitive else opt.lower()
        if cand == val:
            return message
        dist = _levenshtein(val, cand)
        if dist < best_dist:
            best, best_dist = cand, dist
    if not best:
        return message
    if not case_sensitive and value == value.upper() and value != value.lower():
        best = best.upper()
    return f"{message} (did you mean {best}?)"


def go_duration(text: str) -> float:
    """Seconds in a Go duration string (time.ParseDuration); ValueError has Go's text."""
    units = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "\u03bcs": 1e-6, "ms": 1e-3, "s": 1.0,
             "m": 60.0, "h": 3600.0}
    rest = text[1:] if text[:1] in ("+", "-") else text
    if rest == "0":
        return 0.0
    if not rest:
        raise ValueError(f"time: invalid duration {go_quote(text)}")
    total = 0.0
    while rest:
        number = re.match(r"\d*(\.\d*)?", rest)
        assert number is not None
        digits = number.group(0)
        if digits.strip(".") == "":
            raise ValueError(f"time: invalid duration {go_quote(text)}")
        rest = rest[number.end():]
        unit = re.match(r"[^\d.]*", rest).group(0)  # type: ignore[union-attr]
        if not unit:
            raise ValueError(f"time: missing unit in duration {go_quote(text)}")
        if unit not in units:
            raise ValueError(f"time: unknown unit {go_quote(unit)} in duration {go_quote(text)}")
        total += float(digits) * units[unit]
        rest = rest[len(unit):]
    return -total if text.startswith("-") else total
