"""The inspector's to-do page: most overdue first, each card a link to its list, filters by enterprise
and type, never-checked persons flagged, the latest findings shown, and the same lists as a workbook."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django.utils import timezone

from chempark.core.roles import Role
from chempark.hazards.models import DutyCheck, MajorHazard
from tests.conftest import SmallPark
from tests.hazards.test_duties_and_commitments import assign


def _overdue_people(park: SmallPark, hazard_a: MajorHazard, hazard_b: MajorHazard) -> None:
    today = timezone.localdate()
    assign(hazard_a, "principal", today - dt.timedelta(days=200))  # never checked: 110 days overdue
    checked = assign(hazard_b, "operations", today - dt.timedelta(days=60))  # weekly
    DutyCheck.objects.create(
        guarantor=checked, checked_on=today - dt.timedelta(days=10), findings="报警器故障待修", recorded_by="t"
    )  # 3 days overdue


def test_overdue_most_first_with_findings_and_never_checked(
    park: SmallPark, client: Any, hazard_a: MajorHazard, hazard_b: MajorHazard
) -> None:
    _overdue_people(park, hazard_a, hazard_b)
    client.force_login(park.users[Role.INSPECTOR])
    html = client.get("/hazards/supervision/?type=overdue").content.decode()
    table = html.split('data-testid="overdue"')[1].split("</table>")[0]
    assert table.index("110") < table.index(">3<"), "most overdue first"
    assert table.count('data-testid="never-checked"') == 1 and "报警器故障待修" in table
    assert 'data-testid="assessments_unrecorded"' not in html, "one type chosen, the others hidden"
    assert 'href="?type=overdue"' in html, "the card links to its list"
    only_b = client.get(f"/hazards/supervision/?type=overdue&enterprise={park.enterprise_b.pk}").content.decode()
    assert "报警器故障待修" in only_b and "从未检查" not in only_b.split('data-testid="overdue"')[1]
    assert client.get("/hazards/supervision/?type=nonsense").status_code == 422


def test_unrecorded_assessments_apart_from_overdue(park: SmallPark, client: Any, hazard_a: MajorHazard) -> None:
    MajorHazard.objects.filter(pk=hazard_a.pk).update(next_safety_assessment_due=dt.date(2020, 1, 1))
    client.force_login(park.users[Role.INSPECTOR])
    html = client.get("/hazards/supervision/").content.decode()
    overdue = html.split('data-testid="assessments_overdue"')[1].split("</table>")[0]
    unrecorded = html.split('data-testid="assessments_unrecorded"')[1].split("</table>")[0]
    assert str(hazard_a) in overdue and str(hazard_a) not in unrecorded
    assert "已逾期" in overdue and "未记录安全评估" in unrecorded


def test_export_lists_the_todo_items(
    park: SmallPark, client: Any, hazard_a: MajorHazard, hazard_b: MajorHazard
) -> None:
    _overdue_people(park, hazard_a, hazard_b)
    client.force_login(park.users[Role.INSPECTOR])
    response = client.get("/hazards/supervision/export.xlsx?type=overdue")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0] == ("类型", "重大危险源", "企业", "说明", "应办日期", "逾期天数")
    assert [(r[0], r[5]) for r in rows[1:]] == [("履职检查逾期", 110), ("履职检查逾期", 3)]
    assert "从未检查" in rows[1][3] and "报警器故障待修" in rows[2][3]
