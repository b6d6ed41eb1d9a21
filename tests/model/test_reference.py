"""Image references, checked against github.com/distribution/reference (normalize.go,
reference.go, regexp.go, normalize_test.go) and go-digest v1.0 (digest.go, algorithm.go)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.reference import (
    DigestReference,
    InvalidReference,
    Reference,
    is_full_id,
    looks_like_id_prefix,
    parse,
    parse_any_reference,
    parse_docker_ref,
    parse_normalized_named,
)

HEX64 = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"
DIGEST = f"sha256:{HEX64}"


# normalize_test.go TestParseRepositoryInfo: (familiar name, full name, domain, path)
@pytest.mark.parametrize(
    ("text", "familiar", "full", "domain", "path"),
    [
        ("fooo/bar", "fooo/bar", "docker.io/fooo/bar", "docker.io", "fooo/bar"),
        ("index.docker.io/fooo/bar", "fooo/bar", "docker.io/fooo/bar", "docker.io", "fooo/bar"),
        ("ubuntu", "ubuntu", "docker.io/library/ubuntu", "docker.io", "library/ubuntu"),
        ("library/ubuntu", "ubuntu", "docker.io/library/ubuntu", "docker.io", "library/ubuntu"),
        ("docker.io/foo", "foo", "docker.io/library/foo", "docker.io", "library/foo"),
        (
            "127.0.0.1:8000/privatebase",
            "127.0.0.1:8000/privatebase",
            "127.0.0.1:8000/privatebase",
            "127.0.0.1:8000",
            "privatebase",
        ),
        (
            "example.com:8000/private/moonbase",
            "example.com:8000/private/moonbase",
            "example.com:8000/private/moonbase",
            "example.com:8000",
            "private/moonbase",
        ),
        (
            "library/foo/bar",
            "library/foo/bar",
            "docker.io/library/foo/bar",
            "docker.io",
            "library/foo/bar",
        ),
        ("Foo/bar", "Foo/bar", "Foo/bar", "Foo", "bar"),
        ("test_com/foo", "test_com/foo", "docker.io/test_com/foo", "docker.io", "test_com/foo"),
        ("localhost/app", "localhost/app", "localhost/app", "localhost", "app"),
        (
            "[fc00::1]:5000/docker",
            "[fc00::1]:5000/docker",
            "[fc00::1]:5000/docker",
            "[fc00::1]:5000",
            "docker",
        ),
    ],
)
def test_normalization(text: str, familiar: str, full: str, domain: str, path: str) -> None:
    ref = parse_normalized_named(text)
    assert (ref.familiar_name, ref.name, ref.domain, ref.path) == (familiar, full, domain, path)
    assert ref.repository_path == path
    assert ref.tag is None and ref.digest is None


def test_tag_and_digest_forms() -> None:
    ref = parse_normalized_named("localhost:5000/app:1")
    assert ref == Reference("localhost:5000", "app", "1", None)
    assert ref.familiar_string() == "localhost:5000/app:1"
    pinned = parse_normalized_named(f"ghcr.io/a/b@{DIGEST}")
    assert pinned == Reference("ghcr.io", "a/b", None, DIGEST)
    assert pinned.string() == f"ghcr.io/a/b@{DIGEST}"
    # normalize_test.go TestParseReferenceWithTagAndDigest
    both = parse_normalized_named(f"busybox:latest@{DIGEST}")
    assert both.string() == f"docker.io/library/busybox:latest@{DIGEST}"
    assert both.familiar_string() == f"busybox:latest@{DIGEST}"


def test_with_default_tag_is_tag_name_only() -> None:
    assert parse_normalized_named("nginx").with_default_tag().familiar_string() == "nginx:latest"
    assert parse_normalized_named("nginx:1.27").with_default_tag().tag == "1.27"
    pinned = parse_normalized_named(f"nginx@{DIGEST}")
    assert pinned.with_default_tag() is pinned  # a digest alone gets no tag


def test_parse_docker_ref_prefers_the_digest() -> None:
    pinned = parse_docker_ref(f"busybox:latest@{DIGEST}")
    assert pinned.string() == f"docker.io/library/busybox@{DIGEST}"
    assert parse_docker_ref("busybox").string() == "docker.io/library/busybox:latest"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # normalize.go: the normalized remote (with library/) is what the message names.
        ("Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase"),
        (
            "user/Nginx:1",
            "invalid reference format: repository name (user/Nginx) must be lowercase",
        ),
        (
            "docker.io/docker/Docker",
            "invalid reference format: repository name (docker/Docker) must be lowercase",
        ),
        (HEX64, f"invalid repository name ({HEX64}), cannot specify 64-byte hexadecimal strings"),
        ("", "invalid reference format"),
        ("nginx:", "invalid reference format"),
        ("nginx\n", "invalid reference format"),
        ("-docker", "invalid reference format"),
        ("docker///docker", "invalid reference format"),
        ("dock..er/docker", "invalid reference format"),
        ("https://github.com/docker/docker", "invalid reference format"),
        ("[fe80::1%eth0]:5000/debian", "invalid reference format"),
        ("nginx:" + "a" * 129, "invalid reference format"),
        ("a" * 248, "repository name must not be more than 255 characters"),
        # go-digest: hex too short for sha256, upper-case hex, unknown algorithm.
        ("nginx@sha256:" + "a" * 32, "invalid checksum digest format"),
        ("nginx@sha256:" + HEX64.upper(), "invalid checksum digest format"),
        ("nginx@sha1:" + "a" * 40, "unsupported digest algorithm"),
    ],
)
def test_invalid_references_carry_go_error_text(text: str, message: str) -> None:
    with pytest.raises(InvalidReference) as info:
        parse_normalized_named(text)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_path_limit_is_255() -> None:
    assert len(parse_normalized_named("a" * 247).path) == 255  # "library/" + 247


def test_raw_parse_errors() -> None:
    # reference.go Parse: the empty string, and a name that only fails for its upper case.
    empty = "^repository name must have at least one component$"
    with pytest.raises(InvalidReference, match=empty):
        parse("")
    with pytest.raises(InvalidReference, match="^repository name must be lowercase$"):
        parse("docker.io/library/NGINX")
    assert parse("foo/bar") == Reference("foo", "bar")  # no normalization: foo is a domain


def test_with_tag_rejects_bad_tags() -> None:
    ref = parse_normalized_named("busybox")
    with pytest.raises(InvalidReference, match="^invalid tag format$"):
        ref.with_tag("-foo")
    assert ref.with_tag("v1.0_rc-2").familiar_string() == "busybox:v1.0_rc-2"


# normalize_test.go TestParseAnyReference
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEX64, DigestReference(DIGEST)),
        (DIGEST, DigestReference(DIGEST)),
        (HEX64[:-1], Reference("docker.io", f"library/{HEX64[:-1]}")),
        ("dbcc1", Reference("docker.io", "library/dbcc1")),
        ("sha256:abc", Reference("docker.io", "library/sha256", "abc")),
    ],
)
def test_parse_any_reference(text: str, expected: object) -> None:
    assert parse_any_reference(text) == expected


def test_id_helpers() -> None:
    assert is_full_id(HEX64) and is_full_id(DIGEST)
    assert not is_full_id(HEX64[:-1]) and not is_full_id(HEX64.upper())
    assert looks_like_id_prefix("dbcc1") and looks_like_id_prefix(HEX64)
    assert not looks_like_id_prefix("") and not looks_like_id_prefix("sha256:dbcc1")
    assert not looks_like_id_prefix("nginx") and not looks_like_id_prefix(HEX64 + "0")


# --- properties ------------------------------------------------------------------------------

alnum = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
separator = st.sampled_from([".", "_", "__", "-", "--"])
component = st.builds(
    lambda first, rest: first + "".join(s + a for s, a in rest),
    alnum,
    st.lists(st.tuples(separator, alnum), max_size=2),
)
path = st.lists(component, min_size=1, max_size=3).map("/".join)
domain = st.sampled_from(
    [
        "",
        "docker.io/",
        "index.docker.io/",
        "localhost/",
        "localhost:5000/",
        "ghcr.io/",
        "127.0.0.1:8000/",
        "Registry.Example.com/",
        "[fc00::1]:5000/",
    ]
)
tag = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)
digest = st.text("0123456789abcdef", min_size=64, max_size=64).map(lambda h: f"sha256:{h}")
reference_text = st.builds(
    lambda d, p, t, g: d + p + (f":{t}" if t else "") + (f"@{g}" if g else ""),
    domain,
    path,
    st.none() | tag,
    st.none() | digest,
)


@given(reference_text)
def test_familiar_and_full_strings_parse_back(text: str) -> None:
    ref = parse_normalized_named(text)
    assert parse_normalized_named(ref.string()) == ref
    assert parse(ref.string()) == ref
    first = ref.path.split("/")[0]
    if ref.domain != "docker.io" or not (first == "localhost" or "." in first):
        assert parse_normalized_named(ref.familiar_string()) == ref


def test_dotted_first_component_that_is_no_host_leaves_the_domain_empty() -> None:
    # splitDockerDomain takes "my.org_x" for a registry (it has a dot), but the grammar cannot
    # read "_" in a host, so Parse keeps the whole text as the path with no domain, as in Go.
    assert parse_normalized_named("my.org_x/app") == Reference("", "my.org_x/app")


def test_familiar_form_of_a_dotted_hub_namespace_is_ambiguous() -> None:
    # familiarizeName drops docker.io even when the namespace looks like a host, so the
    # familiar string re-parses as another registry (as in Go); the full string is safe.
    ref = parse_normalized_named("docker.io/my.org/app")
    assert ref.familiar_string() == "my.org/app"
    assert parse_normalized_named(ref.familiar_string()) == Reference("my.org", "app")
    assert parse_normalized_named(ref.string()) == ref


@given(reference_text)
def test_default_tag_only_for_bare_names(text: str) -> None:
    ref = parse_normalized_named(text)
    tagged = ref.with_default_tag()
    assert tagged.with_default_tag() == tagged
    assert tagged.tag == ("latest" if ref.is_name_only() else ref.tag)
    assert tagged.digest == ref.digest


@given(st.text(max_size=40))
def test_any_text_parses_or_raises_invalid_reference(text: str) -> None:
    try:
        ref = parse_normalized_named(text)
    except InvalidReference as exc:
        assert str(exc)
    else:
        assert parse_normalized_named(ref.string()) == ref


@given(st.text("0123456789abcdef", min_size=64, max_size=64))
def test_full_ids_are_never_names(hex_id: str) -> None:
    assert is_full_id(hex_id) and looks_like_id_prefix(hex_id[:12])
    with pytest.raises(InvalidReference, match="cannot specify 64-byte hexadecimal strings"):
        parse_normalized_named(hex_id)
    assert parse_any_reference(hex_id) == DigestReference(f"sha256:{hex_id}")
