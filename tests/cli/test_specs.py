"""The command registry: paths, aliases, usage lines and flag data of Docker CLI 28.5."""

from __future__ import annotations

import pytest

from sim.cli.specs import (
    HELP_FLAG,
    MANAGEMENT,
    ROOT,
    SPECS,
    children,
    lookup,
    resolve,
)

REQUIRED = [
    ("image", "pull"), ("image", "push"), ("image", "tag"), ("image", "ls"), ("image", "rm"),
    ("image", "prune"), ("image", "history"), ("image", "inspect"), ("inspect",),
    ("container", "inspect"), ("container", "run"), ("container", "create"),
    ("container", "start"), ("container", "stop"), ("container", "restart"),
    ("container", "kill"), ("container", "pause"), ("container", "unpause"),
    ("container", "rm"), ("container", "exec"), ("container", "logs"), ("container", "ls"),
    ("container", "commit"), ("volume", "create"), ("volume", "ls"), ("volume", "rm"),
    ("volume", "inspect"), ("volume", "prune"), ("system", "df"), ("system", "info"),
    ("version",), ("image", "build"), ("builder", "prune"),
]


def test_every_command_of_the_brief_is_specified():
    assert set(REQUIRED) <= set(SPECS)


# Each alias below is a real way to type the command in docker 28 (cobra Aliases in
# container/list.go, image/list.go, image/remove.go, container/rm.go, volume/*.go and the
# top-level shortcuts of commands/commands.go); the second item is what cobra prints.
ALIASES = [
    (["ps"], ("container", "ls"), ("ps",)),
    (["container", "ls"], ("container", "ls"), ("container", "ls")),
    (["container", "list"], ("container", "ls"), ("container", "ls")),
    (["container", "ps"], ("container", "ls"), ("container", "ls")),
    (["images"], ("image", "ls"), ("images",)),
    (["image", "list"], ("image", "ls"), ("image", "ls")),
    (["rmi"], ("image", "rm"), ("rmi",)),
    (["image", "remove"], ("image", "rm"), ("image", "rm")),
    (["image", "rmi"], ("image", "rm"), ("image", "rm")),
    (["rm"], ("container", "rm"), ("rm",)),
    (["remove"], ("container", "rm"), ("rm",)),
    (["container", "remove"], ("container", "rm"), ("container", "rm")),
    (["run"], ("container", "run"), ("run",)),
    (["info"], ("system", "info"), ("info",)),
    (["volume", "list"], ("volume", "ls"), ("volume", "ls")),
    (["volume", "remove"], ("volume", "rm"), ("volume", "rm")),
    (["history"], ("image", "history"), ("history",)),
    # docker hands these to the buildx plugin (cmd/docker/builder.go processBuilder), whose
    # cobra tree names them "buildx build" (alias "b", commands/build.go) and "buildx prune"
    (["build"], ("image", "build"), ("buildx", "build")),
    (["image", "build"], ("image", "build"), ("buildx", "build")),
    (["builder", "build"], ("image", "build"), ("buildx", "build")),
    (["buildx", "build"], ("image", "build"), ("buildx", "build")),
    (["buildx", "b"], ("image", "build"), ("buildx", "build")),
    (["builder", "prune"], ("builder", "prune"), ("buildx", "prune")),
    (["buildx", "prune"], ("builder", "prune"), ("buildx", "prune")),
]


@pytest.mark.parametrize(("words", "canonical", "shown"), ALIASES)
def test_aliases_resolve_to_the_canonical_spec_and_cobra_path(words, canonical, shown):
    found = resolve(words)
    assert found.spec.path == canonical
    assert found.path == shown
    assert found.remaining == ()


def test_lookup_returns_the_words_after_the_command():
    spec, rest = lookup(["image", "ls", "-a", "nginx"])
    assert spec.path == ("image", "ls")
    assert rest == ["-a", "nginx"]


def test_lookup_of_unknown_words_stops_where_cobra_stops():
    assert lookup(["foo", "bar"]) == (ROOT, ["foo", "bar"])
    spec, rest = lookup(["image", "foo"])
    assert spec is MANAGEMENT[("image",)] and rest == ["foo"]
    spec, rest = lookup(["system", "df"])
    assert spec.path == ("system", "df") and rest == []


def test_use_lines_follow_the_mount_that_was_typed():
    # cobra UseLine = parent CommandPath + " " + Use (container/list.go: "ps [OPTIONS]"
    # at the top level, "ls [OPTIONS]" under "container").
    ls = SPECS[("container", "ls")]
    assert ls.use_line(("ps",)) == "docker ps [OPTIONS]"
    assert ls.use_line() == "docker container ls [OPTIONS]"
    assert SPECS[("image", "rm")].use_line(("rmi",)) == "docker rmi [OPTIONS] IMAGE [IMAGE...]"
    assert SPECS[("container", "pause")].use_line(("pause",)) == \
        "docker pause CONTAINER [CONTAINER...]"
    assert ROOT.use_line() == "docker [OPTIONS] COMMAND [ARG...]"
    assert MANAGEMENT[("image",)].use_line() == "docker image"
    assert MANAGEMENT[("volume",)].use_line() == "docker volume COMMAND"


def test_flag_names_and_shorthands_are_unique_per_command():
    # pflag panics on a redefined flag or shorthand; the inherited --help/-h included.
    for spec in SPECS.values():
        names = [f.name for f in spec.flags]
        assert len(names) == len(set(names)), spec.path
        shorts = [f.shorthand for f in spec.flags if f.shorthand]
        if spec.flag("help") is None:
            shorts.append(HELP_FLAG.shorthand)
        assert len(shorts) == len(set(shorts)), spec.path


def test_type_words_are_those_pflag_prints():
    run = SPECS[("container", "run")]
    assert run.flag("cpu-shares").type_name_for_help == "int"  # int64 -> "int"
    assert run.flag("io-maxiops").type_name_for_help == "uint"  # uint64 -> "uint"
    assert run.flag("rm").type_name_for_help == ""  # bool: no type word
    assert run.flag("memory").type_name_for_help == "bytes"
    assert run.flag("gpus").type_name_for_help == "gpu-request"
    assert run.flag("health-interval").type_name_for_help == "duration"
    assert SPECS[("image", "rm")].flag("platform").type_name_for_help == "strings"


def test_run_and_create_keep_their_flags_for_the_container_command():
    for path in (("container", "run"), ("container", "create"), ("container", "exec"),
                 ("container", "commit"), ("image", "tag")):
        assert SPECS[path].interspersed is False, path
    assert SPECS[("container", "ls")].interspersed is True


def test_run_and_create_define_help_without_h_because_h_is_hostname():
    for path in (("container", "run"), ("container", "create")):
        spec = SPECS[path]
        assert spec.flag("help").shorthand == ""
        assert spec.flag("hostname").shorthand == "h"


def test_create_has_the_run_flags_minus_those_about_attaching():
    run = {f.name for f in SPECS[("container", "run")].flags}
    create = {f.name for f in SPECS[("container", "create")].flags}
    assert run - create == {"detach", "sig-proxy", "detach-keys"}
    assert create <= run


def test_hidden_and_deprecated_flags_share_their_target():
    run = SPECS[("container", "run")]
    assert run.flag("net").hidden and run.flag("net").target == "network"
    assert run.flag("dns-opt").target == "dns-option"
    stop = SPECS[("container", "stop")]
    assert stop.flag("time").deprecated == "use --timeout instead"
    assert stop.flag("time").target == "timeout"


def test_root_children_are_sorted_and_cover_the_shortcuts():
    names = [spec.mounts for spec in children(())]
    assert names  # the root lists its commands
    top = [next(m for m in spec.mounts if len(m) == 1)[0] for spec in children(())]
    assert top == sorted(top)
    assert {"ps", "images", "rmi", "run", "container", "image", "volume", "system", "build",
            "builder", "buildx"} <= set(top)


def test_build_is_dockers_own_command_in_listings_and_buildxs_when_run():
    build = SPECS[("image", "build")]
    # usage and messages: the plugin's path, however the command was typed
    assert build.use_line(build.display_path(("build",))) == \
        "docker buildx build [OPTIONS] PATH | URL | -"
    assert build.display_path(("image", "build")) == ("buildx", "build")
    # listings: docker's tree (image/build.go's short) and buildx's (its own short)
    assert build.short_at(("build",)) == "Build an image from a Dockerfile"
    assert build.short_at(("image", "build")) == "Build an image from a Dockerfile"
    assert build.short_at(("buildx", "build")) == "Start a build"
    assert (build.group, build.category_top) == ("common", 4)
    assert build.args.kind == "exact" and build.args.min == 1
    assert build in children(("image",)) and build in children(("buildx",))
    prune = SPECS[("builder", "prune")]
    assert children(("builder",)) == [build, prune]
    assert prune.use_line(prune.display_path(("builder", "prune"))) == "docker buildx prune"
    assert MANAGEMENT[("buildx",)].plugin and not MANAGEMENT[("builder",)].plugin


def test_build_flag_types_are_buildxs():
    build = SPECS[("image", "build")]
    words = {f.name: f.type_name_for_help for f in build.flags}
    assert words["tag"] == words["build-arg"] == words["allow"] == "stringArray"
    assert words["add-host"] == "strings"  # a StringSlice
    assert (words["shm-size"], words["ulimit"], words["check"]) == ("bytes", "ulimit", "")
    assert build.flag("tag").shorthand == "t" and build.flag("output").shorthand == "o"
    assert build.flag("progress").default == "auto"
    # inherited from the buildx root (commands/root.go rootFlags)
    assert build.flag("builder").default == "default" and build.flag("debug").shorthand == "D"
    hidden = {f.name for f in build.flags if f.hidden}
    assert hidden == {"print", "compress", "isolation", "security-opt", "squash", "memory",
                      "memory-swap", "cpu-shares", "cpu-period", "cpu-quota", "cpuset-cpus",
                      "cpuset-mems", "rm", "force-rm"}


def test_builder_prune_keeps_the_deprecated_keep_storage_as_reserved_space():
    prune = SPECS[("builder", "prune")]
    keep = prune.flag("keep-storage")
    assert keep.deprecated == "keep-storage flag has been changed to reserved-space"
    assert keep.target == "reserved-space"
    assert prune.args.kind == "none"
