"""Means and 95% confidence intervals, checked by hand."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.whatif.stats import ci95, t95


def test_three_values_by_hand():
    mean, sd, half = ci95([1.0, 2.0, 3.0])
    assert (mean, sd) == (2.0, 1.0)
    assert half == pytest.approx(4.303 / math.sqrt(3))


def test_one_value_has_no_interval():
    assert ci95([5.0]) == (5.0, None, None)


def test_t_table_errs_on_the_wide_side_between_entries():
    assert t95(1) == 12.706 and t95(30) == 2.042
    assert t95(45) == t95(40) == 2.021 and t95(1000) == 1.980


@given(st.lists(st.floats(-1e9, 1e9), min_size=2, max_size=30))
def test_interval_is_centred_and_grows_with_spread(values):
    mean, sd, half = ci95(values)
    assert mean == pytest.approx(statistics.fmean(values))
    assert half >= 0 and half == pytest.approx(t95(len(values) - 1) * sd /
                                               math.sqrt(len(values)))
