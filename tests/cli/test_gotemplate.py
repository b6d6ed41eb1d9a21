"""Go text/template as docker --format runs it.

Expected values come from the Go sources: golang/go src/text/template/{exec,funcs}.go,
parse/{lex,parse,node}.go and their tests, src/fmt/print.go, src/encoding/json/encode.go,
and docker/cli templates/templates.go and cli/command/inspect/inspector.go.
"""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.cli.gotemplate import GoStruct, TemplateError, go_json, parse, render

CONTAINER = {
    "Id": "4f1c2ab9e0d7",
    "Name": "/web",
    "State": {"Status": "running", "ExitCode": 0, "Running": True, "Health": None},
    "RepoTags": ["nginx:latest", "nginx:1.27"],
    "RootFS": {"Layers": ["sha256:aaa", "sha256:bbb"]},
    "Config": {"Cmd": ["nginx", "-g", "daemon off;"], "Labels": {"maintainer": "NGINX"},
               "Env": ["A=1"]},
    "Size": 1000000.0,
    "Ratio": 0.5,
}


def err(template: str, data=CONTAINER, **kw) -> str:
    with pytest.raises(TemplateError) as info:
        render(template, data, **kw)
    return str(info.value)


# --- printing: exec.go printValue -> fmt.Fprint (%v, print.go) ------------------------

def test_fields_and_dot():
    assert render("{{.Name}} {{.State.Status}} {{.State.ExitCode}}", CONTAINER) == \
        "/web running 0"
    assert render("{{.}}", "plain") == "plain"


def test_composites_print_like_fmt_v():
    # print.go printValue: slices "[a b]", maps "map[k:v]" with sorted keys (fmtsort)
    assert render("{{.RepoTags}}", CONTAINER) == "[nginx:latest nginx:1.27]"
    assert render("{{.Config.Cmd}}", CONTAINER) == "[nginx -g daemon off;]"
    assert render("{{.State}}", CONTAINER) == \
        "map[ExitCode:0 Health:<nil> Running:true Status:running]"
    assert render("{{.}}", {"b": 2, "a": [1, None]}) == "map[a:[1 <nil>] b:2]"


def test_floats_print_as_go_percent_v():
    # strconv 'g' with shortest precision: exponent when exp < -4 || exp >= 6 (ftoa.go)
    assert render("{{.Size}} {{.Ratio}}", CONTAINER) == "1e+06 0.5"
    assert render("{{.}}", [100000.0, 1234567.0, 0.0001, 0.00001, 3.0]) == \
        "[100000 1.234567e+06 0.0001 1e-05 3]"


def test_missing_key_prints_no_value():
    # exec.go evalField: missingkey=default keeps the invalid Value; printableValue
    # turns it into "<no value>"; a nil interface{} element is unwrapped to it as well
    assert render("{{.Nope}}", CONTAINER) == "<no value>"
    assert render("{{.Nope.Deeper}}", CONTAINER) == "<no value>"
    assert render("{{.State.Health}}", CONTAINER) == "<no value>"
    assert render("{{.}}", None) == "<no value>"


def test_missingkey_error_is_docker_inspect_fallback():
    # inspector.go tryRawInspectFallback: tmpl.Option("missingkey=error") on raw JSON
    assert err("{{.Nope}}", missingkey="error") == \
        'template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"'
    # missingkey=zero: reflect.Zero(elem); a zero interface{} is unwrapped to "no value"
    # again (the known quirk of golang/go#24963), a zero string is ""
    assert render("{{.Nope}}", CONTAINER, missingkey="zero") == "<no value>"
    assert render("[{{.Nope}}]", {"A": "x"}, missingkey="zero") == "[]"


def test_go_struct_rows_reject_unknown_fields():
    row = GoStruct({"ID": "abc"}, "*formatter.ContainerContext")
    assert render("{{.ID}}", row) == "abc"
    assert err("{{.Nope}}", row) == ('template: :1:2: executing "" at <.Nope>: '
                                     "can't evaluate field Nope in type "
                                     "*formatter.ContainerContext")


def test_field_of_non_map_errors():
    assert err("{{.Name.Foo}}") == ('template: :1:7: executing "" at <.Name.Foo>: '
                                    "can't evaluate field Foo in type interface {}")
    assert err("{{.X.Foo}}", {"X": "s"}) == ('template: :1:4: executing "" at <.X.Foo>: '
                                             "can't evaluate field Foo in type string")
    # parse.go operand(): a field chain is positioned at its second field token
    assert err("{{.State.Health.Status}}") == (
        'template: :1:8: executing "" at <.State.Health.Status>: '
        "nil pointer evaluating interface {}.Status")


# --- docker/cli templates.go functions --------------------------------------------------

def test_json_is_compact_sorted_and_not_html_escaped():
    # templates.go: json.NewEncoder + SetEscapeHTML(false) + TrimSpace
    assert render("{{json .Config}}", CONTAINER) == (
        '{"Cmd":["nginx","-g","daemon off;"],"Env":["A=1"],"Labels":{"maintainer":"NGINX"}}')
    assert render("{{json .}}", "<a&b>") == '"<a&b>"'
    assert render("{{json .}}", "\u2028\x01\b\n") == '"\\u2028\\u0001\\b\\n"'
    assert render("{{json .Nope}}", CONTAINER) == "null"


def test_json_numbers_follow_encoding_json():
    # encode.go floatEncoder: 'f' unless abs < 1e-6 or >= 1e21, "e-07" cleaned to "e-7"
    assert go_json([1.0, 1e6, 1e21, 1e-7, 0.1, -0.0, 7]) == "[1,1000000,1e+21,1e-7,0.1,-0,7]"
    assert go_json(math.nan) == ""  # UnsupportedValueError: Encode writes nothing


def test_string_functions():
    assert render('{{join .Config.Cmd " "}}', CONTAINER) == "nginx -g daemon off;"
    assert render('{{split "a,b,,c" ","}}', {}) == "[a b  c]"
    assert render('{{upper "straße"}} {{lower "ÉTÉ"}}', {}) == "STRAßE été"
    assert render('{{title "hello wide_world-x"}}', {}) == "Hello Wide_world-X"
    assert render("{{truncate .Id 4}}|{{truncate .Id 99}}", CONTAINER) == "4f1c|4f1c2ab9e0d7"
    assert render("[{{pad .Id 1 2}}][{{pad .Nil 3 3}}]", {"Id": "x", "Nil": ""}) == "[ x  ][]"


def test_function_type_errors():
    assert err('{{join .Name ","}}') == ('template: :1:7: executing "" at <.Name>: '
                                         "wrong type for value; expected []string; got string")
    assert err("{{upper .State.ExitCode}}") == (
        'template: :1:14: executing "" at <.State.ExitCode>: '
        "wrong type for value; expected string; got int")
    assert err("{{upper .Nope}}") == ('template: :1:8: executing "" at <.Nope>: '
                                      "invalid value; expected string")
    # exec.go evalFunction: s.at(identifier) precedes evalCall's arity check
    assert err("{{truncate .Id}}") == ('template: :1:2: executing "" at <truncate>: '
                                       "wrong number of args for truncate: want 2 got 1")
    assert err('{{pad .Id "1" 2}}') == ('template: :1:10: executing "" at <"1">: '
                                        'expected integer; found "1"')


# --- text/template builtins (funcs.go) ---------------------------------------------------

def test_len_counts_bytes_and_elements():
    assert render("{{len .RepoTags}} {{len .Config}} {{len .}}", CONTAINER) == "2 3 8"
    assert render("{{len .}}", "héllo") == "6"
    assert err("{{len .State.ExitCode}}").endswith("error calling len: len of type int")


def test_index():
    assert render("{{index .RepoTags 1}}", CONTAINER) == "nginx:1.27"
    assert render('{{index .Config.Labels "maintainer"}}', CONTAINER) == "NGINX"
    # map[string]string: a missing key is the zero value ""
    assert render('[{{index .Config.Labels "nope"}}]', CONTAINER) == "[]"
    assert render('{{index . "Config" "Cmd" 2}}', CONTAINER) == "daemon off;"
    assert render("{{index . 0}}", "A") == "65"  # a byte of the string


def test_index_errors():
    assert err("{{index .X 5}}", {"X": [1, 2]}) == (
        'template: :1:2: executing "" at <index .X 5>: '
        "error calling index: index out of range: 5")
    # indexArg allows x == len; reflect.Value.Index then panics
    assert err("{{index .X 2}}", {"X": [1, 2]}).endswith(
        "error calling index: reflect: slice index out of range")
    assert err('{{index .RepoTags "a"}}').endswith(
        "error calling index: cannot index slice/array with type string")
    assert err("{{index .Nope 1}}").endswith("error calling index: index of untyped nil")


def test_print_functions():
    assert render('{{println .Id 1 true}}', CONTAINER) == "4f1c2ab9e0d7 1 true\n"
    assert render('{{print "a" 1 2 "b"}}', {}) == "a1 2b"  # Sprint spaces non-strings only
    assert render('{{printf "%s|%d|%v|%q" .Name 42 .RepoTags .Name}}', CONTAINER) == \
        '/web|42|[nginx:latest nginx:1.27]|"/web"'
    assert render('{{printf "%-6s|%5.2f|%03d|%x|%q" "ab" 3.14159 7 255 65}}', {}) == \
        "ab    | 3.14|007|ff|'A'"


def test_printf_bad_verbs_and_arity():
    # print.go badVerb / missingString / extraString
    assert render('{{printf "%d %s" "x" 1}}', {}) == "%!d(string=x) %!s(int=1)"
    assert render('{{printf "%d %d" 1}}', {}) == "1 %!d(MISSING)"
    assert render('{{printf "hi" 1 "a"}}', {}) == "hi%!(EXTRA int=1, string=a)"
    assert render('{{printf "%v %s" .Nope .Nope}}', {}) == "<nil> %!s(<nil>)"


def test_comparisons():
    assert render('{{eq .State.Status "exited" "running"}}', CONTAINER) == "true"
    assert render("{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 2 3}}", {}) == \
        "true true true false false"
    assert render('{{lt "abc" "abd"}}', {}) == "true"
    assert err("{{eq 1 1.0}}", {}) == ('template: :1:2: executing "" at <eq 1 1.0>: '
                                       "error calling eq: incompatible types for "
                                       "comparison: int and float64")
    assert err("{{lt true false}}", {}).endswith("error calling lt: invalid type for comparison")
    assert render('{{eq .Nope "x"}}', {}) == "false"


def test_and_or_not_return_operands():
    # funcs.go: and/or return the first falsy/truthy operand, else the last
    assert render('{{and 1 "" 3}}|{{or 0 "" "x"}}|{{or 0 ""}}|{{not .Nope}}', {}) == \
        "|x||true"
    assert render("{{and .State.Running .State.Status}}", CONTAINER) == "running"


# --- control structures ----------------------------------------------------------------

def test_if_else_chain_and_with():
    t = '{{if eq .S "a"}}A{{else if eq .S "b"}}B{{else}}C{{end}}'
    assert [render(t, {"S": s}) for s in "abz"] == ["A", "B", "C"]
    assert render("{{with .State}}{{.Status}}{{else}}none{{end}}", CONTAINER) == "running"
    assert render("{{with .Nope}}x{{else}}none{{end}}", CONTAINER) == "none"
    assert render("{{if .RepoTags}}y{{end}}{{if .E}}n{{end}}", {"RepoTags": [1], "E": []}) == "y"


def test_range_forms():
    assert render("{{range $i, $v := .RepoTags}}{{$i}}={{$v}};{{end}}", CONTAINER) == \
        "0=nginx:latest;1=nginx:1.27;"
    assert render("{{range .RootFS.Layers}}{{println .}}{{end}}", CONTAINER) == \
        "sha256:aaa\nsha256:bbb\n"
    # maps range in sorted key order (fmtsort)
    assert render("{{range $k, $v := .}}{{$k}}:{{$v}} {{end}}", {"b": 1, "a": 2}) == "a:2 b:1 "
    assert render("{{range .E}}x{{else}}empty{{end}}", {"E": []}) == "empty"
    assert render("{{range 3}}{{.}}{{end}}", {}) == "012"  # Go 1.24 range over int
    t = "{{range .}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}"
    assert render(t, [1, 2, 3, 4, 5]) == "13"
    assert err("{{range .Name}}{{end}}") == ('template: :1:8: executing "" at <.Name>: '
                                             "range can't iterate over /web")


def test_variables():
    assert render("{{$x := .Id}}{{$x}} {{$x = 7}}{{$x}}", CONTAINER) == "4f1c2ab9e0d7 7"
    assert render("{{range .RepoTags}}{{$.Name}}{{end}}", CONTAINER) == "/web/web"
    assert render("{{with $s := .State}}{{$s.Status}}{{end}}", CONTAINER) == "running"


def test_literals():
    assert render('{{"a\\tb"}}|{{`raw\\n`}}|{{0x1F}}|{{1e3}}|{{-2}}|{{\'a\'}}|{{true}}', {}) == \
        "a\tb|raw\\n|31|1000|-2|97|true"
    assert err("{{nil}}", {}) == 'template: :1:2: executing "" at <nil>: nil is not a command'


def test_pipelines_and_parens():
    assert render('{{.Name | printf "%s!" | upper}}', CONTAINER) == "/WEB!"
    assert render("{{(index .RepoTags 0) | len}}", CONTAINER) == "12"
    assert render("{{(index .Config.Cmd 0)}}", CONTAINER) == "nginx"


# --- lexer: trim markers and comments (parse_test.go "Trimming spaces") ----------------

def test_trim_markers_and_comments():
    assert render("x \r\n\t{{- 3}}", {}) == "x3"
    assert render("{{3 -}}\n\n\ty", {}) == "3y"
    assert render("x\n{{-  3   -}}\ny", {}) == "x3y"
    assert render("x \r\n\t{{- /* hi */ -}}\n\n\ty", {}) == "xy"
    assert render("a{{/* multi\nline */}}b", {}) == "ab"
    assert render("{{-3}}", {}) == "-3"  # no space: a negative number, not a trim marker


# --- parse errors (parse_test.go errorTests; Tree.errorf "template: NAME:LINE: ...") ----

@pytest.mark.parametrize(("template", "message"), [
    ("{{.Id }", 'template: :1: unexpected "}" in operand'),
    ("{{foo}}", 'template: :1: function "foo" not defined'),
    ("line1\n{{", "template: :2: unclosed action"),
    ('line1\n{{"x"\n"y"\n', "template: :4: unclosed action started at :2"),
    ("{{/*}}", "template: :1: unclosed comment"),
    ("{{.X (1 2 3}}", "template: :1: unclosed left paren"),
    ("{{.X 1 2 3 ) }}", "template: :1: unexpected right paren"),
    ("{{a#}}", "template: :1: bad character U+0023 '#'"),
    ("{{'a}}", "template: :1: unterminated character constant"),
    ('{{"a}}', "template: :1: unterminated quoted string"),
    ("{{range .X}}", "template: :1: unexpected EOF"),
    ("{{$a}}", 'template: :1: undefined variable "$a"'),
    ("{{true.any}}", 'template: :1: unexpected . after term "true"'),
    ("{{12|false}}", "template: :1: non executable command in pipeline stage 2"),
    ("{{ ( ) }}", "template: :1: missing value for parenthesized pipeline"),
    ("{{\n}}", "template: :2: missing value for command"),
    ("{{end}}", "template: :1: unexpected {{end}}"),
    ("{{if .X}}1{{else}}2{{else}}3{{end}}", "template: :1: expected end; found {{else}}"),
    ("{{range $k, .}}{{end}}", "template: :1: range can only initialize variables"),
    ("{{$a,$b,$c := 23}}", "template: :1: too many declarations in command"),
    ("{{break}}", "template: :1: {{break}} outside {{range}}"),
    ("{{0xi}}", 'template: :1: illegal number syntax: "0xi"'),  # lexes, fails newNumber
    ("{{3x}}", 'template: :1: bad number syntax: "3x"'),
    ("{{.Foo-}}", "template: :1: bad character U+002D '-'"),
    ("{{printf 3, 4}}", 'template: :1: unexpected "," in operand'),
])
def test_parse_errors(template, message):
    with pytest.raises(TemplateError) as info:
        parse(template)
    assert str(info.value) == message


def test_exec_error_positions_are_byte_columns():
    # parse.go ErrorContext: 1-based line, 0-based byte offset within that line
    assert err("ab\n{{index .X 5}}", {"X": []}).startswith(
        'template: :2:2: executing "" at <index .X 5>')
    assert err("é{{index .X 5}}", {"X": []}).startswith(
        'template: :1:4: executing "" at <index .X 5>')


def test_partial_output_before_an_error():
    out, error = parse("a{{.X}}b{{index .X 9}}c").execute_partial({"X": [1]})
    assert out == "a[1]b"
    assert "index out of range: 9" in str(error)


# --- properties ------------------------------------------------------------------------

@given(st.text().filter(lambda s: "{{" not in s))
def test_text_without_actions_renders_to_itself(text):
    assert render(text, {}) == text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@given(json_values)
def test_json_round_trips(value):
    # floats below 1e21 print in 'f' form ("1e16" -> 10000000000000000), so read
    # every number back as a float; integers are within 2**53 and stay exact
    assert json.loads(render("{{json .}}", value), parse_int=float) == value


@given(st.integers(-(2**63), 2**63 - 1))
def test_printf_d_is_decimal(n):
    assert render('{{printf "%d" .}}', n) == str(n)


@given(st.text())
def test_len_of_string_is_utf8_bytes(s):
    assert render("{{len .}}", s) == str(len(s.encode("utf-8", "surrogatepass")))
