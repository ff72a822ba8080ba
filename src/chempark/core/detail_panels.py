"""Panels that other modules add to a registry detail page (an enterprise's risk index, later its
hidden dangers), so the park app's page knows none of them.

A panel names the registry kind it belongs to (``"enterprise"``), a template and a function from
(actor, object) to the template's context — ``None`` when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chempark.core.actors import Actor


@dataclass(frozen=True)
class DetailPanel:
    kind: str
    name: str
    template: str
    build: Callable[[Actor, Any], dict[str, Any] | None]
    capability: str
    order: int = 100


_PANELS: dict[tuple[str, str], DetailPanel] = {}


def register(panel: DetailPanel) -> None:
    _PANELS[(panel.kind, panel.name)] = panel


def panels_for(actor: Actor, kind: str, instance: Any) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every panel of ``kind`` the actor may see that has something to show."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        if panel.kind == kind and actor.can(panel.capability):
            context = panel.build(actor, instance)
            if context is not None:
                shown.append((panel.template, context))
    return shown
