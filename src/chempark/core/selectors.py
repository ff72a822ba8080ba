"""Read helpers shared by the apps' selectors."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from chempark.core.errors import NotFound

M = TypeVar("M", bound=Model)


def one_visible(queryset: QuerySet[M], pk: int, label: str, *, for_update: bool = False) -> M:
    """Row ``pk`` of a queryset already scoped to what the actor may see, locked if asked; a row out
    of scope answers the same 404 as a missing one, so ids of other enterprises reveal nothing."""
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise NotFound(f"{label} {pk} 不存在。")
    return row
