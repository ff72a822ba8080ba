"""Input checks shared by the dispersion, source and toxic modules.

Every public function of the package validates what it is given and raises
:class:`~chempark.consequence.errors.ConsequenceInputError` with a message that names the argument,
so the command line and the web service can show the reason without a traceback.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from chempark.consequence.errors import ConsequenceInputError

FloatArray = npt.NDArray[np.float64]
ArrayLike = float | int | FloatArray | list[float] | list[int] | tuple[float, ...]


def finite_float(value: Any, name: str) -> float:
    """Return ``value`` as a finite float, or raise with the argument's name."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ConsequenceInputError(f"{name} must be a number, got {type(value).__name__}")
    result = float(value)
    if not math.isfinite(result):
        raise ConsequenceInputError(f"{name} must be finite, got {result}")
    return result


def positive(value: Any, name: str) -> float:
    """A finite number strictly greater than zero."""
    result = finite_float(value, name)
    if result <= 0.0:
        raise ConsequenceInputError(f"{name} must be > 0, got {result:g}")
    return result


def non_negative(value: Any, name: str) -> float:
    """A finite number greater than or equal to zero."""
    result = finite_float(value, name)
    if result < 0.0:
        raise ConsequenceInputError(f"{name} must be >= 0, got {result:g}")
    return result


def in_range(value: Any, name: str, low: float, high: float) -> float:
    """A finite number in the closed interval [low, high]."""
    result = finite_float(value, name)
    if not low <= result <= high:
        raise ConsequenceInputError(f"{name} must be between {low:g} and {high:g}, got {result:g}")
    return result


def as_float_array(value: Any, name: str) -> FloatArray:
    """Return ``value`` as a float64 array of finite numbers (scalars become 0-d arrays)."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ConsequenceInputError(f"{name} must be numeric") from exc
    if not np.all(np.isfinite(array)):
        raise ConsequenceInputError(f"{name} must be finite")
    return array
