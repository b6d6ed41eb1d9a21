"""The plots are real PNGs with the picture's data in their sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from sim.whatif.plots import disk, render_all
from sim.whatif.spec import load_sweep
from sim.whatif.sweep import run_jobs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def study():
    spec = load_sweep(str(ROOT / "scenarios" / "whatif" / "fleet-deploy.toml"), [],
                      ["hosts.web.count=2,4", "registries.hub.egress=100Mbit/s,1Gbit/s"])
    return spec, run_jobs(spec.jobs())


def test_every_plot_is_drawn(tmp_path, study):
    spec, results = study
    plots = render_all(spec, results, tmp_path / "plots")
    files = [f for f, _s in plots]
    assert files == ["plots/bytes-by-source.png", "plots/disk.png",
                     "plots/time-to-running.png", "plots/egress.png", "plots/factor.png"]
    for f in files:
        with Image.open(tmp_path / f) as im:
            assert im.format == "PNG" and im.size[0] >= 600 and im.size[1] >= 400
    sentences = dict(plots)
    assert "the least" in sentences["plots/bytes-by-source.png"]
    assert "against hosts.web.count" in sentences["plots/factor.png"]


def test_same_results_same_png_bytes(tmp_path, study):
    spec, results = study
    for name in ("a.png", "b.png"):
        disk(spec, results, tmp_path / name)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_the_legend_sits_above_the_bars():
    """The shared-base disk chart once had its legend over the tallest bar."""
    from sim.whatif.plots import _legend_room, _pyplot
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.5))
    bars = ax.bar([-0.2, 0.8], [9800, 18400], 0.4, label="logical (each image counted whole)")
    bars += ax.bar([0.2, 1.2], [1660, 16400], 0.4, label="unique (each layer once per host)")
    _legend_room(ax)
    fig.canvas.draw()
    box = ax.get_legend().get_window_extent()
    try:
        assert not any(box.overlaps(b.get_window_extent()) for b in bars)
    finally:
        plt.close(fig)
