"""Registry storage as distribution keeps it: blobs once registry-wide, linked per
repository; manifests; mutable tags. Errors carry the daemon's exact pull messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .digest import canonical_json, sha256_digest
from .errors import DockerError, NotFound
from .layer import Layer

MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"
CONFIG_V1 = "application/vnd.docker.container.image.v1+json"


@dataclass(frozen=True)
class Descriptor:
    media_type: str
    digest: str
    size: int

    def as_json(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "size": self.size, "digest": self.digest}


@dataclass(frozen=True)
class Manifest:
    digest: str
    config: Descriptor
    layers: tuple[Descriptor, ...]
    size: int  # bytes of the manifest payload
    media_type: str = MANIFEST_V2
    index_digest: str | None = None  # the multi-platform index a tag points at (pull prints it)

    @staticmethod
    def build(config: Descriptor, layers: tuple[Descriptor, ...]) -> Manifest:
        """A schema-2 manifest whose digest is the sha256 of its canonical payload."""
        payload = canonical_json({
            "schemaVersion": 2, "mediaType": MANIFEST_V2, "config": config.as_json(),
            "layers": [d.as_json() for d in layers]})
        return Manifest(sha256_digest(payload), config, layers, len(payload))

    @property
    def pull_digest(self) -> str:
        return self.index_digest or self.digest


@dataclass
class Repository:
    name: str  # path inside the registry, e.g. library/nginx
    links: set[str] = field(default_factory=set)  # blob digests linked into this repository
    manifests: dict[str, Manifest] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)  # tag -> manifest digest


@dataclass
class ImageBlob:
    """What the registry holds for a config blob: the config JSON and the layers it names."""

    image_id: str
    config: dict[str, Any]
    layers: tuple[Layer, ...]


class RegistryStorage:
    def __init__(self, hostname: str, docker_hub: bool = False) -> None:
        self.hostname = hostname
        self.docker_hub = docker_hub  # Docker Hub answers "denied" for a missing repository
        self.blobs: dict[str, Layer] = {}
        self.configs: dict[str, ImageBlob] = {}
        self.repos: dict[str, Repository] = {}

    def repo(self, path: str) -> Repository:
        return self.repos.setdefault(path, Repository(path))

    def resolve(self, path: str, familiar: str, tag: str | None, digest: str | None) -> Manifest:
        """The manifest for a tag or digest, or the daemon's exact pull error."""
        repo = self.repos.get(path)
        if (repo is None or not (repo.tags or repo.manifests)) and self.docker_hub:
            raise DockerError(
                f"pull access denied for {familiar}, repository does not exist or may "
                "require 'docker login': denied: requested access to the resource is denied",
                404)
        if digest is not None:
            manifest = None
            if repo is not None:
                manifest = repo.manifests.get(digest) or next(
                    (m for m in repo.manifests.values() if m.index_digest == digest), None)
            if manifest is None:
                raise NotFound(f"manifest for {familiar}@{digest} not found: manifest unknown: "
                               "manifest unknown")
            return manifest
        manifest_digest = repo.tags.get(tag or "latest") if repo else None
        if manifest_digest is None:
            raise NotFound(f"manifest for {familiar}:{tag or 'latest'} not found: manifest "
                           "unknown: manifest unknown")
        return repo.manifests[manifest_digest]  # type: ignore[union-attr]

    def blob_exists(self, path: str, digest: str) -> bool:
        """HEAD /v2/<name>/blobs/<digest>: only blobs linked into that repository answer."""
        repo = self.repos.get(path)
        return repo is not None and digest in repo.links and digest in self.blobs

    def mount(self, path: str, digest: str, source: str) -> bool:
        """Cross-repository mount: link an existing blob without sending data (201)."""
        if not self.blob_exists(source, digest):
            return False
        self.repo(path).links.add(digest)
        return True

    def put_blob(self, path: str, layer: Layer) -> None:
        self.blobs[layer.digest] = layer
        self.repo(path).links.add(layer.digest)

    def put_image(self, path: str, tag: str | None, blob: ImageBlob,
                  manifest: Manifest) -> None:
        """Upload the config blob and manifest and point the tag at it."""
        self.configs[blob.image_id] = blob
        repo = self.repo(path)
        repo.links.add(blob.image_id)
        repo.manifests[manifest.digest] = manifest
        if tag is not None:
            repo.tags[tag] = manifest.digest

    def image_for(self, manifest: Manifest) -> ImageBlob:
        return self.configs[manifest.config.digest]

    def layer(self, digest: str) -> Layer:
        return self.blobs[digest]

    def stored_bytes(self) -> int:
        """Bytes of blobs on the registry's disk, each digest once."""
        return sum(layer.compressed_size for layer in self.blobs.values())
