"""What a container's main process does, as a profile: the simulator runs no programs.

``service`` runs until stopped (honouring SIGTERM, or ignoring it and dying by SIGKILL after
the grace period: 137); ``job`` runs for a while, prints, writes files and exits with a code;
``shell`` is an interactive shell or REPL that exits at once without ``-it``.
"""

from __future__ import annotations

from dataclasses import dataclass

SERVICE, JOB, SHELL = "service", "job", "shell"
COMMAND = "command"  # a command line given to run/create: the shell interpreter runs it

HELLO_WORLD = """
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

"""

NGINX_BANNER = """/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration
/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/
/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh
10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf
10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf
/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh
/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh
/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh
/docker-entrypoint.sh: Configuration complete; ready for start up
"""  # noqa: E501


@dataclass(frozen=True)
class Workload:
    kind: str = SERVICE
    handles_sigterm: bool = True  # False: PID 1 ignores SIGTERM, stop ends in SIGKILL (137)
    duration: float = 0.0  # job: seconds until it exits on its own
    exit_code: int = 0  # job: exit status
    output: str = ""  # what the process prints when it starts (stdout)
    writes: tuple[tuple[str, int], ...] = ()  # job: (path, bytes) written to its filesystem

    def exits_on_its_own(self, interactive: bool) -> bool:
        return self.kind == JOB or (self.kind == SHELL and not interactive)


SERVICES = {
    "nginx", "redis", "postgres", "httpd", "mysql", "mariadb", "mongo", "memcached",
    "rabbitmq", "traefik", "haproxy", "tomcat", "wordpress", "elasticsearch", "registry",
}
SHELLS = {
    "alpine", "busybox", "debian", "ubuntu", "python", "node", "ruby", "perl", "golang",
    "rust", "gcc", "php", "eclipse-temurin", "buildpack-deps",
}


# Profiles are frozen, so every container shares one of these instead of a copy each.
HELLO_WORLD_JOB = Workload(JOB, duration=0.05, output=HELLO_WORLD)
NGINX_SERVICE = Workload(SERVICE, output=NGINX_BANNER)
A_SERVICE, A_SHELL, A_COMMAND = Workload(SERVICE), Workload(SHELL), Workload(COMMAND)


def default_workload(repository: str) -> Workload:
    """The profile of an image's default command, by its familiar repository name."""
    name = repository.rsplit("/", 1)[-1]
    if name == "hello-world":
        return HELLO_WORLD_JOB
    if name == "nginx":
        return NGINX_SERVICE
    if name in SERVICES:
        return A_SERVICE
    if name in SHELLS:
        return A_SHELL
    return A_SERVICE


SHELL_PROGRAMS = {"sh", "bash", "ash", "dash", "zsh", "python", "python3", "node", "irb",
                  "jshell", "perl"}


def command_workload(argv: list[str]) -> Workload:
    """A command line given to ``docker run``: an interactive shell or REPL without a script
    behaves as ``shell``; anything else is run by the built-in interpreter."""
    program = argv[0].rsplit("/", 1)[-1] if argv else ""
    if program in SHELL_PROGRAMS and len(argv) == 1:
        return A_SHELL
    return A_COMMAND


WORKLOAD_LABEL = "sim.workload"


def parse_workload(text: str) -> Workload:
    """A profile written as a label value (``docker run -l sim.workload=...``) or in a
    scenario: ``service``, ``service:ignore-sigterm``, ``job:duration=5:exit=3``, ``shell``.
    Raises ValueError naming the bad part."""
    kind, *parts = text.split(":")
    if kind not in (SERVICE, JOB, SHELL):
        raise ValueError(f"invalid workload {text!r}: the kind must be service, job or shell")
    fields: dict = {"kind": kind}
    for part in parts:
        key, _, value = part.partition("=")
        try:
            if key == "ignore-sigterm" and not value:
                fields["handles_sigterm"] = False
            elif key == "duration":
                fields["duration"] = float(value.removesuffix("s"))
            elif key == "exit":
                fields["exit_code"] = int(value)
            elif key == "output":
                fields["output"] = value + "\n"
            else:
                raise ValueError
        except ValueError:
            raise ValueError(f"invalid workload {text!r}: unknown or bad part {part!r} "
                             "(use ignore-sigterm, duration=SECONDS, exit=CODE, output=TEXT)"
                             ) from None
    return Workload(**fields)
