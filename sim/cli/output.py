"""Docker-exact text: the tables and lines Docker CLI 28.5 prints (plain, non-tty)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..model.container import Container
from ..model.errors import DockerError
from ..model.image import Image, rfc3339
from ..model.ports import exposed_ports, ports_column
from .tabwriter import display_width, tabwrite
from .units import human_duration, human_size, human_size_with_precision

if TYPE_CHECKING:
    from ..model.engine import Engine


def size3(n: float) -> str:
    return human_size_with_precision(n, 3)


def ago(now: float, then: float) -> str:
    return f"{human_duration(now - then)} ago"


def ellipsis(text: str, width: int) -> str:
    """docker/cli formatter.Ellipsis: cut to ``width`` display columns ending in '…'."""
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def go_quote(text: str) -> str:
    """strconv.Quote for the printable text Docker shows."""
    return json.dumps(text, ensure_ascii=False)


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["\t".join(headers)] + ["\t".join(r) for r in rows]
    return tabwrite("\n".join(lines) + "\n")


# ---- containers ------------------------------------------------------------------------
def container_image_column(engine: Engine, c: Container) -> str:
    """What the user typed, unless it no longer resolves to the container's image."""
    try:
        if engine.images.get(c.image_ref).id == c.image_id:
            return c.image_ref
    except DockerError:
        pass
    return c.image_id[7:19]


def container_fields(engine: Engine, c: Container, now: float, trunc: bool = True) -> dict:
    """The ContainerContext fields of ``docker ps --format``."""
    rw, virtual = engine.container_size(c)
    command = ellipsis(c.command, 20) if trunc else c.command
    mounts = [m.source if m.type == "volume" else m.source for m in c.mounts]
    return {
        "ID": c.short_id if trunc else c.id,
        "Image": container_image_column(engine, c),
        "Command": go_quote(command),
        "CreatedAt": _go_time(c.created),
        "RunningFor": ago(now, c.created),
        "Ports": ports_column(c.bound, exposed_ports(c.config)) if c.running else "",
        "State": c.state,
        "Status": c.status(now, human_duration),
        "Size": f"{size3(rw)} (virtual {size3(virtual)})",
        "Names": c.name,
        "Labels": ",".join(f"{k}={v}" for k, v in sorted((c.config.get("Labels") or {}).items())),
        "Mounts": ",".join(ellipsis(m, 15) if trunc else m for m in mounts),
        "Networks": "bridge",
        "LocalVolumes": str(sum(1 for m in c.mounts if m.type == "volume")),
    }


PS_HEADERS = {"ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND",
              "CreatedAt": "CREATED AT", "RunningFor": "CREATED", "Ports": "PORTS",
              "State": "STATE", "Status": "STATUS", "Size": "SIZE", "Names": "NAMES",
              "Labels": "LABELS", "Mounts": "MOUNTS", "Networks": "NETWORKS",
              "LocalVolumes": "LOCAL VOLUMES"}


def _go_time(unix: float) -> str:
    """Go's time.Time String() as docker ps CreatedAt prints it."""
    import datetime as _dt
    t = _dt.datetime.fromtimestamp(int(unix), tz=_dt.UTC)
    return t.strftime("%Y-%m-%d %H:%M:%S +0000 UTC")


# ---- images ----------------------------------------------------------------------------
def image_rows(engine: Engine, show_all: bool) -> list[tuple[Image, str, str, str]]:
    """(image, repository, tag, digest) rows as ``docker images`` lists them."""
    rows = []
    images = sorted(engine.images, key=lambda i: (i.created, i.id), reverse=True)
    for image in images:
        refs = engine.images.references(image.id)
        tags = [r for r in refs if r.tag is not None]
        digests = [r for r in refs if r.digest is not None]
        if not tags and not digests:
            if not show_all and engine.images.children(image.id):
                continue  # intermediate image
            rows.append((image, "<none>", "<none>", "<none>"))
            continue
        for t in tags:
            d = next((r.digest for r in digests if r.name == t.name), None)
            rows.append((image, t.familiar_name, t.tag or "<none>", d or "<none>"))
        for d in digests:
            if not any(t.name == d.name for t in tags):
                rows.append((image, d.familiar_name, "<none>", d.digest or "<none>"))
    return rows


def image_fields(engine: Engine, row: tuple[Image, str, str, str], now: float,
                 trunc: bool = True) -> dict:
    image, repo, tag, digest = row
    return {
        "ID": image.id[7:19] if trunc else image.id,
        "Repository": repo, "Tag": tag, "Digest": digest,
        "CreatedSince": ago(now, image.created),
        "CreatedAt": _go_time(image.created),
        "Size": size3(image.size),
        "Containers": "N/A", "SharedSize": "N/A", "UniqueSize": "N/A",
        "VirtualSize": size3(image.size),
    }


IMAGE_HEADERS = {"ID": "IMAGE ID", "Repository": "REPOSITORY", "Tag": "TAG",
                 "Digest": "DIGEST", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT",
                 "Size": "SIZE", "Containers": "CONTAINERS", "SharedSize": "SHARED SIZE",
                 "UniqueSize": "UNIQUE SIZE", "VirtualSize": "VIRTUAL SIZE"}


def history_rows(image: Image, now: float, trunc: bool = True) -> list[list[str]]:
    """``docker history``: newest first; the top row shows the image ID, others <missing>."""
    layers = list(image.layers)
    sized = []
    for entry in image.history:
        size = 0
        if not entry.get("empty_layer") and layers:
            size = layers.pop(0).size
        sized.append((entry, size))
    rows = []
    for i, (entry, size) in enumerate(reversed(sized)):
        created_by = entry.get("created_by", "").replace("\t", " ").replace("\n", " ")
        created = entry.get("created")
        from ..model.image import parse_rfc3339
        when = ago(now, parse_rfc3339(created)) if created else "N/A"
        rows.append([
            image.id[7:19] if i == 0 else "<missing>", when,
            ellipsis(created_by, 45) if trunc else created_by,
            size3(size), entry.get("comment", "")])
    return rows


# ---- system df -------------------------------------------------------------------------
def _pct(part: int, total: int) -> str:
    return f"{human_size(part)} ({part * 100 // total}%)" if total > 0 else human_size(part)


def disk_usage(engine: Engine, now: float, verbose: bool) -> str:
    cache = engine.build_cache
    # moby lists the "top images" (image_list.go without All): an untagged parent of another
    # image is neither shown nor counted; shared sizes still count every image's layers
    images = [i for i in engine.images
              if engine.images.references(i.id) or not engine.images.children(i.id)]
    layer_users: dict[str, int] = {}
    for image in engine.images:
        for chain in image.chain_ids:
            layer_users[chain] = layer_users.get(chain, 0) + 1
    sizes = {ro.chain_id: ro.layer.size for ro in engine.layers}

    def shared(image: Image) -> int:
        return sum(sizes.get(c, 0) for c in image.chain_ids if layer_users.get(c, 0) > 1)

    total_images = engine.layers.size()
    used = sum(i.size - shared(i) for i in images if engine.image_users(i.id))
    containers = list(engine.containers.values())
    rw = {c.id: engine.container_size(c)[0] for c in containers}
    active_c = [c for c in containers if c.running]
    vols = list(engine.volumes.volumes.values())
    vol_links = {v.name: len(engine.volume_users(v.name)) for v in vols}
    vol_total = sum(v.size for v in vols)
    if not verbose:
        rows = [
            ["Images", str(len(images)), str(sum(1 for i in images if engine.image_users(i.id))),
             human_size(total_images), _pct(total_images - used, total_images)],
            ["Containers", str(len(containers)), str(len(active_c)), human_size(sum(rw.values())),
             _pct(sum(rw[c.id] for c in containers if not c.running), sum(rw.values()))],
            ["Local Volumes", str(len(vols)), str(sum(1 for n in vol_links.values() if n)),
             human_size(vol_total),
             _pct(sum(v.size for v in vols if not vol_links[v.name]), vol_total)],
            ["Build Cache", str(len(cache.records) if cache else 0), "0",
             human_size(cache.size() if cache else 0),
             human_size(cache.size() if cache else 0)],
        ]
        return table(["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"], rows)
    out = ["Images space usage:", ""]
    img_rows = []
    for image in sorted(images, key=lambda i: (i.created, i.id), reverse=True):
        tags = engine.images.tags(image.id)  # docker/cli: "Only show the first tag"
        repo, tag = (tags[0].familiar_name, tags[0].tag or "<none>") if tags else (
            "<none>", "<none>")
        s = shared(image)
        img_rows.append([repo, tag, image.id[7:19], ago(now, image.created), size3(image.size),
                         human_size(s), human_size(image.size - s),
                         str(len(engine.image_users(image.id)))])
    out.append(table(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE",
                      "UNIQUE SIZE", "CONTAINERS"], img_rows).rstrip("\n"))
    out += ["", "Containers space usage:", ""]
    c_rows = []
    for c in sorted(containers, key=lambda c: c.created, reverse=True):
        f = container_fields(engine, c, now)
        c_rows.append([f["ID"], f["Image"], f["Command"], f["LocalVolumes"],
                       size3(rw[c.id]), f["RunningFor"], f["Status"], f["Names"]])
    out.append(table(["CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED",
                      "STATUS", "NAMES"], c_rows).rstrip("\n"))
    out += ["", "Local Volumes space usage:", ""]
    v_rows = [[v.name, str(vol_links[v.name]), human_size(v.size)]
              for v in sorted(vols, key=lambda v: v.name)]
    out.append(table(["VOLUME NAME", "LINKS", "SIZE"], v_rows).rstrip("\n"))
    records = sorted(cache.records.values(), key=lambda r: r.created) if cache else []
    out += ["", f"Build cache usage: {human_size(cache.size() if cache else 0)}", ""]
    out.append(table(["CACHE ID", "CACHE TYPE", "SIZE", "CREATED", "LAST USED", "USAGE",
                      "SHARED"],
                     [[r.id, r.kind, human_size(r.size), ago(now, r.created),
                       ago(now, r.last_used), "1", "false"] for r in records]).rstrip("\n"))
    return "\n".join(out) + "\n"


def rfc(unix: float) -> str:
    return rfc3339(unix)


def prune_prompt(ctx, warning: str) -> None:
    """What a prune without ``-f`` prints: its warning and the CLI's ``[y/N]`` prompt.
    stdin gives no "y", so Docker cancels and prints nothing more."""
    ctx.raw(f"{warning} [y/N] ")
    ctx.out()


def prune_report(ctx, heading: str, removed: list[str], reclaimed: int) -> None:
    """What every ``prune`` prints: the removed items under a heading, then the total."""
    prune_sections(ctx, [(heading, removed)], reclaimed)


def prune_sections(ctx, sections: list[tuple[str, list[str]]], reclaimed: int) -> None:
    """Each kind removed under its heading, a blank line after each (the CLI prints each
    report with Println), then one total (``docker system prune`` has several kinds)."""
    for heading, removed in sections:
        if removed:
            ctx.out(heading)
            for item in removed:
                ctx.out(item)
            ctx.out()
    ctx.out(f"Total reclaimed space: {human_size(reclaimed)}")
