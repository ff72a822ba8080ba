"""The module's periodic task, run by ``chempark scheduler`` daily at 23:50 (registered in
``apps.py``): record the day's dynamic risk index of every operating enterprise, late in the day so
the row describes the day. ``chempark risk-snapshot`` does the same by hand (running it again
replaces the day's row)."""

from __future__ import annotations

import datetime as dt

from chempark.command.services import risk_history_record
from chempark.core.actors import SYSTEM


def record_risk_index(now: dt.datetime) -> str:
    count = risk_history_record(actor=SYSTEM, now=now)
    return f"记录 {count} 家企业的风险指数"
