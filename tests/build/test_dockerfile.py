"""Dockerfile parsing and variable expansion with BuildKit's rules (fact sheet §3).

Error texts are BuildKit's: instructions/parse.go and bflag.go for the ``dockerfile parse
error on line N:`` family, parser/parser.go and line_parsers.go for the parser's own, and
dockerfile2llb/convert.go for empty files and missing stages.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.build.dockerfile import (
    EXPANDS,
    DockerfileError,
    ExpansionError,
    Instruction,
    expand,
    expand_words,
    makes_layer,
    parse_dockerfile,
)


def only_stage(text: str):
    dockerfile = parse_dockerfile(text)
    assert len(dockerfile.stages) == 1
    return dockerfile.stages[0]


def instr(text: str) -> Instruction:
    """The single instruction after ``FROM alpine``."""
    stage = only_stage(f"FROM alpine\n{text}\n")
    assert len(stage.instructions) == 1
    return stage.instructions[0]


# --- structure ---------------------------------------------------------------------------

def test_continuation_joins_lines_and_keeps_their_span() -> None:
    run = instr("RUN apk add \\\n    curl \\\n    git")
    assert run.args == ("apk add     curl     git",)
    assert (run.line, run.end_line) == (2, 4)
    assert run.original == "RUN apk add     curl     git"


def test_comment_and_blank_lines_inside_a_continuation_are_dropped() -> None:
    run = instr("RUN echo a \\\n# not part of the command\n\n  b")
    assert run.args == ("echo a   b",)
    assert run.end_line == 5


def test_json_and_shell_forms() -> None:
    assert instr('CMD ["nginx", "-g", "daemon off;"]').args == ("nginx", "-g", "daemon off;")
    assert instr('CMD ["nginx", "-g", "daemon off;"]').json_form
    shell = instr("CMD nginx -g 'daemon off;'")
    assert (shell.args, shell.json_form) == (("nginx -g 'daemon off;'",), False)
    # not valid JSON, so shell form (single quotes; trailing text after the array)
    assert instr("ENTRYPOINT ['a', 'b']").args == ("['a', 'b']",)
    trailing = instr('CMD ["a", "b"] # note')
    assert (trailing.args, trailing.json_form) == (('["a", "b"] # note',), False)


def test_copy_args_are_words_and_env_args_the_raw_text() -> None:
    assert instr("COPY a b /dst/").args == ("a", "b", "/dst/")
    assert instr('COPY ["a b", "/dst/"]').args == ("a b", "/dst/")
    env = instr('ENV A=1 B="x y"')
    assert env.args == ('A=1 B="x y"',)
    assert env.pairs == (("A", "1"), ("B", '"x y"'))
    assert instr("ENV LEGACY some words").pairs == (("LEGACY", "some words"),)
    assert instr("ARG A=1 B").args == ("A=1", "B")


def test_escape_directive_backtick() -> None:
    text = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir C:\\ `\n    && echo done\n"
    dockerfile = parse_dockerfile(text)
    assert dockerfile.escape == "`"
    assert dockerfile.directives == {"escape": "`"}
    run = dockerfile.stages[0].instructions[0]
    assert run.args == ("dir C:\\     && echo done",)
    assert (run.line, run.end_line) == (3, 4)


def test_syntax_directive_kept_and_keys_lower_cased() -> None:
    dockerfile = parse_dockerfile("# Syntax = docker/dockerfile:1.7 \n#check=skip=all\nFROM a\n")
    assert dockerfile.directives == {"syntax": "docker/dockerfile:1.7", "check": "skip=all"}


def test_directives_stop_at_the_first_other_line() -> None:
    dockerfile = parse_dockerfile("# hello\n# escape=`\nFROM a\nRUN a \\\n  b\n")
    assert dockerfile.directives == {}
    assert dockerfile.stages[0].instructions[0].args == ("a   b",)


def test_escape_after_check_directive_is_honoured() -> None:
    dockerfile = parse_dockerfile("# check=skip=all\n# escape=`\nFROM a\nRUN a `\n b\n")
    assert dockerfile.escape == "`"
    assert dockerfile.stages[0].instructions[0].args == ("a  b",)


def test_syntax_after_shebang_is_detected_but_escape_is_not() -> None:
    dockerfile = parse_dockerfile("#!/usr/bin/env buildctl\n# syntax=x/y\nFROM a\n")
    assert dockerfile.directives == {"syntax": "x/y"}


def test_args_before_first_from_are_meta_args() -> None:
    dockerfile = parse_dockerfile("ARG VERSION=3.19\nARG A B=\"x\"\nFROM alpine:$VERSION\nARG C\n")
    assert dockerfile.meta_args == [("VERSION", "3.19"), ("A", None), ("B", '"x"')]
    stage = dockerfile.stages[0]
    assert stage.base == "alpine:$VERSION"
    assert [i.cmd for i in stage.instructions] == ["ARG"]


def test_multi_stage_names_platform_and_lines() -> None:
    text = ("FROM --platform=$BUILDPLATFORM golang:1.26 AS Build\nRUN go build\n\n"
            "from scratch as final\nCOPY --from=Build /out /app\n")
    first, second = parse_dockerfile(text).stages
    assert (first.index, first.name, first.base, first.platform, first.line) == (
        0, "build", "golang:1.26", "$BUILDPLATFORM", 1)
    assert (second.index, second.name, second.base, second.platform, second.line) == (
        1, "final", "scratch", None, 4)
    assert second.instructions[0].flags == {"from": "Build"}
    assert only_stage("FROM alpine\n").name is None


def test_flags() -> None:
    copy = instr("COPY --from=builder --chown=1000:1000 --chmod=755 --link src /dst")
    assert copy.flags == {"from": "builder", "chown": "1000:1000", "chmod": "755",
                          "link": "true"}
    assert copy.args == ("src", "/dst")
    assert instr("COPY --link=false a b").flags == {"link": "false"}
    run = instr("RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=t "
                "--network=none make")
    assert run.flag_values("mount") == ("type=cache,target=/root/.cache", "type=secret,id=t")
    assert run.flags["network"] == "none"
    assert run.args == ("make",)
    assert instr('COPY --chown="app user" a b').flags == {"chown": "app user"}


def test_instruction_keywords_are_case_insensitive() -> None:
    stage = only_stage("from alpine\nrun echo hi\nWorkDir /app\n")
    assert [i.cmd for i in stage.instructions] == ["RUN", "WORKDIR"]


# --- annotations -------------------------------------------------------------------------

ANNOTATED = """\
FROM alpine
# sim: writes /usr/lib/big 120MB
RUN ./install.sh
# sim: duration 30s
# installs the toolchain
# sim: writes /opt 5MB
RUN ./toolchain.sh
# sim: lost after a blank line

RUN true
RUN echo next
# sim: for the stage
FROM scratch AS out
"""


def test_annotation_belongs_to_the_instruction_below() -> None:
    first, second = parse_dockerfile(ANNOTATED).stages
    install, toolchain, true, echo = first.instructions
    assert install.annotation == "writes /usr/lib/big 120MB"
    assert toolchain.annotation == "duration 30s\nwrites /opt 5MB"
    assert true.annotation is None  # a blank line ends the comment block
    assert echo.annotation is None  # never carried over to a later instruction
    assert second.annotation == "for the stage"


def test_annotation_inside_a_continuation_is_not_taken() -> None:
    run = instr("RUN a \\\n# sim: inside\n  b")
    assert run.annotation is None


# --- heredocs ----------------------------------------------------------------------------

def test_heredoc_run() -> None:
    run = instr("RUN <<EOF\napk add curl\n# kept: heredoc bodies are raw\nEOF")
    assert run.args == ("<<EOF",)
    assert run.heredocs == (("EOF", "apk add curl\n# kept: heredoc bodies are raw\n"),)
    assert (run.line, run.end_line) == (2, 5)
    assert run.original == "RUN <<EOF"


def test_heredoc_chomp_and_several_files() -> None:
    copy = instr('COPY <<-"A" <<B /etc/\n\t\tone\n\tA\ntwo\nB')
    assert copy.args == ('<<-"A"', "<<B", "/etc/")
    assert copy.heredocs == (("A", "one\n"), ("B", "two\n"))


def test_heredoc_in_onbuild_trigger() -> None:
    onbuild = instr("ONBUILD RUN <<EOF\necho hi\nEOF")
    assert onbuild.args == ("RUN <<EOF\necho hi\nEOF",)
    assert onbuild.heredocs == (("EOF", "echo hi\n"),)


def test_heredoc_marker_must_start_a_word() -> None:
    with pytest.raises(DockerfileError) as err:
        parse_dockerfile("FROM a\nRUN cat<<EOF\nhello\nEOF\n")
    assert (str(err.value), err.value.line) == (
        "dockerfile parse error on line 3: unknown instruction: hello (did you mean shell?)", 3)


# --- errors ------------------------------------------------------------------------------

ERRORS = [
    ("", None, "the Dockerfile cannot be empty"),
    ("# only a comment\n", 1, "file with no instructions"),
    ("\n\n\n", 3, "file with no instructions"),
    ("FROM alpine\nRUNN apk add\n", 2,
     "dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)"),
    ("FROM alpine\ncopyy a b\n", 2,
     "dockerfile parse error on line 2: unknown instruction: copyy (did you mean copy?)"),
    ("FROM alpine\nservices:\n", 2, "dockerfile parse error on line 2: unknown instruction: "
     "services:"),
    ("RUN echo hi\nFROM alpine\n", 1, "no build stage in current context"),
    ("ARG A=1\n", None, "dockerfile contains no stages to build"),
    ("FROM\n", 1, "dockerfile parse error on line 1: FROM requires either one or three "
     "arguments"),
    ("FROM alpine AS\n", 1, "dockerfile parse error on line 1: FROM requires either one or "
     "three arguments"),
    ("FROM alpine AS 2nd\n", 1, 'dockerfile parse error on line 1: invalid name for build '
     'stage: "2nd", name can\'t start with a number or contain symbols'),
    ("FROM --platform2=linux/amd64 scratch\n", 1,
     "dockerfile parse error on line 1: unknown flag: --platform2 (did you mean platform?)"),
    ("FROM alpine\nCOPY --bogus=1 a b\n", 2, "dockerfile parse error on line 2: unknown flag: "
     "--bogus"),
    ("FROM alpine\nCOPY --form=x a b\n", 2,
     "dockerfile parse error on line 2: unknown flag: --form (did you mean from?)"),
    ("FROM alpine\nUSER --x=1 app\n", 2, "dockerfile parse error on line 2: unknown flag: --x"),
    ("FROM alpine\nCOPY --from a b\n", 2,
     "dockerfile parse error on line 2: missing a value on flag: --from"),
    ("FROM alpine\nCOPY --from=a --from=b x y\n", 2,
     "dockerfile parse error on line 2: duplicate flag specified: --from"),
    ("FROM alpine\nCOPY --link=yes a b\n", 2,
     "dockerfile parse error on line 2: expecting boolean value for flag --link, not: yes"),
    ("FROM alpine\nCOPY onlyone\n", 2,
     "dockerfile parse error on line 2: COPY requires at least two arguments, but only one "
     "was provided. Destination could not be determined"),
    ("FROM alpine\nADD a <<EOF\nx\nEOF\n", 2,
     "dockerfile parse error on line 2: ADD cannot accept a heredoc as a destination"),
    ("FROM alpine\nARG\n", 2, "dockerfile parse error on line 2: ARG requires at least one "
     "argument"),
    ("FROM alpine\nARG =1\n", 2, "dockerfile parse error on line 2: ARG names can not be "
     "blank"),
    ("FROM alpine\nENV\n", 2, "dockerfile parse error on line 2: ENV requires at least one "
     "argument"),
    ("FROM alpine\nLABEL =x\n", 2, "dockerfile parse error on line 2: LABEL names can not be "
     "blank"),
    ("FROM alpine\nWORKDIR\n", 2, "dockerfile parse error on line 2: WORKDIR requires exactly "
     "one argument"),
    ("FROM alpine\nEXPOSE\n", 2, "dockerfile parse error on line 2: EXPOSE requires at least "
     "one argument"),
    ('FROM alpine\nVOLUME [""]\n', 2, "dockerfile parse error on line 2: VOLUME specified "
     "can not be an empty string"),
    ("FROM alpine\nSHELL /bin/bash -c\n", 2,
     "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form"),
    ("FROM alpine\nSHELL []\n", 2, "dockerfile parse error on line 2: SHELL requires at least "
     "one argument"),
    ("FROM alpine\nONBUILD ONBUILD RUN x\n", 2,
     "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
    ("FROM alpine\nONBUILD FROM x\n", 2,
     "dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger"),
    ("FROM alpine\nHEALTHCHECK FOO x\n", 2,
     'dockerfile parse error on line 2: Unknown type "FOO" in HEALTHCHECK (try CMD)'),
    ("FROM alpine\nHEALTHCHECK NONE x\n", 2,
     "dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments"),
    ("FROM alpine\nHEALTHCHECK --interval=5 CMD x\n", 2,
     'dockerfile parse error on line 2: time: missing unit in duration "5"'),
    ("FROM alpine\nRUN --network=bridge x\n", 2,
     'dockerfile parse error on line 2: invalid network mode "bridge"'),
    # the parser's own errors: no "dockerfile parse error" prefix, location still known
    ("FROM alpine\nENV A\n", 2, "ENV must have two arguments"),
    ("FROM alpine\nRUN a \\\n  b\nLABEL x\n", 4, "LABEL must have two arguments"),
    ("FROM alpine\nENV A=1 \\\n    B\nRUN x\n", 2,
     "Syntax error - can't find = in \"B\". Must be of the form: name=value"),
    ('FROM alpine\nCMD ["a", 1]\n', 2,
     "when using JSON array syntax, arrays must be comprised of strings only"),
    ("FROM alpine\n\nRUN <<EOF\necho hi\n", 3, "unterminated heredoc"),
    ("# escape=x\nFROM alpine\n", 1, "invalid escape token 'x' does not match ` or \\"),
    ("# syntax=a\n# syntax=b\nFROM alpine\n", 2, "only one syntax parser directive can be used"),
    ("FROM alpine\nRUN " + "x" * 70000 + "\n", 2,
     "dockerfile line greater than max allowed size of 65535"),
]


@pytest.mark.parametrize(("text", "line", "message"), ERRORS, ids=[m[:40] for *_, m in ERRORS])
def test_error_message_and_line(text: str, line: int | None, message: str) -> None:
    with pytest.raises(DockerfileError) as err:
        parse_dockerfile(text, name="app.Dockerfile")
    assert str(err.value) == message
    assert err.value.line == line
    assert err.value.location == ("app.Dockerfile" if line is None else f"app.Dockerfile:{line}")


LINES = st.sampled_from([
    "FROM alpine", "FROM a AS b", "RUN echo hi", "RUN a \\", "  b", "COPY a b", "ENV A",
    "ENV A=1", "LABEL x", "# comment", "# sim: x", "", "RUN <<EOF", "EOF", 'CMD ["a", 1]',
    "ONBUILD", "ARG X", "HEALTHCHECK", "WORKDIR /", "bogus", "# escape=`", "x`", "\t",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, max_size=8))
def test_anything_is_a_dockerfile_or_a_dockerfile_error(lines: list[str]) -> None:
    """The official parser's GoParseError never escapes, and errors always carry a line
    inside the file (or none)."""
    text = "\n".join(lines)
    try:
        parse_dockerfile(text)
    except DockerfileError as exc:
        assert exc.line is None or 1 <= exc.line <= max(len(lines), 1)


# --- expansion ---------------------------------------------------------------------------

ENV = {"A": "1", "EMPTY": "", "FILE": "pkg.tar.gz", "PATHS": "/a/bin:/b/bin", "SP": "x y"}


@pytest.mark.parametrize(("word", "expected"), [
    ("$A", "1"), ("${A}", "1"), ("pre-${A}-post", "pre-1-post"), ("$A$A", "11"),
    ("$UNSET", ""), ("${UNSET:-d}", "d"), ("${EMPTY:-d}", "d"), ("${EMPTY-d}", ""),
    ("${UNSET-d}", "d"), ("${A:-d}", "1"), ("${A:+alt}", "alt"), ("${EMPTY:+alt}", ""),
    ("${EMPTY+alt}", "alt"), ("${UNSET+alt}", ""), ("${A:-$FILE}", "1"),
    ("${UNSET:-$FILE}", "pkg.tar.gz"), ("\\$A", "$A"), ("'$A'", "$A"), ('"$A"', "1"),
    ('"\\$A"', "$A"), ("a\\ b", "a b"), ('"a b"', "a b"), ("$", "$"), ("a$", "a$"),
    ("$1", ""), ("$@", ""), ("${FILE%.*}", "pkg.tar"), ("${FILE%%.*}", "pkg"),
    ("${FILE#*.}", "tar.gz"), ("${FILE##*.}", "gz"), ("${PATHS/bin/sbin}", "/a/sbin:/b/bin"),
    ("${PATHS//bin/sbin}", "/a/sbin:/b/sbin"), ("$SP", "x y"),
])
def test_expand_forms(word: str, expected: str) -> None:
    assert expand(word, ENV) == expected


@pytest.mark.parametrize(("word", "message"), [
    ("${UNSET:?}", 'failed to process "${UNSET:?}": UNSET: is not allowed to be unset'),
    ("${EMPTY:?}", 'failed to process "${EMPTY:?}": EMPTY: is not allowed to be empty'),
    ("${UNSET:?set it}", 'failed to process "${UNSET:?set it}": UNSET: set it'),
    ("${UNSET?}", 'failed to process "${UNSET?}": UNSET: is not allowed to be unset'),
    ("${}", 'failed to process "${}": syntax error: bad substitution'),
    ("${A", 'failed to process "${A": unsupported modifier (\ufffd) in substitution'),
    ("${A:-x", "failed to process \"${A:-x\": syntax error: missing '}'"),
    ("${A:x}", 'failed to process "${A:x}": unsupported modifier (:x) in substitution'),
    ('"open', 'failed to process "\\"open": unexpected end of statement while looking for '
     "matching double-quote"),
    ("'open", "failed to process \"'open\": unexpected end of statement while looking for "
     "matching single-quote"),
])
def test_expand_errors(word: str, message: str) -> None:
    with pytest.raises(ExpansionError) as err:
        expand(word, ENV)
    assert str(err.value) == message
    assert expand("${EMPTY?}", ENV) == ""  # set but empty is fine without the colon


def test_expand_with_backtick_escape() -> None:
    assert expand("`$A", ENV, escape="`") == "$A"
    assert expand("C:\\dir\\$A", ENV, escape="`") == "C:\\dir\\1"


def test_expand_words_splits_expansions_not_quotes() -> None:
    assert expand_words('80/tcp $SP "a b" "" ${A}', ENV) == ["80/tcp", "x", "y", "a b", "1"]


@given(st.text(alphabet=st.characters(blacklist_characters="$\\'\"",
                                      blacklist_categories=("Cs",))))
def test_expand_without_specials_is_identity(text: str) -> None:
    """No ``$``, no escape and no quote: nothing for the lexer to change."""
    assert expand(text, ENV) == text


def test_expands_lists_the_build_time_instructions() -> None:
    assert set(EXPANDS) == {"ADD", "ARG", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL",
                            "USER", "VOLUME", "WORKDIR"}
    assert not {"RUN", "CMD", "ENTRYPOINT", "SHELL", "HEALTHCHECK", "ONBUILD"} & EXPANDS


# --- layers ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "layer"), [
    ("RUN true", True), ("COPY a /a", True), ("ADD a /a", True), ("WORKDIR /app", True),
    ("WORKDIR /", False), ("WORKDIR .", False), ("WORKDIR sub", True), ("ENV A=1", False),
    ("ARG A", False), ("LABEL a=b", False), ("CMD x", False), ("ENTRYPOINT x", False),
    ("EXPOSE 80", False), ("USER app", False), ("VOLUME /data", False),
    ("STOPSIGNAL SIGTERM", False), ('SHELL ["/bin/bash", "-c"]', False),
    ("HEALTHCHECK CMD true", False), ("ONBUILD RUN true", False), ("MAINTAINER me", False),
])
def test_makes_layer(text: str, layer: bool) -> None:
    assert makes_layer(instr(text)) is layer


def test_makes_layer_relative_workdir_uses_current_one() -> None:
    assert makes_layer(instr("WORKDIR .."), workdir="/app") is False
    assert makes_layer(instr("WORKDIR .."), workdir="/app/sub") is True
