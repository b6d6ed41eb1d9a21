"""A sweep's results do not depend on where its runs ran: one process, worker processes, or a
local Dask cluster give the same results.csv, run after run, for the same root seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.whatif.report import _csv
from sim.whatif.spec import load_sweep
from sim.whatif.stats import result_rows
from sim.whatif.sweep import SweepFailed, run_job, run_jobs

ROOT = Path(__file__).resolve().parents[2]
MIRROR = str(ROOT / "scenarios" / "whatif" / "mirror-pull-through.toml")


@pytest.fixture(scope="module")
def spec():
    return load_sweep(MIRROR, ["hosts.ci.count=2", "steps.0.run=docker pull alpine:3.23",
                               "steps.1.run=docker pull alpine:3.23"],
                      ["registries.hub.egress=50Mbit/s,200Mbit/s"], repeat=2, root_seed=5)


def results_csv(spec, **how) -> str:
    return _csv(result_rows(spec, run_jobs(spec.jobs(), **how)))


@pytest.fixture(scope="module")
def serial(spec):
    return results_csv(spec, workers=1)


def test_same_root_seed_same_results(spec, serial):
    assert results_csv(spec, workers=1) == serial
    assert serial.count("\n") == 1 + 4  # header, 2 cells x 2 replications


def test_worker_processes_give_the_same_results(spec, serial):
    ticks = []
    assert results_csv(spec, workers=2, progress=lambda: ticks.append(1)) == serial
    assert len(ticks) == 4


def test_a_local_dask_cluster_gives_the_same_results(spec, serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        assert results_csv(spec, dask=cluster.scheduler_address) == serial


def test_a_cell_reruns_alone(spec, serial):
    job = spec.jobs()[3]  # cell 1, replication 1
    alone = run_job(job)
    row = serial.splitlines()[4].split(",")
    header = serial.splitlines()[0].split(",")
    assert row[header.index("seed")] == str(job.seed)
    assert row[header.index("bytes_pulled")] == str(alone["scalars"]["bytes_pulled"])
    assert row[header.index("simulated_seconds")] == repr(alone["scalars"]["simulated_seconds"])


def test_the_mirror_halves_the_hub_egress_in_results(spec):
    results = run_jobs(spec.jobs()[:1])
    s = results[0]["scalars"]
    assert s["mirror_fill_bytes"] == s["bytes_from_mirror"] // 2 > 0
    assert s["served.hub"] == s["registry_egress_bytes"]


def test_an_unreachable_scheduler_is_one_line(spec, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("sim.whatif.sweep.CONNECT_TIMEOUT", "0.5s")
    with pytest.raises(SweepFailed, match="--dask tcp://127.0.0.1:1: cannot reach"):
        run_jobs(spec.jobs()[:1], dask="tcp://127.0.0.1:1")


def test_ctrl_c_stops_the_worker_processes_at_once(spec, monkeypatch):
    """An interrupt in the parent (here raised from the progress callback) cancels what is
    queued and ends the workers, instead of waiting for every run to finish."""
    import concurrent.futures
    import multiprocessing
    submitted = []

    class Recording(concurrent.futures.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            submitted.append(super().submit(*args, **kwargs))
            return submitted[-1]
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)

    def interrupt() -> None:
        raise KeyboardInterrupt
    import time
    with pytest.raises(KeyboardInterrupt):
        run_jobs(spec.jobs() * 25, workers=2, progress=interrupt)
    # a worker the pool was still starting may take a moment to be reaped
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []
    assert sum(f.cancelled() for f in submitted) > len(submitted) // 2  # never ran
