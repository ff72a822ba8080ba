"""The inputs of a quantitative risk assessment: release scenarios, their outcome trees, weather.

A QRA (CCPS 2000 *Guidelines for Chemical Process QRA* ch. 4; Purple Book CPR18E ch. 2) sums, over
every loss-of-containment scenario s, weather class w, wind direction d and outcome o (toxic
cloud, pool/jet fire, fireball, flash fire, explosion),

    f_s · P_w · P_d|w · P_o|s · P_death(x, y | s, w, d, o)

Each outcome carries its own lethality function of the receptor position in the *wind frame*
(downwind, crosswind metres from the release point) and of the weather class. Outcomes that do
not depend on the wind (a vertical pool fire, a fireball, an explosion at the release point) say
so with ``directional=False`` and the engine treats them as rings, which is much cheaper.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from chempark.consequence import weather
from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError

COMPASS_16: tuple[str, ...] = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class WeatherClass:
    """One representative weather: Pasquill stability, 10 m wind speed and its probability; the air
    temperature and pressure turn a toxic plume's mass concentration into ppm."""

    name: str
    stability: weather.StabilityClass
    wind_speed_m_s: float
    probability: float
    air_temperature_k: float = 293.15
    air_pressure_pa: float = 101_325.0


@dataclass(frozen=True, slots=True)
class WindRose:
    """Probability that the wind blows *from* each of 16 compass sectors (N, NNE, … clockwise).

    ``probabilities`` has shape (16,) for one rose shared by all weather classes, or
    (n_weather, 16) for one rose per weather class (rows in the order of the weather list).
    Each rose sums to 1.
    """

    probabilities: FloatArray

    def for_weather(self, index: int) -> FloatArray:
        """The 16 sector probabilities that apply to weather class ``index``."""
        table = np.asarray(self.probabilities, dtype=np.float64)
        return table if table.ndim == 1 else table[index]


LethalityFunction = Callable[[FloatArray, FloatArray, WeatherClass], FloatArray]
"""P_death(downwind_m, crosswind_m, weather) in [0, 1], arrays broadcast together."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One branch of a scenario's outcome tree: its conditional probability and lethality."""

    name: str
    probability: float
    lethality: LethalityFunction
    directional: bool = True


@dataclass(frozen=True, slots=True)
class ReleaseScenario:
    """A loss of containment at one unit or tank: position (local metres, x east, y north),
    frequency per year and the outcome tree that follows."""

    name: str
    x_m: float
    y_m: float
    frequency_per_year: float
    outcomes: tuple[Outcome, ...]
    substance: str = ""
    hole_size_class: str = ""


@dataclass(frozen=True, slots=True)
class ProtectiveTarget:
    """A protective target (防护目标): a point or a polygon (local metres) with its population and
    GB 36894 category (``high_sensitivity``, ``important``, ``general_class_1`` … ``_3``)."""

    name: str
    category: str
    population: float
    points_xy_m: FloatArray = field(default_factory=lambda: np.zeros((0, 2)))
    polygon_xy_m: FloatArray | None = None


def validate_inputs(scenarios: Sequence[ReleaseScenario], weathers: Sequence[WeatherClass], rose: WindRose) -> None:
    """Reject inputs whose probabilities do not add up or whose numbers are not finite."""
    if not scenarios:
        raise ConsequenceInputError("at least one release scenario is needed")
    if not weathers:
        raise ConsequenceInputError("at least one weather class is needed")
    total = sum(w.probability for w in weathers)
    if any(w.probability < 0.0 for w in weathers) or not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ConsequenceInputError(f"weather class probabilities must be >= 0 and sum to 1, got {total:g}")
    for w in weathers:
        weather.parse_stability(w.stability)
        if not w.wind_speed_m_s > 0.0:
            raise ConsequenceInputError(f"weather {w.name!r}: wind speed must be > 0")
    table = np.asarray(rose.probabilities, dtype=np.float64)
    rows = table[None, :] if table.ndim == 1 else table
    if rows.shape[-1] != 16 or (table.ndim == 2 and rows.shape[0] != len(weathers)):
        raise ConsequenceInputError("wind rose must have 16 sectors (one row per weather class if 2-D)")
    if np.any(rows < 0.0) or not np.allclose(rows.sum(axis=1), 1.0, atol=1e-6):
        raise ConsequenceInputError("each wind rose must have non-negative probabilities summing to 1")
    for scenario in scenarios:
        if not (math.isfinite(scenario.x_m) and math.isfinite(scenario.y_m)):
            raise ConsequenceInputError(f"scenario {scenario.name!r}: position must be finite")
        if not scenario.frequency_per_year >= 0.0:
            raise ConsequenceInputError(f"scenario {scenario.name!r}: frequency must be >= 0")
        branch_total = sum(o.probability for o in scenario.outcomes)
        if any(o.probability < 0.0 for o in scenario.outcomes) or branch_total > 1.0 + 1e-9:
            raise ConsequenceInputError(
                f"scenario {scenario.name!r}: outcome probabilities must be >= 0 and sum to at most 1"
            )


def flammable_outcome_tree(
    *,
    p_direct_ignition: float,
    p_delayed_ignition: float,
    direct_fire: LethalityFunction,
    direct_fire_directional: bool,
    flash_fire: LethalityFunction | None = None,
    explosion: LethalityFunction | None = None,
    toxic: LethalityFunction | None = None,
    explosion_fraction: float = 0.4,
) -> tuple[Outcome, ...]:
    """The Purple Book event tree for a flammable (and possibly toxic) release.

    Direct ignition → pool/jet fire or fireball (``direct_fire``); delayed ignition → flash fire
    (1 − ``explosion_fraction``) or explosion (``explosion_fraction``, 0.4 in CPR18E ch. 4); no
    ignition → toxic cloud if the substance is toxic, else no effect. Branches without a lethality
    function are dropped (they carry no risk).
    """
    for value, name in ((p_direct_ignition, "p_direct_ignition"), (p_delayed_ignition, "p_delayed_ignition")):
        if not 0.0 <= value <= 1.0:
            raise ConsequenceInputError(f"{name} must be between 0 and 1, got {value!r}")
    delayed = (1.0 - p_direct_ignition) * p_delayed_ignition
    none = (1.0 - p_direct_ignition) * (1.0 - p_delayed_ignition)
    outcomes = [Outcome("direct_fire", p_direct_ignition, direct_fire, direct_fire_directional)]
    if flash_fire is not None:
        outcomes.append(Outcome("flash_fire", delayed * (1.0 - explosion_fraction), flash_fire, True))
    if explosion is not None:
        outcomes.append(Outcome("explosion", delayed * explosion_fraction, explosion, False))
    if toxic is not None:
        outcomes.append(Outcome("toxic_cloud", none, toxic, True))
    return tuple(outcome for outcome in outcomes if outcome.probability > 0.0)


# --- default data tables --------------------------------------------------------------------------


def _data_rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("chempark.consequence").joinpath(f"data/{filename}").read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#")))


@functools.cache
def release_frequencies() -> dict[tuple[str, str], float]:
    """{(equipment, hole_size_class): frequency} from ``data/release_frequencies.csv``."""
    return {
        (row["equipment"], row["hole_size_class"]): float(row["frequency"])
        for row in _data_rows("release_frequencies.csv")
    }


def release_frequency(equipment: str, hole_size_class: str) -> float:
    """Default frequency (per year, or per metre-year for pipes) of a loss-of-containment event."""
    try:
        return release_frequencies()[(equipment, hole_size_class)]
    except KeyError:
        raise ConsequenceInputError(f"no default frequency for {equipment!r} / {hole_size_class!r}") from None


def direct_ignition_probability(category: str, release_kind: str, size: float) -> float:
    """Purple Book direct-ignition probability for a continuous release of ``size`` kg/s or an
    instantaneous release of ``size`` kg (``data/ignition_probabilities.csv``)."""
    for row in _data_rows("ignition_probabilities.csv"):
        matches = row["category"] == category and row["release_kind"] == release_kind
        if matches and float(row["lower"]) <= size < float(row["upper"]):
            return float(row["p_direct_ignition"])
    raise ConsequenceInputError(f"no ignition probability for {category!r} / {release_kind!r} / {size:g}")
