"""tonistiigi/fsutil, as BuildKit uses it to send the build context to the builder.

The filtered walk (``walk``: .dockerignore exclusions, directories re-entered for ``!``
exceptions), the FollowPaths/FollowLinks filter that sends only what COPY/ADD name
(``follow_paths``, ``follow_links``) and the protobuf size of the packets sent, which is
``#N transferring context`` (``transfer_size``). Split from context.py to keep modules
small; context.py's docstring lists the rules and re-exports ``transfer_size``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping

from ..model.layer import DIR, FILE, SYMLINK, FileEntry
from .contenthash import MAX_SYMLINKS, ContextError, ContextFile, name_key
from .gomatch import PatternError, contains_wildcards, go_clean
from .ignore import IgnoreMatcher, MatchInfo

#: fsutil sends file data in buffers of this size (send.go bufPool).
CHUNK = 32 * 1024


# --- fsutil wire size ---------------------------------------------------------------------


def _varint_len(value: int) -> int:
    n = 1
    while value >= 0x80:
        value >>= 7
        n += 1
    return n


def _int_field(value: int) -> int:
    return 0 if value == 0 else 1 + _varint_len(value)


def _bytes_field(length: int) -> int:
    return 0 if length == 0 else 1 + _varint_len(length) + length


#: Stat.modTime: any UnixNano between 1972 and 2262 is a 9-byte varint, plus its tag.
_MODTIME_FIELD = 10


def _go_file_mode(entry: FileEntry) -> int:
    """os.FileMode bits fsutil puts in Stat.mode (type bits high, not S_IFMT)."""
    mode = entry.mode & 0o777
    for bit, go_bit in ((0o4000, 1 << 23), (0o2000, 1 << 22), (0o1000, 1 << 20)):
        if entry.mode & bit:
            mode |= go_bit
    if entry.kind == DIR:
        mode |= 1 << 31
    elif entry.kind == SYMLINK:
        mode |= 1 << 27
    return mode


def _stat_packet(path: str, entry: FileEntry) -> int:
    link = entry.target.encode() if entry.kind == SYMLINK else b""
    size = entry.size if entry.kind == FILE else len(link)
    body = (_bytes_field(len(path.encode())) + _int_field(_go_file_mode(entry))
            + _int_field(size) + _MODTIME_FIELD + _bytes_field(len(link)))
    return 1 + _varint_len(body) + body


def _data_packets(file_id: int, size: int) -> int:
    id_field = _int_field(file_id)
    full, rest = divmod(size, CHUNK)
    total = full * (2 + id_field + _bytes_field(CHUNK))
    if rest:
        total += 2 + id_field + _bytes_field(rest)
    return total + 2 + id_field  # the empty DATA packet that closes the file


def transfer_size(entries: Iterable[tuple[str, FileEntry]]) -> int:
    """Bytes BuildKit reports for sending ``entries`` (path, entry) in walk order: the sum
    of fsutil Packet sizes the receiver counts. A file's id is its index in the walk."""
    total = 2  # PACKET_FIN; the closing empty STAT encodes to 0 bytes
    for index, (path, entry) in enumerate(entries):
        total += _stat_packet(path, entry)
        if entry.kind == FILE:
            total += _data_packets(index, entry.size)
    return total


def walk(listdir: Callable[[str], list[str]], is_dir: Callable[[str], bool],
          matcher: IgnoreMatcher | None) -> tuple[list[str], list[str]]:
    """fsutil's filtered walk: (sent paths in order, excluded paths). An excluded directory
    is entered only if an exception may re-include something in it, and is then sent just
    before the first entry inside it that is sent."""
    sent: list[str] = []
    excluded: list[str] = []

    def visit(directory: str, info: MatchInfo | None, pending: list[list]) -> None:
        for name in sorted(listdir(directory), key=name_key):
            path = f"{directory}/{name}" if directory else name
            isdir = is_dir(path)
            child_info: MatchInfo | None = None
            if matcher:
                try:
                    hit, child_info = matcher.matches_using_parent_results(path, info)
                except PatternError as exc:
                    raise ContextError(f"failed to match excludepatterns: {exc}") from None
                if hit:
                    excluded.append(path)
                    if isdir and matcher.may_reinclude_under(path):
                        visit(path, child_info, [*pending, [path, False]])
                    continue
            for item in pending:
                if not item[1]:
                    sent.append(item[0])
                    item[1] = True
            sent.append(path)
            if isdir:
                visit(path, child_info, [])

    visit("", None, [])
    return sent, excluded


def go_list(items: Iterable[str]) -> str:
    """Go's %s of a []string."""
    return "[" + " ".join(items) + "]"


def matcher_for(patterns: list[str]) -> IgnoreMatcher | None:
    if not patterns:
        return None
    try:
        return IgnoreMatcher(patterns)
    except PatternError as exc:
        raise ContextError(f"invalid excludepatterns: {go_list(patterns)}: {exc}") from None


def follow_links(files: Mapping[str, ContextFile], paths: list[str]) -> list[str] | None:
    """fsutil FollowLinks: add the targets of symlinks met along each path; the result
    is sorted and deduplicated (None when it covers the whole context)."""
    resolved: set[str] = set()

    def add(path: str, depth: int) -> None:
        path = go_clean(path.lstrip("/"))
        if depth > MAX_SYMLINKS or contains_wildcards(path) or path == ".":
            resolved.add(path)
            return
        parts = path.split("/")
        current = ""
        for i, part in enumerate(parts):
            current = f"{current}/{part}" if current else part
            cf = files.get(current)
            if cf is not None and cf.kind == SYMLINK:
                if current in resolved:
                    return
                resolved.add(current)
                target = cf.entry.target
                if not target.startswith("/"):
                    target = posixpath.join(posixpath.dirname(current), target)
                rest = "/".join(parts[i + 1:])
                add(f"{target}/{rest}" if rest else target, depth + 1)
                return
        resolved.add(current)

    for p in paths:
        add(p, 0)
    out: list[str] = []
    last = None
    for p in sorted(resolved):
        if p == ".":
            return None
        if last is not None and p.startswith(last + "/"):
            continue
        out.append(p)
        last = p
    return out


def follow_paths(files: Mapping[str, ContextFile], sources: Iterable[str] | None
                 ) -> list[ContextFile]:
    """fsutil's FollowPaths filter over ``files`` (in walk order), for
    :meth:`BuildContext.transferred <sim.build.context.BuildContext.transferred>`: the
    entries matching ``sources`` or the symlink targets on their way, with the parent
    directories of each match sent just before it."""
    if sources is None:
        return list(files.values())
    paths = {go_clean("/" + s) for s in sources}
    if not paths or "/" in paths:
        return list(files.values())
    includes = follow_links(files, sorted(p.lstrip("/") for p in paths))
    if includes is None:
        return list(files.values())
    try:
        matcher = IgnoreMatcher(includes)
    except PatternError as exc:
        raise ContextError(f"invalid includepatterns: {go_list(includes)}: {exc}"
                           ) from None
    infos: dict[str, MatchInfo] = {}
    out: list[ContextFile] = []
    pending: dict[str, ContextFile] = {}
    for path, cf in files.items():
        parent = path.rpartition("/")[0]
        try:
            hit, info = matcher.matches_using_parent_results(path, infos.get(parent))
        except PatternError as exc:
            raise ContextError(f"failed to match includepatterns: {exc}") from None
        if cf.kind == DIR:
            infos[path] = info
        for stale in [d for d in pending if not path.startswith(d + "/")]:
            del pending[stale]
        if not hit:
            if cf.kind == DIR:
                pending[path] = cf
            continue
        out.extend(pending.values())
        pending.clear()
        out.append(cf)
    return out
