"""Iso-lines of a gridded field by marching squares (Lorensen & Cline 1987, 2-D form).

The risk contours (10⁻⁵, 3·10⁻⁶, 10⁻⁶, 3·10⁻⁷ per year) are drawn on the map as polylines. Each
grid cell's four corners are classified against the level, the crossing points on its edges are
interpolated linearly, and the resulting segments are joined end to end into polylines (closed
rings where the contour does not leave the grid). Saddle cells are resolved with the cell-centre
average, which keeps contours of one level from crossing.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import numpy.typing as npt

from chempark.consequence._checks import FloatArray

IndexArray = npt.NDArray[np.intp]

# edges: 0 bottom (v0–v1), 1 right (v1–v2), 2 top (v3–v2), 3 left (v0–v3)
_SEGMENTS: dict[int, tuple[tuple[int, int], ...]] = {
    1: ((3, 0),),
    2: ((0, 1),),
    3: ((3, 1),),
    4: ((1, 2),),
    6: ((0, 2),),
    7: ((3, 2),),
    8: ((2, 3),),
    9: ((0, 2),),
    11: ((1, 2),),
    12: ((1, 3),),
    13: ((0, 1),),
    14: ((3, 0),),
}
_SADDLE_CENTRE_HIGH = {5: ((0, 1), (2, 3)), 10: ((3, 0), (1, 2))}
_SADDLE_CENTRE_LOW = {5: ((3, 0), (1, 2)), 10: ((0, 1), (2, 3))}


def _edge_points(
    field: FloatArray, x: FloatArray, y: FloatArray, level: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Crossing points on every horizontal and vertical grid edge (NaN where the edge does not cross).

    Horizontal edge (i, j)–(i, j+1) and vertical edge (i, j)–(i+1, j) are each computed once, so the
    two cells sharing an edge get bit-identical points and the segments join exactly.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        t_h = (level - field[:, :-1]) / (field[:, 1:] - field[:, :-1])
        t_v = (level - field[:-1, :]) / (field[1:, :] - field[:-1, :])
    hx = x[None, :-1] + t_h * (x[None, 1:] - x[None, :-1])
    hy = np.broadcast_to(y[:, None], t_h.shape)
    vx = np.broadcast_to(x[None, :], t_v.shape)
    vy = y[:-1, None] + t_v * (y[1:, None] - y[:-1, None])
    return hx, np.asarray(hy), np.asarray(vx), vy


def contour_lines(field: FloatArray, x_m: FloatArray, y_m: FloatArray, level: float) -> list[FloatArray]:
    """Polylines (each an (n, 2) array of x, y metres) where ``field`` (shape (ny, nx), rows along
    ``y_m``) crosses ``level``. A closed ring repeats its first point at the end."""
    z = np.asarray(field, dtype=np.float64)
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    high = z >= level
    case = (
        high[:-1, :-1].astype(np.int8)
        | (high[:-1, 1:].astype(np.int8) << 1)
        | (high[1:, 1:].astype(np.int8) << 2)
        | (high[1:, :-1].astype(np.int8) << 3)
    )
    hx, hy, vx, vy = _edge_points(z, x, y, level)
    centre_high = 0.25 * (z[:-1, :-1] + z[:-1, 1:] + z[1:, 1:] + z[1:, :-1]) >= level

    def edge_xy(edge: int, r: IndexArray, c: IndexArray) -> FloatArray:
        if edge == 0:
            return np.column_stack([hx[r, c], hy[r, c]])
        if edge == 2:
            return np.column_stack([hx[r + 1, c], hy[r + 1, c]])
        if edge == 3:
            return np.column_stack([vx[r, c], vy[r, c]])
        return np.column_stack([vx[r, c + 1], vy[r, c + 1]])

    pieces: list[FloatArray] = []
    for code in range(1, 15):
        rows, cols = np.nonzero(case == code)
        if rows.size == 0:
            continue
        if code in _SEGMENTS:
            groups = [(rows, cols, _SEGMENTS[code])]
        else:
            hi = centre_high[rows, cols]
            groups = [
                (rows[hi], cols[hi], _SADDLE_CENTRE_HIGH[code]),
                (rows[~hi], cols[~hi], _SADDLE_CENTRE_LOW[code]),
            ]
        for r, c, pairs in groups:
            for start, end in pairs:
                pieces.append(np.stack([edge_xy(start, r, c), edge_xy(end, r, c)], axis=1))
    if not pieces:
        return []
    return _join(np.concatenate(pieces))


def _join(segments: FloatArray) -> list[FloatArray]:
    """Chain (n, 2, 2) segments sharing end points into polylines."""
    keys = [tuple(point) for point in np.round(segments.reshape(-1, 2), 6).tolist()]
    ends: dict[tuple[float, ...], list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        ends[key].append(index // 2)
    used = np.zeros(len(segments), dtype=bool)
    lines: list[FloatArray] = []
    for first in range(len(segments)):
        if used[first]:
            continue
        used[first] = True
        chain = [keys[2 * first], keys[2 * first + 1]]
        for direction in (1, -1):
            while True:
                tip = chain[-1] if direction == 1 else chain[0]
                nxt = next((s for s in ends[tip] if not used[s]), None)
                if nxt is None:
                    break
                used[nxt] = True
                a, b = keys[2 * nxt], keys[2 * nxt + 1]
                other = b if a == tip else a
                if direction == 1:
                    chain.append(other)
                else:
                    chain.insert(0, other)
        lines.append(np.array(chain, dtype=np.float64))
    return lines
