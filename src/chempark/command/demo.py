"""The demo park's risk-index history: today's index recorded for every enterprise, so the
enterprise pages show a history from the first day."""

from __future__ import annotations

from chempark.command.services import risk_history_record
from chempark.core.actors import SYSTEM


def load() -> str:
    count = risk_history_record(actor=SYSTEM)
    return f"风险指数：已记录 {count} 家企业"
