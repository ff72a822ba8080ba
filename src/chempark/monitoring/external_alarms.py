"""Monitoring's handler of ``chempark.core.alarm_feed``: other modules' alarms become ``Alarm`` rows.

They then share everything a point's alarm has: the list, the acknowledgement (acknowledging an
active one leaves it active until its module clears it), the live push and the duty banner. They do
not feed the enterprise warning level, which is computed from the monitoring points' alarms.
"""

from __future__ import annotations

from datetime import datetime
from typing import Unpack

from django.db import transaction
from django.utils import timezone

from chempark.core.alarm_feed import AlarmKind, FeedAlarm, FeedSeverity
from chempark.monitoring.alarm_writes import ACTIVE, alarm_live_data, live
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, AlarmStatus

_CLEARED = {AlarmStatus.ACTIVE_UNACK: AlarmStatus.CLEARED_UNACK, AlarmStatus.ACTIVE_ACK: AlarmStatus.CLEARED_ACK}


def _active(source: str, kind: AlarmKind, ref: str) -> Alarm | None:
    return (
        Alarm.objects.select_for_update()
        .filter(source=source, alarm_type=kind.value, source_ref=ref, status__in=ACTIVE)
        .first()
    )


def raise_external_alarm(**alarm: Unpack[FeedAlarm]) -> int:
    source, ref, enterprise_id = alarm["source"], alarm["ref"], alarm["enterprise_id"]
    if not source or not ref:
        raise ValueError("an external alarm needs its source and ref")
    kind, severity = AlarmKind(alarm["kind"]), FeedSeverity(alarm["severity"])
    lon, lat, value = alarm["lon"], alarm["lat"], alarm.get("value")
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        lon = lat = None
    at = alarm.get("at") or timezone.now()
    with transaction.atomic():
        active = _active(source, kind, ref)
        if active is not None:
            if value is not None and (active.peak_value is None or value > active.peak_value):
                active.peak_value = value
                active.save(update_fields=["peak_value"])
            return active.pk
        row = Alarm.objects.create(
            enterprise_id=enterprise_id,
            alarm_type=kind.value,
            severity=severity.value,
            status=AlarmStatus.ACTIVE_UNACK,
            raised_ms=datetime_to_ms(at),
            raised_at=at,
            value=value,
            peak_value=value,
            detail=alarm["detail"][:300],
            source=source,
            source_ref=ref,
            subject=alarm["title"][:100],
            lon=lon,
            lat=lat,
        )
        live("alarm", enterprise_id, alarm_live_data(row) | {"change": "raised"}, now=at)
    return row.pk


def clear_external_alarm(*, source: str, kind: AlarmKind, ref: str, at: datetime | None = None) -> int | None:
    with transaction.atomic():
        alarm = _active(source, AlarmKind(kind), ref)
        if alarm is None:
            return None
        alarm.status = _CLEARED[AlarmStatus(alarm.status)]
        alarm.cleared_at = at or timezone.now()
        alarm.save(update_fields=["status", "cleared_at"])
        live("alarm", alarm.enterprise_id, alarm_live_data(alarm), now=alarm.cleared_at)
    return alarm.pk
