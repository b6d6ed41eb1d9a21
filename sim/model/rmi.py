"""``docker rmi`` and ``docker image prune``: moby's image_delete.go decision rules.

Conflicts are *hard* (a running container, child images: never forced) or *soft* (a stopped
container, other references: ``-f`` overrides them)."""

from __future__ import annotations

import contextlib

from .engine import Engine
from .errors import Conflict
from .imagestore import ImageStore
from .reference import InvalidReference, Reference, parse_normalized_named

CHILD, RUNNING, REFERENCE, STOPPED = 1, 2, 4, 8
HARD, SOFT = CHILD | RUNNING, REFERENCE | STOPPED


def _is_single_reference(refs: list[Reference]) -> bool:
    """All references in one repository, with at most one tag (moby isSingleReference)."""
    if len(refs) <= 1:
        return len(refs) == 1
    single = None
    names: set[str] = set()
    for ref in refs:
        if ref.digest is not None:
            names.add(ref.name)
        elif single is None:
            names.add(ref.name)
            single = ref
        else:
            return False
    single = single or refs[0]
    return len(names) == 1 and single.name in names


def _conflict(engine: Engine, image_id: str, mask: int) -> tuple[Conflict, bool, bool] | None:
    """(error, hard, used) for the first conflict under ``mask``."""
    short = image_id[7:19]

    def err(hard: bool, message: str) -> Conflict:
        return Conflict(f"conflict: unable to delete {short} "
                        f"({'cannot be forced' if hard else 'must be forced'}) - {message}")

    if mask & CHILD and engine.images.children(image_id):
        return err(True, "image has dependent child images"), True, False
    users = engine.image_users(image_id)
    if mask & RUNNING:
        for c in users:
            if c.running:
                return err(True, f"image is being used by running container {c.short_id}"), \
                    True, True
    if mask & REFERENCE and engine.images.references(image_id):
        return err(False, "image is referenced in multiple repositories"), False, False
    if mask & STOPPED:
        for c in users:
            if not c.running:
                return err(False, f"image is being used by stopped container {c.short_id}"), \
                    False, True
    return None


def _is_id_prefix(image_id: str, text: str) -> bool:
    hexp = text.removeprefix("sha256:")
    return bool(hexp) and image_id[7:].startswith(hexp)


def image_delete(engine: Engine, text: str, force: bool, prune: bool = True
                 ) -> list[tuple[str, str]]:
    """Records as (``Untagged``|``Deleted``, value), in the order Docker prints them."""
    store: ImageStore = engine.images
    image = store.get(text)
    image_id = image.id
    records: list[tuple[str, str]] = []
    refs = store.references(image_id)
    removed_repository_ref = False
    if not _is_id_prefix(image_id, text):
        if not force and _is_single_reference(refs):
            users = engine.image_users(image_id)
            if users:
                raise Conflict(
                    f'conflict: unable to remove repository reference "{text}" (must force) - '
                    f"container {users[0].short_id} is using its referenced image "
                    f"{image_id[7:19]}")
        try:
            parsed = parse_normalized_named(text)
        except InvalidReference:
            parsed = None
        if parsed is not None and parsed.digest is None:
            parsed = parsed.with_default_tag()
        if parsed is None or store.lookup_ref(parsed) != image_id:
            # found by ID prefix that happens to parse as a name: treat as an ID
            return _delete_by_id(engine, image_id, refs, force, prune)
        engine.untag(parsed)
        records.append(("Untagged", parsed.familiar_string()))
        refs = store.references(image_id)
        if parsed.digest is None and not any(
                r.digest is None and r.name == parsed.name for r in refs):
            remaining = []
            for r in refs:
                if r.digest is not None and r.name == parsed.name:
                    engine.untag(r)
                    records.append(("Untagged", r.familiar_string()))
                else:
                    remaining.append(r)
            refs = remaining
        if refs:
            return records
        removed_repository_ref = True
        _helper(engine, image_id, records, force, prune, quiet=removed_repository_ref)
        return records
    return _delete_by_id(engine, image_id, refs, force, prune)


def _delete_by_id(engine: Engine, image_id: str, refs: list[Reference], force: bool,
                  prune: bool) -> list[tuple[str, str]]:
    records: list[tuple[str, str]] = []
    if _is_single_reference(refs):
        mask = HARD if force else HARD | (SOFT & ~REFERENCE)
        found = _conflict(engine, image_id, mask)
        if found:
            raise found[0]
        for r in refs:
            engine.untag(r)
            records.append(("Untagged", r.familiar_string()))
    _helper(engine, image_id, records, force, prune, quiet=False)
    return records


def _helper(engine: Engine, image_id: str, records: list[tuple[str, str]], force: bool,
            prune: bool, quiet: bool) -> None:
    mask = HARD if force else HARD | SOFT
    found = _conflict(engine, image_id, mask)
    if found:
        error, _hard, used = found
        if quiet and (not engine.images.is_dangling(image_id) or used):
            return
        raise error
    image = engine.images.images[image_id]
    for r in engine.images.references(image_id):
        engine.untag(r)
        records.append(("Untagged", r.familiar_string()))
    deleted = engine.delete_image_record(image_id)
    records.append(("Deleted", image_id))
    records.extend(("Deleted", chain) for chain in deleted)
    if prune and image.parent and image.parent in engine.images:
        with contextlib.suppress(Conflict):
            _helper(engine, image.parent, records, False, True, quiet=True)


def image_prune(engine: Engine, all_images: bool) -> tuple[list[tuple[str, str]], int]:
    """Dangling images (or, with ``-a``, every image no container uses). Returns the
    records and the bytes reclaimed (layers actually deleted)."""
    records: list[tuple[str, str]] = []
    before = engine.layers.size()
    for image in sorted(engine.images, key=lambda i: i.id):
        if image.id not in engine.images or engine.image_users(image.id):
            continue
        if not all_images and not engine.images.is_untagged(image.id):
            continue
        if engine.images.children(image.id):
            continue
        part: list[tuple[str, str]] = []
        for r in engine.images.references(image.id):
            engine.untag(r)
            part.append(("untagged", r.familiar_string()))
        deleted = engine.delete_image_record(image.id)
        part.append(("deleted", image.id))
        part.extend(("deleted", c) for c in deleted)
        records.extend(part)
    return records, before - engine.layers.size()
