"""Threat zones: where a release exceeds a level of concern, as a polygon on the map.

A threat zone (ALOHA's term) is the ground area inside which the concentration reaches a chosen
threshold — typically AEGL-3 (red), AEGL-2 (orange), AEGL-1 (yellow). For a Gaussian plume the
crosswind profile at each downwind distance is exp(−y²/2σy²) times the centre-line value C(x), so
the half-width where the threshold is met has the closed form

    w(x) = σy(x) · √(2 ln(C(x) / C_threshold))      where C(x) ≥ C_threshold

and the zone is the region between the first and last downwind distance where C(x) reaches the
threshold (solved with Brent's method on ln C). The polygon is built in metres with x downwind and
y crosswind, then rotated by the wind direction (meteorological convention: the direction the wind
blows FROM, degrees clockwise from north) and placed on the map through an azimuthal equidistant
projection centred on the source (pyproj), which keeps distances from the source exact.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import numpy as np
from pyproj import Transformer
from scipy import optimize

from chempark.consequence import dispersion, weather
from chempark.consequence._checks import FloatArray, as_float_array, in_range, positive
from chempark.consequence.errors import ConsequenceInputError

MAX_ZONE_DISTANCE_M: Final[float] = 50_000.0
"""Zones are not traced beyond 50 km: wind shifts make a straight plume meaningless there."""

_SEARCH_START_M: Final[float] = 1.0
_SEARCH_POINTS: Final[int] = 240
_POLYGON_STATIONS: Final[int] = 60

CentrelineProfile = Callable[[FloatArray], tuple[FloatArray, FloatArray]]
"""Given downwind distances (m) return (centre-line concentration g/m³, σy m) at the receptor height."""


@dataclass(frozen=True)
class ThreatZone:
    """The footprint where concentration ≥ ``threshold_g_m3``, in source-centred metres."""

    threshold_g_m3: float
    start_m: float
    downwind_extent_m: float
    max_half_width_m: float
    polygon_xy_m: FloatArray  # (N, 2): x downwind, y crosswind; closed ring
    area_m2: float

    @property
    def is_empty(self) -> bool:
        """True when the threshold is never reached."""
        return self.downwind_extent_m == 0.0


def plume_profile(
    rate_g_s: float,
    *,
    wind_speed_m_s: float,
    release_height_m: float,
    stability: weather.StabilityClass,
    receptor_height_m: float = 0.0,
    scheme: weather.SigmaScheme = weather.DEFAULT_SIGMA_SCHEME,
    terrain: weather.Terrain = "rural",
    mixing_height_m: float | None = None,
) -> CentrelineProfile:
    """Centre-line profile of a continuous Gaussian plume, for :func:`threat_zone`."""
    plume = functools.partial(
        dispersion.gaussian_plume_concentration_g_m3,
        rate_g_s,
        wind_speed_m_s=wind_speed_m_s,
        release_height_m=release_height_m,
        stability=stability,
        scheme=scheme,
        terrain=terrain,
        mixing_height_m=mixing_height_m,
    )
    plume(100.0, 0.0, receptor_height_m)  # validates every argument once, up front

    def profile(x_m: FloatArray) -> tuple[FloatArray, FloatArray]:
        sigma_y = weather.sigma_y_m(x_m, stability, scheme=scheme, terrain=terrain)
        return plume(x_m, 0.0, receptor_height_m), sigma_y

    return profile


def puff_profile(
    mass_g: float,
    *,
    wind_speed_m_s: float,
    release_height_m: float,
    stability: weather.StabilityClass,
    receptor_height_m: float = 0.0,
    mixing_height_m: float | None = None,
) -> CentrelineProfile:
    """Profile of the peak concentration of a passing Gaussian puff, for :func:`threat_zone`."""
    puff = functools.partial(
        dispersion.gaussian_puff_peak_concentration_g_m3,
        mass_g,
        wind_speed_m_s=wind_speed_m_s,
        release_height_m=release_height_m,
        stability=stability,
        mixing_height_m=mixing_height_m,
    )
    puff(100.0, 0.0, receptor_height_m)  # validates every argument once, up front

    def profile(x_m: FloatArray) -> tuple[FloatArray, FloatArray]:
        sigma_y = dispersion.puff_dispersion_coefficients(x_m, stability)[1]
        return puff(x_m, 0.0, receptor_height_m), sigma_y

    return profile


def _crossing(profile: CentrelineProfile, threshold: float, low: float, high: float) -> float:
    """Distance between ``low`` and ``high`` where the centre-line concentration equals ``threshold``."""

    def excess(log_x: float) -> float:
        concentration = float(profile(np.array([math.exp(log_x)]))[0][0])
        return math.log(max(concentration, 1e-300)) - math.log(threshold)

    return math.exp(optimize.brentq(excess, math.log(low), math.log(high), xtol=1e-6))


def threat_zone(profile: CentrelineProfile, threshold_g_m3: float) -> ThreatZone:
    """Footprint where the concentration reaches ``threshold_g_m3`` (see module docstring)."""
    threshold = positive(threshold_g_m3, "threshold_g_m3")
    grid = np.geomspace(_SEARCH_START_M, MAX_ZONE_DISTANCE_M, _SEARCH_POINTS)
    centreline, _ = profile(grid)
    above = np.nonzero(centreline >= threshold)[0]
    if above.size == 0:
        return ThreatZone(threshold, 0.0, 0.0, 0.0, np.zeros((0, 2)), 0.0)
    first, last = int(above[0]), int(above[-1])
    start = _SEARCH_START_M if first == 0 else _crossing(profile, threshold, grid[first - 1], grid[first])
    end = MAX_ZONE_DISTANCE_M if last == grid.size - 1 else _crossing(profile, threshold, grid[last], grid[last + 1])
    stations = np.geomspace(start, end, _POLYGON_STATIONS)
    concentration, sigma_y = profile(stations)
    ratio = np.maximum(concentration / threshold, 1.0)
    half_width = sigma_y * np.sqrt(2.0 * np.log(ratio))
    half_width[0] = half_width[-1] = 0.0  # the zone closes at both crossing points
    upper = np.column_stack([stations, half_width])
    lower = np.column_stack([stations[::-1], -half_width[::-1]])
    ring = np.vstack([upper, lower[1:], upper[:1]])
    area = float(2.0 * np.trapezoid(half_width, stations))
    return ThreatZone(threshold, float(start), float(end), float(half_width.max()), ring, area)


def rotate_to_map(polygon_xy_m: FloatArray, wind_from_deg: float) -> FloatArray:
    """Turn (downwind, crosswind) metres into (east, north) metres for a wind blowing FROM
    ``wind_from_deg`` (clockwise from north): the plume heads toward ``wind_from_deg + 180°``."""
    direction = in_range(wind_from_deg, "wind_from_deg", 0.0, 360.0)
    heading = math.radians(direction + 180.0)
    downwind = np.array([math.sin(heading), math.cos(heading)])  # (east, north)
    crosswind = np.array([-downwind[1], downwind[0]])  # 90° anticlockwise of downwind
    xy = as_float_array(polygon_xy_m, "polygon_xy_m").reshape(-1, 2)
    return np.asarray(np.outer(xy[:, 0], downwind) + np.outer(xy[:, 1], crosswind), dtype=np.float64)


@lru_cache(maxsize=64)
def _to_wgs84(lon_deg: float, lat_deg: float) -> Transformer:
    local = f"+proj=aeqd +lat_0={lat_deg} +lon_0={lon_deg} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    return Transformer.from_crs(local, "EPSG:4326", always_xy=True)


def local_to_lonlat(east_north_m: FloatArray, source_lon_deg: float, source_lat_deg: float) -> FloatArray:
    """(east, north) metres around the source → (lon, lat) WGS84 degrees, azimuthal equidistant."""
    lon = in_range(source_lon_deg, "source_lon_deg", -180.0, 180.0)
    lat = in_range(source_lat_deg, "source_lat_deg", -89.0, 89.0)
    points = as_float_array(east_north_m, "east_north_m").reshape(-1, 2)
    lons, lats = _to_wgs84(lon, lat).transform(points[:, 0], points[:, 1])
    return np.column_stack([np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)])


def lonlat_to_local(lonlat_deg: FloatArray, origin_lon_deg: float, origin_lat_deg: float) -> FloatArray:
    """(lon, lat) WGS84 degrees → (east, north) metres around an origin (inverse of
    :func:`local_to_lonlat`)."""
    lon = in_range(origin_lon_deg, "origin_lon_deg", -180.0, 180.0)
    lat = in_range(origin_lat_deg, "origin_lat_deg", -89.0, 89.0)
    points = as_float_array(lonlat_deg, "lonlat_deg").reshape(-1, 2)
    east, north = _to_wgs84(lon, lat).transform(points[:, 0], points[:, 1], direction="INVERSE")
    return np.column_stack([np.asarray(east, dtype=np.float64), np.asarray(north, dtype=np.float64)])


def zone_geojson(
    zone: ThreatZone,
    *,
    source_lon_deg: float,
    source_lat_deg: float,
    wind_from_deg: float,
    properties: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The zone as a GeoJSON Feature (Polygon in lon/lat, RFC 7946 order); an empty zone has
    ``geometry: null``."""
    props = {
        "threshold_g_m3": zone.threshold_g_m3,
        "downwind_extent_m": round(zone.downwind_extent_m, 1),
        "max_half_width_m": round(zone.max_half_width_m, 1),
        "area_m2": round(zone.area_m2, 0),
        **(properties or {}),
    }
    if zone.is_empty:
        return {"type": "Feature", "geometry": None, "properties": props}
    lonlat = local_to_lonlat(rotate_to_map(zone.polygon_xy_m, wind_from_deg), source_lon_deg, source_lat_deg)
    ring = [[round(float(lon), 7), round(float(lat), 7)] for lon, lat in lonlat]
    ring[-1] = ring[0]  # exactly closed after rounding
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": props}


def check_thresholds(thresholds_g_m3: list[float]) -> list[float]:
    """Thresholds sorted from highest (innermost zone) to lowest, validated."""
    if not thresholds_g_m3:
        raise ConsequenceInputError("at least one threshold is needed")
    return sorted((positive(value, "threshold_g_m3") for value in thresholds_g_m3), reverse=True)
