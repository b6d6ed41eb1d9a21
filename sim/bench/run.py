"""``dockersim bench``: run the benchmarks and print a table (or JSON rows)."""

from __future__ import annotations

import json
import sys

from .fleet import run_fleet


def main(hosts: int, as_json: bool, egress: float | None) -> int:
    result = run_fleet(hosts=hosts, egress=egress)
    rows = result.as_rows()
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["name"]) for r in rows)
    print(f"{'benchmark':<{width}}  {'value':>10}  unit     goal        met")
    for r in rows:
        met = "yes" if r["met"] else "NO"
        print(f"{r['name']:<{width}}  {r['value']:>10}  {r['unit']:<7}  {r['goal']:<10}  {met}")
    print(f"(simulated {result.simulated_seconds:.1f} s; {result.events} SimPy events; "
          f"python {sys.version.split()[0]})")
    return 0
