"""go-units ports: sizes and durations as the Docker CLI prints them (docker/go-units
size.go, duration.go)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.cli.units import (
    bytes_size,
    from_human_size,
    human_duration,
    human_size,
    human_size_with_precision,
    parse_size,
    ram_in_bytes,
)


@pytest.mark.parametrize(("size", "text"), [
    (0, "0B"), (5, "5B"), (999, "999B"), (1000, "1kB"), (7_750_000, "7.75MB"),
    (124_300_000, "124MB"), (157_812_345, "158MB"), (999.5, "1e+03B"),
    (1_500_000_000, "1.5GB"),
])
def test_human_size_with_precision_3(size, text):
    # docker images SIZE and docker ps -s use HumanSizeWithPrecision(size, 3)
    assert human_size_with_precision(size, 3) == text


def test_human_size_uses_four_digits():
    assert human_size(157_812_345) == "157.8MB"
    assert human_size(1_048_576) == "1.049MB"  # go-units size_test.go


def test_bytes_size_is_binary():
    assert bytes_size(1024) == "1KiB"
    assert bytes_size(3.42 * 1024**3) == "3.42GiB"


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "Less than a second"), (0.999, "Less than a second"), (1, "1 second"),
    (2, "2 seconds"), (59, "59 seconds"), (60, "About a minute"), (119, "About a minute"),
    (120, "2 minutes"), (59 * 60, "59 minutes"), (3600, "About an hour"),
    (89 * 60, "About an hour"), (91 * 60, "2 hours"), (47 * 3600, "47 hours"),
    (48 * 3600, "2 days"), (13 * 86400, "13 days"), (14 * 86400, "2 weeks"),
    (60 * 86400, "2 months"), (2 * 365 * 86400, "2 years"),
])
def test_human_duration(seconds, text):
    # go-units duration_test.go: hours round (+0.5), other units truncate
    assert human_duration(seconds) == text


def test_from_human_size_and_ram_in_bytes():
    assert from_human_size("45MB") == 45_000_000
    assert from_human_size("1k") == 1000
    assert ram_in_bytes("1MB") == 1024 * 1024
    with pytest.raises(ValueError, match="invalid size: 'x'"):
        from_human_size("x")
    with pytest.raises(ValueError, match="invalid suffix"):
        from_human_size("32mbb")


def test_parse_size_friendly():
    assert parse_size("45MB") == 45_000_000
    assert parse_size("45 MB") == 45_000_000
    assert parse_size("1.5GiB") == int(1.5 * 1024**3)
    assert parse_size("300k") == 300_000
    assert parse_size("1024") == 1024
    with pytest.raises(ValueError, match="invalid size 'lots'"):
        parse_size("lots")


@given(st.integers(min_value=1, max_value=10**15))
def test_three_significant_digits(n):
    text = human_size_with_precision(n, 3)
    number = text.rstrip("BkMGTP")
    if "e" not in number:
        digits = number.replace(".", "").lstrip("0")
        assert len(digits) <= 3
