"""``dockersim bench``: the benchmarks (sim.bench), as a table or JSON rows."""

from __future__ import annotations

import argparse
from collections.abc import Callable

SECTIONS = ("fleet", "containers", "startup", "view", "sweep")


def register(sub) -> dict[str, Callable[[argparse.Namespace], int]]:
    p = sub.add_parser("bench", help="benchmarks, as ratios to bare SimPy",
                       description="Run the benchmarks: a 1,000- and a 10,000-host fleet "
                       "against bare SimPy, memory per container, start-up, the view's frame "
                       "time and a 20-cell sweep. --hosts/--egress run one fleet only.")
    p.add_argument("--hosts", type=int, default=None,
                   help="run one fleet of this many hosts only")
    p.add_argument("--egress", default=None, metavar="RATE",
                   help="give the registry a shared egress link, e.g. 10Gbit/s")
    p.add_argument("--quick", action="store_true",
                   help="smaller sizes (3,000 hosts, 10,000 containers): under a minute")
    p.add_argument("--only", action="append", choices=SECTIONS, default=None,
                   help="run only this section (repeatable)")
    p.add_argument("--json", action="store_true",
                   help='print a JSON list of {"name","value","unit","goal","met"}')
    return {"bench": _bench}


def _bench(args: argparse.Namespace) -> int:
    egress = None
    if args.egress:
        from ..scenario.units import parse_rate
        try:
            egress = parse_rate(args.egress)
        except ValueError as exc:
            raise SystemExit(f"dockersim bench: --egress: {exc}") from None
    if args.hosts is not None and not 1 <= args.hosts <= 100_000:
        raise SystemExit("dockersim bench: --hosts: expected a whole number from 1 to 100000")
    from ..bench.run import main
    return main(args.hosts, args.json, egress, quick=args.quick, only=args.only)
