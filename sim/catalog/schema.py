"""One catalog record, validated: the format of ``official-images.jsonl`` (PROVENANCE.md)
plus an optional ``registry`` for images that are not on Docker Hub.

Imported records are checked with this model before anything is written, and again when
the loader reads the data directory, so a record the simulator uses always has real-looking
digests, sane sizes and a history that matches its layers.
"""

from __future__ import annotations

import email.utils
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

HUB = "docker.io"  # sim.world.registry.HUB; repeated so the catalog imports no world code
HUB_ALIASES = {"docker.io", "index.docker.io", "registry-1.docker.io"}
DIGEST_RE = re.compile(r"sha256:[0-9a-f]{64}")
TAG_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")  # Go's \w is ASCII-only
COMPONENT_RE = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
HOST_RE = re.compile(r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)"
                     r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?")
#: moby layer/layer_store.go maxLayerDepth: overlay2 cannot stack more.
MAX_LAYERS = 125
#: A sanity bound, far above any real layer (Docker Hub's largest are a few GB).
MAX_LAYER_BYTES = 100 * 2**30
MAX_HISTORY = 1000
MAX_TEXT = 65536
LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip"
MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json"

def _digest(value: str) -> str:
    if not DIGEST_RE.fullmatch(value):
        raise ValueError(f"expected sha256:<64 hex>, got {_short(value)}")
    return value


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _http_date(value: str) -> str:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(f"expected an RFC 1123 date like 'Thu, 17 Sep 2026 20:37:44 GMT', "
                         f"got {_short(value)}")
    return value


def _tag(value: str) -> str:
    if not TAG_RE.fullmatch(value):
        raise ValueError(f"expected a tag like 3.12 or latest, got {_short(value)}")
    return value


CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _printable(value: str) -> str:
    """No control characters but tab and newlines: they would reach terminals and XML."""
    bad = CONTROL_RE.search(value)
    if bad:
        raise ValueError(f"control character U+{ord(bad.group()):04X} at position "
                         f"{bad.start() + 1} (only tab and newline are allowed)")
    return value


Text = Annotated[StrictStr, Field(max_length=MAX_TEXT), AfterValidator(_printable)]
Size = Annotated[StrictInt, Field(ge=0, le=MAX_LAYER_BYTES)]
Digest = Annotated[StrictStr, AfterValidator(_digest)]
Date = Annotated[StrictStr, AfterValidator(_http_date)]
Tag = Annotated[StrictStr, AfterValidator(_tag)]


class LayerRecord(BaseModel):
    """One layer blob as the manifest lists it."""
    model_config = ConfigDict(extra="forbid")
    digest: Digest
    compressed_bytes: Size
    media_type: Text = LAYER_MEDIA_TYPE
    last_modified: Date | None = None


class Record(BaseModel):
    """One image:tag of one platform, as the registry serves it."""
    model_config = ConfigDict(extra="forbid")
    registry: StrictStr | None = None
    image: StrictStr
    tag: Tag
    aliases: list[Tag] = Field(default_factory=list, max_length=100)
    platform: Text = "linux/amd64"
    manifest_digest: Digest
    manifest_media_type: Text = MANIFEST_MEDIA_TYPE
    index_digest: Digest | None = None
    image_id: Digest
    total_compressed_bytes: Annotated[StrictInt, Field(ge=0, le=MAX_LAYERS * MAX_LAYER_BYTES)] \
        | None = None
    layers: list[LayerRecord] = Field(min_length=1, max_length=MAX_LAYERS)
    history: list[Text] = Field(max_length=MAX_HISTORY)
    history_created: list[Date] = Field(max_length=MAX_HISTORY)
    entrypoint: list[Text] | None = None
    cmd: list[Text] | None = None
    source: Text | None = None
    source_commit: Text | None = None
    last_modified: Text | None = None

    @field_validator("registry")
    @classmethod
    def _registry(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not HOST_RE.fullmatch(value) or ("." not in value and ":" not in value
                                            and value != "localhost"):
            raise ValueError(f"expected a registry host like ghcr.io or localhost:5000, "
                             f"got {_short(value)}")
        return None if value.lower() in HUB_ALIASES else value

    @field_validator("image")
    @classmethod
    def _image(cls, value: str) -> str:
        parts = value.split("/")
        if len(value) > 255 or not all(COMPONENT_RE.fullmatch(p) for p in parts):
            raise ValueError("expected a repository name of lowercase components like "
                             f"python or acme/api, got {_short(value)}")
        if len(parts) > 1 and ("." in parts[0] or parts[0] == "localhost"):
            raise ValueError(f"{parts[0]!r} is a registry host: put it in the registry field "
                             f"and the rest ({'/'.join(parts[1:])!r}) in image")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Record:
        if self.registry is None and self.image.startswith("library/") and \
                self.image.count("/") == 1:
            self.image = self.image.removeprefix("library/")  # Docker Hub's familiar name
        names = [self.tag, *self.aliases]
        dup = next((n for n in names if names.count(n) > 1), None)
        if dup is not None:
            raise ValueError(f"aliases: {dup!r} is named twice (tag and aliases)")
        if len(self.history) != len(self.history_created):
            raise ValueError(f"history_created: {len(self.history_created)} dates for "
                             f"{len(self.history)} history rows")
        total = sum(x.compressed_bytes for x in self.layers)
        if self.total_compressed_bytes is not None and self.total_compressed_bytes != total:
            raise ValueError(f"total_compressed_bytes: {self.total_compressed_bytes} is not "
                             f"the sum of the layers' compressed_bytes ({total})")
        if self.history:
            from .loader import _layer_flags  # the loader's rule for which rows made a layer
            made = sum(_layer_flags(self.history, len(self.history)))  # untrimmed
            if made < len(self.layers):
                raise ValueError(f"history: {made} rows make a layer (RUN, COPY, ADD, WORKDIR)"
                                 f" but there are {len(self.layers)} layers")
        return self

    @property
    def domain(self) -> str:
        return self.registry or HUB


def domain_of(record: dict[str, Any]) -> str:
    """The registry host of a raw record: Docker Hub unless it names another."""
    return record.get("registry") or HUB


def path_of(record: dict[str, Any]) -> str:
    """The repository path inside its registry (``library/python`` for official images)."""
    image = record["image"]
    return f"library/{image}" if domain_of(record) == HUB and "/" not in image else image


def familiar(record: dict[str, Any], tag: str | None = None) -> str:
    """What the CLI shows: ``python:3.12``, ``acme/api:1``, ``ghcr.io/acme/api:1``."""
    domain = domain_of(record)
    name = record["image"] if domain == HUB else f"{domain}/{record['image']}"
    return f"{name}:{tag or record['tag']}"


def first_error(exc: Exception) -> str:
    """``layers.0.digest: expected ...``: the first thing wrong, on one line."""
    errors = getattr(exc, "errors", None)
    if errors is None:
        return str(exc)
    err = errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        msg = "required field is missing"
    elif err["type"] == "extra_forbidden":
        msg = "unknown field (docs/catalog.md lists the record's fields)"
    elif not err["type"].startswith("value_error"):
        msg = f"{msg}, got {_short(err.get('input'))}"
    return f"{loc}: {msg}" if loc else msg
