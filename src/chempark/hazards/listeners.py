"""Modules that follow an enterprise's major hazards register here to be told when they change.

A unit that becomes a major hazard, is regraded or is cancelled changes what its enterprise's major
hazard level is (``selectors.enterprise_major_hazard_levels``). The monitoring module's warning level
depends on it, but hazards must not import monitoring; so monitoring registers a listener in its
``AppConfig.ready()`` and the hazard services call :func:`major_hazards_changed` inside their
transaction, which keeps the warning and the regrade in one commit.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[int], None]
"""Called with the enterprise id whose open major hazards were created, regraded or cancelled."""

_listeners: list[Listener] = []


def on_major_hazards_changed(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def major_hazards_changed(enterprise_id: int) -> None:
    for listener in _listeners:
        listener(enterprise_id)
