"""``--format`` rendering of list commands, as docker/cli's formatter.Context does it.

A port of ``cli/command/formatter/formatter.go`` (Context.preFormat / postFormat /
contextFormat) and the header map of ``custom.go`` (SubHeaderContext):

* a format starting with ``table`` loses that prefix; the format ``json`` becomes
  ``{{json .}}``; the rest is trimmed of spaces (``strings.Trim(f, " ")``) and the
  typed two-character sequences ``\\t`` and ``\\n`` become a real tab and newline
  (``strings.NewReplacer(`\\t`, "\\t", `\\n`, "\\n")``) -- before parsing, so a
  ``"\\n"`` inside a template string literal breaks the literal, exactly as in Docker;
* every row is the template executed on that row plus ``"\\n"``; an execution error
  aborts the whole output (Docker returns the error before printing anything);
* a table first executes the template on the header map with
  ``templates.HeaderFunctions`` (json/split/join/title/lower/upper/truncate return
  the header unchanged; ``pad`` is kept), ignores any error in doing so and keeps the
  partial output, then writes header, ``"\\n"`` and the rows through
  ``tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)``.  The header map is a
  ``map[string]string``, so a field with no header entry prints Go's ``<no value>``
  (what Docker shows for e.g. ``docker ps --format 'table {{.FieldsUsed}}'``), and
  ``{{.Label "com.example.name"}}`` heads its column with the last dotted part,
  ``-`` and ``_`` turned into spaces (``SubHeaderContext.Label``).
"""

from __future__ import annotations

from .gotemplate import HEADER_FUNCS, GoMap, GoStruct, Template
from .tabwriter import tabwrite

__all__ = ["header_label", "is_json", "is_table", "pre_format", "render_format"]

TABLE_FORMAT_KEY = "table"
JSON_FORMAT_KEY = "json"


def is_table(fmt: str) -> bool:
    """Format.IsTable: the format starts with ``table``."""
    return fmt.startswith(TABLE_FORMAT_KEY)


def is_json(fmt: str) -> bool:
    """Format.IsJSON: the format is exactly ``json``."""
    return fmt == JSON_FORMAT_KEY


def pre_format(fmt: str) -> str:
    """Context.preFormat: the template text actually parsed for ``fmt``."""
    if is_table(fmt):
        fmt = fmt[len(TABLE_FORMAT_KEY):]
    elif is_json(fmt):
        fmt = "{{json .}}"
    return fmt.strip(" ").replace("\\t", "\t").replace("\\n", "\n")


def header_label(name: str) -> str:
    """SubHeaderContext.Label: ``com.docker.compose.project`` -> ``project``."""
    return name.split(".")[-1].replace("-", " ").replace("_", " ")


def render_format(fmt: str, rows: list[dict], headers: dict[str, str], *,
                  row_type: str | None = None) -> str:
    """Render ``rows`` with the user's ``--format`` exactly as docker/cli prints them.

    ``headers`` maps field names to column titles (the SubHeaderContext).  With
    ``row_type`` (e.g. ``"*formatter.ContainerContext"``) each row behaves as that Go
    struct: an unknown field is Docker's ``can't evaluate field Nope in type ...``
    error instead of a map's ``<no value>``.  Raises
    :class:`~sim.cli.gotemplate.TemplateError` for parse and row errors.
    """
    tmpl = Template(pre_format(fmt))
    body = []
    for row in rows:
        data = GoStruct(row, row_type) if row_type else row
        body.append(tmpl.execute(data) + "\n")
    if not is_table(fmt):
        return "".join(body)
    header = GoMap({**headers, "Label": header_label}, "formatter.SubHeaderContext")
    head, _ignored = tmpl.execute_partial(header, funcs=HEADER_FUNCS)
    return tabwrite(head + "\n" + "".join(body))
