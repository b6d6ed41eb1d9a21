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
