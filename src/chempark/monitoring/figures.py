"""The platform figure monitoring contributes to performance indicators (``core.figures``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from chempark.core.figures import Figure
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Rollup


def enterprises_connected(year: int) -> Decimal:
    """Enterprises with at least one enabled monitoring point that delivered readings in ``year``
    (a per-minute rollup in the year): connected to the platform, as the bureau's target counts."""
    zone = timezone.get_current_timezone()
    start = datetime_to_ms(dt.datetime(year, 1, 1, tzinfo=zone))
    end = datetime_to_ms(dt.datetime(year + 1, 1, 1, tzinfo=zone))
    rows = Rollup.objects.filter(minute_ms__gte=start, minute_ms__lt=end, point__enabled=True)
    return Decimal(rows.values("point__enterprise_id").distinct().count())


ENTERPRISES_CONNECTED = Figure(
    "enterprises_connected",
    "企业接入平台数量",
    "本年度有已启用监测点位向平台上报过数据（有分钟汇总）的企业数。",
    "家",
    enterprises_connected,
)
