"""The ``dockersim`` command: shell, demo, version."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Subcommands that live in their own modules (``sim.cli.<name>``). Each module has
# ``register(sub) -> dict[str, Callable[[argparse.Namespace], int]]``: it adds its parsers to
# ``sub`` and returns a handler per command name. Modules import nothing heavy at top level.
COMMAND_MODULES: tuple[str, ...] = (
    "bench_cmd",
    "catalog_cmd",
    "lesson_cmd",
    "view_cmd",
    "whatif_cmd",
)

DEMO = """\
# A classroom session: one image, two containers, a copy-on-write write, and the rules.
docker pull nginx
docker run -d --name web nginx
docker run -d --name web2 nginx
docker exec web sh -c 'echo hello > /usr/share/nginx/html/index.html'
docker exec web cat /usr/share/nginx/html/index.html
docker exec web2 cat /usr/share/nginx/html/index.html
docker ps -a -s
docker rm web
docker rmi nginx
docker stop web
sleep 3
docker ps -a
docker system df -v
docker rm web
docker system df
"""


def _world(seed: int, hosts: str | None, host: str | None):
    """A world with the named hosts (comma separated); ``host`` picks the current one."""
    from ..world.world import World, WorldConfig
    config = WorldConfig(seed=seed)
    from ..catalog.loader import imported_records
    from ..catalog.schema import domain_of
    for domain in sorted({domain_of(r) for r in imported_records()}):  # catalog import
        if domain not in config.registries:
            config.registries.append(domain)
    if hosts is not None:
        config.hosts = _host_names(hosts)
    if host and host not in config.hosts:
        if hosts:
            raise SystemExit(f"dockersim: --host {host}: no such host (hosts: {hosts})")
        config.hosts = [host]
    return World(config), host or config.hosts[0]


def _host_names(hosts: str) -> list[str]:
    """``--hosts a,b,c`` as a list: at least one name, no name twice."""
    names = [h.strip() for h in hosts.split(",") if h.strip()]
    if not names:
        raise SystemExit(f"dockersim shell: --hosts {hosts!r}: expected host names separated "
                         "by commas, e.g. --hosts a,b")
    twice = sorted({h for h in names if names.count(h) > 1})
    if twice:
        raise SystemExit(f"dockersim shell: --hosts {hosts}: {', '.join(twice)} named twice")
    return names


def _scenario_world(path: str, sets: list[str], host: str | None):
    from ..scenario.build import build_world
    from ..scenario.load import ScenarioError, load_scenario
    try:
        world = build_world(load_scenario(path, sets))
    except ScenarioError as exc:
        raise SystemExit(f"dockersim: {exc}") from None
    names = list(world.hosts)
    if host is not None and host not in names:
        raise SystemExit(f"dockersim: --host {host}: no such host (hosts: {', '.join(names)})")
    return world, host or names[0]


def _save_trace(world, path: str | None) -> None:
    if path:
        try:
            world.trace.save(path)
        except OSError as exc:
            raise SystemExit(f"dockersim: cannot write the trace to {path}: {exc.strerror}") \
                from None


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # the reader went away (``dockersim ... | head``): stop quietly, as cat would, and
        # point stdout at /dev/null so that the interpreter's final flush cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # killed by SIGPIPE, as a shell reports it
    except KeyboardInterrupt:  # Ctrl-C during a long run: one line, not a traceback
        print("dockersim: interrupted", file=sys.stderr)
        return 128 + 2  # killed by SIGINT, as a shell reports it


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="dockersim", description="A visual, daemon-free simulator of Docker images and "
        "containers.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p_shell = sub.add_parser("shell", help="type docker commands against a simulated host")
    p_shell.add_argument("--host", default=None, help="the host to run commands on")
    p_shell.add_argument("--json", action="store_true", help="one JSON object per command")
    p_shell.add_argument("--hosts", default=None, help="hosts of the world, comma separated")
    p_shell.add_argument("--scenario", default=None, metavar="FILE",
                         help="start in the world a scenario file describes (its steps are "
                         "not played)")
    p_shell.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                         help="override a scenario parameter")
    p_shell.add_argument("--seed", type=int, default=0, help="seed of names and IDs")
    p_shell.add_argument("--trace", default=None, metavar="FILE",
                         help="write the event trace as JSON Lines when the shell ends")
    p_shell.add_argument("--no-hints", action="store_true",
                         help="no 'hint (dockersim): ...' lines after mistakes")
    p_shell.add_argument("--gui", action="store_true",
                         help="type the commands in a window that animates them")
    p_shell.add_argument("--present", action="store_true",
                         help="with --gui: large-font presentation mode (for a projector)")
    p_demo = sub.add_parser("demo", help="the classroom demo: its transcript, then the window "
                            "(or, with no display, a GIF of it)")
    p_demo.add_argument("--seed", type=int, default=0)
    p_demo.add_argument("--text", action="store_true", help="the transcript only")
    p_demo.add_argument("--trace", default=None, metavar="FILE")
    p_run = sub.add_parser("run", help="play a scenario file headless: transcript and summary")
    p_run.add_argument("scenario", metavar="FILE", help="a scenario TOML file")
    p_run.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                       help="override a dotted parameter, e.g. hosts.node.downlink=1Gbit/s")
    p_run.add_argument("--trace", default=None, metavar="FILE", help="write the JSONL trace")
    p_run.add_argument("--json", action="store_true", help="print the summary as JSON")
    p_run.add_argument("--out", default=None, metavar="DIR",
                       help="a run folder: resolved config, summary, transcript, trace")
    p_run.add_argument("--transcript", choices=["some", "all", "none"], default="some",
                       help="which hosts' transcripts to print (default: up to 4)")
    sub.add_parser("version", help="print the version")
    handlers = {}
    for name in COMMAND_MODULES:
        handlers.update(importlib.import_module(f".{name}", __package__).register(sub))
    args = parser.parse_args(argv)
    from .outfile import check_writable_file
    if args.command in handlers:
        return handlers[args.command](args)
    if args.command == "version":
        from .specs import CLIENT_VERSION  # the release `docker version` prints
        print(f"dockersim 0.1.0 (simulating Docker Engine {CLIENT_VERSION}, overlay2, "
              f"CLI {CLIENT_VERSION})")
        return 0
    if args.command == "run":
        from .run_cmd import run
        return run(args.scenario, args.set, args.trace, args.json, args.out, args.transcript)
    if args.command == "shell":
        from .shell import run_batch, run_interactive
        if args.present and not args.gui:
            raise SystemExit("dockersim shell: --present is for the window (--gui)")
        if args.trace:
            check_writable_file(args.trace, "dockersim shell", "--trace")
        if args.scenario:
            if args.hosts is not None:
                raise SystemExit("dockersim shell: --hosts is for a world without --scenario "
                                 "(the scenario names its hosts)")
            world, host = _scenario_world(args.scenario, args.set, args.host)
        else:
            if args.set:
                raise SystemExit(f"dockersim shell: --set {args.set[0]}: --set overrides a "
                                 "scenario parameter; give the scenario with --scenario FILE")
            world, host = _world(args.seed, args.hosts, args.host)
        if args.gui:
            from .view_cmd import shell_gui
            code = shell_gui(world, host, hints=not args.no_hints, present=args.present)
        elif sys.stdin.isatty():
            code = run_interactive(world, host, not args.no_hints)
        else:
            code = run_batch(world, host, sys.stdin, sys.stdout, args.json, not args.no_hints)
        _save_trace(world, args.trace)
        return code
    if args.command == "demo":
        import io

        from .shell import run_batch
        if args.trace:
            check_writable_file(args.trace, "dockersim demo", "--trace")
        world, host = _world(args.seed, None, None)
        if args.text:
            code = run_batch(world, host, io.StringIO(DEMO), sys.stdout, False)
            _save_trace(world, args.trace)
            return code
        from ..view.api import Console
        from .view_cmd import demo_view
        console = Console()
        code = run_batch(world, host, io.StringIO(DEMO), console.tee(sys.stdout, world, host),
                         False)
        _save_trace(world, args.trace)
        return demo_view(world, host, console) or code
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
