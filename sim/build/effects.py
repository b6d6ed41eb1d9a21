"""What a RUN the simulator does not execute does: files written and removed, time, exit code.

A RUN outside the shell subset is never run. Its effect comes, in this order, from a
``# sim:`` annotation right above it (``parse_annotation``), the scenario's effects table
(``EffectsTable``), the built-in table of package-manager and build commands, or a default
(``estimate``). Everything the author did not declare is marked ``estimated`` and carries a
note naming its assumption, so the UI never passes a guess off as a measurement; the numbers
live in effects_table.py and docs/run-effects.md says where each comes from.

An effect's removes apply first, then its writes. A write is a path and the bytes below it:
a directory's worth of content (``/usr/lib/git 45MB``), or the file itself when the path
is an existing file (``/etc/passwd``). Removes are shell globs, as ``rm -rf`` takes them.
"""

from __future__ import annotations

import math
import posixpath
import re
import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlsplit

from ..cli.units import human_size, parse_size
from . import effects_table as T

__all__ = [
    "EffectError",
    "EffectsTable",
    "RunEffect",
    "estimate",
    "format_annotation",
    "merge",
    "parse_annotation",
]


class EffectError(ValueError):
    """A malformed ``# sim:`` annotation or effects-table entry; one line, shown as is."""


@dataclass(frozen=True)
class RunEffect:
    """What one RUN did to the filesystem and how long it took (removes first, then writes)."""

    writes: tuple[tuple[str, int], ...] = ()
    removes: tuple[str, ...] = ()
    duration: float = 1.0
    exit_code: int = 0
    estimated: bool = False
    source: str = "default"  # annotation | scenario | table | default
    note: str = ""

    @property
    def bytes_written(self) -> int:
        return sum(size for _, size in self.writes)


# --------------------------------------------------------------------------- annotations

_SIM_LINE = re.compile(r"\s*(?:#+\s*)?sim:(.*)")
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DURATION_PART = re.compile(rf"({_NUMBER})(ms|s|m|h)")
_DURATION_UNIT = {"ms": Decimal("0.001"), "s": Decimal(1), "m": Decimal(60), "h": Decimal(3600)}
_KEYWORDS = "expected writes, removes, takes or exits"
_SAFE_WORD = re.compile(r"[\w@%+=:./-]+", re.ASCII)
_DIGITS = re.compile(r"[0-9]+")


def parse_annotation(text: str) -> RunEffect | None:
    """The effect a ``# sim:`` comment declares, or None when the comment is not one.

    Several ``sim:`` lines in one comment block add up; other comment lines are ignored.
    """
    bodies = [m.group(1) for line in text.splitlines() if (m := _SIM_LINE.fullmatch(line))]
    if not bodies:
        return None
    return _parse_body(bodies, "bad # sim: annotation", source="annotation", note="")


def format_annotation(effect: RunEffect) -> str:
    """The ``# sim:`` line that declares ``effect`` (exact sizes and durations round-trip)."""
    clauses = [f"writes {_quote(path)} {_format_size(size)}" for path, size in effect.writes]
    clauses += [f"removes {_quote(path)}" for path in effect.removes]
    clauses.append(f"takes {_format_duration(effect.duration)}")
    if effect.exit_code:
        clauses.append(f"exits {effect.exit_code}")
    return "# sim: " + ", ".join(clauses)


def _quote(path: str) -> str:
    """Shell-quote a path when needed; unlike shlex.quote, a comma is quoted too."""
    if len(f"x{path}x".splitlines()) > 1:
        raise EffectError(f"cannot annotate path {path!r}: it contains a line break")
    if _SAFE_WORD.fullmatch(path):
        return path
    return "'" + path.replace("'", "'\"'\"'") + "'"


def _format_size(size: int) -> str:
    for unit, mult in (("GB", 10**9), ("GiB", 2**30), ("MB", 10**6), ("MiB", 2**20),
                       ("kB", 10**3), ("KiB", 2**10)):
        if size >= mult and size % mult == 0:
            return f"{size // mult}{unit}"
    return f"{size}B"


def _format_duration(seconds: float) -> str:
    if seconds.is_integer() and abs(seconds) < 1e16:
        return f"{int(seconds)}s"
    return f"{seconds!r}s"


def _parse_duration(text: str) -> float | None:
    """Seconds from ``20s``, ``2m``, ``1m30s``, ``500ms``, ``1h`` or a plain number."""
    if re.fullmatch(_NUMBER, text):
        total = Decimal(text)
    else:
        parts = list(_DURATION_PART.finditer(text))
        if not parts or "".join(p.group(0) for p in parts) != text:
            return None
        total = sum((Decimal(p.group(1)) * _DURATION_UNIT[p.group(2)] for p in parts),
                    Decimal(0))
    value = float(total)
    return value if math.isfinite(value) else None


def _clauses(body: str, prefix: str) -> list[list[str]]:
    """Comma-separated clauses of shell-like words (quotes allowed, ``#`` is literal)."""
    lexer = shlex.shlex(body, posix=True, punctuation_chars=",")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:
        raise EffectError(f"{prefix} {body.strip()!r}: unbalanced quotes") from None
    clauses: list[list[str]] = [[]]
    for token in tokens:
        if token and set(token) == {","}:
            clauses.extend([] for _ in token)
        else:
            clauses[-1].append(token)
    if any(not clause for clause in clauses):
        problem = "empty clause (a stray comma?)" if tokens else _KEYWORDS
        raise EffectError(f"{prefix} {body.strip()!r}: {problem}")
    return clauses


def _parse_body(bodies: Iterable[str], prefix: str, source: str, note: str) -> RunEffect:
    """Clauses ``writes PATH SIZE``, ``removes PATH...``, ``takes DURATION``, ``exits N``."""
    writes: list[tuple[str, int]] = []
    removes: list[str] = []
    duration: float | None = None
    exit_code: int | None = None
    for body in bodies:
        for words in _clauses(body, prefix):
            keyword, args = words[0], words[1:]

            def bad(problem: str, words: list[str] = words) -> EffectError:
                return EffectError(f"{prefix} {' '.join(words)!r}: {problem}")

            paths = args[:1] if keyword == "writes" else args if keyword == "removes" else []
            for path in paths:
                if not path.startswith("/"):
                    raise bad(f"expected an absolute path like /usr/lib/git, got {path!r}")
            if keyword == "writes":
                if len(args) < 2:
                    raise bad("expected a path and a size, e.g. 'writes /usr/lib/git 45MB'")
                try:
                    size = parse_size(" ".join(args[1:]))
                except ValueError:
                    if len(args) > 3:
                        raise bad("expected one path and one size; separate several writes "
                                  "with commas") from None
                    raise bad("expected a size like 45MB") from None
                writes.append((args[0], size))
            elif keyword == "removes":
                if not args:
                    raise bad("expected a path, e.g. 'removes /tmp/cache'")
                removes.extend(args)
            elif keyword == "takes":
                if duration is not None:
                    raise bad("takes is given twice")
                seconds = _parse_duration(" ".join(args).replace(" ", "")) if args else None
                if seconds is None:
                    raise bad("expected a duration like 20s, 2m or 1m30s")
                duration = seconds
            elif keyword == "exits":
                if exit_code is not None:
                    raise bad("exits is given twice")
                if len(args) != 1 or not _DIGITS.fullmatch(args[0]) or int(args[0]) > 255:
                    raise bad("expected an exit code from 0 to 255")
                exit_code = int(args[0])
            else:
                raise bad(f"unknown clause {keyword!r}: {_KEYWORDS}")
    return RunEffect(tuple(writes), tuple(removes), 1.0 if duration is None else duration,
                     exit_code or 0, estimated=False, source=source, note=note)


# --------------------------------------------------------------------------- scenario table


@dataclass(frozen=True)
class EffectsTable:
    """A scenario's own effects, keyed by command: a plain key matches as a substring, a
    ``re:`` key as a regular expression (re.search); the first matching key wins."""

    entries: tuple[tuple[str, re.Pattern[str] | None, RunEffect], ...] = ()

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str | RunEffect]) -> EffectsTable:
        """Parse every entry up front, so a bad one fails at load time naming its key."""
        entries = []
        for key, value in mapping.items():
            prefix = f"bad effects table entry {key!r}:"
            if not isinstance(key, str) or not key or key == "re:":
                raise EffectError(f"{prefix} expected a command or 're:REGEX' as the key")
            pattern = None
            if key.startswith("re:"):
                try:
                    pattern = re.compile(key[3:])
                except re.error as exc:
                    raise EffectError(f"{prefix} invalid regular expression: {exc}") from None
            if isinstance(value, RunEffect):
                effect = value
            elif isinstance(value, str):
                body = m.group(1) if (m := _SIM_LINE.fullmatch(value)) else value
                effect = _parse_body([body], prefix, source="scenario",
                                     note=f"scenario effects table: {key}")
            else:
                raise EffectError(f"{prefix} expected text like 'writes /usr/lib/git 45MB, "
                                  f"takes 20s', got {value!r}")
            entries.append((key, pattern, effect))
        return cls(tuple(entries))

    def lookup(self, command: str) -> RunEffect | None:
        for key, pattern, effect in self.entries:
            if (pattern.search(command) if pattern is not None else key in command):
                return effect
        return None

    def __len__(self) -> int:
        return len(self.entries)


# --------------------------------------------------------------------------- merge


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A shell glob as a regex: ``*`` and ``?`` stop at ``/``, ``[...]`` is a class."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        i += 1
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and (end := _class_end(pattern, i)) > 0:
            body = pattern[i:end]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            chars = [c if c == "-" and 0 < k < len(body) - 1 else re.escape(c)
                     for k, c in enumerate(body)]
            out.append("[" + ("^" if negate else "") + "".join(chars) + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
    return re.compile("".join(out))


def _class_end(pattern: str, start: int) -> int:
    """Index of the ``]`` closing a class opened just before ``start``, or -1."""
    j = start + 1 if pattern[start:start + 1] in ("!", "^") else start
    j += pattern[j:j + 1] == "]"
    return pattern.find("]", j)


def _removed_by(pattern: str, path: str) -> bool:
    """True when ``rm -rf PATTERN`` takes a write at ``path`` away: the path or one of its
    ancestors matches, or the pattern empties the written directory (``/var/lib/apt/lists/*``)."""
    regex = _glob_regex(pattern.rstrip("/") or "/")
    node = path
    while node not in ("", "/"):
        if regex.fullmatch(node):
            return True
        node = posixpath.dirname(node)
    parent, last = posixpath.split(pattern.rstrip("/"))
    return last == "*" and _glob_regex(parent or "/").fullmatch(path) is not None


def merge(effects: list[RunEffect]) -> RunEffect:
    """One effect for commands run in sequence: durations add, a later write to the same path
    replaces the earlier one, a later remove drops the writes it covers (so
    ``apt-get update && ... && rm -rf /var/lib/apt/lists/*`` keeps no lists), removes are kept
    for the lower layers, and the exit code is the first non-zero one."""
    writes: dict[str, int] = {}
    removes: list[str] = []
    sources: list[str] = []
    for effect in effects:
        for pattern in effect.removes:
            for path in [p for p in writes if _removed_by(pattern, p)]:
                del writes[path]
            if pattern not in removes:
                removes.append(pattern)
        for path, size in effect.writes:
            writes.pop(path, None)
            writes[path] = size
        if effect.source not in sources:
            sources.append(effect.source)
    return RunEffect(
        writes=tuple(writes.items()),
        removes=tuple(removes),
        duration=float(sum(e.duration for e in effects)),
        exit_code=next((e.exit_code for e in effects if e.exit_code), 0),
        estimated=any(e.estimated for e in effects),
        source="+".join(sources) or "default",
        note="; ".join(e.note for e in effects if e.note),
    )


# --------------------------------------------------------------------------- estimates


def estimate(command: str, table: EffectsTable | None = None, *,
             workdir: str = "/app") -> RunEffect:
    """The effect of a RUN nobody annotated: the scenario's table, else the built-in table
    (segment by segment), else a default that changes no file and takes 1 s.

    ``workdir`` is the RUN's working directory, where ``npm ci`` or ``go build`` write.
    """
    if table is not None and (hit := table.lookup(command)) is not None:
        return hit
    built = _estimate_command(command, _Context(_norm(workdir, "/")))
    if built is not None:
        return built
    shown = command if len(command) <= 60 else command[:57] + "..."
    return RunEffect(estimated=True, source="default",
                     note=f"no effect known for {shown!r}: assumed no file changes and 1s; "
                          "describe it with a '# sim:' annotation")


@dataclass
class _Context:
    """What a command line changes as it goes (``cd``) and where a segment's stdout goes."""

    workdir: str
    stdout: str | None = None  # file that ``> FILE`` sends this segment's output to
    env: dict[str, str] = field(default_factory=dict)

    def path(self, path: str) -> str:
        return _norm(path, self.workdir)


Handler = Callable[[str, list[str], _Context], RunEffect | None]

_SEPARATORS = frozenset({"&&", "||", ";", "|", "&", "|&", ";;"})
_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>", ">&", "<", "<<", "<<<", "<&", "<>"})
_OUTPUT_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>"})
_FD_DIGITS = re.compile(r"(?<![^\s;&|(])\d+(?=[<>])")
_SUBSTITUTION = re.compile(r"\$\([^()]*\)|`[^`]*`")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.DOTALL)
_WRAPPERS = frozenset({"sudo", "env", "exec", "time", "nohup", "command"})
_SUDO_ARG_OPTS = frozenset({"-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t", "-D"})


def _norm(path: str, cwd: str) -> str:
    joined = posixpath.normpath(posixpath.join(cwd, path))
    return "/" + joined.lstrip("/")


def _install_seconds(size: float, rate: float = T.ASSUMED_INSTALL_RATE) -> float:
    return T.ASSUMED_INSTALL_OVERHEAD + size / rate


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _table(writes: Iterable[tuple[str, int]] = (), removes: Iterable[str] = (),
           duration: float = 0.0, note: str = "", exit_code: int = 0) -> RunEffect:
    return RunEffect(tuple(writes), tuple(removes), duration, exit_code, estimated=True,
                     source="table", note=note)


def _segments(command: str) -> list[tuple[str | None, list[str], list[tuple[str, str]]]]:
    """Simple commands with the operator before each and their redirections."""
    text = _SUBSTITUTION.sub("__subst__", command.replace("\\\n", " "))
    text = _FD_DIGITS.sub(" ", text)
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:
        tokens = text.split()
    out: list[tuple[str | None, list[str], list[tuple[str, str]]]] = []
    op: str | None = None
    words: list[str] = []
    redirects: list[tuple[str, str]] = []
    pending: str | None = None
    for token in tokens:
        if pending is not None:
            redirects.append((pending, token))
            pending = None
        elif token in _SEPARATORS:
            if words or redirects:
                out.append((op, words, redirects))
            op, words, redirects = token, [], []
        elif token in _REDIRECTS:
            pending = token
        elif token and set(token) <= set("(){}"):
            continue
        else:
            words.append(token)
    if words or redirects:
        out.append((op, words, redirects))
    return out


def _estimate_command(command: str, ctx: _Context) -> RunEffect | None:
    """Walk the segments as ``sh -c`` would (``&&`` and ``||`` skip on status), or None
    when no segment is in the built-in table."""
    effects: list[RunEffect] = []
    known = False
    status = 0
    for op, words, redirects in _segments(command):
        if (op == "&&" and status != 0) or (op == "||" and status == 0):
            continue
        effect = _segment(words, redirects, ctx)
        if effect is None:
            name = posixpath.basename(words[0]) if words else "?"
            effect = RunEffect(estimated=True, source="default",
                               note=f"{name}: not in the built-in table, assumed no file "
                                    "changes and 1s")
        else:
            known = True
        effects.append(effect)
        status = effect.exit_code
    if not known:
        return None
    return replace(merge(effects), exit_code=status, estimated=True, source="table")


def _segment(words: list[str], redirects: list[tuple[str, str]],
             ctx: _Context) -> RunEffect | None:
    env: dict[str, str] = {}
    words = list(words)
    while words:
        if _ASSIGNMENT.fullmatch(words[0]):
            key, _, value = words.pop(0).partition("=")
            env[key] = value
        elif posixpath.basename(words[0]) in _WRAPPERS:
            wrapper = posixpath.basename(words.pop(0))
            while words and words[0].startswith("-"):
                flag = words.pop(0)
                if wrapper == "sudo" and flag in _SUDO_ARG_OPTS and words:
                    words.pop(0)
        else:
            break
    if not words:
        return _table()
    name, args = posixpath.basename(words[0]), words[1:]
    targets = [t for op, t in redirects
               if op in _OUTPUT_REDIRECTS and not _DIGITS.fullmatch(t) and t != "-"
               and not t.startswith("/dev/")]
    ctx.stdout = ctx.path(targets[0]) if targets else None
    ctx.env = env
    handler = _handler(name, words[0], args)
    return handler(words[0], args, ctx) if handler is not None else None


def _handler(name: str, program: str, args: list[str]) -> Handler | None:
    if name in _HANDLERS:
        return _HANDLERS[name]
    if re.fullmatch(r"pip\d(\.\d+)?", name):
        return _pip
    if re.fullmatch(r"python(\d(\.\d+)?)?", name):
        if args[:2] == ["-m", "pip"]:
            return _pip
        if args[:2] == ["-m", "venv"]:
            return _venv
    return None


# ---- package managers ----------------------------------------------------------------

_APT_ARG_OPTS = frozenset({"-o", "-t", "-c", "-a", "--option", "--target-release",
                           "--default-release", "--config-file", "--host-architecture"})


def _apt_option(value: str, no_rec: bool, yes: bool) -> tuple[bool, bool]:
    key, _, val = value.partition("=")
    truth = val.strip().lower() in ("1", "true", "yes", "on")
    if key.lower() == "apt::install-recommends":
        no_rec = not truth
    elif key.lower() == "apt::get::assume-yes":
        yes = truth
    return no_rec, yes


def _apt(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """apt-get/apt update, install, remove/purge, clean, upgrade (Debian 12 sizes)."""
    name = posixpath.basename(program)
    sub: str | None = None
    packages: list[str] = []
    no_rec = yes = False
    quiet = 0
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in _APT_ARG_OPTS or arg.split("=", 1)[0] in _APT_ARG_OPTS:
            if "=" in arg:
                value = arg.split("=", 1)[1]
            else:
                value = args[i] if i < len(args) else ""
                i += 1
            no_rec, yes = _apt_option(value, no_rec, yes)
        elif arg.startswith("-o") and not arg.startswith("--"):
            no_rec, yes = _apt_option(arg[2:], no_rec, yes)
        elif arg in ("--no-install-recommends", "--install-recommends"):
            no_rec = arg == "--no-install-recommends"
        elif arg in ("--yes", "--assume-yes"):
            yes = True
        elif arg.startswith("--quiet") or arg.startswith("-q="):
            quiet = max(quiet, int(arg.rpartition("=")[2]) if arg[-1].isdigit() else 1)
        elif arg.startswith("--"):
            continue
        elif arg.startswith("-") and len(arg) > 1:
            yes = yes or "y" in arg
            quiet += arg.count("q")
        elif sub is None:
            sub = arg
        else:
            packages.append(arg)
    if quiet >= 2:  # apt-get(8): quiet level 2 implies -y
        yes = True
    if sub == "update":
        size = sum(s for _, s in T.APT_LISTS)
        return _table([("/var/lib/apt/lists", size)], duration=T.ASSUMED_APT_UPDATE_SECONDS,
                      note=f"{name} update: {human_size(size)} of package lists "
                           f"({T.DEBIAN_BASE_IMAGE}, lz4-compressed, measured)")
    if sub == "install":
        return _apt_install(name, packages, no_rec, yes)
    if sub in ("remove", "purge"):
        names = [_apt_name(p) for p in packages]
        return _table(removes=[f"/usr/lib/{n}" for n in names], duration=1.0)
    if sub in ("clean", "autoclean"):
        return _table(removes=["/var/cache/apt/archives/*.deb"], duration=0.2)
    if sub in ("autoremove", "upgrade", "dist-upgrade", "full-upgrade"):
        return _table(duration=3.0, note=f"{name} {sub}: nothing to change assumed")
    return None


def _apt_name(token: str) -> str:
    """Package name from ``git``, ``git=1:2.39*``, ``git/bookworm-backports``, ``x_1.0.deb``."""
    if token.endswith(".deb"):
        return posixpath.basename(token).split("_", 1)[0].lower()
    return re.split(r"[=/]", token, maxsplit=1)[0].split(":", 1)[0].lower()


def _apt_install(name: str, packages: list[str], no_rec: bool, yes: bool) -> RunEffect:
    requested = [_apt_name(p) for p in packages]
    new: dict[str, int] = {}
    unknown: list[str] = []
    present: list[str] = []
    for package in requested:
        if package in T.DEBIAN_DEPENDS:
            closure = T.DEBIAN_DEPENDS[package].split()
            if not no_rec:
                closure += T.DEBIAN_RECOMMENDS.get(package, "").split()
            for dep in closure:
                new.setdefault(dep, T.DEBIAN_KIB[dep] * 1024)
        elif package in T.DEBIAN_BASE_PACKAGES:
            present.append(package)
        else:
            unknown.append(package)
            new.setdefault(package, T.ASSUMED_DEBIAN_PACKAGE)
    shown = f"{name} install {' '.join(requested)}"
    if not yes and any(dep not in requested for dep in new):
        return _table(duration=1.0, exit_code=1,
                      note=f"{shown} without -y: apt asks 'Do you want to continue? [Y/n]', "
                           "reads end of input (a build has no terminal) and aborts")
    total = sum(new.values())
    parts = [f"{shown}: {human_size(total)} in {_plural(len(new), 'package')} with "
             f"dependencies{'' if no_rec else ' and Recommends'} ({T.DEBIAN_RELEASE} "
             "installed sizes, approximate)"]
    parts += [f"{p}: not in the table, {human_size(T.ASSUMED_DEBIAN_PACKAGE)} assumed"
              for p in unknown]
    parts += [f"{p}: already in {T.DEBIAN_BASE_IMAGE}" for p in present]
    return _table([(f"/usr/lib/{dep}", size) for dep, size in new.items()],
                  duration=_install_seconds(total), note="; ".join(parts))


_APK_ARG_OPTS = frozenset({"-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch",
                           "--keys-dir", "--repositories-file", "--cache-dir"})


def _apk(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """apk add/del/update/upgrade (Alpine sizes, rounded approximations)."""
    sub: str | None = None
    packages: list[str] = []
    no_cache = False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in _APK_ARG_OPTS:
            i += 1
        elif arg == "--no-cache":
            no_cache = True
        elif arg.startswith("-"):
            continue
        elif sub is None:
            sub = arg
        else:
            packages.append(arg)
    names = [re.split(r"[=<>~@]", p, maxsplit=1)[0].lower() for p in packages]
    index = [] if no_cache else [("/var/cache/apk", T.ASSUMED_APK_INDEX)]
    if sub == "add":
        sizes = {n: int(T.ALPINE_MB[n] * 1_000_000) if n in T.ALPINE_MB
                 else T.ASSUMED_ALPINE_PACKAGE for n in names}
        total = sum(sizes.values())
        parts = [f"apk add {' '.join(names)}: {human_size(total)} (Alpine installed sizes "
                 "with dependencies, rounded approximations)"]
        parts += [f"{n}: not in the table, {human_size(T.ASSUMED_ALPINE_PACKAGE)} assumed"
                  for n in names if n not in T.ALPINE_MB]
        if index:
            parts.append(f"{human_size(T.ASSUMED_APK_INDEX)} of indexes left in "
                         "/var/cache/apk (--no-cache avoids it)")
        return _table([(f"/usr/lib/{n}", s) for n, s in sizes.items()] + index,
                      duration=_install_seconds(total), note="; ".join(parts))
    if sub == "del":
        return _table(removes=[f"/usr/lib/{n}" for n in names], duration=0.5)
    if sub == "update":
        return _table([("/var/cache/apk", T.ASSUMED_APK_INDEX)], duration=2.0,
                      note=f"apk update: {human_size(T.ASSUMED_APK_INDEX)} of indexes assumed")
    if sub == "upgrade":
        return _table(duration=3.0, note="apk upgrade: nothing to change assumed")
    return None


_PIP_ARG_OPTS = frozenset({
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
    "--extra-index-url", "-f", "--find-links", "--trusted-host", "--timeout", "--retries",
    "-t", "--target", "--prefix", "--root", "--platform", "--python-version",
    "--implementation", "--abi", "--only-binary", "--no-binary", "--progress-bar",
    "--cache-dir", "--src", "--upgrade-strategy", "--log", "--proxy", "--cert",
    "--client-cert", "--exists-action", "--report", "--config-settings", "-C",
})


def _python_version(program: str) -> str:
    match = re.search(r"(\d\.\d+)$", posixpath.basename(program))
    return match.group(1) if match else T.ASSUMED_PYTHON


def _pip_name(spec: str, ctx: _Context) -> str:
    """Normalized distribution name of a requirement (``Flask[async]>=3`` -> ``flask``)."""
    if "://" in spec or spec.startswith((".", "/")) or spec.endswith((".whl", ".tar.gz")):
        base = posixpath.basename(ctx.path(spec).rstrip("/")) or "project"
        return re.split(r"[-_.]", base, maxsplit=1)[0].lower() or "project"
    match = re.match(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)", spec)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else spec.lower()


def _pip(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """pip install / uninstall into the interpreter's site-packages (measured PyPI sizes)."""
    if args[:2] == ["-m", "pip"]:
        args = args[2:]
    version = _python_version(program)
    prefix = posixpath.dirname(posixpath.dirname(program)) if "/bin/" in program else ""
    if prefix in ("", "/", "/usr", "/usr/local"):
        site = f"/usr/local/lib/python{version}/site-packages"
    else:
        site = f"{ctx.path(prefix)}/lib/python{version}/site-packages"
    sub: str | None = None
    specs: list[str] = []
    requirements: list[str] = []
    no_cache = "PIP_NO_CACHE_DIR" in ctx.env
    no_deps = False
    cache = "/root/.cache/pip"
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if option in _PIP_ARG_OPTS:
            value = attached if eq else (args[i] if i < len(args) else "")
            i += 0 if eq else 1
            if option in ("-r", "--requirement"):
                requirements.append(value)
            elif option in ("-e", "--editable"):
                specs.append(value)
            elif option in ("-t", "--target"):
                site = ctx.path(value)
            elif option == "--prefix":
                site = f"{ctx.path(value)}/lib/python{version}/site-packages"
            elif option == "--cache-dir":
                cache = ctx.path(value)
        elif arg.startswith("-r") and len(arg) > 2 and not arg.startswith("--"):
            requirements.append(arg[2:])
        elif arg == "--no-cache-dir":
            no_cache = True
        elif arg == "--no-deps":
            no_deps = True
        elif arg == "--user":
            site = f"/root/.local/lib/python{version}/site-packages"
        elif arg.startswith("-"):
            continue
        elif sub is None:
            sub = arg
        else:
            specs.append(arg)
    if sub == "uninstall":
        return _table(removes=[f"{site}/{_pip_name(s, ctx)}" for s in specs], duration=1.0)
    if sub != "install":
        return None
    dists: dict[str, tuple[int, int]] = {}
    unknown: list[str] = []
    for spec in specs:
        req = _pip_name(spec, ctx)
        if req in T.PIP_REQUIRES:
            for dist in [req] if no_deps else T.PIP_REQUIRES[req].split():
                dists.setdefault(dist, T.PIP_DISTS[dist][:2])
        else:
            unknown.append(req)
            dists.setdefault(req, (T.ASSUMED_PIP_PACKAGE,
                                   int(T.ASSUMED_PIP_PACKAGE * T.ASSUMED_WHEEL_RATIO)))
    writes = [(f"{site}/{dist}", size) for dist, (size, _) in dists.items()]
    wheels = [(f"{cache}/http-v2/{dist}", wheel) for dist, (_, wheel) in dists.items()]
    parts = []
    measured = [size for dist, (size, _) in dists.items() if dist not in unknown]
    if measured:
        known = [s for s in specs if _pip_name(s, ctx) not in unknown]
        parts.append(f"pip install {' '.join(known)}: {human_size(sum(measured))} in "
                     f"{_plural(len(measured), 'distribution')} (PyPI wheels for CPython 3.11, "
                     "installed sizes measured, approximate)")
    parts += [f"pip install {u}: not in the table, {human_size(T.ASSUMED_PIP_PACKAGE)} assumed"
              for u in unknown]
    if requirements:
        count = T.ASSUMED_REQUIREMENTS * len(requirements)
        size = count * T.ASSUMED_PIP_PACKAGE
        writes.append((site, size))
        wheels.append((f"{cache}/http-v2", int(size * T.ASSUMED_WHEEL_RATIO)))
        parts.append(f"pip install -r {' '.join(requirements)}: {count} requirements x "
                     f"{human_size(T.ASSUMED_PIP_PACKAGE)} assumed")
    installed = sum(s for _, s in writes)
    if not no_cache and wheels:
        parts.append(f"{human_size(sum(s for _, s in wheels))} of wheels cached in {cache} "
                     "(--no-cache-dir avoids it)")
        writes += wheels
    return _table(writes, duration=_install_seconds(installed), note="; ".join(parts))


def _venv(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """``python -m venv DIR``: the venv and its own copy of pip (measured)."""
    dirs = [a for a in args[2:] if not a.startswith("-")]
    if not dirs:
        return None
    size = T.PIP_DISTS["pip"][0]
    return _table([(ctx.path(d), size) for d in dirs], duration=3.0,
                  note=f"python -m venv: {human_size(size)} per venv, its pip (measured)")


_NPM_ARG_OPTS = frozenset({"--omit", "--include", "--registry", "--prefix", "--loglevel",
                           "--cache", "--userconfig", "-w", "--workspace", "--only"})
_PROD_FLAGS = ("--production", "--prod", "--omit=dev", "--only=prod", "--only=production")


def _node(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """npm/yarn/pnpm installs (node_modules) and ``run build`` (dist/), typical sizes."""
    tool = posixpath.basename(program)
    positional: list[str] = []
    flags: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in _NPM_ARG_OPTS:
            flags.append(f"{arg}={args[i] if i < len(args) else ''}")
            i += 1
        elif arg.startswith("-"):
            flags.append(arg)
        else:
            positional.append(arg)
    sub = positional[0] if positional else ("install" if tool == "yarn" else "")
    rest = positional[1:]
    if sub in ("ci", "install", "i", "add") and not (rest and sub != "ci"):
        production = any(f in _PROD_FLAGS for f in flags) or ctx.env.get("NODE_ENV") == "production"
        size = int(T.ASSUMED_NODE_MODULES * (T.ASSUMED_NODE_PROD_SHARE if production else 1))
        kind = "production dependencies" if production else "dependencies"
        return _table([(f"{ctx.workdir}/node_modules", size)],
                      duration=_install_seconds(size, T.ASSUMED_NODE_RATE),
                      note=f"{tool} {sub}: node_modules of {human_size(size)} assumed "
                           f"(typical {kind}; approximate)")
    if sub in ("install", "i", "add"):
        global_ = "-g" in flags or "--global" in flags
        root = "/usr/local/lib/node_modules" if global_ else f"{ctx.workdir}/node_modules"
        names = [p[:1] + p[1:].split("@", 1)[0] for p in rest]  # @scope/pkg@1.2 -> @scope/pkg
        size = T.ASSUMED_NPM_PACKAGE * len(names)
        return _table([(f"{root}/{n}", T.ASSUMED_NPM_PACKAGE) for n in names],
                      duration=_install_seconds(size, T.ASSUMED_NODE_RATE),
                      note=f"{tool} {sub} {' '.join(names)}: "
                           f"{human_size(T.ASSUMED_NPM_PACKAGE)} per package assumed")
    script = rest[0] if sub in ("run", "run-script") and rest else sub
    if script == "build" or script.startswith("build:"):
        return _table([(f"{ctx.workdir}/dist", T.ASSUMED_WEB_BUNDLE)],
                      duration=T.ASSUMED_WEB_BUILD_SECONDS,
                      note=f"{tool} run {script}: a {human_size(T.ASSUMED_WEB_BUNDLE)} bundle in "
                           "dist/ assumed")
    if sub == "cache" and "clean" in rest:
        home = "/usr/local/share/.cache/yarn" if tool == "yarn" else "/root/.npm"
        return _table(removes=[home], duration=0.5)
    return None


# ---- build tools ---------------------------------------------------------------------

_GO_ARG_OPTS = frozenset({"-o", "-ldflags", "-gcflags", "-asmflags", "-tags", "-mod", "-p",
                          "-modfile", "-overlay", "-pkgdir", "-toolexec", "-buildmode",
                          "-compiler", "-installsuffix"})


def _go(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """go build -o, go install, go mod download (typical sizes)."""
    sub = args[0] if args else ""
    out: str | None = None
    packages: list[str] = []
    i = 1
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if option.replace("--", "-", 1) in _GO_ARG_OPTS:
            value = attached if eq else (args[i] if i < len(args) else "")
            i += 0 if eq else 1
            if option.lstrip("-") == "o":
                out = value
        elif not arg.startswith("-"):
            packages.append(arg)
    gopath = ctx.env.get("GOPATH", "/go")
    if sub == "build":
        target = packages[-1] if packages else "."
        binary = posixpath.basename(target.rstrip("/").removesuffix("/...").lstrip("./") or "")
        binary = binary or posixpath.basename(ctx.workdir) or "main"
        if out is None:
            path = f"{ctx.workdir}/{binary}"
        elif out.endswith("/"):
            path = f"{ctx.path(out)}/{binary}"
        else:
            path = ctx.path(out)
        return _table([(path, T.ASSUMED_GO_BINARY)], duration=T.ASSUMED_GO_BUILD_SECONDS,
                      note=f"go build: a {human_size(T.ASSUMED_GO_BINARY)} binary at {path} "
                           "assumed (typical Go service)")
    if sub == "install" and packages:
        bindir = ctx.env.get("GOBIN", f"{gopath}/bin")
        names = [posixpath.basename(p.split("@", 1)[0].rstrip("/")) for p in packages]
        return _table([(f"{bindir}/{n}", T.ASSUMED_GO_BINARY) for n in names],
                      duration=T.ASSUMED_GO_BUILD_SECONDS,
                      note=f"go install: {human_size(T.ASSUMED_GO_BINARY)} per binary assumed")
    if sub == "mod" and packages[:1] in (["download"], ["tidy"]):
        cache = ctx.env.get("GOMODCACHE", f"{gopath}/pkg/mod")
        return _table([(cache, T.ASSUMED_GO_MODULES)],
                      duration=_install_seconds(T.ASSUMED_GO_MODULES),
                      note=f"go mod {packages[0]}: {human_size(T.ASSUMED_GO_MODULES)} of modules "
                           "assumed")
    return None


def _cargo(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """cargo build [--release]: the whole target/ directory stays in the layer."""
    if not args or args[0] != "build":
        return None
    release = "--release" in args or "-r" in args
    target = ctx.env.get("CARGO_TARGET_DIR", "target")
    if "--target-dir" in args[:-1]:
        target = args[args.index("--target-dir") + 1]
    size = T.ASSUMED_CARGO_RELEASE_TARGET if release else T.ASSUMED_CARGO_DEBUG_TARGET
    seconds = T.ASSUMED_CARGO_RELEASE_SECONDS if release else T.ASSUMED_CARGO_DEBUG_SECONDS
    return _table([(ctx.path(target), size)], duration=seconds,
                  note=f"cargo build{' --release' if release else ''}: target/ of "
                       f"{human_size(size)} assumed (compiled dependencies included)")


def _make(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """make [targets]: build output in the tree, or ``install`` into /usr/local."""
    directory = ctx.workdir
    targets: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in ("-j", "--jobs", "-l", "--load-average"):
            i += bool(i < len(args) and re.fullmatch(r"[0-9.]+|__subst__", args[i]))
        elif arg in ("-C", "--directory", "-f", "--file", "--makefile", "-I", "-o", "-W"):
            if arg in ("-C", "--directory") and i < len(args):
                directory = ctx.path(args[i])
            i += 1
        elif not arg.startswith("-") and not _ASSIGNMENT.fullmatch(arg):
            targets.append(arg)
    if targets and all(t in ("clean", "distclean") for t in targets):
        return _table(duration=1.0, note="make clean: nothing left to remove assumed")
    writes = []
    seconds = 0.0
    if not targets or any(t not in ("install", "clean", "distclean") for t in targets):
        writes.append((f"{directory}/build", T.ASSUMED_MAKE_OUTPUT))
        seconds += T.ASSUMED_MAKE_SECONDS
    if "install" in targets:
        writes.append(("/usr/local/bin", T.ASSUMED_MAKE_OUTPUT))
        seconds += 3.0
    shown = " ".join(["make", *targets])
    return _table(writes, duration=seconds,
                  note=f"{shown}: {human_size(T.ASSUMED_MAKE_OUTPUT)} of build output assumed")


_MAVEN_ARG_OPTS = frozenset({"-f", "--file", "-s", "--settings", "-P", "--activate-profiles",
                             "-pl", "--projects", "-T", "--threads", "-rf", "-gs", "-l"})


def _maven(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """mvn package/install/verify (target/ and ~/.m2), dependency:go-offline, clean."""
    goals: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in _MAVEN_ARG_OPTS:
            i += 1
        elif not arg.startswith("-"):
            goals.append(arg)
    target = f"{ctx.workdir}/target"
    repo = ("/root/.m2/repository", T.ASSUMED_MAVEN_REPOSITORY)
    removes = [target] if "clean" in goals else []
    if any(g in ("package", "install", "verify", "deploy") for g in goals):
        return _table([(target, T.ASSUMED_MAVEN_TARGET), repo], removes,
                      duration=T.ASSUMED_MAVEN_SECONDS,
                      note=f"mvn {' '.join(goals)}: target/ of "
                           f"{human_size(T.ASSUMED_MAVEN_TARGET)} and a local repository of "
                           f"{human_size(T.ASSUMED_MAVEN_REPOSITORY)} assumed")
    if any(g.startswith("dependency:") for g in goals):
        return _table([repo], removes, duration=_install_seconds(T.ASSUMED_MAVEN_REPOSITORY),
                      note=f"mvn {' '.join(goals)}: a local repository of "
                           f"{human_size(T.ASSUMED_MAVEN_REPOSITORY)} assumed")
    if removes:
        return _table(removes=removes, duration=2.0)
    return None


_GRADLE_TASKS = frozenset({"build", "assemble", "bootJar", "jar", "installDist", "shadowJar",
                           "war", "bootWar", "distZip", "distTar"})


def _gradle(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """gradle / ./gradlew build-like tasks: build/ and the Gradle user home."""
    tasks: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in ("-x", "--exclude-task", "-p", "--project-dir", "-b", "--build-file"):
            i += 1
        elif not arg.startswith("-"):
            tasks.append(arg.rsplit(":", 1)[-1])
    build = f"{ctx.workdir}/build"
    removes = [build] if "clean" in tasks else []
    if any(t in _GRADLE_TASKS for t in tasks):
        home = ctx.env.get("GRADLE_USER_HOME", "/root/.gradle")
        return _table([(build, T.ASSUMED_GRADLE_BUILD), (home, T.ASSUMED_GRADLE_HOME)], removes,
                      duration=T.ASSUMED_GRADLE_SECONDS,
                      note=f"gradle {' '.join(tasks)}: build/ of "
                           f"{human_size(T.ASSUMED_GRADLE_BUILD)} and a Gradle home of "
                           f"{human_size(T.ASSUMED_GRADLE_HOME)} assumed")
    if removes:
        return _table(removes=removes, duration=2.0)
    return None


# ---- downloads and archives ----------------------------------------------------------

_CURL_ARG_SHORT = frozenset("oHdXuAeTwxmbcFKrEUyYzCPQt")
_CURL_ARG_LONG = frozenset({
    "--output", "--header", "--data", "--data-raw", "--data-binary", "--data-urlencode",
    "--request", "--user", "--user-agent", "--referer", "--upload-file", "--write-out",
    "--proxy", "--max-time", "--cookie", "--cookie-jar", "--form", "--config", "--range",
    "--cert", "--cacert", "--retry", "--retry-delay", "--retry-max-time", "--connect-timeout",
    "--proto", "--proto-redir", "--url", "--output-dir", "--limit-rate", "--resolve",
})


_WGET_ARG_SHORT = frozenset("OPoatTUeiBwlQ")
_WGET_ARG_LONG = frozenset({
    "--output-document", "--directory-prefix", "--output-file", "--append-output", "--tries",
    "--timeout", "--user-agent", "--header", "--input-file", "--wait", "--level", "--quota",
    "--user", "--password", "--post-data", "--ca-certificate",
})


def _remote_name(url: str) -> str:
    return posixpath.basename(urlsplit(url).path) or "index.html"


def _download(path: str | None, tool: str) -> RunEffect:
    size = T.ASSUMED_DOWNLOAD
    where = f" to {path}" if path else " to stdout"
    return _table([(path, size)] if path else [], duration=_install_seconds(size),
                  note=f"{tool}: a download of unknown size{where}, {human_size(size)} assumed")


def _curl(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """curl -o FILE / -O / --output-dir; without them the bytes go to stdout."""
    output: str | None = None
    remote = False
    url: str | None = None
    directory = ctx.workdir
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if arg.startswith("--"):
            if arg == "--remote-name":
                remote = True
            elif option in _CURL_ARG_LONG:
                value = attached if eq else (args[i] if i < len(args) else "")
                i += 0 if eq else 1
                if option == "--output":
                    output = value
                elif option == "--url":
                    url = url or value
                elif option == "--output-dir":
                    directory = ctx.path(value)
        elif arg.startswith("-") and len(arg) > 1:
            for k, flag in enumerate(arg[1:], start=1):
                if flag == "O":
                    remote = True
                elif flag in _CURL_ARG_SHORT:
                    value = arg[k + 1:] or (args[i] if i < len(args) else "")
                    i += 0 if arg[k + 1:] else 1
                    if flag == "o":
                        output = value
                    break
        else:
            url = url or arg
    if output is not None and output != "-":
        return _download(_norm(output, directory), "curl")
    if remote and url:
        return _download(f"{directory}/{_remote_name(url)}", "curl")
    return _download(ctx.stdout, "curl")


def _wget(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """wget URL (file named after the URL), -O FILE, -O- (stdout), -P DIR."""
    output: str | None = None
    directory = ctx.workdir
    url: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if arg.startswith("--"):
            if option in _WGET_ARG_LONG:
                value = attached if eq else (args[i] if i < len(args) else "")
                i += 0 if eq else 1
                if option == "--output-document":
                    output = value
                elif option == "--directory-prefix":
                    directory = ctx.path(value)
        elif arg.startswith("-") and len(arg) > 1:
            for k, flag in enumerate(arg[1:], start=1):
                if flag in _WGET_ARG_SHORT:
                    value = arg[k + 1:] or (args[i] if i < len(args) else "")
                    i += 0 if arg[k + 1:] else 1
                    if flag == "O":
                        output = value
                    elif flag == "P":
                        directory = ctx.path(value)
                    break
        else:
            url = url or arg
    if output == "-":
        return _download(ctx.stdout, "wget")
    if output is not None:
        return _download(_norm(output, directory), "wget")
    return _download(f"{directory}/{_remote_name(url or '')}", "wget")


_ARCHIVE_SUFFIX = re.compile(r"\.(tar(\.(gz|xz|bz2|zst|lz4))?|tgz|txz|tbz2?|zip)$")


def _unpacked(archive: str | None, directory: str, tool: str) -> RunEffect:
    stem = _ARCHIVE_SUFFIX.sub("", posixpath.basename(archive or "")) or "archive"
    size = int(T.ASSUMED_DOWNLOAD * T.ASSUMED_UNPACK_RATIO)
    return _table([(f"{directory}/{stem}", size)], duration=_install_seconds(size),
                  note=f"{tool}: an archive of unknown size, {human_size(size)} unpacked "
                       f"assumed ({T.ASSUMED_UNPACK_RATIO}x a {human_size(T.ASSUMED_DOWNLOAD)} "
                       "download)")


def _tar(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """tar -x[z]f ARCHIVE [-C DIR]; creating archives is left to the default."""
    extract = False
    archive: str | None = None
    directory = ctx.workdir
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if option in ("--file", "--directory", "-C", "-f"):
            value = attached if eq else (args[i] if i < len(args) else "")
            i += 0 if eq else 1
            if option in ("--file", "-f"):
                archive = value
            else:
                directory = ctx.path(value)
        elif arg in ("--extract", "--get"):
            extract = True
        elif arg.startswith("--"):
            continue
        elif arg.startswith("-") or (i == 1 and re.fullmatch(r"[A-Za-z]+", arg)):
            cluster = arg.lstrip("-")
            extract = extract or "x" in cluster
            if "f" in cluster:
                rest = cluster[cluster.index("f") + 1:]
                if arg.startswith("-") and rest:
                    archive = rest
                elif i < len(args):
                    archive = args[i]
                    i += 1
    if not extract:
        return None
    return _unpacked(None if archive == "-" else archive, directory, "tar -x")


def _unzip(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    archive: str | None = None
    directory = ctx.workdir
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-d" and i < len(args):
            directory = ctx.path(args[i])
            i += 1
        elif not arg.startswith("-") and archive is None:
            archive = arg
    return _unpacked(archive, directory, "unzip") if archive else None


# ---- small commands ------------------------------------------------------------------

_ACCOUNT_ARG_OPTS = frozenset({
    "-u", "-g", "-G", "-d", "-s", "-c", "-k", "-K", "-e", "-f", "-p", "-b", "-Z", "-h",
    "--uid", "--gid", "--groups", "--home-dir", "--home", "--shell", "--comment", "--skel",
    "--key", "--expiredate", "--inactive", "--password", "--base-dir", "--gecos", "--ingroup",
    "--firstuid", "--lastuid", "--firstgid", "--lastgid",
})


def _accounts(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """useradd/adduser/groupadd/addgroup/usermod: rewritten account files, maybe a home."""
    tool = posixpath.basename(program)
    positional: list[str] = []
    flags: set[str] = set()
    home: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if option in _ACCOUNT_ARG_OPTS:
            value = attached if eq else (args[i] if i < len(args) else "")
            i += 0 if eq else 1
            if option in ("-d", "--home-dir", "--home") or (option == "-h" and tool == "adduser"):
                home = value
        elif arg.startswith("-"):
            flags.add(arg)
        else:
            positional.append(arg)
    if not positional:
        return None
    user = positional[0]
    if tool in ("groupadd", "addgroup") or (tool == "adduser" and len(positional) == 2):
        files = ["/etc/group", "/etc/gshadow"]
    elif tool == "usermod":
        files = ["/etc/passwd", "/etc/group"]
    else:
        files = list(T.ACCOUNT_FILES)
    writes = [(f, T.ACCOUNT_FILES[f]) for f in files]
    if tool == "useradd":
        creates_home = bool(flags & {"-m", "--create-home"})
    else:
        creates_home = tool == "adduser" and len(positional) == 1 and not (
            flags & {"-H", "--no-create-home", "--system", "-S"})
    if creates_home:
        writes.append((ctx.path(home or f"/home/{user}"), sum(s for _, s in T.DEBIAN_SKEL)))
    return _table(writes, duration=0.2, note=f"{tool} {user}: account files rewritten (small)")


def _metadata(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    tool = posixpath.basename(program)
    return _table(duration=0.1,
                  note=f"{tool}: metadata only, no new bytes assumed (Docker would copy the "
                       "changed files into this layer)")


def _rm(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    paths = [ctx.path(a) for a in args if not a.startswith("-")]
    return _table(removes=paths, duration=0.2)


def _text(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """echo/printf: nothing, or the text itself when redirected into a file."""
    words = [a for a in args if posixpath.basename(program) == "printf" or a not in ("-n", "-e")]
    if ctx.stdout is None:
        return _table()
    size = len(" ".join(words).encode()) + (posixpath.basename(program) == "echo")
    return _table([(ctx.stdout, size)])


def _cd(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    ctx.workdir = ctx.path(args[0]) if args and args[0] != "-" else "/root"
    return _table()


def _exit(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    if posixpath.basename(program) == "false":
        return _table(exit_code=1)
    code = int(args[0]) % 256 if args and _DIGITS.fullmatch(args[0]) else 0
    return _table(exit_code=code)


def _sleep(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    seconds = sum(_parse_duration(a) or 0.0 for a in args)
    return _table(duration=seconds)


def _noop(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    return _table()


def _small(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    return _table(duration=0.05)


def _shell(program: str, args: list[str], ctx: _Context) -> RunEffect | None:
    """``sh -c '...'``: the inner command line, segment by segment."""
    for k, arg in enumerate(args):
        if arg.startswith("-") and "c" in arg and not arg.startswith("--") and k + 1 < len(args):
            inner = _Context(ctx.workdir)
            return _estimate_command(args[k + 1], inner)
    return None


_HANDLERS: dict[str, Handler] = {
    "apt-get": _apt, "apt": _apt, "apk": _apk,
    "pip": _pip, "npm": _node, "yarn": _node, "pnpm": _node,
    "go": _go, "cargo": _cargo, "make": _make, "gmake": _make,
    "mvn": _maven, "mvnw": _maven, "gradle": _gradle, "gradlew": _gradle,
    "curl": _curl, "wget": _wget, "tar": _tar, "unzip": _unzip,
    "useradd": _accounts, "adduser": _accounts, "groupadd": _accounts,
    "addgroup": _accounts, "usermod": _accounts,
    "chmod": _metadata, "chown": _metadata, "chgrp": _metadata,
    "rm": _rm, "echo": _text, "printf": _text, "cd": _cd, "exit": _exit, "false": _exit,
    "sleep": _sleep, "true": _noop, ":": _noop, "set": _noop, "export": _noop,
    "unset": _noop, "umask": _noop, "mkdir": _small, "ln": _small, "touch": _small,
    "sh": _shell, "bash": _shell, "dash": _shell,
}
