"""The fleet benchmark runs and reports ratios; its speed goal is not a test (machines are
shared and noisy), only its shape and its accounting are."""

from sim.bench.fleet import FleetResult, bare_simpy, run_fleet


def test_small_fleet_reports_rows_and_counts():
    result = run_fleet(hosts=5, pulls=3, seed=2)
    assert result.pulls == 15
    assert result.events > 100
    assert result.layers_registered > 0
    rows = result.as_rows()
    assert {r["name"].split()[0] for r in rows} >= {"fleet", "same", "simulator", "events"}
    assert all(r["met"] for r in rows)  # no goal applies below 1,000 hosts
    assert all(set(r) == {"name", "value", "unit", "goal", "met"} for r in rows)


def test_the_same_seed_gives_the_same_simulation():
    a, b = run_fleet(hosts=4, pulls=3, seed=3), run_fleet(hosts=4, pulls=3, seed=3)
    assert (a.events, a.layers_registered, a.simulated_seconds) == \
        (b.events, b.layers_registered, b.simulated_seconds)


def test_a_shared_egress_link_slows_the_fleet_down():
    free = run_fleet(hosts=6, pulls=2, seed=4)
    shared = run_fleet(hosts=6, pulls=2, seed=4, egress=50e6)
    assert shared.simulated_seconds > free.simulated_seconds
    assert shared.layers_registered == free.layers_registered


def test_ratios_follow_from_the_measured_seconds():
    r = FleetResult(hosts=1000, pulls=10_000, layers_registered=50_000, events=200_000,
                    wall_seconds=2.0, bare_wall_seconds=0.5, simulated_seconds=70.0)
    assert r.ratio == 4.0
    assert r.throughput == 0.25
    assert r.per_layer_us == 40.0
    first = r.as_rows()[0]
    assert first["goal"] == "about 1 s" and first["met"] is False
    assert FleetResult(**r.as_dict()) == r


def test_bare_simpy_runs_the_given_number_of_events():
    assert bare_simpy(1000) >= 0.0
