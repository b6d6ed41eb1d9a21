"""Headless rendering: the window's frames at a fixed rate, to PNG files, a GIF (Pillow) or an
MP4 (imageio with imageio-ffmpeg). Frame k shows simulated time k * speed / fps, the same
picture a live window shows at that time. Output is written to a temporary name first and
moved into place, so a failed render leaves nothing half-written."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .controls import ViewState
from .scene import Scene

FORMATS = (".gif", ".mp4", "")  # "" = a directory of PNG frames
HOLD = 2.0  # seconds of video after the last event (at least animate.SETTLE at 1x)
MAX_FRAMES = 20_000
MAX_GIF_FRAMES = 1_500  # a GIF is built in memory


class RenderError(Exception):
    """Bad output path or missing encoder: one line for the user."""


def check_output(out: str | Path) -> Path:
    """Validate the output before any frame is drawn."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise RenderError(f"{path}: unknown video format {suffix!r} (use .gif, .mp4 or a "
                          "directory for PNG frames)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise RenderError(f"{path}: the folder {parent} does not exist")
    if suffix == "" and path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise RenderError(f"{path}: exists and is not an empty directory")
    if suffix == ".mp4":
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            raise RenderError("writing .mp4 needs imageio-ffmpeg (pip install imageio "
                              "imageio-ffmpeg); .gif works without it") from None
    return path


def frame_times(end: float, fps: int, speed: float) -> list[float]:
    """Simulated time of every frame: the whole trace, then HOLD seconds more in which the
    last changes finish moving (a layer grows in, a container fades out)."""
    n = math.floor(end / speed * fps + 1e-9) + 1 + round(HOLD * fps)
    if n > MAX_FRAMES:
        raise RenderError(f"{n} frames at {fps} fps and {speed:g}x: too long a video; raise "
                          "--speed or lower --fps")
    return [k * speed / fps for k in range(n)]


def frames(scene: Scene, size: tuple[int, int], fps: int, speed: float,
           view: ViewState | None = None, first: float | None = None) -> Iterator:
    """Yield one pygame Surface per frame (the same surface, redrawn); with ``first``, the
    frame at that time comes before them all (a GIF takes its palette from it)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from .draw.frame import Frame
    pygame.font.init()
    surf = pygame.Surface(size)
    frame = Frame()
    view = view or ViewState()
    view.playing = True  # the top bar reads 'playing', as the video does
    times = frame_times(scene.end, fps, speed)
    for t in ([first] if first is not None else []) + times:
        view.t = t
        frame.draw(surf, scene, view, now=times[-1])
        yield surf


def write(scene: Scene, out: str | Path, *, fps: int = 30, size: tuple[int, int] = (1280, 720),
          speed: float = 1.0, view: ViewState | None = None) -> tuple[Path, int]:
    """Render the whole scene to ``out``; return the path and the number of frames."""
    path = check_output(out)
    if fps < 1 or speed <= 0 or size[0] < 320 or size[1] < 200:
        raise RenderError("need fps >= 1, speed > 0 and a size of at least 320x200")
    suffix = path.suffix.lower()
    parent = path.parent if str(path.parent) else Path(".")
    tmp = Path(tempfile.mkdtemp(prefix=".dockersim-render-", dir=parent))
    try:
        if suffix == "":
            n = _pngs(scene, tmp, size, fps, speed, view)
            if path.exists():
                path.rmdir()
            tmp.rename(path)
            return path, n
        target = tmp / f"out{suffix}"
        n = (_gif if suffix == ".gif" else _mp4)(scene, target, size, fps, speed, view)
        os.replace(target, path)
        return path, n
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _pngs(scene, folder: Path, size, fps, speed, view) -> int:
    import pygame
    n = 0
    for surf in frames(scene, size, fps, speed, view):
        pygame.image.save(surf, str(folder / f"frame_{n:05d}.png"))
        n += 1
    return n


def _gif(scene, target: Path, size, fps, speed, view) -> int:
    """One palette for every frame (taken from the last, fullest frame): equal frames and
    unchanged regions then compress away."""
    import pygame
    from PIL import Image
    times = frame_times(scene.end, fps, speed)
    if len(times) > MAX_GIF_FRAMES:
        raise RenderError(f"{len(times)} frames: a GIF holds at most {MAX_GIF_FRAMES}; write "
                          ".mp4, or raise --speed or lower --fps")
    palette = None
    images = []
    for surf in frames(scene, size, fps, speed, view, first=times[-1]):
        rgb = Image.frombytes("RGB", size, pygame.image.tobytes(surf, "RGB"))
        if palette is None:
            palette = rgb.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=0)
            continue
        images.append(rgb.quantize(palette=palette, dither=Image.Dither.NONE))
    images[0].save(target, save_all=True, append_images=images[1:],
                   duration=round(1000 / fps), loop=0, optimize=False, disposal=1)
    return len(images)


def _mp4(scene, target: Path, size, fps, speed, view) -> int:
    import imageio.v2 as imageio
    import numpy as np
    import pygame
    n = 0
    writer = imageio.get_writer(str(target), format="FFMPEG", fps=fps, codec="libx264",
                                quality=7, macro_block_size=2, ffmpeg_log_level="error")
    try:
        for surf in frames(scene, size, fps, speed, view):
            arr = np.frombuffer(pygame.image.tobytes(surf, "RGB"), dtype=np.uint8)
            writer.append_data(arr.reshape(size[1], size[0], 3))
            n += 1
    finally:
        writer.close()
    return n
