"""Reading typed fields out of parsed JSON, with messages that name the offending field.

Adapters turn a JSON request into keyword arguments of the pure functions. Every field is looked up
through these helpers so that a missing key or a string where a number belongs is reported as
``missing_field`` / ``invalid_type`` with its dotted path (``weather.wind_speed_m_s``), never as a
``KeyError`` traceback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from chempark.consequence import weather
from chempark.consequence.errors import ConsequenceInputError


class FieldError(ConsequenceInputError):
    """Bad input tied to one JSON field; ``code`` is a stable machine-readable reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def obj(data: Any, key: str, path: str = "") -> dict[str, Any]:
    """Required JSON object ``data[key]``."""
    value = raw(data, key, path)
    if not isinstance(value, dict):
        raise FieldError("invalid_type", f"{_join(path, key)} must be an object")
    return value


def raw(data: Any, key: str, path: str = "") -> Any:
    """Required value of any type."""
    if not isinstance(data, dict):
        raise FieldError("invalid_type", f"{path or 'input'} must be an object")
    if key not in data or data[key] is None:
        raise FieldError("missing_field", f"missing required field {_join(path, key)}")
    return data[key]


def number(data: Any, key: str, path: str = "", default: float | None = None) -> float:
    """A finite JSON number; ``default`` when the field is absent (if a default is given)."""
    if default is not None and (not isinstance(data, dict) or data.get(key) is None):
        return default
    value = raw(data, key, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError("invalid_type", f"{_join(path, key)} must be a number, got {type(value).__name__}")
    if not math.isfinite(float(value)):
        raise FieldError("invalid_value", f"{_join(path, key)} must be finite")
    return float(value)


def optional_number(data: Any, key: str, path: str = "") -> float | None:
    """A finite number, or ``None`` when absent."""
    if not isinstance(data, dict) or data.get(key) is None:
        return None
    return number(data, key, path)


def text(data: Any, key: str, path: str = "", default: str | None = None) -> str:
    """A JSON string."""
    if default is not None and (not isinstance(data, dict) or data.get(key) is None):
        return default
    value = raw(data, key, path)
    if not isinstance(value, str):
        raise FieldError("invalid_type", f"{_join(path, key)} must be a string")
    return value


def array(data: Any, key: str, path: str = "", min_items: int = 1) -> list[Any]:
    """A JSON array with at least ``min_items`` elements."""
    value = raw(data, key, path)
    if not isinstance(value, list):
        raise FieldError("invalid_type", f"{_join(path, key)} must be an array")
    if len(value) < min_items:
        raise FieldError("invalid_value", f"{_join(path, key)} needs at least {min_items} item(s)")
    return value


def positive_number(data: Any, key: str, path: str = "", default: float | None = None) -> float:
    """A number > 0."""
    value = number(data, key, path, default)
    if value <= 0.0:
        raise FieldError("invalid_value", f"{_join(path, key)} must be > 0, got {value:g}")
    return value


def non_negative_number(data: Any, key: str, path: str = "", default: float | None = None) -> float:
    """A number >= 0."""
    value = number(data, key, path, default)
    if value < 0.0:
        raise FieldError("invalid_value", f"{_join(path, key)} must be >= 0, got {value:g}")
    return value


@dataclass(frozen=True)
class Weather:
    """The ``weather`` object shared by the dispersion requests."""

    wind_speed_m_s: float
    wind_height_m: float
    stability: weather.StabilityClass
    terrain: weather.Terrain
    mixing_height_m: float | None
    wind_from_deg: float | None
    ambient_temperature_k: float
    sigma_scheme: weather.SigmaScheme


def parse_weather(data: Any) -> Weather:
    """Read ``data["weather"]``: wind speed and its height (default 10 m), stability class,
    terrain (rural), optional mixing height, wind direction (from, ° clockwise from north),
    ambient temperature (K, default 298.15) and σ scheme (default from :mod:`weather`)."""
    block = obj(data, "weather")
    wind = positive_number(block, "wind_speed_m_s", "weather")
    height = positive_number(block, "wind_height_m", "weather", default=10.0)
    stability = weather.parse_stability(text(block, "stability", "weather"))
    terrain = weather.parse_terrain(text(block, "terrain", "weather", default="rural"))
    mixing = optional_number(block, "mixing_height_m", "weather")
    if mixing is not None and mixing <= 0.0:
        raise FieldError("invalid_value", "weather.mixing_height_m must be > 0")
    direction = optional_number(block, "wind_from_deg", "weather")
    if direction is not None and not 0.0 <= direction <= 360.0:
        raise FieldError("invalid_value", "weather.wind_from_deg must be between 0 and 360")
    temperature = positive_number(block, "ambient_temperature_k", "weather", default=298.15)
    scheme = weather.parse_sigma_scheme(text(block, "sigma_scheme", "weather", default=weather.DEFAULT_SIGMA_SCHEME))
    return Weather(wind, height, stability, terrain, mixing, direction, temperature, scheme)


def parse_receptors(data: Any) -> tuple[list[float], list[float], list[float]]:
    """Read ``data["receptors"]`` = ``[{"x_m", "y_m" (0), "z_m" (0)}, ...]`` into three lists."""
    items = array(data, "receptors")
    xs: list[float] = []
    ys: list[float] = []
    zs: list[float] = []
    for index, item in enumerate(items):
        path = f"receptors[{index}]"
        if not isinstance(item, dict):
            raise FieldError("invalid_type", f"{path} must be an object with x_m, y_m, z_m")
        xs.append(number(item, "x_m", path))
        ys.append(number(item, "y_m", path, default=0.0))
        zs.append(non_negative_number(item, "z_m", path, default=0.0))
    return xs, ys, zs
