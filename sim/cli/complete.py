"""Tab completion from the same command registry that drives parsing and help."""

from __future__ import annotations


class Completer:
    def __init__(self, world, host: str) -> None:
        self.world = world
        self.host = host
        self._matches: list[str] = []

    def candidates(self, words: list[str], current: str) -> list[str]:
        """Completions for ``current`` after the complete ``words`` already typed."""
        from .specs import SPECS
        if not words:
            return [w for w in ("docker", "sleep", "help") if w.startswith(current)]
        if words[0] != "docker":
            return []
        typed = words[1:]
        paths = [s.path for s in SPECS.values()] + [a for s in SPECS.values() for a in s.aliases]
        spec = None
        for s in SPECS.values():
            for p in (s.path, *s.aliases):
                if list(p) == typed[: len(p)] and (spec is None or len(p) > len(spec[1])):
                    spec = (s, p)
        if spec is None:
            nxt = {p[len(typed)] for p in paths if list(p[: len(typed)]) == typed
                   and len(p) > len(typed)}
            return sorted(w for w in nxt if w.startswith(current))
        s, _ = spec
        if current.startswith("-"):
            # cobra completes neither hidden nor deprecated flags (nonCompletableFlag); the
            # CLI hides flags of daemon features a plain Linux engine lacks (only_when)
            shown = [f for f in s.flags if not (f.hidden or f.deprecated or f.only_when)]
            flags = [f"--{f.name}" for f in shown] + [f"-{f.shorthand}" for f in shown
                                                      if f.shorthand]
            return sorted(f for f in flags if f.startswith(current))
        return sorted(n for n in self._names(s.path) if n.startswith(current))

    def _names(self, path: tuple[str, ...]) -> list[str]:
        eng = self.world.hosts[self.host].engine
        if path[0] == "image" or path in (("container", "run"), ("container", "create")):
            refs = [r.familiar_string() for r in (eng.images._parsed.values())
                    if r.tag is not None]
            if path[-1] in ("pull", "run", "create"):
                from ..catalog.loader import names
                refs += names()
            return sorted(set(refs))
        if path[0] == "volume":
            return list(eng.volumes.volumes)
        return [c.name for c in eng.containers.values()]

    def complete(self, text: str, state: int) -> str | None:
        if state == 0:
            import readline
            buffer = readline.get_line_buffer()[: readline.get_endidx()]
            words = buffer.split()
            if not buffer.endswith(" ") and words:
                words = words[:-1]
            self._matches = [m + " " for m in self.candidates(words, text)]
        return self._matches[state] if state < len(self._matches) else None
