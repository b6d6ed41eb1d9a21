"""The ``dockersim`` command: shell, demo, version."""

from __future__ import annotations

import argparse
import sys

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
    if hosts:
        config.hosts = [h for h in hosts.split(",") if h]
    if host and host not in config.hosts:
        if hosts:
            raise SystemExit(f"dockersim: --host {host}: no such host (hosts: {hosts})")
        config.hosts = [host]
    return World(config), host or config.hosts[0]


def _save_trace(world, path: str | None) -> None:
    if path:
        try:
            world.trace.save(path)
        except OSError as exc:
            raise SystemExit(f"dockersim: cannot write the trace to {path}: {exc.strerror}") \
                from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dockersim", description="A visual, daemon-free simulator of Docker images and "
        "containers.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p_shell = sub.add_parser("shell", help="type docker commands against a simulated host")
    p_shell.add_argument("--host", default=None, help="the host to run commands on")
    p_shell.add_argument("--json", action="store_true", help="one JSON object per command")
    p_shell.add_argument("--hosts", default=None, help="hosts of the world, comma separated")
    p_shell.add_argument("--seed", type=int, default=0, help="seed of names and IDs")
    p_shell.add_argument("--trace", default=None, metavar="FILE",
                         help="write the event trace as JSON Lines when the shell ends")
    p_demo = sub.add_parser("demo", help="the classroom demo, printed as a transcript")
    p_demo.add_argument("--seed", type=int, default=0)
    p_demo.add_argument("--trace", default=None, metavar="FILE")
    sub.add_parser("version", help="print the version")
    args = parser.parse_args(argv)
    if args.command == "version":
        from .specs import CLIENT_VERSION  # the release `docker version` prints
        print(f"dockersim 0.1.0 (simulating Docker Engine {CLIENT_VERSION}, overlay2, "
              f"CLI {CLIENT_VERSION})")
        return 0
    if args.command == "shell":
        from .shell import run_batch, run_interactive
        world, host = _world(args.seed, args.hosts, args.host)
        if sys.stdin.isatty():
            code = run_interactive(world, host)
        else:
            code = run_batch(world, host, sys.stdin, sys.stdout, args.json)
        _save_trace(world, args.trace)
        return code
    if args.command == "demo":
        import io

        from .shell import run_batch
        world, host = _world(args.seed, None, None)
        code = run_batch(world, host, io.StringIO(DEMO), sys.stdout, False)
        _save_trace(world, args.trace)
        return code
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
