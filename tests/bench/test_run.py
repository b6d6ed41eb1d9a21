"""The bench table and its JSON rows."""

import io
import json

from sim.bench.run import main, print_table, row


def test_one_fleet_prints_json_rows(capsys):
    assert main(hosts=3, as_json=True, egress=None) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(set(r) == {"name", "value", "unit", "goal", "met"} for r in rows)
    assert rows[0]["name"].startswith("fleet 3 hosts")
    assert any(r["name"] == "event throughput vs bare SimPy" and r["unit"] == "%"
               for r in rows)


def test_the_table_marks_goals_met_or_not():
    out = io.StringIO()
    print_table([row("a", 1.0, "s", "< 2 s", True), row("b", 3.0, "s", "< 2 s", False),
                 row("c", 5, "x")], out)
    lines = out.getvalue().splitlines()
    assert lines[1].endswith("yes") and lines[2].endswith("NO")
    assert not lines[3].rstrip().endswith(("yes", "NO"))


def test_a_failing_section_becomes_a_row_not_a_traceback(monkeypatch, capsys):
    from sim.bench import run

    def broken(quick):
        raise RuntimeError("no catalog")
    monkeypatch.setitem(run.SECTIONS, "fleet", broken)
    assert main(hosts=None, as_json=True, egress=None, only=["fleet"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [row("fleet (failed: RuntimeError: no catalog)", "error", "", "runs",
                        False)]
