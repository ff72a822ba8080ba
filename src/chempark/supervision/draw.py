"""双随机一公开: random selection of inspected enterprises and of inspectors and experts (pure).

A draw is reproducible: the population is put in id order first, so the same seed and the same
population (in any order) always give the same result, and anyone holding the published seed and
list can repeat it. Weighted draws use Efraimidis–Spirakis keys (u ** (1 / w), the largest k win),
which samples without replacement and makes the first pick follow the weights exactly:
P(first = i) = w_i / Σ w.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class Candidate:
    """One member of the population: a row id and its weight (1 in an unweighted draw)."""

    id: int
    weight: float = 1.0


class EmptyPopulation(ValueError):
    """Nothing to draw from."""


class InvalidDraw(ValueError):
    """A count below one, a weight that is not positive, or an id given twice."""


def new_seed() -> int:
    """A seed to record with a draw: unpredictable before, public after."""
    return secrets.randbelow(MAX_SEED)


def draw(population: Sequence[Candidate], count: int, seed: int) -> list[int]:
    """``count`` distinct ids from ``population`` (all of them when it has fewer), in draw order."""
    if not population:
        raise EmptyPopulation("population is empty")
    if count < 1:
        raise InvalidDraw("count must be at least 1")
    ordered = sorted(population, key=lambda c: c.id)
    if len({c.id for c in ordered}) != len(ordered):
        raise InvalidDraw("an id appears twice")
    if any(not c.weight > 0 for c in ordered):
        raise InvalidDraw("weights must be positive")
    rng = random.Random(seed)  # noqa: S311 — a public, reproducible draw, not a secret
    keyed = [(_key(rng.random(), c.weight), c.id) for c in ordered]
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return [candidate_id for _key_value, candidate_id in keyed[:count]]


def _key(u: float, weight: float) -> float:
    # u in [0, 1); u = 0 gives key 0 for every weight, the lowest, which is the right limit
    return math.pow(u, 1.0 / weight)
