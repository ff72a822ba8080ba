"""An incident taken (接警) as an event users can subscribe to (``chempark.core.notices``): the
service announces it inside its own transaction; the notifications app, if installed, tells the
subscribers. Its severity follows the suggested response level (Ⅰ/Ⅱ 紧急, Ⅲ 重要, Ⅳ 次要)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chempark.core.alarm_feed import FeedSeverity
from chempark.core.notices import EventType, Reminder
from chempark.incidents.models import Incident

INCIDENT_OPENED = "incident.opened"
EVENT_TYPE = EventType(
    INCIDENT_OPENED,
    _("突发事件接警"),
    _("应急指挥"),
    450,
    "incident.read",
    default_roles=frozenset({"dispatcher", "inspector", "bureau_admin", "enterprise"}),
    note=_("新接报的突发事件（企业用户：本企业的）；Ⅰ、Ⅱ级为“紧急”"),
)
SEVERITY_BY_LEVEL = {1: FeedSeverity.CRITICAL, 2: FeedSeverity.CRITICAL, 3: FeedSeverity.MAJOR, 4: FeedSeverity.MINOR}


def opened(incident: Incident) -> Reminder:
    """The announcement of a newly taken incident."""
    where = incident.enterprise.name if incident.enterprise is not None else "园区"
    return Reminder(
        INCIDENT_OPENED,
        f"incident:{incident.pk}",
        SEVERITY_BY_LEVEL.get(incident.suggested_level, FeedSeverity.MAJOR),
        incident.enterprise_id,
        f"【突发事件】{where} {incident.title}",
        f"{incident.get_kind_display()}，建议{incident.get_suggested_level_display()}。",
        reverse("incidents:detail", args=[incident.pk]),
    )
