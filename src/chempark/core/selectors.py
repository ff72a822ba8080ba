"""Read helpers shared by the apps' selectors: the enterprise scope, and one row of a scoped queryset."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from chempark.core.actors import Actor
from chempark.core.errors import NotFound

M = TypeVar("M", bound=Model)


def visible_to(actor: Actor, queryset: QuerySet[M], enterprise_path: str = "enterprise_id") -> QuerySet[M]:
    """``queryset`` as ``actor`` may see it: enterprise users and machines only the rows of their own
    enterprise (reached through ``enterprise_path``), bureau staff all of them.

    Every selector scopes through here, so the rule is written once. A scoped actor without an
    enterprise (which the account constraints forbid) sees nothing rather than the rows of none."""
    if not actor.is_enterprise_scoped:
        return queryset
    if actor.enterprise_id is None:
        return queryset.none()
    return queryset.filter(**{enterprise_path: actor.enterprise_id})


def one_visible(queryset: QuerySet[M], pk: int, label: str, *, for_update: bool = False) -> M:
    """Row ``pk`` of a queryset already scoped to what the actor may see, locked if asked; a row out
    of scope answers the same 404 as a missing one, so ids of other enterprises reveal nothing."""
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise NotFound(f"{label} {pk} 不存在。")
    return row
