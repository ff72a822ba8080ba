"""What dual prevention tells the enterprise dynamic risk index (``core.risk_facts``): per
enterprise, its open hidden dangers, the major ones and the overdue ones, the special operations
going on now and the irregular ones of the last 30 days (findings of the filing/permit checks of
GB 30871-2022 and failed online spot checks).

The counts are taken over the enterprise ids the command centre passes — already cut to what the
viewer may see — and not through the viewer's own capabilities: the index of one enterprise is one
figure, whoever looks at it (a dispatcher without ``danger.read`` sees the same number as an
inspector, but not the dangers themselves)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from django.db.models import Count, Q
from django.utils import timezone

from chempark.core.risk_facts import RiskFacts
from chempark.supervision import operation_checks, workflow
from chempark.supervision.models import (
    DangerGrade,
    DangerStatusChoice,
    HiddenDanger,
    SpecialOperation,
    SpotCheck,
    WorkPermit,
)

IRREGULAR_WINDOW = dt.timedelta(days=30)
FIELDS = ("open_dangers", "major_dangers", "overdue_dangers", "ongoing_operations", "irregular_operations")


def _irregular(ids: Sequence[int], now: dt.datetime) -> Counter[int]:
    """Findings of the filing/permit checks and failed spot checks per enterprise, last 30 days."""
    since = now - IRREGULAR_WINDOW
    filings = [
        operation_checks.Window(
            o.pk, o.enterprise_id, o.permit_number, o.kind, o.grade, o.place, o.starts_at, o.ends_at
        )
        for o in SpecialOperation.objects.filter(enterprise_id__in=ids, ends_at__gte=since, starts_at__lte=now)
    ]
    permits = [
        operation_checks.Window(
            p.pk, p.enterprise_id, p.permit_number, p.kind, p.grade, p.place, p.valid_from, p.valid_to
        )
        for p in WorkPermit.objects.filter(enterprise_id__in=ids, valid_to__gte=since, valid_from__lte=now)
    ]
    owner: dict[tuple[str, int | None], int] = {("f", w.id): w.enterprise_id for w in filings}
    owner |= {("p", w.id): w.enterprise_id for w in permits}
    counts: Counter[int] = Counter()
    for finding in operation_checks.check(filings, permits):
        key = ("f", finding.filing_id) if finding.filing_id is not None else ("p", finding.permit_id)
        counts[owner[key]] += 1
    failed = SpotCheck.objects.filter(
        operation__enterprise_id__in=ids, compliant=False, checked_at__gte=since
    ).values_list("operation__enterprise_id", flat=True)
    counts.update(failed)
    return counts


def risk_facts(ids: Sequence[int], now: dt.datetime) -> Mapping[int, Mapping[str, int]]:
    today = timezone.localtime(now).date()
    open_statuses = [
        s for s in DangerStatusChoice.values if s not in (DangerStatusChoice.VERIFIED, DangerStatusChoice.CLOSED)
    ]
    dangers = {
        row["enterprise_id"]: row
        for row in HiddenDanger.objects.filter(enterprise_id__in=ids, status__in=open_statuses)
        .values("enterprise_id")
        .annotate(
            open=Count("id"),
            major=Count("id", filter=Q(grade=DangerGrade.MAJOR)),
            overdue=Count("id", filter=Q(status__in=workflow.RUNNING_DANGER, deadline__lt=today)),
        )
    }
    ongoing = Counter(
        SpecialOperation.objects.filter(enterprise_id__in=ids, starts_at__lte=now, ends_at__gt=now).values_list(
            "enterprise_id", flat=True
        )
    )
    irregular = _irregular(ids, now)
    result: dict[int, dict[str, int]] = {}
    for pk in ids:
        row = dangers.get(pk, {})
        result[pk] = {
            "open_dangers": row.get("open", 0),
            "major_dangers": row.get("major", 0),
            "overdue_dangers": row.get("overdue", 0),
            "ongoing_operations": ongoing.get(pk, 0),
            "irregular_operations": irregular.get(pk, 0),
        }
    return result


PROVIDER = RiskFacts("supervision", FIELDS, risk_facts)
