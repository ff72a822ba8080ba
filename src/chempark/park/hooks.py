"""Hooks the park registry offers to the apps built on it.

Park sits below the feature apps, so it never imports them; an app that must react to a registry
write subscribes here in its ``AppConfig.ready()``. The major hazards app, for one, recomputes the
GB 18218 identification of the units an inventory, tank, unit or chemical change touches.
"""

from __future__ import annotations

from typing import Any, Protocol

from chempark.core.actors import Actor


class RegistryChangeListener(Protocol):
    def __call__(
        self, *, actor: Actor, kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None
    ) -> None: ...


_LISTENERS: list[RegistryChangeListener] = []


def on_registry_change(listener: RegistryChangeListener) -> None:
    """Call ``listener`` after every registry create, update (with a change) and delete."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def registry_changed(*, actor: Actor, kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Tell the listeners about one write (audit snapshots before and after; ``None`` for a create's
    before or a delete's after). Called inside the writing service's transaction, so a listener's own
    writes commit, or roll back, with the change."""
    for listener in _LISTENERS:
        listener(actor=actor, kind=kind, before=before, after=after)
