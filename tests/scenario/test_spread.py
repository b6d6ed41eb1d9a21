"""Seeded variability: percentages parsed strictly, draws reproducible from (seed, owner,
parameter) alone and always inside their range."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.scenario.spread import (
    draw_unit,
    jitter_offset,
    parse_spread,
    spread_text,
    spread_value,
)


@pytest.mark.parametrize(("text", "fraction"), [
    ("0%", 0.0), ("20%", 0.2), (" 12.5 % ", 0.125), ("99.9%", 0.999), (".5%", 0.005)])
def test_percentages(text: str, fraction: float) -> None:
    assert parse_spread(text) == pytest.approx(fraction)


@pytest.mark.parametrize(("value", "message"), [
    ("130%", "expected a percentage between 0% and 100%, got '130%'"),
    ("100%", "expected a percentage below 100% (a rate drawn at -100% would be zero), "
             "got '100%'"),
    ("-5%", "expected a percentage between 0% and 100% like '20%', got '-5%'"),
    ("fast", "expected a percentage between 0% and 100% like '20%', got 'fast'"),
    (0.3, "expected a percentage between 0% and 100% like '20%', got 0.3"),
    (30, "expected a percentage between 0% and 100% like '20%', got 30"),
    (True, "expected a percentage between 0% and 100% like '20%', got True"),
])
def test_bad_percentages(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_spread(value)
    assert str(info.value) == message


@pytest.mark.parametrize("text", ["0%", "20%", "12.5%", "99.9%", "33.333%"])
def test_text_round_trips(text: str) -> None:
    assert spread_text(parse_spread(text)) == text


def test_the_draw_is_the_documented_rule() -> None:
    """docs/whatif.md: rate * (1 + s * (2u - 1)), u = Random("seed/host/field").random()."""
    u = random.Random("7/web-3/downlink").random()
    assert draw_unit(7, "web-3", "downlink") == u
    expected = round(125e6 * (1 + 0.3 * (2 * u - 1)))
    assert spread_value(125e6, 0.3, 7, "web-3", "downlink") == expected
    v = random.Random("7/web-3/steps.0.jitter").random()
    assert jitter_offset(10.0, 7, "web-3", 0) == round(10.0 * v, 6)


def test_zero_spread_and_zero_jitter_change_nothing() -> None:
    assert spread_value(123.456, 0.0, 7, "h", "downlink") == 123.456
    assert jitter_offset(0.0, 7, "h", 0) == 0.0


def test_draws_are_independent_streams() -> None:
    """Each (seed, owner, parameter) has its own stream: neighbours and seeds differ."""
    draws = {draw_unit(seed, f"web-{i}", field) for seed in (1, 2)
             for i in range(1, 6) for field in ("downlink", "uplink")}
    assert len(draws) == 20


@given(base=st.floats(min_value=1e3, max_value=1e12), spread=st.floats(0, 0.99),
       seed=st.integers(0, 2**63), host=st.text(min_size=1, max_size=20))
def test_a_spread_value_stays_in_its_range(base: float, spread: float, seed: int,
                                           host: str) -> None:
    value = spread_value(base, spread, seed, host, "downlink")
    assert base * (1 - spread) - 1 <= value <= base * (1 + spread) + 1
    assert value > 0


@given(jitter=st.floats(0, 3600), seed=st.integers(0, 2**63), step=st.integers(0, 10_000))
def test_a_jitter_offset_stays_in_its_range(jitter: float, seed: int, step: int) -> None:
    assert 0 <= jitter_offset(jitter, seed, "web-1", step) <= jitter
