"""Location-specific individual risk on a grid, and the events behind the societal risk.

Individual risk (CCPS 2000 eq. 4.4.1; Purple Book CPR18E §2.2):

    IR(x, y) = Σ_s Σ_w Σ_d Σ_o f_s · P_w · P_d|w · P_o|s · P_death,o(x, y | s, w, d)

Evaluating this directly costs (scenarios × weathers × 16 directions × outcomes × cells) lethality
evaluations. The engine instead evaluates each scenario's outcome once per weather on a polar grid
around the release point in the wind frame (radius × angle-from-downwind), sums the outcomes, and
turns the 16-direction sum into one circular convolution of that polar field with the wind rose
along the angle axis (FFT). Only then is the field interpolated onto the Cartesian cells within
reach of the source. Outcomes without a wind dependence (vertical pool fire, fireball, explosion)
are radial profiles and skip the angular work entirely.

Within a 22.5° sector the wind direction is taken uniformly distributed (``smear_sectors=True``),
as the Purple Book's sector averaging does; with ``False`` each sector's wind blows along its
centre line, which draws the familiar 16-pointed star for narrow toxic plumes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.qra.model import Outcome, ReleaseScenario, WeatherClass, WindRose, validate_inputs

MAX_REACH_M = 20_000.0
NEGLIGIBLE_LETHALITY = 1e-9
_REACH_SCAN = np.geomspace(0.5, MAX_REACH_M, 200)


@dataclass(frozen=True, slots=True)
class Grid:
    """A regular grid of cell centres: ``nx`` × ``ny`` cells of ``cell_m`` metres, the first cell
    centred at (x0_m, y0_m); x east, y north."""

    x0_m: float
    y0_m: float
    cell_m: float
    nx: int
    ny: int

    @property
    def x_m(self) -> FloatArray:
        """Cell-centre x coordinates (nx,)."""
        return self.x0_m + self.cell_m * np.arange(self.nx, dtype=np.float64)

    @property
    def y_m(self) -> FloatArray:
        """Cell-centre y coordinates (ny,)."""
        return self.y0_m + self.cell_m * np.arange(self.ny, dtype=np.float64)

    @classmethod
    def covering(cls, x_min_m: float, y_min_m: float, x_max_m: float, y_max_m: float, cells: int = 250) -> Grid:
        """A square-celled grid with ``cells`` cells along the longer side of the box."""
        if not (x_max_m > x_min_m and y_max_m > y_min_m and cells >= 2):
            raise ConsequenceInputError("grid box must have positive size and at least 2 cells")
        cell = max(x_max_m - x_min_m, y_max_m - y_min_m) / (cells - 1)
        nx = math.floor((x_max_m - x_min_m) / cell + 1e-9) + 1
        ny = math.floor((y_max_m - y_min_m) / cell + 1e-9) + 1
        return cls(x_min_m, y_min_m, cell, nx, ny)


def wind_frame(dx_m: FloatArray, dy_m: FloatArray, wind_from_deg: FloatArray | float) -> tuple[FloatArray, FloatArray]:
    """Map offsets (east, north) → (downwind, crosswind) for wind blowing *from* ``wind_from_deg``
    (clockwise from north). Crosswind is positive to the left of the downwind direction."""
    toward = np.radians(-90.0 - np.asarray(wind_from_deg, dtype=np.float64))  # math angle of the downwind axis
    cos_t, sin_t = np.cos(toward), np.sin(toward)
    return dx_m * cos_t + dy_m * sin_t, -dx_m * sin_t + dy_m * cos_t


def outcome_reach_m(outcome: Outcome, weather: WeatherClass) -> float:
    """Distance beyond which the outcome's lethality is negligible (scanned along the wind axis)."""
    values = outcome.lethality(_REACH_SCAN, np.zeros_like(_REACH_SCAN), weather)
    above = np.nonzero(values > NEGLIGIBLE_LETHALITY)[0]
    if above.size == 0:
        return 0.0
    last = int(above[-1])
    return float(_REACH_SCAN[min(last + 1, _REACH_SCAN.size - 1)])


def _rose_kernel(sector_probabilities: FloatArray, bins_per_sector: int, smear: bool) -> FloatArray:
    """Probability of each downwind angle bin (math angle, bin 0 = east) for a 16-sector rose."""
    n_bins = 16 * bins_per_sector
    kernel = np.zeros(n_bins)
    offset_east = -90.0 / (360.0 / n_bins)  # a wind from the north blows towards -90°
    for sector, probability in enumerate(sector_probabilities):
        centre = round(offset_east - sector * bins_per_sector) % n_bins
        if not smear:
            kernel[centre] += probability
            continue
        half = bins_per_sector // 2
        weights = np.ones(2 * half + 1)
        weights[[0, -1]] = 0.5
        weights *= probability / weights.sum()
        for k, weight in zip(range(-half, half + 1), weights, strict=True):
            kernel[(centre + k) % n_bins] += weight
    return kernel


@dataclass(frozen=True, slots=True)
class _PolarRisk:
    """One scenario's risk around its release point: directional part on (r, θ) and radial part."""

    r_m: FloatArray
    directional: FloatArray  # (nr, n_theta), θ = math angle of the map, bin 0 = east
    radial: FloatArray  # (nr,)


def _scenario_polar_risk(
    scenario: ReleaseScenario,
    weathers: Sequence[WeatherClass],
    rose: WindRose,
    *,
    resolution_m: float,
    bins_per_sector: int,
    smear: bool,
) -> _PolarRisk | None:
    reaches = [[outcome_reach_m(o, w) for o in scenario.outcomes] for w in weathers]
    r_max = max((max(row) for row in reaches if row), default=0.0)
    if r_max <= 0.0 or scenario.frequency_per_year == 0.0:
        return None
    n_r = int(np.clip(math.ceil(r_max / resolution_m) + 1, 16, 2000))
    r = np.linspace(0.0, r_max, n_r)
    n_theta = 16 * bins_per_sector
    psi = np.arange(n_theta) * (2.0 * math.pi / n_theta)  # angle from the downwind axis
    directional = np.zeros((n_r, n_theta))
    radial = np.zeros(n_r)
    for w_index, w in enumerate(weathers):
        weight = scenario.frequency_per_year * w.probability
        if weight == 0.0:
            continue
        wind_field = np.zeros((n_r, n_theta))
        for o_index, outcome in enumerate(scenario.outcomes):
            reach = reaches[w_index][o_index]
            if reach <= 0.0 or outcome.probability == 0.0:
                continue
            rows = int(np.searchsorted(r, reach, side="right"))
            if outcome.directional:
                rr = r[:rows, None]
                wind_field[:rows] += outcome.probability * outcome.lethality(rr * np.cos(psi), rr * np.sin(psi), w)
            else:
                radial[:rows] += weight * outcome.probability * outcome.lethality(r[:rows], np.zeros(rows), w)
        if np.any(wind_field):
            kernel = _rose_kernel(rose.for_weather(w_index), bins_per_sector, smear)
            spectrum = np.fft.rfft(wind_field, axis=1) * np.fft.rfft(kernel)[None, :]
            directional += weight * np.fft.irfft(spectrum, n=n_theta, axis=1)
    return _PolarRisk(r, np.maximum(directional, 0.0), radial)


def _add_to_grid(total: FloatArray, grid: Grid, scenario: ReleaseScenario, polar: _PolarRisk) -> None:
    """Interpolate one scenario's polar risk (bilinear in r, θ) onto the cells within its reach."""
    r_max = float(polar.r_m[-1])
    x, y = grid.x_m, grid.y_m
    cols = np.nonzero(np.abs(x - scenario.x_m) <= r_max)[0]
    rows = np.nonzero(np.abs(y - scenario.y_m) <= r_max)[0]
    if cols.size == 0 or rows.size == 0:
        return
    dx = x[cols][None, :] - scenario.x_m
    dy = y[rows][:, None] - scenario.y_m
    dist = np.hypot(dx, dy)
    inside = dist <= r_max
    dr = r_max / (polar.r_m.size - 1)
    fr = dist[inside] / dr
    i0 = np.minimum(fr.astype(np.intp), polar.r_m.size - 2)
    tr = fr - i0
    block = np.zeros(dist.shape)
    if np.any(polar.radial):
        block[inside] += polar.radial[i0] * (1.0 - tr) + polar.radial[i0 + 1] * tr
    if np.any(polar.directional):
        n_theta = polar.directional.shape[1]
        ft = (np.arctan2(dy, dx)[inside] % (2.0 * math.pi)) / (2.0 * math.pi / n_theta)
        j0 = ft.astype(np.intp) % n_theta
        j1 = (j0 + 1) % n_theta
        tt = ft - np.floor(ft)
        d = polar.directional
        block[inside] += (1.0 - tr) * ((1.0 - tt) * d[i0, j0] + tt * d[i0, j1]) + tr * (
            (1.0 - tt) * d[i0 + 1, j0] + tt * d[i0 + 1, j1]
        )
    total[np.ix_(rows, cols)] += block


def individual_risk_grid(
    scenarios: Sequence[ReleaseScenario],
    weathers: Sequence[WeatherClass],
    rose: WindRose,
    grid: Grid,
    *,
    smear_sectors: bool = True,
    bins_per_sector: int = 12,
    on_progress: Callable[[float], None] | None = None,
) -> FloatArray:
    """Location-specific individual risk (per year) at every grid cell, shape (ny, nx).

    ``on_progress`` is called with the finished fraction (0–1) after each scenario.
    """
    validate_inputs(scenarios, weathers, rose)
    if bins_per_sector < 2 or bins_per_sector % 2:
        raise ConsequenceInputError("bins_per_sector must be an even number >= 2")
    total = np.zeros((grid.ny, grid.nx))
    resolution = 0.25 * grid.cell_m  # a quarter cell keeps step-like lethality edges within one cell
    for index, scenario in enumerate(scenarios):
        polar = _scenario_polar_risk(
            scenario,
            weathers,
            rose,
            resolution_m=resolution,
            bins_per_sector=bins_per_sector,
            smear=smear_sectors,
        )
        if polar is not None:
            _add_to_grid(total, grid, scenario, polar)
        if on_progress is not None:
            on_progress((index + 1) / len(scenarios))
    return total


def point_risk_and_events(
    scenarios: Sequence[ReleaseScenario],
    weathers: Sequence[WeatherClass],
    rose: WindRose,
    points_xy_m: FloatArray,
    population: FloatArray,
    *,
    smear_sectors: bool = True,
    sub_directions: int = 11,
    on_progress: Callable[[float], None] | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Individual risk at each point and the societal-risk events.

    Returns (IR per point, expected fatalities N per event, frequency per event). Each event is one
    (scenario, weather, wind direction, outcome) combination; with ``smear_sectors`` each sector is
    represented by ``sub_directions`` equally likely directions across it, consistent with the grid.
    """
    validate_inputs(scenarios, weathers, rose)
    points = np.asarray(points_xy_m, dtype=np.float64).reshape(-1, 2)
    people = np.asarray(population, dtype=np.float64).reshape(-1)
    if people.shape[0] != points.shape[0] or np.any(people < 0.0):
        raise ConsequenceInputError("population must be one non-negative number per point")
    # evenly spaced across the whole circle: sector centre ± 22.5°·((k + ½)/n − ½)
    offsets = ((np.arange(sub_directions) + 0.5) / sub_directions - 0.5) * 22.5 if smear_sectors else np.zeros(1)
    directions = (np.arange(16)[:, None] * 22.5 + offsets[None, :]).ravel()  # wind-from, degrees
    risk = np.zeros(points.shape[0])
    fatalities: list[FloatArray] = []
    frequencies: list[FloatArray] = []
    for index, scenario in enumerate(scenarios):
        dx = points[:, 0] - scenario.x_m
        dy = points[:, 1] - scenario.y_m
        downwind, crosswind = wind_frame(dx[None, :], dy[None, :], directions[:, None])
        for w_index, w in enumerate(weathers):
            sector_p = rose.for_weather(w_index)
            direction_p = np.repeat(sector_p, offsets.size) / offsets.size
            for outcome in scenario.outcomes:
                weight = scenario.frequency_per_year * w.probability * outcome.probability
                if weight == 0.0:
                    continue
                if outcome.directional:
                    lethal = outcome.lethality(downwind, crosswind, w)  # (directions, points)
                    risk += weight * (direction_p @ lethal)
                    fatalities.append(lethal @ people)
                    frequencies.append(weight * direction_p)
                else:
                    lethal_1d = outcome.lethality(np.hypot(dx, dy), np.zeros_like(dx), w)
                    risk += weight * lethal_1d
                    fatalities.append(np.array([lethal_1d @ people]))
                    frequencies.append(np.array([weight]))
        if on_progress is not None:
            on_progress((index + 1) / len(scenarios))
    if not fatalities:
        return risk, np.zeros(0), np.zeros(0)
    return risk, np.concatenate(fatalities), np.concatenate(frequencies)


def fn_curve(fatalities: FloatArray, frequencies: FloatArray, minimum_n: float = 1.0) -> tuple[FloatArray, FloatArray]:
    """Societal-risk F-N curve: for each distinct N ≥ ``minimum_n`` among the events, the total
    frequency F of events killing N or more (CCPS 2000 §4.4.2; GB 36894-2018 definition)."""
    n = np.asarray(fatalities, dtype=np.float64)
    f = np.asarray(frequencies, dtype=np.float64)
    keep = (n >= minimum_n) & (f > 0.0)
    if not np.any(keep):
        return np.zeros(0), np.zeros(0)
    order = np.argsort(n[keep])
    n_sorted, f_sorted = n[keep][order], f[keep][order]
    cumulative_from_top = np.cumsum(f_sorted[::-1])[::-1]
    unique_n, first = np.unique(n_sorted, return_index=True)
    return unique_n, cumulative_from_top[first]
