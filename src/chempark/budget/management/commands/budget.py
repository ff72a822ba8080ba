"""``chempark budget import FILE --year YYYY``: import the bureau's performance-target statement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chempark.budget import services
from chempark.core.actors import command_line_actor
from chempark.core.errors import DomainError


class Command(BaseCommand):
    help = "预算绩效管理：import FILE --year YYYY 导入部门及项目绩效目标文本（UTF-8），同一年度再次导入只更新。"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        importing = commands.add_parser("import", help="导入绩效目标文本")
        importing.add_argument("file", type=Path)
        importing.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from None
        try:
            outcome = services.document_import(
                actor=command_line_actor(), data=data, year=options["year"], filename=path.name
            )
        except DomainError as exc:
            problems = (exc.details or {}).get("problems", []) if isinstance(exc.details, dict) else []
            for problem in problems:
                if isinstance(problem, dict):
                    self.stderr.write(f"第 {problem['line']} 行（{problem['project']}）：{problem['message']}")
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"{outcome.year} 年度：{outcome.projects} 个项目（新增 {outcome.created}，更新 {outcome.updated}，"
            f"未变 {outcome.unchanged}），{outcome.indicators} 条指标，预算合计 {outcome.total_budget} 万元。"
        )
        if outcome.not_in_document:
            self.stdout.write("本年度已有但文件中没有的项目（保留未删）：" + "、".join(outcome.not_in_document))
