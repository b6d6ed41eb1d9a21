"""Go's fmt and encoding/json output of template values, for :mod:`sim.cli.gotemplate`.

What a template prints: ``{{.X}}`` is fmt's ``%v`` (:func:`fmt_value`), ``print`` /
``printf`` are ``fmt.Sprint`` / ``fmt.Sprintf`` (:func:`go_sprint`, :func:`sprintf`:
flags, width and precision, no ``*`` or ``[n]`` operands), and docker/cli's ``json``
function is :func:`go_json`.  Kept apart from the executor because it is pure value
formatting with no template state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .gotemplate_lex import go_quote, is_print
from .gotemplate_values import MISSING, Box, fields, go_type, sorted_keys, unbox
from .units import go_format_float

__all__ = ["fmt_value", "go_json", "go_sprint", "sprintf"]


@dataclass
class _Flags:
    minus: bool = False
    plus: bool = False
    sharp: bool = False
    space: bool = False
    zero: bool = False
    width: int | None = None
    prec: int | None = None


def _pad(s: str, f: _Flags, zeros: bool = False) -> str:
    if f.width is None or len(s) >= f.width:
        return s
    if zeros and f.zero and not f.minus:
        sign = s[0] if s[:1] in ("+", "-", " ") else ""
        return sign + s[len(sign):].rjust(f.width - len(sign), "0")
    return s.ljust(f.width) if f.minus else s.rjust(f.width)


def _fmt_int(v: int, verb: str, f: _Flags) -> str | None:
    if verb == "c":
        return _pad(chr(v), f)
    if verb == "q":
        return _pad("'" + go_quote(chr(v))[1:-1].replace("\\\"", '"').replace("'", "\\'") + "'", f)
    base = {"d": "d", "v": "d", "b": "b", "o": "o", "O": "o", "x": "x", "X": "X"}.get(verb)
    if base is None:
        return None
    digits = format(abs(v), base)
    if f.prec is not None:
        digits = "" if f.prec == 0 and v == 0 else digits.rjust(f.prec, "0")
    prefix = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(verb, "") if f.sharp else ""
    prefix = "0o" if verb == "O" else prefix
    sign = "-" if v < 0 else "+" if f.plus else " " if f.space else ""
    return _pad(sign + prefix + digits, f, zeros=f.prec is None)


def _fmt_float(v: float, verb: str, f: _Flags) -> str | None:
    if verb in "vgGeEfF":
        prec = f.prec if f.prec is not None else (6 if verb in "eEfF" else -1)
        text = go_format_float(v, "g" if verb == "v" else verb.lower(), prec)
        text = text.upper() if verb in "GEF" else text
    else:
        return None
    if f.plus and text[0] not in "+-N":
        text = "+" + text
    elif f.space and text[0] not in "+-N":
        text = " " + text
    return _pad(text, f, zeros=math.isfinite(v))


def _fmt_str(s: str, verb: str, f: _Flags) -> str | None:
    if f.prec is not None and verb in "svq":
        s = s[:f.prec]
    if verb in "sv":
        return _pad(s, f)
    if verb == "q":
        if f.sharp and "`" not in s and all(is_print(c) or c == "\t" for c in s):
            return _pad("`" + s + "`", f)
        return _pad(go_quote(s), f)
    if verb in "xX":
        text = s.encode("utf-8", "surrogatepass")[:f.prec].hex()
        return _pad(text.upper() if verb == "X" else text, f)
    return None


def fmt_value(v, verb: str = "v", f: _Flags | None = None, top: bool = True) -> str:
    """Go's fmt of one operand: %v and friends, recursing into slices and maps."""
    f = f or _Flags()
    v = v.v if isinstance(v, Box) else v
    if v is None or v is MISSING:
        return _pad("<nil>", f) if verb in "vT" or not top else f"%!{verb}(<nil>)"
    if verb == "T":
        return _pad(go_type(v), f)
    if isinstance(v, bool):
        out = _pad("true" if v else "false", f) if verb in "tv" else None
    elif isinstance(v, int):
        out = _fmt_int(v, verb, f)
    elif isinstance(v, float):
        out = _fmt_float(v, verb, f)
    elif isinstance(v, str):
        out = _fmt_str(v, verb, f)
    elif isinstance(v, list | tuple):
        return "[" + " ".join(fmt_value(e, verb, f, False) for e in v) + "]"
    elif isinstance(v, dict):
        items = (f"{fmt_value(k, verb, f, False)}:{fmt_value(v[k], verb, f, False)}"
                 for k in sorted_keys(v))
        return "map[" + " ".join(items) + "]"
    else:
        out = _pad(str(v), f)
    return out if out is not None else f"%!{verb}({go_type(v)}={fmt_value(v)})"


def sprintf(fmt: str, args: list) -> str:
    """fmt.Sprintf with flags, width and precision (no ``*`` or ``[n]`` operands)."""
    out, i, argn, n = [], 0, 0, len(fmt)
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        i, f = j + 1, _Flags()
        while i < n and fmt[i] in "+-# 0":
            attr = {"+": "plus", "-": "minus", "#": "sharp", " ": "space", "0": "zero"}[fmt[i]]
            setattr(f, attr, True)
            i += 1
        for attr in ("width", "prec"):
            if attr == "prec":
                if i >= n or fmt[i] != ".":
                    break
                i, f.prec = i + 1, 0
            start = i
            while i < n and fmt[i].isdigit():
                i += 1
            if i > start:
                setattr(f, attr, int(fmt[start:i]))
        if i >= n:
            out.append("%!(NOVERB)")
            break
        verb, i = fmt[i], i + 1
        if verb == "%":
            out.append("%")
        elif argn >= len(args):
            out.append(f"%!{verb}(MISSING)")
        else:
            out.append(fmt_value(args[argn], verb, f))
            argn += 1
    if argn < len(args):
        extra = ("<nil>" if unbox(a) is MISSING else f"{go_type(unbox(a))}={fmt_value(a)}"
                 for a in args[argn:])
        out.append("%!(EXTRA " + ", ".join(extra) + ")")
    return "".join(out)


def go_sprint(*args) -> str:
    """fmt.Sprint: operands joined, with a space between two non-strings."""
    out, prev = [], True
    for a in args:
        is_str = isinstance(unbox(a), str)
        if out and not is_str and not prev:
            out.append(" ")
        out.append(fmt_value(a))
        prev = is_str
    return "".join(out)


# ----------------------------------------------------------------------------- json


class _Unsupported(Exception):
    pass


def _json_str(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch < " ":
            short = {"\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t"}.get(ch)
            out.append("\\" + short if short else f"\\u{ord(ch):04x}")
        elif ch in "\u2028\u2029" or "\ud800" <= ch <= "\udfff":
            out.append("\\u2028" if ch == "\u2028" else "\\u2029" if ch == "\u2029" else
                       "\\ufffd")
        else:
            out.append(ch)
    return "".join(out) + '"'


def _json(v) -> str:
    v = v.v if isinstance(v, Box) else v
    if v is None or v is MISSING:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise _Unsupported
        if v != 0 and not 1e-6 <= abs(v) < 1e21:
            text = go_format_float(v, "e")
            return text[:-2] + text[-1] if text[-4:-1] in ("e-0",) else text
        return go_format_float(v, "f")
    if isinstance(v, str):
        return _json_str(v)
    if isinstance(v, list | tuple):
        return "[" + ",".join(map(_json, v)) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(f"{_json_str(str(k))}:{_json(v[k])}" for k in
                              sorted(fields(v), key=str)) + "}"
    raise _Unsupported


def go_json(v) -> str:
    """docker/cli's ``json`` template func: encoding/json with SetEscapeHTML(false),
    compact, trailing newline trimmed; an unencodable value (NaN) gives ``""``."""
    try:
        return _json(v)
    except _Unsupported:
        return ""

