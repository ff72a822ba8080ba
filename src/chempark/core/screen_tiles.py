"""Tiles of the command-centre screen (大屏), contributed by each module in its ``AppConfig.ready``
like the one-map's layers: a module that is not installed adds no tile, so the screen never shows
an empty box for it.

A tile is a name, a title, an order and a function from (actor, now) to its figures: a list of
``{"label", "value", "unit", "tone"}`` where ``tone`` is ``""``, ``"ok"``, ``"warn"`` or ``"alert"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from chempark.core.actors import Actor

Figure = dict[str, Any]


@dataclass(frozen=True)
class ScreenTile:
    name: str
    title: str | Promise
    order: int
    build: Callable[[Actor, dt.datetime], list[Figure]]
    capability: str = "map.read"


_TILES: dict[str, ScreenTile] = {}


def register(tile: ScreenTile) -> None:
    _TILES[tile.name] = tile


def tiles_for(actor: Actor) -> list[ScreenTile]:
    return sorted((t for t in _TILES.values() if actor.can(t.capability)), key=lambda t: t.order)


def figure(label: str | Promise, value: Any, unit: str | Promise = "", tone: str = "") -> Figure:
    return {"label": str(label), "value": value, "unit": str(unit), "tone": tone}
