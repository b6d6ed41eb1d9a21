"""Real official-image data (docker-library/repo-info, see PROVENANCE.md), loaded lazily.

Catalog images keep their real image IDs, manifest and index digests, layer digests and
compressed sizes. What the data lacks is derived and documented: a layer's diffID is a
deterministic function of its blob digest, its uncompressed size is compressed × a ratio
(setting ``catalog.compression_ratio``, default 2.5), and its files are a sample
(``skeleton.py``).

Records imported with ``dockersim catalog import`` (``store.py``: the user data directory,
or ``$DOCKERSIM_DATA_DIR``) join the shipped ones; an imported record replaces a shipped
one of the same registry, image and tag. ``fingerprint()`` names the imported set, so a run
folder can say which catalog its run saw.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

from ..model.digest import EMPTY_TAR_DIFFID, sha256_digest
from ..model.image import make_config, rfc3339
from ..model.layer import FileEntry, Layer
from ..model.registry import CONFIG_V1, Descriptor, ImageBlob, Manifest
from .schema import HUB, domain_of, familiar, path_of
from .skeleton import app_files, base_files

DEFAULT_RATIO = 2.5
#: The 32-byte blob BuildKit and containerd write for an empty diff (gzip of an empty tar).
EMPTY_GZIP_LAYER = "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"
LAYER_INSTRUCTIONS = {"RUN", "COPY", "ADD", "WORKDIR"}


@dataclass(frozen=True)
class CatalogImage:
    image: str
    tag: str
    aliases: tuple[str, ...]
    blob: ImageBlob
    manifest: Manifest


@functools.cache
def shipped_records() -> tuple[dict[str, Any], ...]:
    """The raw JSON records of ``official-images.jsonl``, read once on first use."""
    text = resources.files(__package__).joinpath("official-images.jsonl").read_text()
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


@functools.cache
def imported_records() -> tuple[dict[str, Any], ...]:
    """The records of the data directory's ``catalog/*.jsonl`` files, validated."""
    from .store import files, read_imported
    if not files():  # the usual case: no need to import the validating importer
        return ()
    return tuple(r for _path, _line, r in read_imported())


def key(record: dict[str, Any]) -> tuple[str, str, str]:
    """What a record is the image of: (registry host, image, tag)."""
    return domain_of(record), record["image"], record["tag"]


@functools.cache
def _imported_keys() -> frozenset[tuple[str, str, str]]:
    return frozenset(key(r) for r in imported_records())


@functools.cache
def records() -> tuple[dict[str, Any], ...]:
    """Shipped records (less those an import replaced), then imported ones."""
    replaced = _imported_keys()
    return tuple(r for r in shipped_records() if key(r) not in replaced) + imported_records()


def is_imported(record: dict[str, Any]) -> bool:
    return key(record) in _imported_keys()


def fingerprint() -> str | None:
    """sha256 of the imported files (names and bytes), None when there are none: the part of
    a run's input that lives outside the scenario file."""
    from .store import fingerprint as files_fingerprint
    return files_fingerprint()


def reload() -> None:
    """Forget everything read, so the next use sees the data directory as it is now."""
    for fn in (shipped_records, imported_records, _imported_keys, records, _owners,
               _base_distros, _layer_recipes, _layer, catalog_image):
        fn.cache_clear()


def repositories() -> list[str]:
    """Docker Hub repositories the catalog has, by familiar name (``python``, ``acme/api``)."""
    return sorted({r["image"] for r in records() if domain_of(r) == HUB})


def names() -> list[str]:
    """Every Docker Hub ``image:tag`` the catalog resolves, aliases included (what Docker
    Hub serves from the start)."""
    return all_names(HUB)


def all_names(registry: str | None = None) -> list[str]:
    """Every name the catalog resolves (``ghcr.io/acme/api:1`` too), or one registry's."""
    return sorted(familiar(r, t) for r in records()
                  if registry is None or domain_of(r) == registry
                  for t in [r["tag"], *(r.get("aliases") or [])])


def _http_date(text: str) -> float:
    import email.utils
    return email.utils.parsedate_to_datetime(text).timestamp()


def _layer_flags(history: list[str], n_layers: int) -> list[bool]:
    """Which history rows made a layer. Rows of RUN/COPY/ADD/WORKDIR do; when the data has
    fewer layers (rockcraft ``umoci config`` rows, squashed bases), the earliest extra
    candidates are taken as empty."""
    flags = []
    for line in history:
        word, _, rest = line.partition(" ")
        made = word.upper() in LAYER_INSTRUCTIONS and not (word == "WORKDIR" and rest == "/")
        flags.append(made and not line.startswith("RUN umoci config"))
    extra = sum(flags) - n_layers
    for i, made in enumerate(flags):
        if extra <= 0:
            break
        if made:
            flags[i], extra = False, extra - 1
    return flags


def _distro(record: dict[str, Any]) -> tuple[str, str] | None:
    """The base distribution a record says it is built on, if it says so."""
    first = record["history"][0] if record["history"] else ""
    if "alpine" in first or "alpine" in record["tag"]:
        return "alpine", "Alpine Linux"
    if "umoci" in first or first.startswith("ARG RELEASE") or record["image"] == "ubuntu":
        return "ubuntu", "Ubuntu"
    if "debian.sh" in first or record["image"] == "debian":
        return "debian", "Debian GNU/Linux"
    return None


@functools.cache
def _owners() -> dict[str, set[str]]:
    """Blob digest -> the image names whose records use it."""
    owners: dict[str, set[str]] = {}
    for r in records():
        for layer in r["layers"]:
            owners.setdefault(layer["digest"], set()).add(r["image"])
    return owners


@functools.cache
def _base_distros() -> dict[str, tuple[str, str]]:
    """Base-layer digest -> its distribution, decided over every record that starts with it
    (a blob names its bytes, so all images see the same files in it)."""
    votes: dict[str, list[tuple[str, str]]] = {}
    for r in records():
        if r["layers"]:
            guess = _distro(r)
            votes.setdefault(r["layers"][0]["digest"], [])
            if guess is not None:
                votes[r["layers"][0]["digest"]].append(guess)
    return {d: (sorted(v)[0] if v else ("debian", "Debian GNU/Linux")) for d, v in votes.items()}


def _app_layer_index(record: dict[str, Any]) -> int | None:
    """The largest layer used only by this image name: where its own files live."""
    own = [(layer["compressed_bytes"], i) for i, layer in enumerate(record["layers"])
           if i > 0 and _owners()[layer["digest"]] == {record["image"]}]
    return max(own)[1] if own else None


@functools.cache
def _layer_recipes() -> dict[str, tuple[int, tuple[str, ...], str]]:
    """Blob digest -> (compressed bytes, files key, created_by), from its first appearance."""
    recipes: dict[str, tuple[int, tuple[str, ...], str]] = {}
    for r in records():
        flags = _layer_flags(r["history"], len(r["layers"]))
        made_by = [h for h, f in zip(r["history"], flags, strict=True) if f]
        made_by += [""] * (len(r["layers"]) - len(made_by))
        app_at = _app_layer_index(r)
        for i, desc in enumerate(r["layers"]):
            if desc["digest"] in recipes:
                continue
            key: tuple[str, ...] = ()
            if i == 0:
                key = ("base", *_base_distros()[desc["digest"]])
            elif i == app_at and app_files(r["image"]):
                key = ("app", r["image"])
            recipes[desc["digest"]] = (desc["compressed_bytes"], key, made_by[i])
    return recipes


@functools.cache
def _layer(digest: str, ratio: float) -> Layer:
    """One Layer per blob digest, whichever image it is seen in."""
    compressed, key, created_by = _layer_recipes()[digest]
    files: dict[str, FileEntry] = {}
    if key and key[0] == "base":
        files = base_files(key[1], key[2])
    elif key and key[0] == "app":
        files = app_files(key[1])
    if digest == EMPTY_GZIP_LAYER:  # gzip of an empty tar: the empty diff
        return Layer(EMPTY_TAR_DIFFID, digest, 0, compressed, MappingProxyType({}), created_by,
                     files_complete=True)
    return Layer(
        diff_id=sha256_digest(f"diffid-of {digest}".encode()), digest=digest,
        size=int(compressed * ratio), compressed_size=compressed,
        files=MappingProxyType(files), created_by=created_by, files_complete=False)


@functools.cache
def catalog_image(image: str, name: str, ratio: float = DEFAULT_RATIO,
                  registry: str = HUB) -> CatalogImage | None:
    """The record that ``image:name`` (tag or alias) resolves to, as registry content."""
    for r in records():
        if r["image"] == image and name in [r["tag"], *(r.get("aliases") or [])] \
                and domain_of(r) == registry:
            return _build(r, ratio)
    return None


def _build(r: dict[str, Any], ratio: float) -> CatalogImage:
    flags = _layer_flags(r["history"], len(r["layers"]))
    layers = [_layer(desc["digest"], ratio) for desc in r["layers"]]
    history = []
    for line, created, made in zip(r["history"], r["history_created"], flags, strict=True):
        row: dict[str, Any] = {"created": rfc3339(_http_date(created)), "created_by": line}
        if line.endswith("# buildkit"):
            row["comment"] = "buildkit.dockerfile.v0"
        if not made:
            row["empty_layer"] = True
        history.append(row)
    created = max(_http_date(c) for c in r["history_created"]) if r["history_created"] else 0
    env = [h[4:] for h in r["history"] if h.startswith("ENV ") and "=" in h
           and "…[truncated]" not in h and " " not in h[4:].split("=", 1)[0]]
    exposed = {}
    for h in r["history"]:
        if h.startswith("EXPOSE ") and "…[truncated]" not in h:
            for item in h[7:].removeprefix("map[").removesuffix("]").split():
                port = item.removesuffix(":{}")
                exposed[port if "/" in port else f"{port}/tcp"] = {}
    extra: dict[str, Any] = {"ExposedPorts": exposed} if exposed else {}
    for h in r["history"]:
        if h.startswith("STOPSIGNAL "):
            extra["StopSignal"] = h.split()[1]
        elif h.startswith("VOLUME [") and h.endswith("]"):  # a run gets anonymous volumes
            extra.setdefault("Volumes", {}).update(dict.fromkeys(h[8:-1].split(), {}))
    config = make_config(created, r.get("cmd"), tuple(layers), history,
                         entrypoint=r.get("entrypoint"),
                         env=["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                              *[e for e in env if not e.startswith("PATH=")]],
                         extra=extra)
    blob = ImageBlob(r["image_id"], config, tuple(layers))
    descs = tuple(Descriptor(d["media_type"], d["digest"], d["compressed_bytes"])
                  for d in r["layers"])
    manifest = Manifest(r["manifest_digest"], Descriptor(CONFIG_V1, r["image_id"], 0), descs,
                        size=0, media_type=r["manifest_media_type"],
                        index_digest=r["index_digest"])
    return CatalogImage(r["image"], r["tag"], tuple(r.get("aliases") or []), blob, manifest)


def fill_repository(storage, image: str, ratio: float = DEFAULT_RATIO) -> None:
    """Put every record of one official image into a registry (``library/<image>``)."""
    fill_path(storage, HUB, f"library/{image}", ratio)


def fill_path(storage, hostname: str, path: str, ratio: float = DEFAULT_RATIO) -> bool:
    """Put every record served at ``hostname/path`` into that registry's storage (imported
    records of other registries too); False when the catalog has none there."""
    found = False
    for r in records():
        if domain_of(r) != hostname or path_of(r) != path:
            continue
        item = catalog_image(r["image"], r["tag"], ratio, hostname)
        assert item is not None
        for layer in item.blob.layers:
            storage.put_blob(path, layer)
        for tag in [item.tag, *item.aliases]:
            storage.put_image(path, tag, item.blob, item.manifest)
        found = True
    return found

