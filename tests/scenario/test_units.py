"""Scenario units: every accepted form converts to base units, and every error says what
was expected, because the loader shows the message to the author verbatim."""

from __future__ import annotations

import pytest

from sim.cli import units as cli_units
from sim.scenario.units import MAX_SECONDS, MIN_RATE, parse_duration, parse_rate, parse_size


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8bit/s", 1.0),
        ("1kbit/s", 125.0),
        ("100Mbit/s", 12_500_000.0),
        ("1Gbit/s", 125_000_000.0),
        ("10Gbit/s", 1_250_000_000.0),
        ("1Tbit/s", 125_000_000_000.0),
        ("100mbit/s", 12_500_000.0),
        ("100 Mbit/s", 12_500_000.0),
        ("100Mbps", 12_500_000.0),
        ("2.5Gbit/s", 312_500_000.0),
        ("1e3Mbit/s", 125_000_000.0),
        ("50B/s", 50.0),
        ("1kB/s", 1000.0),
        ("1KB/s", 1000.0),
        ("50MB/s", 50e6),
        ("36MB/s", 36e6),
        ("2GB/s", 2e9),
        ("1TB/s", 1e12),
        ("1KiB/s", 1024.0),
        ("2MiB/s", 2 * 1024**2),
        ("1GiB/s", 1024**3),
        (" 200MB/s ", 200e6),
        ("1000", 1000.0),
        (1000, 1000.0),
        (0.5, 0.5),
    ],
)
def test_rate_forms(text: str | float, expected: float) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize(
    "text", ["fast", "", "Mbit/s", "100", "100Mb/s", "100Mbit", "100 MB", "-5MB/s", "0Mbit/s",
             "1e400Mbit/s"],
)
def test_rate_errors_say_what_was_expected(text: str) -> None:
    if text == "100":
        assert parse_rate(text) == 100.0  # a plain number is bytes/s, not an error
        return
    with pytest.raises(ValueError, match=r"^expected a rate like 100Mbit/s or 50MB/s") as info:
        parse_rate(text)
    assert repr(text) in str(info.value)
    assert "\n" not in str(info.value)


def test_rate_error_exact_text() -> None:
    with pytest.raises(ValueError) as info:
        parse_rate("fast")
    assert str(info.value) == "expected a rate like 100Mbit/s or 50MB/s, got 'fast'"


@pytest.mark.parametrize("value", [True, None, [1], 0, -1.0])
def test_rate_rejects_non_rates(value: object) -> None:
    with pytest.raises(ValueError, match="expected a rate"):
        parse_rate(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100ms", 0.1),
        ("450ms", 0.45),
        ("0s", 0.0),
        ("30s", 30.0),
        ("1.5s", 1.5),
        ("5m", 300.0),
        ("2h", 7200.0),
        ("1m30s", 90.0),
        ("1h2m3s", 3723.0),
        ("1s500ms", 1.5),
        (" 10 s ", 10.0),
        ("10", 10.0),
        ("2.5", 2.5),
        (3, 3.0),
        (0.25, 0.25),
    ],
)
def test_duration_forms(text: str | float, expected: float) -> None:
    assert parse_duration(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["soon", "", "5", "5 minutes", "5d", "-1s", "1m 30s", "ms",
                                  "1.2.3s"])
def test_duration_errors(text: str) -> None:
    if text == "5":
        assert parse_duration(text) == 5.0
        return
    with pytest.raises(ValueError, match=r"^expected a duration like 30s, 100ms") as info:
        parse_duration(text)
    assert repr(text) in str(info.value)


def test_bounds_keep_simulated_time_finite() -> None:
    # a century and one bit a second: past them only a typo, and sums overflow to inf
    assert parse_duration("876600h") == MAX_SECONDS
    for text in ("876601h", 1e308):
        with pytest.raises(ValueError, match=r"\(at most a century\)"):
            parse_duration(text)
    assert parse_rate("1bit/s") == MIN_RATE
    for text in ("0.5bit/s", 1e-300):
        with pytest.raises(ValueError, match=r"\(at least 1bit/s\)"):
            parse_rate(text)


@pytest.mark.parametrize("value", [True, None, -1, {"s": 1}])
def test_duration_rejects_non_durations(value: object) -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("512", 512),
        ("512B", 512),
        ("1kB", 1000),
        ("20MB", 20_000_000),
        ("20GB", 20_000_000_000),
        ("1TB", 10**12),
        ("1KiB", 1024),
        ("512MiB", 512 * 1024**2),
        ("1.5GiB", 3 * 2**29),
        ("45 MB", 45_000_000),
        (4096, 4096),
        (4096.0, 4096),
    ],
)
def test_size_forms(text: str | int, expected: int) -> None:
    assert parse_size(text) == expected
    assert isinstance(parse_size(text), int)


def test_size_delegates_to_the_cli_parser() -> None:
    """One size grammar for scenarios and docker flags: whatever the CLI accepts, we do."""
    for text in ["300k", "1.2GiB", ".5MB", "7 gb"]:
        assert parse_size(text) == cli_units.parse_size(text)


@pytest.mark.parametrize("value", ["big", "", "20XB", "-1GB", True, None, 1.5, -3])
def test_size_errors(value: object) -> None:
    with pytest.raises(ValueError, match=r"^expected a size like 20GB, 512MiB") as info:
        parse_size(value)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
