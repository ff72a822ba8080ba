"""Reads of the duty roster (值班) and the shift handovers (交接班)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chempark.accounts.models import User
from chempark.command.models import DutyShift, ShiftHandover
from chempark.core.actors import Actor
from chempark.core.roles import Role
from chempark.core.selectors import one_visible

DUTY_ROLES = (Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT)


def shift_now(now: dt.datetime | None = None) -> DutyShift | None:
    now = now or timezone.now()
    return (
        DutyShift.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .select_related("leader")
        .prefetch_related("officers")
        .first()
    )


def shifts(actor: Actor, *, since: dt.datetime | None = None, until: dt.datetime | None = None) -> QuerySet[DutyShift]:
    actor.require("command.read")
    rows = DutyShift.objects.select_related("leader").prefetch_related("officers")
    if since is not None:
        rows = rows.filter(ends_at__gt=since)
    if until is not None:
        rows = rows.filter(starts_at__lt=until)
    return rows.order_by("starts_at")


def handovers(actor: Actor) -> QuerySet[ShiftHandover]:
    actor.require("command.read")
    return ShiftHandover.objects.select_related("shift", "outgoing", "incoming")


def handover_get(actor: Actor, pk: int, *, for_update: bool = False) -> ShiftHandover:
    return one_visible(handovers(actor), pk, _("交接班记录"), for_update=for_update)


def duty_staff() -> QuerySet[User]:
    """Who may stand a shift: active bureau staff."""
    return User.objects.filter(is_active=True, role__in=[r.value for r in DUTY_ROLES]).order_by("username")
