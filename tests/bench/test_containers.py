"""Memory per container: the figure is measured, and every container counted is running."""

from sim.bench.containers import run_containers


def test_memory_per_container_is_measured_over_running_containers():
    result = run_containers(300)
    assert result.containers == 300
    assert result.hosts == 2  # 250 per host
    # a container, its config, its writable layer and its events: some hundreds of bytes
    # at least, and nowhere near a megabyte
    assert 200 < result.per_container < 1_000_000
