"""The cell grid never hides a point or segment the exact query would find."""

from __future__ import annotations

import numpy as np
import shapely

from chempark.fencing.cells import CellIndex


def test_unmarked_cells_hold_no_fence_and_segments_are_never_missed() -> None:
    rng = np.random.default_rng(7)
    centres = rng.uniform(-2000, 2000, (40, 2))
    shapes = [shapely.Point(x, y).buffer(rng.uniform(5, 120)) for x, y in centres]
    shapes += [shapely.LineString(rng.uniform(-2000, 2000, (2, 2))).buffer(15, cap_style="flat") for _ in range(10)]
    cells = CellIndex(shapes, 50)
    tree = shapely.STRtree(shapes)

    x, y = rng.uniform(-2600, 2600, (2, 50_000))
    hit, _ = tree.query(shapely.points(x, y), predicate="intersects")
    occupied = cells.occupied(x, y)
    assert occupied[hit].all() and len(hit) > 100
    assert occupied.mean() < 0.5  # the grid does spare most points

    x1, y1 = x + rng.uniform(-300, 300, len(x)), y + rng.uniform(-300, 300, len(x))
    segments = shapely.linestrings(np.stack([np.column_stack([x, y]), np.column_stack([x1, y1])], axis=1))
    crossed, _ = tree.query(segments, predicate="intersects")
    near = cells.near_segment(x, y, x1, y1)
    assert near[crossed].all() and not near.all()
