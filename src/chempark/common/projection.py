"""A local metric projection: metres east and north of an origin, vectorised.

An equirectangular projection about the park's centre: over a park (a few kilometres) its scale
error is below 0.1 %, far inside a GNSS fix's 15 m (JT/T 794 amendment 1), and it costs two
multiplications per point where a transverse Mercator costs a trigonometric series.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_M = 6_371_008.8

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LocalProjection:
    lon0: float
    lat0: float

    @property
    def _kx(self) -> float:
        return math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(self.lat0))

    @property
    def _ky(self) -> float:
        return math.radians(1) * EARTH_RADIUS_M

    def forward(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        x = (np.asarray(lon, dtype=np.float64) - self.lon0) * self._kx
        y = (np.asarray(lat, dtype=np.float64) - self.lat0) * self._ky
        return x, y

    def inverse(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        lon = np.asarray(x, dtype=np.float64) / self._kx + self.lon0
        lat = np.asarray(y, dtype=np.float64) / self._ky + self.lat0
        return lon, lat
