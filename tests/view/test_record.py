"""Headless videos (sim/view/record.py): PNG frames, GIF, MP4; nothing half-written."""

from __future__ import annotations

import pytest
from PIL import Image

from sim.view import record

from .helpers import demo


def test_frame_times_cover_the_run_then_hold():
    times = record.frame_times(2.0, 10, 1.0)
    assert times[0] == 0.0 and times[20] == 2.0
    assert len(times) == 21 + round(record.HOLD * 10)
    assert times == sorted(times)
    assert record.frame_times(2.0, 10, 2.0)[10] == 2.0  # twice as fast, half the frames


def test_png_frames_of_the_demo(tmp_path):
    _world, scene = demo()
    out = tmp_path / "frames"
    path, n = record.write(scene, out, fps=2, size=(320, 200))
    files = sorted(path.iterdir())
    assert n == len(files) == len(record.frame_times(scene.end, 2, 1.0))
    assert files[0].name == "frame_00000.png"
    assert Image.open(files[-1]).size == (320, 200)
    assert [p.name for p in tmp_path.iterdir()] == ["frames"]  # no temporary left behind


def test_a_gif_of_the_demo(tmp_path):
    _world, scene = demo()
    path, n = record.write(scene, tmp_path / "demo.gif", fps=2, size=(400, 240))
    with Image.open(path) as gif:
        assert gif.size == (400, 240)
        total = 0
        for k in range(gif.n_frames):  # Pillow merges equal frames, adding their durations
            gif.seek(k)
            total += gif.info["duration"]
        assert total == n * 500 and 1 < gif.n_frames <= n


def test_an_mp4_of_the_demo(tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    _world, scene = demo()
    path, n = record.write(scene, tmp_path / "demo.mp4", fps=2, size=(320, 200))
    import imageio.v2 as imageio
    reader = imageio.get_reader(str(path))
    try:
        assert reader.count_frames() == n
    finally:
        reader.close()


@pytest.mark.parametrize("name, message", [
    ("out.avi", "unknown video format"), ("missing/out.gif", "does not exist"),
])
def test_bad_outputs_are_refused_before_drawing(tmp_path, name, message):
    with pytest.raises(record.RenderError, match=message):
        record.check_output(tmp_path / name)


def test_a_non_empty_folder_is_refused(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(record.RenderError, match="not an empty directory"):
        record.check_output(tmp_path)


def test_too_long_a_video_is_refused():
    with pytest.raises(record.RenderError, match="too long"):
        record.frame_times(10**6, 30, 1.0)
