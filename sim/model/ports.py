"""Published ports: ``-p`` parsing, host-port allocation and the PORTS column text."""

from __future__ import annotations

import re
from dataclasses import dataclass

EPHEMERAL_START, EPHEMERAL_END = 32768, 60999  # the daemon's port allocator range


@dataclass(frozen=True)
class PortBinding:
    container_port: int
    proto: str = "tcp"
    host_ip: str = ""  # "" means all addresses (0.0.0.0 and [::])
    host_port: int | None = None  # None: the allocator picks one at start


def _port(text: str, what: str, spec: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"invalid {what}: {text}" if text else
                         f"no port specified: {spec}<empty>")
    return int(text)


def parse_publish(spec: str) -> PortBinding:
    """``-p [ip:][hostPort:]containerPort[/proto]`` as the CLI accepts it (nat.ParsePortSpec)."""
    body, _, proto = spec.partition("/")
    proto = proto or "tcp"
    if proto not in ("tcp", "udp", "sctp"):
        raise ValueError(f"invalid proto: {proto}")
    parts = body.rsplit(":", 2)
    container = _port(parts[-1], "containerPort", spec)
    host_port = _port(parts[-2], "hostPort", spec) if len(parts) >= 2 and parts[-2] else None
    host_ip = parts[0] if len(parts) == 3 else ""
    return PortBinding(container, proto, host_ip, host_port)


def exposed_ports(config: dict) -> list[tuple[int, str]]:
    out = []
    for key in (config.get("ExposedPorts") or {}):
        port, _, proto = key.partition("/")
        out.append((int(port), proto or "tcp"))
    return sorted(out)


def _natural(text: str) -> list:
    """sortorder.NaturalLess as a key: runs of digits compare as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.findall(r"\d+|\D+", text)]


def port_lines(bound: tuple[PortBinding, ...] | list[PortBinding], private: str | None,
               container: str) -> list[str]:
    """``docker port`` (cli container/port.go): every published port as ``80/tcp ->
    0.0.0.0:8080``, or the host addresses of one (``80`` or ``80/tcp``), natural-sorted.
    Raises ValueError with the CLI's message for a bad or unpublished port."""
    def hosts(b: PortBinding) -> list[str]:  # net.JoinHostPort; "" is both 0.0.0.0 and ::
        ips = [b.host_ip] if b.host_ip else ["0.0.0.0", "::"]
        return [f"[{ip}]:{b.host_port}" if ":" in ip else f"{ip}:{b.host_port}" for ip in ips]
    if private is None:
        out = [f"{b.container_port}/{b.proto} -> {h}" for b in bound for h in hosts(b)]
    else:
        port, _, proto = private.partition("/")
        if not port.isdigit() or int(port) > 65535:
            raise ValueError(f"Error: invalid port ({port}): strconv.ParseUint: parsing "
                             f'"{port}": ' + ("value out of range" if port.isdigit() else
                                              "invalid syntax"))
        proto = proto or "tcp"
        out = [h for b in bound if (b.container_port, b.proto) == (int(port), proto)
               for h in hosts(b)]
        if not out:
            raise ValueError(f"Error: No public port '{private}' published for {container}")
    return sorted(out, key=_natural)


def ports_column(bound: list[PortBinding], exposed: list[tuple[int, str]]) -> str:
    """``docker ps`` PORTS: published ports as ``0.0.0.0:8080->80/tcp, [::]:8080->80/tcp``,
    exposed but unpublished ones as ``80/tcp``."""
    items = []
    published = {(b.container_port, b.proto) for b in bound}
    for b in sorted(bound, key=lambda b: (b.container_port, b.proto, b.host_ip)):
        if b.host_ip:
            items.append(f"{b.host_ip}:{b.host_port}->{b.container_port}/{b.proto}")
        else:
            items.append(f"0.0.0.0:{b.host_port}->{b.container_port}/{b.proto}")
            items.append(f"[::]:{b.host_port}->{b.container_port}/{b.proto}")
    items += [f"{p}/{proto}" for p, proto in exposed if (p, proto) not in published]
    return ", ".join(items)
