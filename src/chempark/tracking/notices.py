"""Vehicle violations as an event a user can subscribe to apart from other alarms: they are alarms
(``core.alarm_feed``), and the notifier announces alarms of these types as this event."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chempark.core.alarm_feed import AlarmKind, FeedSeverity
from chempark.core.notices import EventType

VIOLATION_EVENT = EventType(
    "vehicle.violation",
    _("危化品车辆违规"),
    _("车辆定位监控"),
    500,
    "tracking.read",
    default_roles=frozenset({"dispatcher"}),
    default_min_severity=FeedSeverity.MAJOR,
    alarm_types=frozenset(
        {
            AlarmKind.OVERSPEED.value,
            AlarmKind.DEVIATION.value,
            AlarmKind.FORBIDDEN_ZONE.value,
            AlarmKind.ILLEGAL_PARKING.value,
            AlarmKind.TIME_WINDOW.value,
            AlarmKind.VEHICLE_OFFLINE.value,
        }
    ),
    note=_("超速、偏离路线、驶入禁区、违规停车等"),
)
