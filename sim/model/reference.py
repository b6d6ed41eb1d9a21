"""Docker image references: a port of github.com/distribution/reference (v0.6, which Docker
28 vendors) and of the digest checks it borrows from github.com/opencontainers/go-digest v1.0.

The grammar (reference.go)::

    reference  := name [ ":" tag ] [ "@" digest ]
    name       := [domain '/'] remote-name
    domain     := host [':' port-number]
    tag        := /[\\w][\\w.-]{0,127}/
    digest     := algorithm ":" hex

``parse_normalized_named`` is what the CLI and daemon call on user input: it adds Docker Hub's
``docker.io`` domain and ``library/`` namespace and rejects upper case and bare 64-hex IDs with
the exact Go error texts, which the CLI prints verbatim.

How the daemon tells an image ID from a name (moby ``daemon/images/image.go`` GetImage with
``reference.ParseAnyReference``, graphdriver image store, the Docker 28 default):

1. ``ParseAnyReference``: a bare 64-hex string or a valid ``sha256:<64 hex>`` digest is an ID and
   is looked up in the image store directly; anything else must parse as a normalized name,
   else the request fails with the parse error (HTTP 400).
2. A name is looked up in the reference store (name-only references get ``:latest``; with both a
   tag and a digest only the digest counts).
3. Failing that, the original text is tried as a hex prefix of an image ID (``imageStore.Search``,
   any length, must be unambiguous).
4. Otherwise ``No such image: <familiar reference with default tag>``.

So ``abc123`` is first the name ``abc123:latest`` and only then an ID prefix: a name wins.
``is_full_id`` and ``looks_like_id_prefix`` classify text for steps 1 and 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- error texts (reference.go, normalize.go, go-digest digest.go) -------------------------
REFERENCE_INVALID_FORMAT = "invalid reference format"
TAG_INVALID_FORMAT = "invalid tag format"
DIGEST_INVALID_FORMAT = "invalid digest format"
NAME_CONTAINS_UPPERCASE = "repository name must be lowercase"
NAME_EMPTY = "repository name must have at least one component"
NAME_TOO_LONG = "repository name must not be more than 255 characters"
NAME_NOT_CANONICAL = "repository name must be canonical"
CHECKSUM_INVALID_FORMAT = "invalid checksum digest format"
DIGEST_UNSUPPORTED = "unsupported digest algorithm"

#: RepositoryNameTotalLengthMax: the limit applies to the path, not the domain.
REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255
DEFAULT_DOMAIN = "docker.io"
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
OFFICIAL_REPO_PREFIX = "library/"
DEFAULT_TAG = "latest"
LOCALHOST = "localhost"


class InvalidReference(ValueError):
    """A reference that does not parse; ``str()`` is the Go error text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- regexp.go, translated -----------------------------------------------------------------
# Go's \w and [[:xdigit:]] are ASCII-only, so they are spelled out (Python's \w is Unicode).
# Patterns are used with re.fullmatch, the equivalent of Go's ^...$ (Python's $ would also
# accept a trailing newline). Both engines prefer the leftmost-first alternative, so the
# capture groups agree with Go's.
_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_DOMAIN_NAME_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_OPTIONAL_PORT = r"(?::[0-9]+)?"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}"
_IDENTIFIER = r"([a-f0-9]{64})"
_IPV6_ADDRESS = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN_NAME = _DOMAIN_NAME_COMPONENT + r"(?:\." + _DOMAIN_NAME_COMPONENT + r")*"
_HOST = r"(?:" + _DOMAIN_NAME + "|" + _IPV6_ADDRESS + ")"
_DOMAIN_AND_PORT = _HOST + _OPTIONAL_PORT
_PATH_COMPONENT = _ALPHANUMERIC + r"(?:" + _SEPARATOR + _ALPHANUMERIC + r")*"
_REMOTE_NAME = _PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*"
_NAME = r"(?:" + _DOMAIN_AND_PORT + r"/)?" + _REMOTE_NAME

_REFERENCE_RE = re.compile(r"(" + _NAME + r")(?::(" + _TAG + r"))?(?:@(" + _DIGEST + r"))?")
_ANCHORED_NAME_RE = re.compile(r"(?:(" + _DOMAIN_AND_PORT + r")/)?(" + _REMOTE_NAME + r")")
_ANCHORED_TAG_RE = re.compile(_TAG)
_ANCHORED_DIGEST_RE = re.compile(_DIGEST)
_ANCHORED_IDENTIFIER_RE = re.compile(_IDENTIFIER)

# go-digest v1.0: the algorithms Docker links in and their hex lengths (algorithm.go), and the
# looser pattern used only to choose between "invalid format" and "unsupported" (digest.go).
_DIGEST_HEX_LEN = {"sha256": 64, "sha384": 96, "sha512": 128}
_GO_DIGEST_RE = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")
_LOWER_HEX_RE = re.compile(r"[a-f0-9]+")


@dataclass(frozen=True)
class Reference:
    """A named reference. ``tag`` and ``digest`` are None when absent. ``domain`` is empty for
    ``parse`` of a name without one and, as in Go, for the odd normalized name whose dotted
    first component cannot be a host (``my.org_x/app``); otherwise normalization sets it."""

    domain: str
    path: str
    tag: str | None = None
    digest: str | None = None

    @property
    def name(self) -> str:
        """Name(): ``docker.io/library/nginx``, the repository without tag or digest."""
        return f"{self.domain}/{self.path}" if self.domain else self.path

    @property
    def familiar_name(self) -> str:
        """FamiliarName: what the CLI shows. Docker Hub's domain is dropped, and ``library/``
        too when nothing is nested below it (``library/a/b`` keeps it, as familiarizeName
        does)."""
        if self.domain != DEFAULT_DOMAIN:
            return self.name
        path = self.path
        if path.startswith(OFFICIAL_REPO_PREFIX):
            rest = path[len(OFFICIAL_REPO_PREFIX) :]
            if "/" not in rest:
                return rest
        return path

    @property
    def repository_path(self) -> str:
        """Path(): the repository path a registry's /v2/ API uses (``library/nginx``)."""
        return self.path

    def _suffix(self) -> str:
        out = f":{self.tag}" if self.tag is not None else ""
        return out + (f"@{self.digest}" if self.digest is not None else "")

    # A reference is immutable and a pull asks for its strings several times (tag, event,
    # image store key): each is built once and kept in the instance's dict (as
    # functools.cached_property would, without its per-access cost).
    def string(self) -> str:
        """String(): the full form, ``docker.io/library/nginx:latest[@sha256:...]``."""
        kept = self.__dict__
        text = kept.get("_string")
        if text is None:
            text = kept["_string"] = self.name + self._suffix()
        return text

    def familiar_string(self) -> str:
        """FamiliarString: ``nginx:latest``, ``user/app@sha256:...``; what ``docker images``
        and the daemon's error messages print."""
        kept = self.__dict__
        text = kept.get("_familiar")
        if text is None:
            text = kept["_familiar"] = self.familiar_name + self._suffix()
        return text

    def __str__(self) -> str:
        return self.string()

    def is_name_only(self) -> bool:
        """IsNameOnly: neither tag nor digest."""
        return self.tag is None and self.digest is None

    def with_default_tag(self) -> Reference:
        """TagNameOnly: add ``latest`` only when there is neither tag nor digest, so
        ``nginx@sha256:...`` stays pinned to its digest."""
        if self.is_name_only():
            return Reference(self.domain, self.path, DEFAULT_TAG, None)
        return self

    def with_tag(self, tag: str) -> Reference:
        """WithTag: replace the tag (keeping any digest); rejects a malformed tag the way the
        daemon's tag endpoint does."""
        if not _ANCHORED_TAG_RE.fullmatch(tag):
            raise InvalidReference(TAG_INVALID_FORMAT)
        return Reference(self.domain, self.path, tag, self.digest)

    def with_digest(self, digest: str) -> Reference:
        """WithDigest: replace the digest (keeping any tag)."""
        if not _ANCHORED_DIGEST_RE.fullmatch(digest):
            raise InvalidReference(DIGEST_INVALID_FORMAT)
        return Reference(self.domain, self.path, self.tag, digest)

    def trim(self) -> Reference:
        """TrimNamed: the repository alone, without tag or digest."""
        return Reference(self.domain, self.path, None, None)


@dataclass(frozen=True)
class DigestReference:
    """What ParseAnyReference returns for an ID: a digest with no name."""

    digest: str

    def string(self) -> str:
        return self.digest

    def familiar_string(self) -> str:
        return self.digest

    def __str__(self) -> str:
        return self.digest


def validate_digest(digest: str) -> None:
    """go-digest ``Digest.Validate``: ``algorithm:hex`` with a known algorithm and lowercase
    hex of exactly that algorithm's length."""
    i = digest.find(":")
    if i <= 0 or i + 1 == len(digest):
        raise InvalidReference(CHECKSUM_INVALID_FORMAT)
    algorithm, encoded = digest[:i], digest[i + 1 :]
    length = _DIGEST_HEX_LEN.get(algorithm)
    if length is None:
        if not _GO_DIGEST_RE.fullmatch(digest):
            raise InvalidReference(CHECKSUM_INVALID_FORMAT)
        raise InvalidReference(DIGEST_UNSUPPORTED)
    if len(encoded) != length or not _LOWER_HEX_RE.fullmatch(encoded):
        raise InvalidReference(CHECKSUM_INVALID_FORMAT)


def is_valid_digest(digest: str) -> bool:
    """True when ``validate_digest`` accepts the text."""
    try:
        validate_digest(digest)
    except InvalidReference:
        return False
    return True


def parse(s: str) -> Reference:
    """Parse: the raw grammar, no normalization (``ubuntu`` stays domain-less, ``foo/bar`` has
    domain ``foo``). Used on already-canonical strings."""
    if s == "":
        raise InvalidReference(NAME_EMPTY)
    match = _REFERENCE_RE.fullmatch(s)
    if match is None:
        lowered = s.lower()
        if lowered != s and _REFERENCE_RE.fullmatch(lowered):
            # Succeeds when lower-cased, so the input has an invalid repository name.
            raise InvalidReference(NAME_CONTAINS_UPPERCASE)
        raise InvalidReference(REFERENCE_INVALID_FORMAT)
    name, tag, digest = match.group(1, 2, 3)
    name_match = _ANCHORED_NAME_RE.fullmatch(name)
    if name_match is not None:
        domain, path = name_match.group(1) or "", name_match.group(2)
    else:
        domain, path = "", name
    if len(path) > REPOSITORY_NAME_TOTAL_LENGTH_MAX:
        raise InvalidReference(NAME_TOO_LONG)
    if digest is not None:
        validate_digest(digest)
    return Reference(domain, path, tag, digest)


def split_docker_domain(name: str) -> tuple[str, str]:
    """splitDockerDomain: decide whether the first component is a registry. It is when it is
    ``localhost``, contains ``.`` or ``:``, or has upper case (a path component never may);
    otherwise the name is on Docker Hub, under ``library/`` when it has one component."""
    maybe_domain, sep, maybe_remote = name.partition("/")
    if not sep:
        return DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name
    if maybe_domain == LOCALHOST:
        domain, remote = maybe_domain, maybe_remote
    elif maybe_domain == LEGACY_DEFAULT_DOMAIN:
        domain, remote = DEFAULT_DOMAIN, maybe_remote
    elif any(c in maybe_domain for c in ".:") or maybe_domain.lower() != maybe_domain:
        domain, remote = maybe_domain, maybe_remote
    else:
        domain, remote = DEFAULT_DOMAIN, name
    if domain == DEFAULT_DOMAIN and "/" not in remote:
        remote = OFFICIAL_REPO_PREFIX + remote
    return domain, remote


def parse_normalized_named(s: str) -> Reference:
    """ParseNormalizedNamed: user input to a full reference. ``nginx`` becomes
    ``docker.io/library/nginx`` (no tag is added; see ``with_default_tag``)."""
    if _ANCHORED_IDENTIFIER_RE.fullmatch(s):
        raise InvalidReference(
            f"invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
        )
    domain, remainder = split_docker_domain(s)
    remote = remainder.partition(":")[0]
    if remote.lower() != remote:
        # The text names the normalized remote, e.g. "library/Nginx" for "Nginx".
        raise InvalidReference(
            f"{REFERENCE_INVALID_FORMAT}: repository name ({remote}) must be lowercase"
        )
    return parse(f"{domain}/{remainder}")


def parse_any_reference(s: str) -> Reference | DigestReference:
    """ParseAnyReference: a bare 64-hex ID or a full digest is a ``DigestReference``;
    anything else goes through ``parse_normalized_named``."""
    if _ANCHORED_IDENTIFIER_RE.fullmatch(s):
        return DigestReference(f"sha256:{s}")
    if is_valid_digest(s):
        return DigestReference(s)
    return parse_normalized_named(s)


def parse_docker_ref(s: str) -> Reference:
    """ParseDockerRef: normalize, keep only the digest when both tag and digest are given,
    else add ``latest`` (what ``docker pull``/``run`` resolve to)."""
    ref = parse_normalized_named(s)
    if ref.tag is not None and ref.digest is not None:
        return Reference(ref.domain, ref.path, None, ref.digest)
    return ref.with_default_tag()


def is_full_id(s: str) -> bool:
    """A complete image or container ID: 64 lowercase hex, optionally ``sha256:``-prefixed.
    These are what ParseAnyReference treats as digests rather than names."""
    return _ANCHORED_IDENTIFIER_RE.fullmatch(s.removeprefix("sha256:")) is not None


def looks_like_id_prefix(s: str) -> bool:
    """Could be searched as a short ID (digestset.Lookup): 1-64 lowercase hex digits. Only bare
    hex works there; a ``sha256:`` prefix on a partial ID fails to parse as a digest and then
    matches nothing."""
    return 0 < len(s) <= 64 and _LOWER_HEX_RE.fullmatch(s) is not None
