"""The fleet benchmark runs and reports ratios; its speed goal is not a test (machines are
shared and noisy), only its shape and its accounting are."""

from sim.bench.fleet import bare_simpy, run_fleet


def test_small_fleet_reports_rows_and_counts():
    result = run_fleet(hosts=5, pulls=3, seed=2)
    assert result.pulls == 15
    assert result.events > 100
    assert result.layers_registered > 0
    rows = result.as_rows()
    assert {r["name"].split()[0] for r in rows} >= {"fleet", "same", "simulator", "events"}
    assert all(r["met"] for r in rows)  # no goal applies below 1,000 hosts


def test_bare_simpy_runs_the_given_number_of_events():
    assert bare_simpy(1000) >= 0.0
