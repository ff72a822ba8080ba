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


def test_cells_wholly_inside_answer_exactly_what_the_query_would() -> None:
    """Points in cells lying inside every fence that touches them get their fences from the grid;
    together with the exact query for the other marked cells the answer is the query's, pair for pair."""
    rng = np.random.default_rng(11)
    centres = rng.uniform(-2000, 2000, (60, 2))
    shapes = [shapely.Point(x, y).buffer(rng.uniform(20, 400)) for x, y in centres]  # overlapping discs
    shapes += [shapely.LineString(rng.uniform(-2000, 2000, (3, 2))).buffer(60, cap_style="flat") for _ in range(10)]
    cells = CellIndex(shapes, 25)
    tree = shapely.STRtree(shapes)
    x, y = rng.uniform(-2600, 2600, (2, 100_000))
    x[:10] = np.nan  # no fix: in nothing
    exact, known_pos, known_fen = cells.classify(x, y)
    assert len(known_pos) > 10_000, "a good share of points is answered by the grid"
    found, fen = tree.query(shapely.points(x[exact], y[exact]), predicate="intersects")
    grid_pairs = set(zip(exact[found].tolist(), fen.tolist(), strict=True)) | set(
        zip(known_pos.tolist(), known_fen.tolist(), strict=True)
    )
    everything, fences = tree.query(shapely.points(x, y), predicate="intersects")
    assert grid_pairs == set(zip(everything.tolist(), fences.tolist(), strict=True))
    assert not set(known_pos.tolist()) & set(exact.tolist())
