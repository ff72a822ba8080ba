"""Where is the leak, and how big? Inverting the Gaussian plume from gas-detector readings.

When fixed detectors in the park alarm, the duty officer wants the most likely source position and
release rate. Each detector reading is modelled as q·G(x, y) with G the plume of a unit source at
the unknown position (x_s, y_s) under the measured wind, and the three unknowns (x_s, y_s, ln q)
are fitted by nonlinear least squares on log-concentrations (errors of dispersion models are
multiplicative, so logs weight a factor-of-two miss equally at every distance). Zero readings are
kept: with the detection floor added to both sides they pull the plume away from that detector.

The fit starts from the best cell of a coarse grid over the area upwind of the detectors (the log
misfit has many local minima) and is refined with ``scipy.optimize.least_squares``. The standard
errors come from the Jacobian at the optimum, Cov = s² (JᵀJ)⁻¹ with s² the residual variance
(Seber & Wild 2003, *Nonlinear Regression*, §2.1) — a linearised estimate, reliable only when the
problem is well-posed. ``ill_posed`` is set, with the reason, when there are fewer non-zero readings
than unknowns, no residual degrees of freedom, or a near-singular JᵀJ.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from scipy import optimize

from chempark.consequence import dispersion, weather
from chempark.consequence._checks import FloatArray, as_float_array, in_range, non_negative, positive
from chempark.consequence.accident import ModelWarning
from chempark.consequence.errors import ConsequenceInputError

DEFAULT_DETECTION_FLOOR_G_M3: Final[float] = 1.0e-6
_GRID_CELLS: Final[int] = 41
_CONDITION_LIMIT: Final[float] = 1.0e10


@dataclass(frozen=True)
class LeakSourceEstimate:
    """Fitted source, its linearised uncertainty and the fit diagnostics."""

    x_m: float
    y_m: float
    rate_g_s: float
    standard_error_x_m: float
    standard_error_y_m: float
    rate_factor_1sigma: float  # the rate is log-normal: rate ×/÷ this factor is the 1σ band
    covariance: FloatArray  # of (x, y, ln rate)
    residuals_ln: FloatArray
    ill_posed: bool
    # Why it is ill-posed, each with a stable code (:data:`ILL_POSED_CODES`) and the English message.
    diagnoses: list[ModelWarning] = field(default_factory=list)
    # Readings above the detection floor minus the 3 unknowns: the degrees of freedom behind the
    # residual variance. With few of them the 1σ figures are themselves uncertain; intervals should
    # use Student's t with this many degrees of freedom.
    residual_dof: int = 0

    @property
    def reasons(self) -> list[str]:
        """Why the fit is ill-posed, in English."""
        return [diagnosis.message for diagnosis in self.diagnoses]


ILL_POSED_CODES: Final[tuple[str, ...]] = (
    "ill_posed_few_readings",
    "ill_posed_no_dof",
    "ill_posed_no_dof_above_floor",
    "ill_posed_near_singular",
)
"""Every code :func:`estimate_leak_source` may give an ill-posed fit; never renumber or reuse one."""


def _plume_frame(detector_xy: FloatArray, source_xy: FloatArray, wind_from_deg: float) -> tuple[FloatArray, FloatArray]:
    heading = math.radians(wind_from_deg + 180.0)
    downwind = np.array([math.sin(heading), math.cos(heading)])
    crosswind = np.array([-downwind[1], downwind[0]])
    delta = detector_xy[None, :, :] - source_xy[:, None, :]
    return delta @ downwind, delta @ crosswind


def _grid_start(
    unit_plume: Callable[[FloatArray], FloatArray],
    log_observed: FloatArray,
    centre: FloatArray,
    radius: float,
    floor: float,
) -> FloatArray:
    """Best (x, y, ln q) on a coarse grid of positions × a log ladder of rates: the starting point
    that keeps the local optimiser out of the misfit's many local minima."""
    axis = np.linspace(-radius, radius, _GRID_CELLS)
    cells = np.array([[centre[0] + dx, centre[1] + dy] for dx in axis for dy in axis])
    kernels = unit_plume(cells)  # (cells, detectors)
    log_rates = np.linspace(math.log(1e-3), math.log(1e6), 70)
    misfit = np.array([np.sum((log_observed - np.log(np.exp(lr) * kernels + floor)) ** 2, axis=1) for lr in log_rates])
    rate_index, cell_index = np.unravel_index(int(np.argmin(misfit)), misfit.shape)
    return np.array([*cells[cell_index], log_rates[rate_index]])


def _diagnose(observed: FloatArray, information: FloatArray, floor: float) -> list[ModelWarning]:
    """Reasons why the fit cannot be trusted (empty when it is well-posed)."""
    reasons: list[ModelWarning] = []
    nonzero = int(np.sum(observed > 0.0))
    if nonzero < 3:
        reasons.append(
            ModelWarning(
                "ill_posed_few_readings", f"only {nonzero} non-zero reading(s) for 3 unknowns", {"count": nonzero}
            )
        )
    if observed.size - 3 <= 0:
        reasons.append(ModelWarning("ill_posed_no_dof", "no residual degrees of freedom (need at least 4 detectors)"))
    elif int(np.sum(observed > floor)) - 3 <= 0:
        reasons.append(
            ModelWarning(
                "ill_posed_no_dof_above_floor",
                "no residual degrees of freedom above the detection floor (need at least 4 detecting)",
            )
        )
    condition = float(np.linalg.cond(information))
    if not math.isfinite(condition) or condition > _CONDITION_LIMIT:
        reasons.append(
            ModelWarning(
                "ill_posed_near_singular", "the readings do not constrain all three unknowns (near-singular Jacobian)"
            )
        )
    return reasons


def _readings(
    detector_x_m: FloatArray | list[float],
    detector_y_m: FloatArray | list[float],
    concentration_g_m3: FloatArray | list[float],
) -> tuple[FloatArray, FloatArray]:
    xd = as_float_array(detector_x_m, "detector_x_m").ravel()
    yd = as_float_array(detector_y_m, "detector_y_m").ravel()
    observed = as_float_array(concentration_g_m3, "concentration_g_m3").ravel()
    if not xd.size == yd.size == observed.size:
        raise ConsequenceInputError("detector x, y and concentration lists must have the same length")
    if xd.size < 2:
        raise ConsequenceInputError("at least 2 detectors are needed")
    if np.any(observed < 0.0):
        raise ConsequenceInputError("concentrations must be >= 0")
    if not np.any(observed > 0.0):
        raise ConsequenceInputError("all readings are zero: there is nothing to locate")
    return np.column_stack([xd, yd]), observed


LOG_RATE_MAX = math.log(1e12)
"""ln of 1e12 g/s (1e9 kg/s): far beyond any release; a fit that reaches it has diverged."""


def estimate_leak_source(
    detector_x_m: FloatArray | list[float],
    detector_y_m: FloatArray | list[float],
    concentration_g_m3: FloatArray | list[float],
    *,
    wind_speed_m_s: float,
    wind_from_deg: float,
    stability: weather.StabilityClass,
    detector_height_m: float = 1.5,
    release_height_m: float = 0.0,
    detection_floor_g_m3: float = DEFAULT_DETECTION_FLOOR_G_M3,
    search_radius_m: float = 2000.0,
) -> LeakSourceEstimate:
    """Most likely source position (x east, y north, m) and rate (g/s) from detector readings.

    Detectors are in the same local metric frame as the answer; ``concentration_g_m3`` may contain
    zeros. ``search_radius_m`` bounds the grid search around the detectors' centre.
    """
    detectors, observed = _readings(detector_x_m, detector_y_m, concentration_g_m3)
    wind = positive(wind_speed_m_s, "wind_speed_m_s")
    direction = in_range(wind_from_deg, "wind_from_deg", 0.0, 360.0)
    cls = weather.parse_stability(stability)
    floor = positive(detection_floor_g_m3, "detection_floor_g_m3")
    radius = positive(search_radius_m, "search_radius_m")
    z = non_negative(detector_height_m, "detector_height_m")
    height = non_negative(release_height_m, "release_height_m")
    log_observed = np.log(observed + floor)

    def unit_plume(source_xy: FloatArray) -> FloatArray:
        x, y = _plume_frame(detectors, source_xy, direction)
        return dispersion.gaussian_plume_concentration_g_m3(
            1.0,
            x,
            y,
            z,
            wind_speed_m_s=wind,
            release_height_m=height,
            stability=cls,
            mixing_height_m=math.inf,
        )

    def residuals(theta: FloatArray) -> FloatArray:
        # clipped: the optimiser may try a log-rate whose exp overflows (a 500 with 1,000 gas alarms)
        predicted = math.exp(min(float(theta[2]), LOG_RATE_MAX)) * unit_plume(theta[None, :2])[0]
        return np.asarray(log_observed - np.log(predicted + floor), dtype=np.float64)

    start = _grid_start(unit_plume, log_observed, detectors.mean(axis=0), radius, floor)
    fit = optimize.least_squares(residuals, start, x_scale=np.array([50.0, 50.0, 1.0]), method="trf")
    theta = np.asarray(fit.x, dtype=np.float64)
    if not theta[2] < LOG_RATE_MAX:
        raise ConsequenceInputError("the fit diverged: the readings fit no source rate below 1e9 kg/s")
    final = residuals(theta)
    information = np.asarray(fit.jac.T @ fit.jac, dtype=np.float64)
    reasons = _diagnose(observed, information, floor)
    # Readings at or below the floor match any plume that misses them, so their residuals are ~0 by
    # construction; counting them would shrink the variance estimate. Only detecting readings count.
    detecting = observed > floor
    dof = int(np.sum(detecting)) - 3
    if reasons:
        covariance = np.full((3, 3), np.inf)
    else:
        variance = float(np.sum(final[detecting] ** 2) / dof)
        covariance = np.linalg.inv(information) * max(variance, 1e-12)
    errors = np.sqrt(np.diag(covariance))
    return LeakSourceEstimate(
        x_m=float(theta[0]),
        y_m=float(theta[1]),
        rate_g_s=float(math.exp(theta[2])),
        standard_error_x_m=float(errors[0]),
        standard_error_y_m=float(errors[1]),
        rate_factor_1sigma=float(math.exp(errors[2])) if math.isfinite(errors[2]) else math.inf,
        covariance=np.asarray(covariance, dtype=np.float64),
        residuals_ln=final,
        ill_posed=bool(reasons),
        diagnoses=reasons,
        residual_dof=max(dof, 0),
    )
