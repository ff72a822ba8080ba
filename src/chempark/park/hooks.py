"""Hooks the park registry offers to the apps built on it.

Park sits below the feature apps, so it never imports them; an app that must react to a registry
write subscribes here in its ``AppConfig.ready()``. The major hazards app, for one, recomputes the
GB 18218 identification of the units an inventory, tank, unit or chemical change touches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import QuerySet

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


@dataclass(frozen=True)
class GradeNote:
    """What a registry row means for the major hazard grading of its unit, for the row's pages:
    ``text`` names the grade, ``url`` opens the major hazard (or the unit's identification)."""

    text: str
    url: str


class GradeProvider(Protocol):
    def __call__(self, actor: Actor, kind: str, instance: Any) -> GradeNote | None: ...


_GRADE_PROVIDERS: list[GradeProvider] = []


def provide_grades(provider: GradeProvider) -> None:
    """Let ``provider`` name the grade of a unit, tank or inventory on its pages (the major hazards app)."""
    if provider not in _GRADE_PROVIDERS:
        _GRADE_PROVIDERS.append(provider)


def grade_of(actor: Actor, kind: str, instance: Any) -> GradeNote | None:
    """The first provider's note for ``instance``, or None when no app grades it."""
    for provider in _GRADE_PROVIDERS:
        note = provider(actor, kind, instance)
        if note is not None:
            return note
    return None


@dataclass(frozen=True)
class ListFilter:
    """A drop-down on a registry list that the registry cannot compute itself: the enterprise list's
    filter by major hazard level belongs to the major hazards app, which adds it here.

    ``apply`` narrows the list's queryset to the rows matching one of ``choices``' values; the list
    refuses any other value with a Chinese message naming the filter.
    """

    kind: str
    name: str
    label: Any
    choices: tuple[tuple[str, Any], ...]
    apply: Callable[[QuerySet[Any], str], QuerySet[Any]]


_LIST_FILTERS: list[ListFilter] = []


def provide_list_filter(list_filter: ListFilter) -> None:
    """Offer ``list_filter`` on the list of its ``kind`` (called from an ``AppConfig.ready()``)."""
    if all((f.kind, f.name) != (list_filter.kind, list_filter.name) for f in _LIST_FILTERS):
        _LIST_FILTERS.append(list_filter)


def list_filters(kind: str) -> list[ListFilter]:
    """The extra filters offered on the list of ``kind``, in the order the apps added them."""
    return [f for f in _LIST_FILTERS if f.kind == kind]
