"""Images on one host, their tags and digest references (moby image store + reference store)."""

from __future__ import annotations

from collections.abc import Iterator

from .digest import is_digest
from .errors import DockerError, NotFound
from .image import Image
from .reference import InvalidReference, Reference, parse_normalized_named


def no_such_image(text: str) -> NotFound:
    """moby's ErrImageDoesNotExist: the reference with a default tag, in familiar form."""
    try:
        ref = parse_normalized_named(text)
        shown = ref.with_default_tag().familiar_string()
    except (InvalidReference, ValueError):
        shown = text
    return NotFound(f"No such image: {shown}")


class ImageStore:
    def __init__(self) -> None:
        self.images: dict[str, Image] = {}
        self.refs: dict[str, str] = {}  # full reference string -> image ID
        self._parsed: dict[str, Reference] = {}

    def __iter__(self) -> Iterator[Image]:
        return iter(self.images.values())

    def __len__(self) -> int:
        return len(self.images)

    def __contains__(self, image_id: object) -> bool:
        return image_id in self.images

    def add(self, image: Image) -> bool:
        """Store an image; False when that ID was already here."""
        if image.id in self.images:
            return False
        self.images[image.id] = image
        return True

    def delete(self, image_id: str) -> Image:
        return self.images.pop(image_id)

    def references(self, image_id: str) -> list[Reference]:
        """Tags and digest references of an image, sorted as moby sorts them."""
        return [self._parsed[s] for s in sorted(s for s, i in self.refs.items() if i == image_id)]

    def tags(self, image_id: str) -> list[Reference]:
        return [r for r in self.references(image_id) if r.digest is None]

    def set_ref(self, ref: Reference, image_id: str) -> str | None:
        """Point a reference at an image; return the image it pointed at before."""
        key = ref.string()
        previous = self.refs.get(key)
        self.refs[key] = image_id
        self._parsed[key] = ref
        return previous

    def remove_ref(self, ref: Reference) -> str:
        key = ref.string()
        image_id = self.refs.pop(key)
        self._parsed.pop(key, None)
        return image_id

    def lookup_ref(self, ref: Reference) -> str | None:
        return self.refs.get(ref.string())

    def search(self, prefix: str) -> str | None:
        """Find an image by a prefix of its ID (with or without ``sha256:``); None if none or
        several match."""
        hexp = prefix.removeprefix("sha256:")
        if not hexp or any(c not in "0123456789abcdef" for c in hexp):
            return None
        found = [i for i in self.images if i[7:].startswith(hexp)]
        return found[0] if len(found) == 1 else None

    def get(self, text: str) -> Image:
        """moby's GetImage: a full ID or digest, then a named reference, then an ID prefix."""
        if is_digest(text) or (len(text) == 64 and all(c in "0123456789abcdef" for c in text)):
            full = text if text.startswith("sha256:") else f"sha256:{text}"
            if full in self.images:
                return self.images[full]
            raise NotFound(f"No such image: {full}")
        try:
            ref = parse_normalized_named(text)
        except InvalidReference as exc:
            raise DockerError(str(exc), 400) from None
        image_id = self.refs.get(ref.with_default_tag().string())
        if image_id is None:
            image_id = self.search(text)
        if image_id is None or image_id not in self.images:
            raise no_such_image(text)
        return self.images[image_id]

    def is_dangling(self, image_id: str) -> bool:
        """moby imageIsDangling: no references and no child images."""
        return not any(i == image_id for i in self.refs.values()) and not self.children(image_id)

    def is_untagged(self, image_id: str) -> bool:
        """No tag (digest references do not count): what ``image prune`` removes."""
        return not any(r.tag is not None for r in self.references(image_id))

    def children(self, image_id: str) -> list[str]:
        return [i.id for i in self.images.values() if i.parent == image_id]
