"""Model-evaluation statistics for dispersion models (observed vs predicted concentrations).

These are the measures the dispersion community agreed on for comparing a model with field data,
so our validation figures can be read next to published ones.

Definitions (Hanna, Chang & Strimaitis 1993, Atmos. Environ. 27A:1385; Chang & Hanna 2004,
Meteorol. Atmos. Phys. 87:167, eqs. 1–6), with Co observed and Cp predicted, overbar = mean:

* FB   = (mean Co − mean Cp) / (0.5 (mean Co + mean Cp))     fractional bias; > 0 = under-prediction
* NMSE = mean((Co − Cp)²) / (mean Co · mean Cp)               normalised mean square error
* MG   = exp(mean ln Co − mean ln Cp)                          geometric mean bias; > 1 = under-prediction
* VG   = exp(mean (ln Co − ln Cp)²)                            geometric variance
* FAC2 = fraction of pairs with 0.5 ≤ Cp/Co ≤ 2

Chang & Hanna (2004, §5) call a model's performance acceptable on research-grade field data when
|FB| ≤ 0.3, 0.7 ≤ MG ≤ 1.3, NMSE ≤ 1.5, VG ≤ 1.6 and FAC2 ≥ 0.5 (:data:`CHANG_HANNA_ACCEPTANCE`,
:meth:`EvaluationMetrics.acceptance`). VG ≤ 1.6 is the geometric counterpart of MG within 0.7–1.3
(a typical factor of about exp(√ln 1.6) ≈ 2 scatter); Hanna & Chang (2012) relaxed FB, NMSE and FAC2
for urban data only.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from chempark.consequence._checks import FloatArray, as_float_array
from chempark.consequence.errors import ConsequenceInputError

CHANG_HANNA_ACCEPTANCE: dict[str, tuple[float, float]] = {
    "fb": (-0.3, 0.3),
    "mg": (0.7, 1.3),
    "nmse": (0.0, 1.5),
    "vg": (1.0, 1.6),
    "fac2": (0.5, 1.0),
}
"""Closed ranges each statistic must lie in (Chang & Hanna 2004)."""


@dataclass(frozen=True)
class EvaluationMetrics:
    """The five standard statistics over ``n`` observed/predicted pairs."""

    n: int
    fb: float
    nmse: float
    mg: float
    vg: float
    fac2: float

    def as_dict(self) -> dict[str, float | int]:
        """Plain dictionary, for JSON output."""
        return asdict(self)

    def acceptance(self) -> dict[str, bool]:
        """Whether each statistic meets Chang & Hanna's (2004) acceptance range."""
        values = self.as_dict()
        return {name: low <= values[name] <= high for name, (low, high) in CHANG_HANNA_ACCEPTANCE.items()}


def _pairs(observed: FloatArray | list[float], predicted: FloatArray | list[float]) -> tuple[FloatArray, FloatArray]:
    co = as_float_array(observed, "observed").ravel()
    cp = as_float_array(predicted, "predicted").ravel()
    if co.shape != cp.shape:
        raise ConsequenceInputError("observed and predicted must have the same length")
    if co.size == 0:
        raise ConsequenceInputError("need at least one observed/predicted pair")
    if np.any(co < 0.0) or np.any(cp < 0.0):
        raise ConsequenceInputError("concentrations must be >= 0")
    return co, cp


def fractional_bias(observed: FloatArray | list[float], predicted: FloatArray | list[float]) -> float:
    """FB (Hanna et al. 1993); 0 is perfect, +2/−2 are the extremes."""
    co, cp = _pairs(observed, predicted)
    return float((co.mean() - cp.mean()) / (0.5 * (co.mean() + cp.mean())))


def normalised_mean_square_error(observed: FloatArray | list[float], predicted: FloatArray | list[float]) -> float:
    """NMSE (Hanna et al. 1993); 0 is perfect."""
    co, cp = _pairs(observed, predicted)
    return float(np.mean((co - cp) ** 2) / (co.mean() * cp.mean()))


def _log_pairs(
    observed: FloatArray | list[float], predicted: FloatArray | list[float]
) -> tuple[FloatArray, FloatArray]:
    co, cp = _pairs(observed, predicted)
    if np.any(co <= 0.0) or np.any(cp <= 0.0):
        raise ConsequenceInputError("MG and VG need strictly positive concentrations")
    return np.log(co), np.log(cp)


def geometric_mean_bias(observed: FloatArray | list[float], predicted: FloatArray | list[float]) -> float:
    """MG (Hanna et al. 1993); 1 is perfect."""
    log_co, log_cp = _log_pairs(observed, predicted)
    return math.exp(float(np.mean(log_co) - np.mean(log_cp)))


def geometric_variance(observed: FloatArray | list[float], predicted: FloatArray | list[float]) -> float:
    """VG (Hanna et al. 1993); 1 is perfect."""
    log_co, log_cp = _log_pairs(observed, predicted)
    return math.exp(float(np.mean((log_co - log_cp) ** 2)))


def factor_of_two(observed: FloatArray | list[float], predicted: FloatArray | list[float]) -> float:
    """FAC2: share of pairs within a factor of two (a zero observation counts only if Cp is 0 too)."""
    co, cp = _pairs(observed, predicted)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(co > 0.0, cp / np.where(co > 0.0, co, 1.0), np.where(cp == 0.0, 1.0, np.inf))
    return float(np.mean((ratio >= 0.5) & (ratio <= 2.0)))


def evaluate(observed: FloatArray | list[float], predicted: FloatArray | list[float]) -> EvaluationMetrics:
    """All five statistics at once."""
    co, cp = _pairs(observed, predicted)
    return EvaluationMetrics(
        n=int(co.size),
        fb=fractional_bias(co, cp),
        nmse=normalised_mean_square_error(co, cp),
        mg=geometric_mean_bias(co, cp),
        vg=geometric_variance(co, cp),
        fac2=factor_of_two(co, cp),
    )
