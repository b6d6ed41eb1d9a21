"""docker/cli --format rendering: cli/command/formatter/formatter.go (Context), custom.go
(SubHeaderContext), formatter_test.go, and templates/templates.go (HeaderFunctions)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.cli.formatter import header_label, is_json, is_table, pre_format, render_format
from sim.cli.gotemplate import TemplateError

HEADERS = {"ID": "CONTAINER ID", "Image": "IMAGE", "Names": "NAMES", "Labels": "LABELS",
           "Status": "STATUS"}
ROWS = [
    {"ID": "4f1c2ab9e0d7", "Image": "nginx", "Names": "web", "Labels": "tier=front",
     "Status": "Up 2 minutes"},
    {"ID": "9a8b7c6d5e4f", "Image": "redis:7", "Names": "cache", "Labels": "",
     "Status": "Exited (0) 5 seconds ago"},
]


def test_format_kinds():
    # formatter_test.go TestFormat
    assert is_json("json") and not is_table("json")
    assert is_table("table") and not is_json("table")
    assert not is_table("other") and not is_json("other")
    assert is_table("table {{.ID}}") and is_table("tablefoo")


def test_pre_format():
    # formatter.go preFormat: drop "table", trim spaces only, replace `\t` and `\n`
    assert pre_format("table {{.ID}}\\t{{.Names}}  ") == "{{.ID}}\t{{.Names}}"
    assert pre_format("json") == "{{json .}}"
    assert pre_format("  {{.ID}}\\n{{.Names}}\t") == "{{.ID}}\n{{.Names}}\t"


def test_context_cases_from_formatter_test():
    # formatter_test.go TestContext: fakeSubContext{Name: "test"}, header {"Name": "NAME"}
    rows, headers = [{"Name": "test"}], {"Name": "NAME"}
    assert render_format("json", rows, headers) == '{"Name":"test"}\n'
    assert render_format("table {{.Name}}", rows, headers) == "NAME\ntest\n"


def test_table_is_tabwritten_with_docker_settings():
    # NewWriter(out, 10, 1, 3, ' ', 0): width = max(len + 3, 10); last cell unpadded
    out = render_format("table {{.ID}}\\t{{.Image}}\\t{{.Names}}", ROWS, HEADERS)
    assert out == ("CONTAINER ID   IMAGE     NAMES\n"
                   "4f1c2ab9e0d7   nginx     web\n"
                   "9a8b7c6d5e4f   redis:7   cache\n")


def test_plain_format_has_no_header_and_no_alignment():
    out = render_format("{{.Names}}\\t{{.Status}}", ROWS, HEADERS)
    assert out == "web\tUp 2 minutes\ncache\tExited (0) 5 seconds ago\n"
    assert render_format("{{.Names}}", [], HEADERS) == ""


def test_empty_table_still_prints_the_header():
    assert render_format("table {{.ID}}\\t{{.Names}}", [], HEADERS) == "CONTAINER ID   NAMES\n"


def test_header_functions_keep_titles_but_pad_applies():
    # templates.go HeaderFunctions: json/split/join/title/lower/upper/truncate return v;
    # pad is not overridden
    fmt = "table {{upper .Names}}\\t{{json .Labels}}\\t{{truncate .ID 4}}\\t{{pad .Image 1 1}}|"
    out = render_format(fmt, ROWS[:1], HEADERS)
    assert out == ("NAMES     LABELS         CONTAINER ID    IMAGE |\n"
                   'WEB       "tier=front"   4f1c            nginx |\n')


def test_header_for_unknown_field_is_no_value():
    # the header map is a map[string]string: a missing key is printed as <no value>
    out = render_format("table {{.ID}}\\t{{.Extra}}", [{"ID": "a", "Extra": "x"}], HEADERS)
    assert out == "CONTAINER ID   <no value>\na              x\n"


def test_label_header_uses_the_last_dotted_part():
    # custom.go SubHeaderContext.Label
    assert header_label("com.docker.compose.project") == "project"
    assert header_label("org.opencontainers.image.ref_name") == "ref name"
    rows = [{"Label": lambda name: {"com.docker.compose.project": "shop"}.get(name, "")}]
    out = render_format('table {{.Label "com.docker.compose.project"}}', rows, HEADERS)
    assert out == "project\nshop\n"


def test_header_errors_are_ignored_and_partial_output_kept():
    # postFormat ignores the header Execute error and keeps what was written: the
    # header "ID" has no byte 4, the row value "abcdef" has ('e' = 101)
    out = render_format("table A{{.ID}}\\t{{index .ID 4}}", [{"ID": "abcdef"}], {"ID": "ID"})
    assert out == "AID       \nAabcdef   101\n"
    # len of the header string itself: Go executes the real builtin on "NAMES"
    assert render_format("table {{len .Names}}", [{"Names": "ab"}], HEADERS) == "5\n2\n"


def test_row_errors_abort_everything():
    with pytest.raises(TemplateError) as info:
        render_format("table {{.ID}}\\t{{index .Names 9}}", ROWS, HEADERS)
    # positions count in the pre-formatted text: "table " removed, "\\t" one byte
    assert str(info.value) == ('template: :1:10: executing "" at <index .Names 9>: '
                               "error calling index: index out of range: 9")


def test_typed_rows_reject_unknown_fields_like_docker():
    with pytest.raises(TemplateError) as info:
        render_format("{{.Nope}}", ROWS, HEADERS, row_type="*formatter.ContainerContext")
    assert str(info.value) == ('template: :1:2: executing "" at <.Nope>: can\'t evaluate '
                               "field Nope in type *formatter.ContainerContext")


def test_escaped_newline_inside_a_string_literal_breaks_it():
    # the replacement runs before parsing, so "\n" becomes a raw newline in the literal
    with pytest.raises(TemplateError) as info:
        render_format('{{join .Names "\\n"}}', ROWS, HEADERS)
    assert str(info.value) == "template: :1: unterminated quoted string"


def test_parse_errors_surface():
    with pytest.raises(TemplateError) as info:
        render_format("table {{.ID", ROWS, HEADERS)
    assert str(info.value) == "template: :1: unclosed action"


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=20)


@given(st.lists(names, max_size=8))
def test_one_line_per_row(values):
    rows = [{"Names": v} for v in values]
    plain = render_format("{{.Names}}", rows, HEADERS)
    assert plain.splitlines() == values and plain.count("\n") == len(values)
    table = render_format("table {{.Names}}\\t{{.Names}}", rows, HEADERS).splitlines()
    assert len(table) == len(values) + 1 and table[0].startswith("NAMES")
    width = max([len(v) for v in values] + [len("NAMES")]) + 3
    assert all(line[max(width, 10):] == v for line, v in zip(table[1:], values, strict=True))
