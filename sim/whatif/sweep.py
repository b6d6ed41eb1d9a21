"""Running a sweep: every (cell, replication) is one independent run, in this process, in
local worker processes (``--jobs N``) or on a Dask cluster (``--dask ADDRESS``). A run is a
pure function of its job, so where it runs never changes its numbers, and results are put
back in (cell, replication) order whatever order they finish in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .spec import Job

__all__ = ["SweepFailed", "run_job", "run_jobs"]

Progress = Callable[[], None]
CONNECT_TIMEOUT = "10s"  # how long --dask waits for the scheduler to answer


class SweepFailed(Exception):
    """A run of the sweep failed; the message names the cell and what went wrong."""


def run_job(job: Job) -> dict[str, Any]:
    """Build the cell's world, play its timeline, measure it. Returns plain data (it crosses
    process and network boundaries)."""
    from ..scenario.build import build_world
    from ..scenario.run import run_scenario
    from .metrics import compute, registry_info
    scenario = job.scenario()
    world = build_world(scenario, Path(job.base_dir))
    world.network.record_trails = False  # nothing draws a cell's transfers: no waypoints
    report = run_scenario(scenario, world)
    metrics = compute(world.trace, report.summary(), registry_info(scenario))
    return {"cell": job.cell.index, "rep": job.rep, "seed": job.seed,
            "scalars": metrics.scalars, "hosts": metrics.hosts, "layers": metrics.layers,
            "egress": metrics.egress}


def _guarded(job: Job) -> dict[str, Any]:
    """run_job, with a failure turned into data naming the cell (a traceback from a worker
    would hide which run failed)."""
    try:
        return run_job(job)
    except Exception as exc:  # noqa: BLE001 - reported with the cell it belongs to
        return {"cell": job.cell.index, "rep": job.rep, "seed": job.seed,
                "error": f"{type(exc).__name__}: {exc}"}


def run_jobs(jobs: Sequence[Job], workers: int = 1, dask: str | None = None,
             progress: Progress | None = None) -> list[dict[str, Any]]:
    """Run every job; ``progress()`` is called as each one ends."""
    tick = progress or (lambda: None)
    if dask:
        results = _on_dask(jobs, dask, tick)
    elif workers > 1 and len(jobs) > 1:
        results = _in_processes(jobs, workers, tick)
    else:
        results = []
        for job in jobs:
            results.append(_guarded(job))
            tick()
    results.sort(key=lambda r: (r["cell"], r["rep"]))
    for r, job in zip(results, sorted(jobs, key=lambda j: (j.cell.index, j.rep)), strict=True):
        if "error" in r:
            raise SweepFailed(f"cell {job.cell.label!r} replication {job.rep} (seed "
                              f"{job.seed}): {r['error']}")
    return results


def _in_processes(jobs: Sequence[Job], workers: int, tick: Progress) -> list[dict[str, Any]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    out = []
    before = {proc.pid for proc in multiprocessing.active_children()}
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)))
    try:
        futures = [pool.submit(_guarded, job) for job in jobs]
        for future in as_completed(futures):
            out.append(future.result())
            tick()
    except BaseException:  # Ctrl-C: stop now, not after every queued run has finished
        pool.shutdown(wait=False, cancel_futures=True)
        # every worker the pool started, including one it was starting as we stopped
        for _ in range(10):
            ours = [proc for proc in multiprocessing.active_children()
                    if proc.pid not in before]
            if not ours:
                break
            for proc in ours:
                proc.terminate()
            for proc in ours:
                proc.join()
        raise
    pool.shutdown()
    return out


def _on_dask(jobs: Sequence[Job], address: str, tick: Progress) -> list[dict[str, Any]]:
    try:
        from distributed import Client
    except ImportError:
        raise SweepFailed("--dask needs the 'distributed' package (pip install "
                          "'dask[distributed]')") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SweepFailed(f"--dask {address}: cannot reach the scheduler: {exc}") from None
    try:
        futures = client.map(_guarded, list(jobs), pure=False)
        out = []
        for future in futures:  # in submission order; the cluster runs them in any order
            out.append(future.result())
            tick()
        return out
    finally:
        client.close()
