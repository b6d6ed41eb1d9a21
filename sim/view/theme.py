"""Colours and shapes, decided in one place: ``portray(thing) -> Style``.

The palette is Okabe–Ito (safe for the common colour-vision deficiencies) on a light
background, which projects better than a dark one in a lit classroom. A layer's colour comes
from its digest, so the same layer has the same colour on every host and in every frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scene import ContainerView, HostView, ImageView, LayerView, RegistryView, TransferView

RGB = tuple[int, int, int]

BLACK: RGB = (0, 0, 0)
ORANGE: RGB = (230, 159, 0)
SKY: RGB = (86, 180, 233)
GREEN: RGB = (0, 158, 115)
YELLOW: RGB = (240, 228, 66)
BLUE: RGB = (0, 114, 178)
VERMILLION: RGB = (213, 94, 0)
PURPLE: RGB = (204, 121, 167)
OKABE_ITO = (ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE)

BACKGROUND: RGB = (247, 246, 240)
PANEL: RGB = (234, 232, 224)
INK: RGB = (30, 30, 34)
MUTED: RGB = (110, 110, 118)
GRID: RGB = (200, 198, 190)
CARD: RGB = (255, 255, 252)
GREY: RGB = (150, 150, 156)

STATE_COLOURS: dict[str, RGB] = {
    "created": SKY, "running": GREEN, "paused": YELLOW, "restarting": ORANGE,
    "exited": GREY, "dead": BLACK, "removing": PURPLE,
}
STEP_COLOURS: dict[str, RGB] = {
    "started": YELLOW, "done": GREEN, "cached": SKY, "error": VERMILLION,
}
EVENT_COLOURS: dict[str, RGB] = {
    "CommandStarted": INK, "LayerTransfer": BLUE, "LayerRegistered": ORANGE,
    "ContainerStateChanged": GREEN, "ContainerFilesChanged": PURPLE,
    "ContainerRemoved": VERMILLION, "BuildStep": YELLOW, "FaultStarted": VERMILLION,
}
CHANGE_COLOURS: dict[str, RGB] = {
    "copy-up": BLUE, "whiteout": BLACK, "write": SKY, "dir": SKY, "symlink": SKY,
    "volume": PURPLE,
}
PHASE_COLOURS: dict[str, RGB] = {
    "waiting": GREY, "downloading": BLUE, "downloaded": SKY, "extracted": GREEN,
    "exists": GREY, "uploading": ORANGE, "uploaded": GREEN, "mounted": GREY,
}


@dataclass(frozen=True, slots=True)
class Style:
    fill: RGB
    edge: RGB = INK
    text: RGB = INK
    label: str = ""


def mix(a: RGB, b: RGB, k: float) -> RGB:
    """``a`` moved a fraction ``k`` towards ``b``."""
    return (round(a[0] + (b[0] - a[0]) * k), round(a[1] + (b[1] - a[1]) * k),
            round(a[2] + (b[2] - a[2]) * k))


def digest_colour(digest: str) -> RGB:
    """A stable colour per digest: a palette hue, lightened by one of three steps."""
    hexpart = digest.rsplit(":", 1)[-1]
    n = int(hexpart[:8], 16) if len(hexpart) >= 8 else sum(map(ord, hexpart))
    base = OKABE_ITO[n % len(OKABE_ITO)]
    return mix(base, (255, 255, 255), (0.0, 0.3, 0.55)[(n // 7) % 3])


def ink_on(fill: RGB) -> RGB:
    """Black or white text, whichever reads better on ``fill``."""
    luma = 0.299 * fill[0] + 0.587 * fill[1] + 0.114 * fill[2]
    return INK if luma > 120 else (255, 255, 255)


def short(digest: str, n: int = 12) -> str:
    return digest.rsplit(":", 1)[-1][:n]


def portray(thing) -> Style:
    """The one place that decides how a thing looks.

    ``thing`` is a scene value (layer, image, container, transfer, host, registry) or a tag
    ``(kind, name)``: ``("state", "running")``, ``("step", "cached")``,
    ``("event", "LayerTransfer")``, ``("phase", "downloading")``, ``("volume", name)``,
    ``("rw", container)``, ``("blob", digest)``, ``("change", "copy-up")``."""
    if isinstance(thing, LayerView):
        fill = digest_colour(thing.diff_id)
        return Style(fill, mix(fill, INK, 0.5), ink_on(fill), short(thing.diff_id, 8))
    if isinstance(thing, ImageView):
        return Style(CARD, INK, INK, thing.tags[0] if thing.tags else "<none>")
    if isinstance(thing, ContainerView):
        fill = STATE_COLOURS.get(thing.state, GREY)
        if thing.state == "exited" and thing.exit_code != 0:
            fill = VERMILLION
        return Style(fill, INK, ink_on(fill), state_label(thing))
    if isinstance(thing, TransferView):
        fill = PHASE_COLOURS.get(thing.phase, GREY)
        return Style(fill, INK, ink_on(fill), PHASE_LABELS.get(thing.phase, thing.phase))
    if isinstance(thing, HostView):
        return Style(CARD, VERMILLION if thing.faults else GRID, INK, thing.name)
    if isinstance(thing, RegistryView):
        return Style(mix(BLUE, (255, 255, 255), 0.85), VERMILLION if thing.faults else BLUE,
                     INK, thing.name)
    kind, name = thing
    if kind == "state":
        fill = STATE_COLOURS.get(name, GREY)
        return Style(fill, INK, ink_on(fill), name)
    if kind == "step":
        fill = STEP_COLOURS.get(name, GREY)
        return Style(fill, INK, ink_on(fill), "CACHED" if name == "cached" else name)
    if kind == "event":
        return Style(EVENT_COLOURS.get(name, GRID))
    if kind == "phase":
        fill = PHASE_COLOURS.get(name, GREY)
        return Style(fill, INK, ink_on(fill), PHASE_LABELS.get(name, name))
    if kind == "blob":
        fill = digest_colour(name)
        return Style(fill, mix(fill, INK, 0.5), ink_on(fill), short(name, 8))
    if kind == "change":  # what a command did to a path in a container's upper dir
        fill = CHANGE_COLOURS.get(name.split(":", 1)[0], GREY)
        return Style(fill, INK, ink_on(fill), name)
    if kind == "volume":
        return Style(mix(PURPLE, (255, 255, 255), 0.6), PURPLE, INK, name)
    if kind == "rw":
        return Style(mix(VERMILLION, (255, 255, 255), 0.35), VERMILLION, INK, "rw")
    return Style(GRID)


PHASE_LABELS = {
    "waiting": "Waiting", "downloading": "Downloading", "downloaded": "Download complete",
    "extracted": "Pull complete", "exists": "Already exists", "uploading": "Pushing",
    "uploaded": "Pushed", "mounted": "Mounted from",
}


def state_label(c: ContainerView) -> str:
    """The badge text, as ``docker ps`` words it (short form)."""
    if c.state == "exited":
        return f"Exited ({c.exit_code})"
    if c.state == "dead":
        return "Dead"
    return {"created": "Created", "running": "Up", "paused": "Paused",
            "restarting": f"Restarting ({c.exit_code})",
            "removing": "Removing"}.get(c.state, c.state)  # ps: Removal In Progress


def human(n: float) -> str:
    """Bytes as docker prints them (1000-based units)."""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.0f}{unit}" if unit == "B" or n >= 100 else f"{n:.1f}{unit}"
        n /= 1000
    return f"{n:.1f}TB"
