"""Published ports: ``-p`` parsing, host-port allocation and the PORTS column text."""

from __future__ import annotations

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
