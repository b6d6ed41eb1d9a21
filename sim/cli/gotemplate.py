"""Go text/template, as ``docker --format`` evaluates it, over Python data.

A port of Go 1.24's ``text/template`` (exec.go, funcs.go) with docker/cli's function
map (``templates/templates.go``: json, split, join, title, lower, upper, pad,
truncate) and Go's fmt printing.  ``render(template, data)`` / ``parse(template)``
raise :class:`TemplateError` whose text is Go's, e.g.
``template: :1:2: executing "" at <index .X 5>: error calling index: index out of range: 5``.

Data model.  Dicts are Go maps and lists Go slices.  A dict whose values are all
strings is a ``map[string]string`` (a list of strings a ``[]string``); any other dict
or list holds ``interface {}`` elements.  The difference is Go's: ``index .Labels "x"``
on a missing key yields ``""`` for ``map[string]string`` (as for Docker's
``Config.Labels``) but no value for ``map[string]interface {}``, and ``join`` needs a
``[]string``.  ``None`` is a nil interface: printed directly it shows ``<no value>``,
inside a composite ``<nil>``, in JSON ``null``.  A callable dict value is a method
(``{{.Label "com.x"}}``), invisible to printing, ``len`` and JSON.

Missing keys.  Docker parses with the default ``missingkey`` option, so a missing map
key prints ``<no value>`` (Go's map behaviour; Docker's typed structs would fail with
``can't evaluate field``, which :class:`GoStruct` reproduces for formatter rows).
``docker inspect`` retries a failing template on the raw JSON with
``missingkey=error`` (cli/command/inspect/inspector.go), so pass
``missingkey="error"`` for its ``map has no entry for key "Nope"`` error.

Not provided (never seen in Docker formats): ``{{define}}``/``{{block}}`` (so
``{{template "x"}}`` fails as undefined), the builtins ``call``, ``html``, ``js`` and
``urlquery``, complex numbers, and printf's ``*`` widths and ``[n]`` argument indexes.
"""

from __future__ import annotations

from . import gotemplate_parse as gp
from .gofmt import go_json, go_sprint
from .gotemplate_exec import MISSINGKEY, State, TemplateError
from .gotemplate_funcs import BUILTINS, DOCKER_FUNCS, HEADER_FUNCS, GoFunc
from .gotemplate_values import MISSING, GoMap, GoStruct

__all__ = ["HEADER_FUNCS", "GoFunc", "GoMap", "GoStruct", "Template", "TemplateError",
           "go_json", "go_sprint", "parse", "render"]


class Template:
    """A parsed template (``templates.Parse`` of docker/cli: Go builtins + Docker funcs)."""

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            self.root = gp.Tree(text, set(BUILTINS) | set(DOCKER_FUNCS)).root
        except gp.ParseError as exc:
            raise TemplateError(str(exc)) from None

    def execute_partial(self, data, *, missingkey: str = "default",
                        funcs: dict[str, GoFunc] | None = None) -> tuple[str, TemplateError | None]:
        """Execute; return the output written so far and the error that stopped it.

        ``funcs`` replaces functions by name, as Go's ``Template.Funcs`` after parsing.
        """
        if missingkey not in MISSINGKEY:
            raise ValueError(f"unrecognized missingkey option: {missingkey!r}")
        state = State(self.text, {**DOCKER_FUNCS, **(funcs or {})}, MISSINGKEY[missingkey])
        root = MISSING if data is None else data
        state.vars.append(["$", root])
        try:
            state.walk(root, self.root)
        except TemplateError as exc:
            return "".join(state.out), exc
        return "".join(state.out), None

    def execute(self, data, *, missingkey: str = "default",
                funcs: dict[str, GoFunc] | None = None) -> str:
        """Execute on ``data``; raise :class:`TemplateError` as Go's Execute would."""
        out, err = self.execute_partial(data, missingkey=missingkey, funcs=funcs)
        if err is not None:
            raise err
        return out


def parse(template: str) -> Template:
    """Parse ``template`` the way docker/cli's ``templates.Parse`` does."""
    return Template(template)


def render(template: str, data, *, missingkey: str = "default") -> str:
    """Parse and execute ``template`` on ``data``."""
    return Template(template).execute(data, missingkey=missingkey)
