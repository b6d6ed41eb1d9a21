"""Run a scenario's timeline: every step a SimPy process on its host(s), at its time or after
the previous step; collect what each printed and when, and the numbers worth reporting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..cli.runner import Result, run_line
from ..trace import events as ev
from ..world.world import World

if TYPE_CHECKING:
    from .schema import Scenario


@dataclass
class StepRun:
    index: int
    host: str
    run: str
    started_at: float = 0.0
    finished_at: float = 0.0
    result: Result | None = None

    def as_json(self) -> dict:
        r = self.result
        return {"step": self.index, "host": self.host, "run": self.run,
                "started_at": round(self.started_at, 6), "finished_at": round(self.finished_at, 6),
                "exit_code": r.exit_code if r else None, "stdout": r.stdout if r else "",
                "stderr": r.stderr if r else ""}


@dataclass
class RunReport:
    scenario: Scenario
    world: World
    steps: list[StepRun] = field(default_factory=list)

    def time_to_running(self) -> dict[str, float]:
        """For each container started by a step: seconds from its step's start until it was
        first running (a pull, a create and a start on the way)."""
        starts = {}
        by_host: dict[str, list[StepRun]] = {}
        for s in self.steps:
            by_host.setdefault(s.host, []).append(s)
        created: dict[str, tuple[str, float]] = {}
        for rec in self.world.trace:
            e = rec.event
            if isinstance(e, ev.ContainerCreated):
                step = next((s for s in reversed(by_host.get(e.host, []))
                             if s.started_at <= rec.t <= s.finished_at), None)
                if step is not None:
                    created[e.container_id] = (f"{e.host}/{e.name}", step.started_at)
            elif isinstance(e, ev.ContainerStateChanged) and e.state == "running" and \
                    e.container_id in created and created[e.container_id][0] not in starts:
                name, t0 = created[e.container_id]
                starts[name] = rec.t - t0
        return starts

    def summary(self) -> dict:
        hosts = {name: {"bytes_pulled": h.bytes_pulled, "disk_used": h.engine.disk_bytes(),
                        "images": len(h.engine.images), "containers": len(h.engine.containers)}
                 for name, h in self.world.hosts.items()}
        registries = {s.config.name: {"hostname": s.hostname, "bytes_served": s.bytes_served,
                                      "bytes_received": s.bytes_received,
                                      "requests": s.requests}
                      for s in self.world.services.values()}
        ttr = self.time_to_running()
        values = sorted(ttr.values())
        stats = {}
        if values:
            import statistics  # only a run that started containers needs it
            stats = {"count": len(values), "p50": _quantile(values, 0.5),
                     "p95": _quantile(values, 0.95), "max": values[-1],
                     "mean": statistics.fmean(values)}
        return {
            "seed": self.scenario.seed,
            "simulated_seconds": round(self.world.now, 6),
            "hosts": hosts,
            "registries": registries,
            "bytes_pulled_total": sum(h["bytes_pulled"] for h in hosts.values()),
            "time_to_running": {k: round(v, 6) for k, v in sorted(ttr.items())},
            "time_to_running_stats": {k: round(v, 6) for k, v in stats.items()},
            "failed_steps": sum(1 for s in self.steps if s.result and s.result.exit_code),
            "steps": [s.as_json() for s in self.steps],
        }


def _quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile: a value that occurred, as a latency report shows it."""
    rank = max(1, min(len(values), round(q * len(values) + 0.5 - 1e-9)))
    return values[rank - 1]


def run_scenario(scenario: Scenario, world: World, on_step=None) -> RunReport:
    """Play the timeline to its end. ``on_step(step_run)`` is called as each step ends."""
    env = world.env
    report = RunReport(scenario, world)

    def one(run: StepRun, wait_for, offset: float):
        if wait_for is not None:
            yield wait_for
        else:
            yield env.timeout(max(0.0, scenario.steps[run.index].at - env.now))
        if offset:
            yield env.timeout(offset)  # the step's jitter: this host is typed a little later
        run.started_at = env.now
        run.result = yield from run_line(world, run.host, run.run)
        run.finished_at = env.now
        if on_step is not None:
            on_step(run)

    world.run_process(_driver(env, scenario, report, one))
    return report


def _driver(env, scenario: Scenario, report: RunReport, one):
    """Start each step's processes in order; ``after = "previous"`` waits for all of the
    previous step's hosts, ``at`` waits for its absolute time; then each host waits its
    own jitter offset, if the step has one."""
    previous = None
    every = []
    for i, step in enumerate(scenario.steps):
        procs = []
        for host, offset in scenario.step_offsets(i).items():
            run = StepRun(i, host, step.run)
            report.steps.append(run)
            wait_for = previous if step.after == "previous" else None
            procs.append(env.process(one(run, wait_for, offset)))
        previous = env.all_of(procs)
        every += procs
    if every:
        yield env.all_of(every)
