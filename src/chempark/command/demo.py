"""The command centre in the demo park: the duty roster around now (the duty officer `dispatcher`
on duty with the administrator as leader, the inspector on the shift before), yesterday's handover
signed by both, and today's risk-index record for every enterprise."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from chempark.accounts.models import User
from chempark.command.duty_services import handover_accept, handover_create, handover_sign, shift_create
from chempark.command.models import DutyShift
from chempark.command.services import risk_history_record
from chempark.core.actors import SYSTEM, actor_for_user

SHIFT_START = dt.time(8, 30)  # 24-hour shifts, handed over at 08:30
DUTY_PHONE = "0315-12350"


def _shift_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    start = local.replace(hour=SHIFT_START.hour, minute=SHIFT_START.minute, second=0, microsecond=0)
    return start if start <= local else start - dt.timedelta(days=1)


def load() -> str:
    count = risk_history_record(actor=SYSTEM)
    if DutyShift.objects.exists():
        return f"值班：已有；风险指数：已记录 {count} 家企业"
    now = timezone.now()
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "dispatcher", "inspector"])}
    current = _shift_start(now)
    day = dt.timedelta(days=1)
    plans = [
        (current - day, "inspector", "上一班"),
        (current, "dispatcher", ""),
        (current + day, "inspector", ""),
    ]
    for start, officer, note in plans:
        shift_create(
            actor=SYSTEM,
            starts_at=start,
            ends_at=start + day,
            leader=users["admin"].pk,
            officers=[users[officer].pk],
            phone=DUTY_PHONE,
            note=note,
        )
    outgoing, incoming = actor_for_user(users["inspector"]), actor_for_user(users["dispatcher"])
    notes = "夜间巡查正常；请关注氯碱企业液位报警的处置。"
    record = handover_create(actor=outgoing, notes=notes, now=current - dt.timedelta(minutes=10))
    handover_sign(actor=outgoing, pk=record.pk, now=current - dt.timedelta(minutes=5))
    handover_accept(actor=incoming, pk=record.pk, now=current)
    return f"值班：3 个班次，1 份交接班记录；风险指数：已记录 {count} 家企业"
