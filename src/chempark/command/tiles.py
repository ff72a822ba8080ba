"""The 大屏's tiles for what exists today: enterprises, major hazards, monitoring points, alarms,
daily commitments and duty checks. Later modules register theirs the same way
(``core.screen_tiles.register``) from their own ``AppConfig.ready``."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.command.selectors import ACTIVE, enterprises_visible
from chempark.core.actors import Actor
from chempark.core.screen_tiles import Figure, ScreenTile, figure
from chempark.hazards import selectors as hazard_selectors
from chempark.hazards.models import HazardStatus, Level
from chempark.hazards.settings import commitment_deadline
from chempark.monitoring import selectors as monitoring_selectors
from chempark.monitoring.models import AlarmStatus, Severity

CONNECTED_ENTERPRISES_TARGET = 90
"""The bureau's 2025 target: enterprises connected to the monitoring platform (绩效目标: ≥ 90)."""


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "—"


def enterprises_tile(actor: Actor, now: dt.datetime) -> list[Figure]:
    operating = enterprises_visible(actor)
    connected = (
        monitoring_selectors.points_visible(actor)
        .filter(enabled=True, enterprise_id__in=operating.values("id"), latest__ts_ms__isnull=False)
        .values("enterprise_id")
        .distinct()
        .count()
    )
    tone = "ok" if connected >= CONNECTED_ENTERPRISES_TARGET else "warn"
    return [
        figure(_("在营企业"), operating.count(), _("家")),
        figure(_("已接入监测"), f"{connected} / {CONNECTED_ENTERPRISES_TARGET}", _("家"), tone),
    ]


def hazards_tile(actor: Actor, now: dt.datetime) -> list[Figure]:
    levels = Counter(
        hazard_selectors.major_hazards_visible(actor)
        .exclude(status=HazardStatus.CANCELLED)
        .filter(still_major=True)
        .values_list("level", flat=True)
    )
    tones = {Level.ONE: "alert", Level.TWO: "warn"}
    return [figure(level.label, levels.get(level.value, 0), _("处"), tones.get(level, "")) for level in Level]


def points_tile(actor: Actor, now: dt.datetime) -> list[Figure]:
    counts = (
        monitoring_selectors.points_visible(actor)
        .filter(enabled=True)
        .aggregate(
            n=Count("pk"),
            online=Count("pk", filter=Q(latest__online=True)),
            connected=Count("pk", filter=Q(latest__ts_ms__isnull=False)),
        )
    )
    offline = counts["n"] - counts["online"]
    return [
        figure(_("监测点位"), counts["n"], _("个")),
        figure(_("在线"), counts["online"], _("个"), "ok"),
        figure(_("离线"), offline, _("个"), "warn" if offline else ""),
        figure(_("接入率"), _percent(counts["connected"], counts["n"]), "%"),
    ]


def alarms_tile(actor: Actor, now: dt.datetime) -> list[Figure]:
    active = monitoring_selectors.alarms_visible(actor).filter(status__in=ACTIVE)
    unacked = Counter(active.filter(status=AlarmStatus.ACTIVE_UNACK).values_list("severity", flat=True))
    figures = [figure(_("报警中"), active.count(), _("条"), "alert" if active.exists() else "ok")]
    tones = {Severity.CRITICAL: "alert", Severity.MAJOR: "alert", Severity.MINOR: "warn", Severity.WARNING: "warn"}
    figures += [
        figure(
            _("未确认·%(severity)s") % {"severity": severity.label},
            unacked.get(severity.value, 0),
            _("条"),
            tones[severity] if unacked.get(severity.value) else "",
        )
        for severity in Severity
    ]
    return figures


def duties_tile(actor: Actor, now: dt.datetime) -> list[Figure]:
    local = timezone.localtime(now)
    operating = enterprises_visible(actor).count()
    submitted = hazard_selectors.commitments(actor, date=local.date()).count()
    missing = operating - submitted
    late = local.time() > commitment_deadline()
    overdue = len(hazard_selectors.overdue_duty_checks(actor, local.date()))
    return [
        figure(_("今日承诺已报"), submitted, _("家"), "ok"),
        figure(_("今日承诺未报"), missing, _("家"), "alert" if late and missing else ""),
        figure(_("包保履职逾期"), overdue, _("项"), "warn" if overdue else ""),
    ]


BUILT_IN = (
    ScreenTile("enterprises", gettext_lazy("企业接入"), 10, enterprises_tile),
    ScreenTile("hazards", gettext_lazy("重大危险源"), 20, hazards_tile, "hazard.read"),
    ScreenTile("points", gettext_lazy("监测点位"), 30, points_tile, "monitoring.read"),
    ScreenTile("alarms", gettext_lazy("实时报警"), 40, alarms_tile, "monitoring.read"),
    ScreenTile("duties", gettext_lazy("承诺与履职"), 50, duties_tile, "hazard.read"),
)
