"""Atmosphere for the dispersion models: stability class, wind profile, σy/σz, mixing height.

The Gaussian models describe turbulence by one Pasquill–Gifford stability class (A very unstable …
F moderately stable). This module turns what a duty officer can observe (wind speed, sunshine,
cloud, day or night) into that class, and the class into plume spreads σy(x), σz(x).

Three published σ schemes are offered because they disagree by a factor of two near a ground
source and no single one is "right"; the default was chosen on the Prairie Grass comparison
(``docs/validation.md``) before any other tuning, and is ``DEFAULT_SIGMA_SCHEME``.

Sources
-------
* Pasquill, F. (1961) *The estimation of the dispersion of windborne material*, Met. Mag. 90, 33–49,
  and Turner, D.B. (1970) *Workbook of Atmospheric Dispersion Estimates*, AP-26, Table 1.
* US EPA (1995) *User's Guide for the Industrial Source Complex (ISC3) Dispersion Models*, Vol. II,
  EPA-454/B-95-003b: eqs. 1-33/1-34 (σy), Table 1-2 (σz), Table 1-1 power-law exponents, §1.1.5
  (stack-height wind speed).
* Briggs, G.A. (1973) *Diffusion estimation for small emissions*, ATDL-106, as tabulated in
  Gifford (1976) Nuclear Safety 17:68 and in the ISC3 guide Table 1-3 (urban).
* TNO (2005) *Methods for the calculation of physical effects* (Yellow Book, CPR 14E, 3rd ed.),
  ch. 4 "Vapour cloud dispersion": σy = a·x^b, σz = c·x^d per class.
* Clarke, R.H. (1979) *A model for short and medium range dispersion of radionuclides released to
  the atmosphere*, NRPB-R91, boundary-layer depth per class (used as default mixing height).
"""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np

from chempark.consequence._checks import FloatArray, as_float_array, in_range, positive
from chempark.consequence.errors import ConsequenceInputError

StabilityClass = Literal["A", "B", "C", "D", "E", "F"]
Terrain = Literal["rural", "urban"]
SigmaScheme = Literal["pasquill_gifford", "briggs", "tno"]
Insolation = Literal["strong", "moderate", "slight"]

STABILITY_CLASSES: Final[tuple[StabilityClass, ...]] = ("A", "B", "C", "D", "E", "F")
TERRAINS: Final[tuple[Terrain, ...]] = ("rural", "urban")
SIGMA_SCHEMES: Final[tuple[SigmaScheme, ...]] = ("pasquill_gifford", "briggs", "tno")
INSOLATIONS: Final[tuple[Insolation, ...]] = ("strong", "moderate", "slight")

# Chosen on the Prairie Grass comparison; see docs/validation.md for the figures and reasoning.
DEFAULT_SIGMA_SCHEME: Final[SigmaScheme] = "pasquill_gifford"


def parse_stability(value: Any) -> StabilityClass:
    """Return a valid stability class letter from user input (case-insensitive), or raise."""
    if not isinstance(value, str) or value.strip().upper() not in STABILITY_CLASSES:
        raise ConsequenceInputError(f"unknown stability class {value!r}; expected one of A, B, C, D, E, F")
    letter = value.strip().upper()
    for cls in STABILITY_CLASSES:
        if cls == letter:
            return cls
    raise AssertionError("unreachable")  # pragma: no cover


def parse_terrain(value: Any) -> Terrain:
    """Return ``"rural"`` or ``"urban"`` from user input, or raise."""
    for terrain in TERRAINS:
        if value == terrain:
            return terrain
    raise ConsequenceInputError(f"unknown terrain {value!r}; expected 'rural' or 'urban'")


def parse_sigma_scheme(value: Any) -> SigmaScheme:
    """Return a valid σ scheme name from user input, or raise."""
    for scheme in SIGMA_SCHEMES:
        if value == scheme:
            return scheme
    raise ConsequenceInputError(f"unknown sigma scheme {value!r}; expected one of {', '.join(SIGMA_SCHEMES)}")


# --- stability class from observations -------------------------------------------------------------

# Pasquill (1961) / Turner (1970) Table 1. Rows: 10 m wind speed band (upper bound, m/s).
# Columns: day strong, moderate, slight insolation; night thinly overcast or >= 4/8 low cloud;
# night <= 3/8 cloud. Intermediate classes (A-B, B-C, C-D) are resolved to the more stable member,
# the usual modelling convention (it gives the higher ground-level concentration further out).
# The table leaves night with wind < 2 m/s blank; the 2-3 m/s row (E, F) is used there.
_PASQUILL_TABLE: Final[tuple[tuple[float, tuple[StabilityClass, ...]], ...]] = (
    (2.0, ("A", "B", "B", "E", "F")),  # A, A-B, B
    (3.0, ("B", "B", "C", "E", "F")),  # A-B, B, C
    (5.0, ("B", "C", "C", "D", "E")),  # B, B-C, C
    (6.0, ("C", "D", "D", "D", "D")),  # C, C-D, D
    (float("inf"), ("C", "D", "D", "D", "D")),
)


def insolation_from_solar_elevation(solar_elevation_deg: float) -> Insolation:
    """Insolation category from the sun's elevation (Turner 1964 thresholds: > 60° strong,
    35–60° moderate, otherwise slight). Turner's further correction for cloud ceiling is not applied;
    pass ``insolation`` directly when the sky is partly cloudy."""
    elevation = in_range(solar_elevation_deg, "solar_elevation_deg", -90.0, 90.0)
    if elevation > 60.0:
        return "strong"
    if elevation > 35.0:
        return "moderate"
    return "slight"


def pasquill_stability_class(
    wind_speed_10m_m_s: float,
    *,
    daytime: bool,
    insolation: Insolation | None = None,
    cloud_cover_oktas: int | None = None,
    solar_elevation_deg: float | None = None,
) -> StabilityClass:
    """Pasquill–Gifford stability class from surface observations (Pasquill 1961; Turner 1970, Table 1).

    ``wind_speed_10m_m_s`` is the wind at 10 m. By day give ``insolation`` (strong / moderate /
    slight) or ``solar_elevation_deg``; at night give ``cloud_cover_oktas`` (0–8). A fully overcast
    sky (8 oktas) is class D by day or night, as the table's footnote says.
    """
    wind = positive(wind_speed_10m_m_s, "wind_speed_10m_m_s")
    oktas: int | None = None
    if cloud_cover_oktas is not None:
        if isinstance(cloud_cover_oktas, bool) or not isinstance(cloud_cover_oktas, int):
            raise ConsequenceInputError("cloud_cover_oktas must be an integer 0-8")
        oktas = int(in_range(cloud_cover_oktas, "cloud_cover_oktas", 0, 8))
    if oktas == 8:
        return "D"
    row = next(classes for upper, classes in _PASQUILL_TABLE if wind < upper)
    if daytime:
        if insolation is None:
            if solar_elevation_deg is None:
                raise ConsequenceInputError("daytime stability needs insolation or solar_elevation_deg")
            insolation = insolation_from_solar_elevation(solar_elevation_deg)
        if insolation not in INSOLATIONS:
            raise ConsequenceInputError(f"unknown insolation {insolation!r}; expected strong, moderate, slight")
        return row[INSOLATIONS.index(insolation)]
    if oktas is None:
        raise ConsequenceInputError("night-time stability needs cloud_cover_oktas (0-8)")
    return row[3] if oktas >= 4 else row[4]


# --- wind profile -----------------------------------------------------------------------------------

# ISC3 Vol. II Table 1-1 (Irwin 1979): power-law exponent p by class.
_WIND_EXPONENT: Final[dict[Terrain, dict[StabilityClass, float]]] = {
    "rural": {"A": 0.07, "B": 0.07, "C": 0.10, "D": 0.15, "E": 0.35, "F": 0.55},
    "urban": {"A": 0.15, "B": 0.15, "C": 0.20, "D": 0.25, "E": 0.30, "F": 0.30},
}


def wind_profile_exponent(stability: StabilityClass, terrain: Terrain = "rural") -> float:
    """Power-law exponent p of u(z) = u_ref (z / z_ref)^p (ISC3 Vol. II, Table 1-1)."""
    return _WIND_EXPONENT[parse_terrain(terrain)][parse_stability(stability)]


def wind_speed_at_height(
    wind_speed_ref_m_s: float,
    ref_height_m: float,
    height_m: float | FloatArray,
    stability: StabilityClass,
    terrain: Terrain = "rural",
) -> FloatArray:
    """Wind speed at ``height_m`` by the power law u = u_ref (z / z_ref)^p (ISC3 Vol. II eq. 1-6)."""
    u_ref = positive(wind_speed_ref_m_s, "wind_speed_ref_m_s")
    z_ref = positive(ref_height_m, "ref_height_m")
    z = as_float_array(height_m, "height_m")
    if np.any(z <= 0.0):
        raise ConsequenceInputError("height_m must be > 0")
    p = wind_profile_exponent(stability, terrain)
    return np.asarray(u_ref * (z / z_ref) ** p, dtype=np.float64)


def transport_wind_speed_m_s(
    wind_speed_ref_m_s: float,
    ref_height_m: float,
    release_height_m: float,
    stability: StabilityClass,
    terrain: Terrain = "rural",
) -> float:
    """Wind speed that carries the plume, by the ISC3 rule (Vol. II §1.1.5, routine WSADJ).

    The measured wind is moved to the release height by the power law, but the wind below 10 m is
    taken as constant: a release under 10 m uses the 10 m wind, and a wind measured at or below
    10 m is used as it is. Heights above 200 m use the 200 m value.
    """
    u_ref = positive(wind_speed_ref_m_s, "wind_speed_ref_m_s")
    z_ref = positive(ref_height_m, "ref_height_m")
    h = in_range(release_height_m, "release_height_m", 0.0, 1.0e4)
    p = wind_profile_exponent(stability, terrain)
    if h >= 10.0:
        return float(u_ref * (min(h, 200.0) / z_ref) ** p)
    if z_ref > 10.0:
        return float(u_ref * (10.0 / z_ref) ** p)
    return u_ref


# --- dispersion coefficients ------------------------------------------------------------------------

# ISC3 Vol. II eq. 1-34: sigma_y = 465.11628 x tan(TH), TH = 0.017453293 (c - d ln x), x in km.
_ISC3_SIGMA_Y_CD: Final[dict[StabilityClass, tuple[float, float]]] = {
    "A": (24.1670, 2.5334),
    "B": (18.3330, 1.8096),
    "C": (12.5000, 1.0857),
    "D": (8.3330, 0.72382),
    "E": (6.2500, 0.54287),
    "F": (4.1667, 0.36191),
}

# ISC3 Vol. II Table 1-2: sigma_z = a x^b (x in km) on bands with the given upper bound in km.
_ISC3_SIGMA_Z: Final[dict[StabilityClass, tuple[tuple[float, float, float], ...]]] = {
    "A": (
        (0.10, 122.800, 0.94470),
        (0.15, 158.080, 1.05420),
        (0.20, 170.220, 1.09320),
        (0.25, 179.520, 1.12620),
        (0.30, 217.410, 1.26440),
        (0.40, 258.890, 1.40940),
        (0.50, 346.750, 1.72830),
        (float("inf"), 453.850, 2.11660),
    ),
    "B": ((0.20, 90.673, 0.93198), (0.40, 98.483, 0.98332), (float("inf"), 109.300, 1.09710)),
    "C": ((float("inf"), 61.141, 0.91465),),
    "D": (
        (0.30, 34.459, 0.86974),
        (1.00, 32.093, 0.81066),
        (3.00, 32.093, 0.64403),
        (10.00, 33.504, 0.60486),
        (30.00, 36.650, 0.56589),
        (float("inf"), 44.053, 0.51179),
    ),
    "E": (
        (0.10, 24.260, 0.83660),
        (0.30, 23.331, 0.81956),
        (1.00, 21.628, 0.75660),
        (2.00, 21.628, 0.63077),
        (4.00, 22.534, 0.57154),
        (10.00, 24.703, 0.50527),
        (20.00, 26.970, 0.46713),
        (40.00, 35.420, 0.37615),
        (float("inf"), 47.618, 0.29592),
    ),
    "F": (
        (0.20, 15.209, 0.81558),
        (0.70, 14.457, 0.78407),
        (1.00, 13.953, 0.68465),
        (2.00, 13.953, 0.63227),
        (3.00, 14.823, 0.54503),
        (7.00, 16.187, 0.46490),
        (15.00, 17.836, 0.41507),
        (30.00, 22.651, 0.32681),
        (60.00, 27.074, 0.27436),
        (float("inf"), 34.219, 0.21716),
    ),
}
# ISC3 caps sigma_z at 5000 m for the unstable classes.
_ISC3_SIGMA_Z_CAP_M: Final[float] = 5000.0

# Briggs (1973): sigma = k x (1 + a x)^e with x in metres; (k, a, e) for sigma_y and sigma_z.
_Briggs = tuple[tuple[float, float, float], tuple[float, float, float]]
_BRIGGS: Final[dict[Terrain, dict[StabilityClass, _Briggs]]] = {
    "rural": {
        "A": ((0.22, 1.0e-4, -0.5), (0.20, 0.0, 1.0)),
        "B": ((0.16, 1.0e-4, -0.5), (0.12, 0.0, 1.0)),
        "C": ((0.11, 1.0e-4, -0.5), (0.08, 2.0e-4, -0.5)),
        "D": ((0.08, 1.0e-4, -0.5), (0.06, 1.5e-3, -0.5)),
        "E": ((0.06, 1.0e-4, -0.5), (0.03, 3.0e-4, -1.0)),
        "F": ((0.04, 1.0e-4, -0.5), (0.016, 3.0e-4, -1.0)),
    },
    "urban": {
        "A": ((0.32, 4.0e-4, -0.5), (0.24, 1.0e-3, 0.5)),
        "B": ((0.32, 4.0e-4, -0.5), (0.24, 1.0e-3, 0.5)),
        "C": ((0.22, 4.0e-4, -0.5), (0.20, 0.0, 1.0)),
        "D": ((0.16, 4.0e-4, -0.5), (0.14, 3.0e-4, -0.5)),
        "E": ((0.11, 4.0e-4, -0.5), (0.08, 1.5e-3, -0.5)),
        "F": ((0.11, 4.0e-4, -0.5), (0.08, 1.5e-3, -0.5)),
    },
}

# TNO Yellow Book (CPR 14E, 3rd ed., ch. 4): sigma_y = a x^b, sigma_z = c x^d, x in metres.
_TNO: Final[dict[StabilityClass, tuple[float, float, float, float]]] = {
    "A": (0.527, 0.865, 0.28, 0.90),
    "B": (0.371, 0.866, 0.23, 0.85),
    "C": (0.209, 0.897, 0.22, 0.80),
    "D": (0.128, 0.905, 0.20, 0.76),
    "E": (0.098, 0.902, 0.15, 0.73),
    "F": (0.065, 0.902, 0.12, 0.67),
}


def _positive_distances(distance_m: float | FloatArray) -> FloatArray:
    x = as_float_array(distance_m, "distance_m")
    if np.any(x <= 0.0):
        raise ConsequenceInputError("distance_m must be > 0 for sigma_y/sigma_z")
    return x


def _isc3_sigma_y(x_m: FloatArray, stability: StabilityClass) -> FloatArray:
    c, d = _ISC3_SIGMA_Y_CD[stability]
    x_km = x_m / 1000.0
    theta_rad = 0.017453293 * (c - d * np.log(x_km))
    return np.asarray(465.11628 * x_km * np.tan(theta_rad), dtype=np.float64)


def _isc3_sigma_z(x_m: FloatArray, stability: StabilityClass) -> FloatArray:
    bands = _ISC3_SIGMA_Z[stability]
    x_km = x_m / 1000.0
    uppers = np.array([band[0] for band in bands])
    index = np.minimum(np.searchsorted(uppers, x_km, side="left"), len(bands) - 1)
    a = np.array([band[1] for band in bands])[index]
    b = np.array([band[2] for band in bands])[index]
    sigma = a * x_km**b
    if stability in ("A", "B", "C"):
        sigma = np.minimum(sigma, _ISC3_SIGMA_Z_CAP_M)
    return np.asarray(sigma, dtype=np.float64)


def _briggs(x_m: FloatArray, coefficients: tuple[float, float, float]) -> FloatArray:
    k, a, e = coefficients
    return np.asarray(k * x_m * (1.0 + a * x_m) ** e, dtype=np.float64)


def dispersion_coefficients(
    distance_m: float | FloatArray,
    stability: StabilityClass,
    *,
    scheme: SigmaScheme = DEFAULT_SIGMA_SCHEME,
    terrain: Terrain = "rural",
) -> tuple[FloatArray, FloatArray]:
    """Plume spreads (σy, σz) in metres at downwind ``distance_m`` (> 0), for one stability class.

    ``scheme``:

    * ``"pasquill_gifford"`` — Pasquill–Gifford curves in the ISC3 fits (Vol. II eqs. 1-33, 1-34,
      Table 1-2). As in ISC3, ``terrain="urban"`` switches to Briggs' urban formulas.
    * ``"briggs"`` — Briggs (1973) open-country or urban formulas, by ``terrain``.
    * ``"tno"`` — TNO Yellow Book power laws; they have no urban variant, so ``terrain`` is ignored.

    All three are fits to ~10-minute averages and are meant for 100 m – 10 km.
    """
    x = _positive_distances(distance_m)
    cls = parse_stability(stability)
    chosen = parse_sigma_scheme(scheme)
    land = parse_terrain(terrain)
    if chosen == "tno":
        a, b, c, d = _TNO[cls]
        return np.asarray(a * x**b, dtype=np.float64), np.asarray(c * x**d, dtype=np.float64)
    if chosen == "briggs" or land == "urban":
        sigma_y_coef, sigma_z_coef = _BRIGGS[land][cls]
        return _briggs(x, sigma_y_coef), _briggs(x, sigma_z_coef)
    return _isc3_sigma_y(x, cls), _isc3_sigma_z(x, cls)


def sigma_y_m(
    distance_m: float | FloatArray,
    stability: StabilityClass,
    *,
    scheme: SigmaScheme = DEFAULT_SIGMA_SCHEME,
    terrain: Terrain = "rural",
) -> FloatArray:
    """Crosswind spread σy (m); see :func:`dispersion_coefficients` for the schemes."""
    return dispersion_coefficients(distance_m, stability, scheme=scheme, terrain=terrain)[0]


def sigma_z_m(
    distance_m: float | FloatArray,
    stability: StabilityClass,
    *,
    scheme: SigmaScheme = DEFAULT_SIGMA_SCHEME,
    terrain: Terrain = "rural",
) -> FloatArray:
    """Vertical spread σz (m); see :func:`dispersion_coefficients` for the schemes."""
    return dispersion_coefficients(distance_m, stability, scheme=scheme, terrain=terrain)[1]


# --- mixing height ------------------------------------------------------------------------------------

# Clarke (1979) NRPB-R91: boundary-layer depth used with each Pasquill category when no
# sounding is available. Stable layers are shallow; the unstable daytime layer is deep.
_DEFAULT_MIXING_HEIGHT_M: Final[dict[StabilityClass, float]] = {
    "A": 1300.0,
    "B": 900.0,
    "C": 850.0,
    "D": 800.0,
    "E": 400.0,
    "F": 100.0,
}


def default_mixing_height_m(stability: StabilityClass) -> float:
    """Default mixing-layer depth (m) for a class when none is measured (Clarke 1979, NRPB-R91)."""
    return _DEFAULT_MIXING_HEIGHT_M[parse_stability(stability)]
