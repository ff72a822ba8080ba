"""Hanna et al. (1993) statistics against values worked by hand."""

import math

import pytest

from chempark.consequence import metrics
from chempark.consequence.errors import ConsequenceInputError

OBSERVED = [1.0, 2.0, 4.0]
PREDICTED = [2.0, 2.0, 2.0]


def test_statistics_by_hand():
    # mean Co = 7/3, mean Cp = 2
    # FB = (7/3 - 2) / (0.5 (7/3 + 2)) = (1/3) / (13/6) = 2/13
    assert metrics.fractional_bias(OBSERVED, PREDICTED) == pytest.approx(2 / 13)
    # NMSE = mean(1, 0, 4) / (7/3 * 2) = (5/3) / (14/3) = 5/14
    assert metrics.normalised_mean_square_error(OBSERVED, PREDICTED) == pytest.approx(5 / 14)
    # MG = exp(mean(ln 1, ln 2, ln 4) - ln 2) = exp(ln 2 - ln 2) = 1
    assert metrics.geometric_mean_bias(OBSERVED, PREDICTED) == pytest.approx(1.0)
    # VG = exp(((ln 0.5)^2 + 0 + (ln 2)^2) / 3) = exp(2 (ln 2)^2 / 3) = 1.37754
    assert metrics.geometric_variance(OBSERVED, PREDICTED) == pytest.approx(math.exp(2 * math.log(2) ** 2 / 3))
    # ratios Cp/Co = 2, 1, 0.5: all inside the factor-of-two band
    assert metrics.factor_of_two(OBSERVED, PREDICTED) == 1.0


def test_factor_of_two_edges():
    assert metrics.factor_of_two([1.0, 1.0, 1.0, 0.0], [2.01, 0.49, 1.0, 0.0]) == pytest.approx(0.5)


def test_perfect_model():
    stats = metrics.evaluate([1.0, 3.0], [1.0, 3.0])
    assert (stats.fb, stats.nmse, stats.mg, stats.vg, stats.fac2) == (0.0, 0.0, 1.0, 1.0, 1.0)
    assert stats.as_dict()["n"] == 2


def test_under_prediction_has_positive_bias():
    assert metrics.fractional_bias([2.0, 4.0], [1.0, 2.0]) > 0
    assert metrics.geometric_mean_bias([2.0, 4.0], [1.0, 2.0]) == pytest.approx(2.0)


def test_bad_input():
    with pytest.raises(ConsequenceInputError):
        metrics.evaluate([1.0], [1.0, 2.0])
    with pytest.raises(ConsequenceInputError):
        metrics.geometric_mean_bias([0.0], [1.0])
    with pytest.raises(ConsequenceInputError):
        metrics.evaluate([], [])


def test_chang_hanna_acceptance_needs_vg_at_most_1_6():
    # every prediction off by a factor 1.9 in alternate directions: MG = 1 and
    # all pairs within a factor of two, but VG = exp(ln(1.9)^2) = 1.51 -> passes; by 2.0 VG = 1.62 -> fails
    observed = [1.0, 1.0, 1.0, 1.0]
    close = metrics.evaluate(observed, [1.9, 1 / 1.9, 1.9, 1 / 1.9])
    assert close.vg == pytest.approx(math.exp(math.log(1.9) ** 2))
    assert close.acceptance()["vg"] is True
    wide = metrics.evaluate(observed, [2.0, 0.5, 2.0, 0.5])
    assert wide.vg == pytest.approx(1.6168, rel=1e-4)
    assert wide.acceptance()["vg"] is False
    assert wide.acceptance()["mg"] is True and wide.acceptance()["fac2"] is True
