"""Pure rules engine for vehicles in the park: position filter, fences, corridors, parking, speed.

No Django: numpy and shapely only, vectorised over a batch of positions. See docs/tracking.md.
"""
