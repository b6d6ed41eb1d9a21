"""Published ports (sim/model/ports.py): ``-p`` as nat.ParsePortSpec reads it, the PORTS
column of ``docker ps`` and the lines of ``docker port``."""

from __future__ import annotations

import pytest

from sim.model.ports import PortBinding, exposed_ports, parse_publish, port_lines, ports_column


@pytest.mark.parametrize("spec, binding", [
    ("80", PortBinding(80)),
    ("8080:80", PortBinding(80, "tcp", "", 8080)),
    ("127.0.0.1:8080:80/udp", PortBinding(80, "udp", "127.0.0.1", 8080)),
    ("127.0.0.1::443", PortBinding(443, "tcp", "127.0.0.1", None)),
])
def test_publish_specs(spec: str, binding: PortBinding) -> None:
    assert parse_publish(spec) == binding


@pytest.mark.parametrize("spec, message", [
    ("80/icmp", "invalid proto: icmp"), ("0", "invalid containerPort: 0"),
    ("x:80", "invalid hostPort: x"), ("8080:", "no port specified: 8080:<empty>"),
])
def test_bad_publish_specs(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        parse_publish(spec)


BOUND = (PortBinding(443, "tcp", "127.0.0.1", 32768), PortBinding(80, "tcp", "", 8080),
         PortBinding(9000, "udp", "", 9000))


def test_ports_column_lists_published_then_exposed_only() -> None:
    exposed = exposed_ports({"ExposedPorts": {"80/tcp": {}, "8443/tcp": {}}})
    assert ports_column(BOUND, exposed) == (
        "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 127.0.0.1:32768->443/tcp, "
        "0.0.0.0:9000->9000/udp, [::]:9000->9000/udp, 8443/tcp")


def test_port_lines_are_natural_sorted_with_both_addresses_for_all() -> None:
    assert port_lines(BOUND, None, "web") == [
        "80/tcp -> 0.0.0.0:8080", "80/tcp -> [::]:8080", "443/tcp -> 127.0.0.1:32768",
        "9000/udp -> 0.0.0.0:9000", "9000/udp -> [::]:9000"]
    assert port_lines(BOUND, "80", "web") == ["0.0.0.0:8080", "[::]:8080"]
    assert port_lines(BOUND, "9000/udp", "web") == ["0.0.0.0:9000", "[::]:9000"]
    assert port_lines((), None, "web") == []  # a stopped container publishes nothing


@pytest.mark.parametrize("private, message", [
    ("81", "Error: No public port '81' published for web"),
    ("9000", "Error: No public port '9000' published for web"),  # tcp by default
    ("abc", 'Error: invalid port (abc): strconv.ParseUint: parsing "abc": invalid syntax'),
    ("70000", 'Error: invalid port (70000): strconv.ParseUint: parsing "70000": value out '
              "of range"),
])
def test_port_lines_errors_are_the_clis(private: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        port_lines(BOUND, private, "web")
    assert str(info.value) == message
