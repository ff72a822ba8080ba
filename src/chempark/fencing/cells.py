"""A grid over the fences that answers "could anything be here?" with array indexing alone.

Most fixes of a park's vehicles are far from most fences, and an STRtree query costs a tree walk
per point even when it finds nothing. The grid marks every cell that some fence touches (decided
exactly, once, by intersecting the cells with the fences); a point whose cell is unmarked is in no
fence, so only points in marked cells go to the exact query.

A marked cell lying wholly inside every fence that touches it (the inside of a zone, of a wide
road) answers a point's fences without the exact query: the fences are listed per such cell.

For segments, a summed-area table of the marked cells answers "is any cell of the segment's
bounding box marked?" with four lookups whatever the segment's length; a segment whose box holds
no marked cell touches no fence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import shapely

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
MAX_CELLS = 1_000_000


class CellIndex:
    def __init__(self, shapes: Sequence[shapely.Geometry], cell_m: float, *, inside: bool = True) -> None:
        """``inside``: also find the cells wholly inside their fences (for :meth:`classify`)."""
        if not len(shapes):
            self.nx = self.ny = 0
            self.cell = cell_m
            self.x0 = self.y0 = 0.0
            self.grid = np.zeros(0, dtype=bool)
            self._set_inside(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
            return
        x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(np.asarray(shapes, dtype=object)))
        self.cell = max(cell_m, math.sqrt(max((x1 - x0) * (y1 - y0), 1.0) / MAX_CELLS))
        self.x0, self.y0 = x0, y0
        self.nx = int((x1 - x0) // self.cell) + 1
        self.ny = int((y1 - y0) // self.cell) + 1
        ix, iy = np.meshgrid(np.arange(self.nx), np.arange(self.ny))
        left, bottom = x0 + ix.ravel() * self.cell, y0 + iy.ravel() * self.cell
        boxes = shapely.box(left, bottom, left + self.cell, bottom + self.cell)
        tree = shapely.STRtree(shapes)
        touched, _ = tree.query(boxes, predicate="intersects")
        self.grid = np.zeros(self.nx * self.ny, dtype=bool)
        self.grid[touched] = True
        if inside:  # only marked cells can lie inside a fence
            marked_cells = np.unique(touched)
            within, within_fence = tree.query(boxes[marked_cells], predicate="within")
            self._set_inside(touched, marked_cells[within].astype(np.int64), within_fence.astype(np.int64))
        else:
            self._set_inside(touched, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        marked = np.zeros((self.ny + 1, self.nx + 1), dtype=np.int64)
        marked[1:, 1:] = self.grid.reshape(self.ny, self.nx)
        self.summed = marked.cumsum(axis=0).cumsum(axis=1)  # summed[j, i]: marked cells below j, left of i

    def _set_inside(self, touched: IntArray, within_cell: IntArray, within_fence: IntArray) -> None:
        """Cells where every touching fence contains the whole cell, with those fences (CSR lists)."""
        size = self.nx * self.ny
        touching = np.bincount(touched, minlength=size)
        containing = np.bincount(within_cell, minlength=size)
        self.inside = (touching > 0) & (touching == containing)
        keep = self.inside[within_cell]
        cells, fences = within_cell[keep], within_fence[keep]
        order = np.argsort(cells, kind="stable")
        self._fences = fences[order]
        counts = np.bincount(cells, minlength=size)
        self._start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self._count = counts.astype(np.int64)

    def _cells(self, x: FloatArray, y: FloatArray) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        with np.errstate(invalid="ignore"):
            ix = np.floor((x - self.x0) / self.cell)
            iy = np.floor((y - self.y0) / self.cell)
        return np.nan_to_num(ix, nan=-1).astype(np.int64), np.nan_to_num(iy, nan=-1).astype(np.int64)

    def cell_of(self, x: FloatArray, y: FloatArray) -> IntArray:
        """Each point's cell number, -1 outside the grid."""
        ix, iy = self._cells(x, y)
        on_grid = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        cell: IntArray = np.where(on_grid, iy * self.nx + ix, -1)
        return cell

    def occupied(self, x: FloatArray, y: FloatArray) -> BoolArray:
        """Whether each point's cell is touched by a fence (False: the point is in none)."""
        cell = self.cell_of(x, y)
        out: BoolArray = np.zeros(len(x), dtype=bool)
        on_grid = cell >= 0
        out[on_grid] = self.grid[cell[on_grid]]
        return out

    def classify(self, x: FloatArray, y: FloatArray) -> tuple[IntArray, IntArray, IntArray]:
        """Split points by what the grid knows: (points that need the exact query, and the pairs
        (point, fence) known without it — the points in cells wholly inside their fences)."""
        cell = self.cell_of(x, y)
        if self.grid.size == 0:  # no fences: nothing to look up
            none = np.zeros(0, dtype=np.int64)
            return none, none, none
        on_grid = cell >= 0
        safe = np.where(on_grid, cell, 0)
        marked = on_grid & self.grid[safe]
        known = marked & self.inside[safe]
        exact = np.flatnonzero(marked & ~known)
        points = np.flatnonzero(known)
        counts = self._count[cell[points]]
        pos = np.repeat(points, counts)
        first = np.repeat(self._start[cell[points]], counts)
        offset = np.arange(len(pos), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        return exact, pos, self._fences[first + offset]

    def near_segment(self, x0: FloatArray, y0: FloatArray, x1: FloatArray, y1: FloatArray) -> BoolArray:
        """Whether each segment may touch a fence (False: it touches none): whether any marked cell
        lies in the segment's bounding box, from the summed-area table."""
        if self.nx == 0:
            return np.zeros(len(x0), dtype=bool)
        ax, ay = self._cells(np.fmin(x0, x1), np.fmin(y0, y1))
        bx, by = self._cells(np.fmax(x0, x1), np.fmax(y0, y1))
        ax, bx = np.clip(ax, 0, self.nx), np.clip(bx + 1, 0, self.nx)
        ay, by = np.clip(ay, 0, self.ny), np.clip(by + 1, 0, self.ny)
        s = self.summed
        count = s[by, bx] - s[ay, bx] - s[by, ax] + s[ay, ax]
        result: BoolArray = count > 0
        return result
