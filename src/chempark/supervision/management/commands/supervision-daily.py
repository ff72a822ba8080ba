# ruff: noqa: N999 — Django names a command after its file, and the command is `chempark supervision-daily`
"""``chempark supervision-daily``: escalate overdue rectifications and send the day's reminders, by
hand. ``chempark scheduler`` runs the same check daily at 07:00 (task ``supervision.daily``); a
second run the same day escalates and reminds nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chempark.supervision.tasks import run_daily


class Command(BaseCommand):
    help = "Escalate overdue hidden-danger rectifications (督办); list the day's reminders and expiring licences"

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_daily()
        self.stdout.write(f"新督办（逾期未整改）：{len(report.escalated)}")
        for danger in report.escalated:
            self.stdout.write(f"  {danger.enterprise.name} · {danger.description[:30]} · 期限 {danger.deadline}")
        self.stdout.write(f"今日提醒：{len(report.reminded)}")
        for danger in report.reminded:
            self.stdout.write(f"  {danger.enterprise.name} · {danger.owner} · 期限 {danger.deadline}")
        self.stdout.write(f"证照到期提醒：{len(report.expiring)}")
        for item in report.expiring:
            self.stdout.write(f"  {item.row.enterprise.name} · {item.row} · 有效期至 {item.row.expires_on}")
