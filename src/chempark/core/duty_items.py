"""What is open at a shift handover (交接班): each module lists its own open matters — monitoring its
unacknowledged alarms, hazards the missing commitments, later modules their open incidents — so the
handover knows none of them. A provider returns ``{"kind", "title", "url"}`` items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from chempark.core.actors import Actor

Item = dict[str, Any]


@dataclass(frozen=True)
class OpenItems:
    name: str
    label: str | Promise
    order: int
    build: Callable[[Actor, dt.datetime], list[Item]]


_PROVIDERS: dict[str, OpenItems] = {}


def register(provider: OpenItems) -> None:
    _PROVIDERS[provider.name] = provider


def open_items(actor: Actor, now: dt.datetime) -> list[Item]:
    """Every provider's items, each tagged with its provider's label, in provider order."""
    items: list[Item] = []
    for provider in sorted(_PROVIDERS.values(), key=lambda p: p.order):
        items += [{**item, "group": str(provider.label)} for item in provider.build(actor, now)]
    return items
