"""The 双随机 draw core: reproducible from its seed, uniform when unweighted, following its weights
when weighted (chi-square goodness of fit over fixed seeds), and a clear error on an empty population."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from scipy.stats import chisquare

from chempark.supervision.draw import Candidate, EmptyPopulation, InvalidDraw, draw

POPULATION = [Candidate(pk) for pk in range(101, 121)]
DRAWS = 20_000
ALPHA = 0.001


def test_same_seed_and_population_give_the_same_result_whatever_the_order() -> None:
    shuffled = POPULATION[:]
    random.Random(5).shuffle(shuffled)
    first = draw(POPULATION, 5, seed=123456789)
    assert first == draw(shuffled, 5, seed=123456789)
    assert len(set(first)) == 5 and set(first) <= {c.id for c in POPULATION}


def test_another_seed_gives_another_result() -> None:
    results = {tuple(draw(POPULATION, 5, seed=seed)) for seed in range(20)}
    assert len(results) > 15


def test_count_above_the_population_returns_everyone_once() -> None:
    assert sorted(draw(POPULATION[:3], 10, seed=1)) == [101, 102, 103]


def test_unweighted_draw_is_uniform() -> None:
    picks = Counter(pk for seed in range(DRAWS) for pk in draw(POPULATION, 3, seed=seed))
    observed = [picks[c.id] for c in POPULATION]
    assert sum(observed) == 3 * DRAWS
    assert chisquare(observed).pvalue > ALPHA


def test_weighted_first_pick_follows_the_weights() -> None:
    weights = [4.0, 3.0, 2.0, 1.5, 1.0, 1.0, 1.0, 0.5]
    population = [Candidate(pk, w) for pk, w in enumerate(weights, start=1)]
    firsts = Counter(draw(population, 1, seed=seed)[0] for seed in range(DRAWS))
    observed = [firsts[c.id] for c in population]
    expected = [DRAWS * w / sum(weights) for w in weights]
    assert chisquare(observed, expected).pvalue > ALPHA
    # and the uniform expectation is refused: the test can tell the two apart
    assert chisquare(observed).pvalue < ALPHA


def test_empty_population_is_a_clear_error() -> None:
    with pytest.raises(EmptyPopulation):
        draw([], 3, seed=1)


@pytest.mark.parametrize(
    ("population", "count"),
    [
        ([Candidate(1), Candidate(1)], 1),
        ([Candidate(1, 0.0)], 1),
        ([Candidate(1, float("nan"))], 1),
        ([Candidate(1)], 0),
    ],
)
def test_bad_draws_are_refused(population: list[Candidate], count: int) -> None:
    with pytest.raises(InvalidDraw):
        draw(population, count, seed=1)
