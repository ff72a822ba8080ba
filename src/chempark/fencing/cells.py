"""A grid over the fences that answers "could anything be here?" with array indexing alone.

Most fixes of a park's vehicles are far from most fences, and an STRtree query costs a tree walk
per point even when it finds nothing. The grid marks every cell that some fence touches (decided
exactly, once, by intersecting the cells with the fences); a point whose cell is unmarked is in no
fence, so only points in marked cells go to the exact query. For segments the same holds for the
(at most 2 × 2) cells covering a segment no longer than a cell; longer segments are always checked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import shapely

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
MAX_CELLS = 1_000_000


class CellIndex:
    def __init__(self, shapes: Sequence[shapely.Geometry], cell_m: float) -> None:
        if not len(shapes):
            self.nx = self.ny = 0
            self.cell = cell_m
            self.x0 = self.y0 = 0.0
            self.grid = np.zeros(0, dtype=bool)
            return
        x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(np.asarray(shapes, dtype=object)))
        self.cell = max(cell_m, math.sqrt(max((x1 - x0) * (y1 - y0), 1.0) / MAX_CELLS))
        self.x0, self.y0 = x0, y0
        self.nx = int((x1 - x0) // self.cell) + 1
        self.ny = int((y1 - y0) // self.cell) + 1
        ix, iy = np.meshgrid(np.arange(self.nx), np.arange(self.ny))
        left, bottom = x0 + ix.ravel() * self.cell, y0 + iy.ravel() * self.cell
        boxes = shapely.box(left, bottom, left + self.cell, bottom + self.cell)
        touched, _ = shapely.STRtree(shapes).query(boxes, predicate="intersects")
        self.grid = np.zeros(self.nx * self.ny, dtype=bool)
        self.grid[touched] = True

    def _cells(self, x: FloatArray, y: FloatArray) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        with np.errstate(invalid="ignore"):
            ix = np.floor((x - self.x0) / self.cell)
            iy = np.floor((y - self.y0) / self.cell)
        return np.nan_to_num(ix, nan=-1).astype(np.int64), np.nan_to_num(iy, nan=-1).astype(np.int64)

    def occupied(self, x: FloatArray, y: FloatArray) -> BoolArray:
        """Whether each point's cell is touched by a fence (False: the point is in none)."""
        ix, iy = self._cells(x, y)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        out = np.zeros(len(x), dtype=bool)
        out[inside] = self.grid[iy[inside] * self.nx + ix[inside]]
        return out

    def near_segment(self, x0: FloatArray, y0: FloatArray, x1: FloatArray, y1: FloatArray) -> BoolArray:
        """Whether each segment may touch a fence (False: it touches none)."""
        if self.nx == 0:
            return np.zeros(len(x0), dtype=bool)
        ax, ay = self._cells(np.minimum(x0, x1), np.minimum(y0, y1))
        bx, by = self._cells(np.maximum(x0, x1), np.maximum(y0, y1))
        ax, bx = np.clip(ax, 0, self.nx - 1), np.clip(bx, 0, self.nx - 1)
        ay, by = np.clip(ay, 0, self.ny - 1), np.clip(by, 0, self.ny - 1)
        near = (
            self.grid[ay * self.nx + ax] | self.grid[ay * self.nx + bx]
            | self.grid[by * self.nx + ax] | self.grid[by * self.nx + bx]
        )  # fmt: skip
        result: BoolArray = near | (np.hypot(x1 - x0, y1 - y0) > self.cell)
        return result
