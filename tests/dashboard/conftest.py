"""The monitoring fixtures (points on the small park), for the one-map's located layers and search."""

from tests.monitoring.conftest import _fresh_point_index, points

__all__ = ["_fresh_point_index", "points"]
