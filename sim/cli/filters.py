"""``--filter key=value`` for ps, images and volume ls, with the daemon's error texts."""

from __future__ import annotations

import fnmatch
import re

from ..model.container import STATES, Container
from ..model.errors import DockerError, InvalidParameter


def parse_filters(items: list[str], allowed: set[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise DockerError(f"bad format of filter (expected name=value): {item}", 400)
        key = key.strip().lower()
        if key not in allowed:
            raise InvalidParameter(f"invalid filter '{key}'")
        out.setdefault(key, []).append(value)
    return out


def _bool(key: str, value: str) -> bool:
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise InvalidParameter(f"Invalid filter '{key}={value}'")


def match_container(c: Container, filters: dict[str, list[str]], image_ids: dict[str, str]
                    ) -> bool:
    """Every key must match; several values of one key are alternatives (daemon rules)."""
    for key, values in filters.items():
        if key == "status":
            for v in values:
                if v not in STATES:
                    raise InvalidParameter(f"invalid filter 'status={v}'")
            ok = c.state in values
        elif key == "name":
            ok = any(re.search(v, c.name) for v in values)
        elif key == "id":
            ok = any(c.id.startswith(v) for v in values)
        elif key == "exited":
            ok = c.state == "exited" and any(str(c.exit_code) == v for v in values)
        elif key == "label":
            labels = c.config.get("Labels") or {}
            ok = any((v.partition("=")[0] in labels and
                      (not v.partition("=")[1] or labels[v.partition("=")[0]] ==
                       v.partition("=")[2])) for v in values)
        elif key == "ancestor":
            ok = any(image_ids.get(v) == c.image_id or c.image_id[7:].startswith(v)
                     for v in values)
        else:
            ok = True
        if not ok:
            return False
    return True


def match_image_row(repo: str, tag: str, dangling: bool, filters: dict[str, list[str]]
                    ) -> bool:
    for key, values in filters.items():
        if key == "dangling":
            if any(_bool(key, v) != dangling for v in values):
                return False
        elif key == "reference":
            name = f"{repo}:{tag}"
            if not any(fnmatch.fnmatchcase(name, v) or fnmatch.fnmatchcase(repo, v)
                       for v in values):
                return False
    return True
