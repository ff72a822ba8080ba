"""The alarm events a user can subscribe to (``chempark.core.notices``); the notifier announces them
from the live events this module writes (``change``: raised, worsened) and from the escalation chain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chempark.core.alarm_feed import FeedSeverity
from chempark.core.notices import EventType

GROUP = _("报警")
EVENT_TYPES = (
    EventType(
        "alarm.raised",
        _("报警产生"),
        GROUP,
        100,
        "monitoring.read",
        default_roles=frozenset({"enterprise"}),
        default_min_severity=FeedSeverity.MAJOR,
        note=_("本企业（局端人员：全园区）的新报警"),
    ),
    EventType(
        "alarm.worsened",
        _("报警加重"),
        GROUP,
        110,
        "monitoring.read",
        default_roles=frozenset({"enterprise"}),
        default_min_severity=FeedSeverity.MAJOR,
        note=_("报警越过更高一级限值"),
    ),
    EventType(
        "alarm.escalated",
        _("报警超时升级"),
        GROUP,
        120,
        "monitoring.read",
        default_roles=frozenset({"enterprise", "inspector"}),
        default_min_severity=FeedSeverity.WARNING,
        note=_("超过确认时限未确认；值班员、带班领导按升级链必定收到，不受订阅影响"),
    ),
)
