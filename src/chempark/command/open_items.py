"""What the handover lists as open from the modules that exist today: unacknowledged alarms and,
after the deadline, the enterprises without today's safety commitment."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.actors import Actor
from chempark.core.duty_items import Item, OpenItems
from chempark.hazards import selectors as hazard_selectors
from chempark.hazards.settings import commitment_deadline
from chempark.monitoring import selectors as monitoring_selectors
from chempark.monitoring.models import AlarmStatus

LIMIT = 200  # a flood is summarised by its first 200 and the count on the alarm list


def unacknowledged_alarms(actor: Actor, now: dt.datetime) -> list[Item]:
    rows = (
        monitoring_selectors.alarms_visible(actor)
        .filter(status=AlarmStatus.ACTIVE_UNACK)
        .select_related("enterprise", "point", "camera")
        .order_by("raised_at")[:LIMIT]
    )
    return [
        {
            "kind": "alarm",
            "title": f"{timezone.localtime(a.raised_at):%m-%d %H:%M} "
            + " · ".join(
                str(part)
                # a park-level alarm has no enterprise; a vehicle's or an area's names its subject, not a point
                for part in (a.enterprise or _("园区"), a.point or a.camera or a.subject, a.get_alarm_type_display())
                if part
            )
            + f"（{a.get_severity_display()}）",
            "url": reverse("monitoring:alarm-detail", args=[a.pk]),
        }
        for a in rows
    ]


def missing_commitments(actor: Actor, now: dt.datetime) -> list[Item]:
    local = timezone.localtime(now)
    if local.time() <= commitment_deadline():
        return []
    return [
        {"kind": "commitment", "title": e.name, "url": reverse("park:enterprise-detail", args=[e.pk])}
        for e in hazard_selectors.commitments_missing(actor, local.date())[:LIMIT]
    ]


PROVIDERS = (
    OpenItems("alarms", gettext_lazy("未确认报警"), 10, unacknowledged_alarms),
    OpenItems("commitments", gettext_lazy("今日未报安全承诺的企业"), 20, missing_commitments),
)
