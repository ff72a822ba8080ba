"""The risk index's dual-prevention factors on the small park: open, major and overdue hidden
dangers and ongoing or irregular special operations reach the index through ``core.risk_facts``
(command imports nothing of supervision), raise it, and are listed in Chinese on the enterprise page."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from chempark.command import selectors
from chempark.core.actors import SYSTEM, actor_for_user
from chempark.core.roles import Role
from chempark.park.models import Enterprise
from chempark.supervision.models import (
    DangerGrade,
    DangerSource,
    DangerStatusChoice,
    HiddenDanger,
    OperationGrade,
    OperationKind,
    SpecialOperation,
    SpotCheck,
    WorkPermit,
)
from tests.conftest import SmallPark

NOW = datetime(2027, 6, 3, 6, 30, tzinfo=UTC)  # 14:30 in the park
TODAY = dt.date(2027, 6, 3)


def danger(
    enterprise: Enterprise,
    *,
    grade: str = DangerGrade.GENERAL,
    status: str = DangerStatusChoice.RECTIFYING,
    deadline: dt.date | None = None,
) -> HiddenDanger:
    return HiddenDanger.objects.create(
        enterprise=enterprise,
        source=DangerSource.BUREAU_INSPECTION,
        grade=grade,
        description="储罐区可燃气体报警器未定期检定",
        found_on=TODAY - timedelta(days=20),
        found_by="检查组",
        status=status,
        deadline=deadline,
    )


def operation(enterprise: Enterprise, number: str, starts: datetime, hours: float) -> SpecialOperation:
    return SpecialOperation.objects.create(
        enterprise=enterprise,
        kind=OperationKind.HOT_WORK,
        grade=OperationGrade.SECOND,
        place="罐区东侧管廊",
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        permit_number=number,
        guardian="张三",
        filed_by="李四",
    )


def test_hidden_dangers_and_operations_are_counted_per_enterprise(park: SmallPark) -> None:
    a, b = park.enterprise_a, park.enterprise_b
    with time_machine.travel(NOW, tick=False):
        before = {row.enterprise_id: row for row in selectors.risk_ranking(SYSTEM)}
        danger(a, deadline=TODAY - timedelta(days=1))  # overdue
        danger(a, grade=DangerGrade.MAJOR, deadline=TODAY + timedelta(days=10))  # major, not overdue
        danger(a, status=DangerStatusChoice.CLOSED, deadline=TODAY - timedelta(days=5))  # closed: not counted
        danger(b, status=DangerStatusChoice.SUBMITTED, deadline=TODAY - timedelta(days=2))  # awaits check: open
        ongoing = operation(a, "DH-001", NOW - timedelta(hours=1), 4)  # no permit received: irregular
        WorkPermit.objects.create(
            enterprise=b,
            permit_number="DH-900",
            kind=OperationKind.HOT_WORK,
            grade=OperationGrade.SECOND,
            place="装车台",
            valid_from=NOW - timedelta(days=3),
            valid_to=NOW - timedelta(days=2),
        )  # a permit without a filing at b: irregular
        SpotCheck.objects.create(operation=ongoing, compliant=False, checked_by="监管员", checked_at=NOW)
        after = {row.enterprise_id: row for row in selectors.risk_ranking(SYSTEM)}
    facts_a, facts_b = after[a.pk].inputs, after[b.pk].inputs
    assert (facts_a.open_dangers, facts_a.major_dangers, facts_a.overdue_dangers) == (2, 1, 1)
    assert (facts_a.ongoing_operations, facts_a.irregular_operations) == (1, 2)  # no permit + failed spot check
    assert (facts_b.open_dangers, facts_b.major_dangers, facts_b.overdue_dangers) == (
        1,
        0,
        0,
    )  # 待复查 is not rectifying
    assert (facts_b.ongoing_operations, facts_b.irregular_operations) == (0, 1)
    assert before[a.pk].inputs.open_dangers == 0  # the module is installed: present and 0, not absent
    assert after[a.pk].score.index > before[a.pk].score.index
    assert after[b.pk].score.index > before[b.pk].score.index


def test_the_index_is_the_same_whoever_looks(park: SmallPark) -> None:
    danger(park.enterprise_a, deadline=TODAY - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        seen = {
            role: selectors.enterprise_risk(actor_for_user(park.users[role]), park.enterprise_a.pk)
            for role in (Role.BUREAU_ADMIN, Role.DISPATCHER, Role.ENTERPRISE)
        }
    indices = {role: row.score.index for role, row in seen.items() if row is not None}
    assert len(indices) == 3 and len(set(indices.values())) == 1
    assert all(row is not None and row.inputs.overdue_dangers == 1 for row in seen.values())


def test_the_enterprise_page_lists_the_factors_in_chinese(park: SmallPark) -> None:
    danger(park.enterprise_a, grade=DangerGrade.MAJOR, deadline=TODAY - timedelta(days=3))
    with time_machine.travel(NOW, tick=False):
        client = Client()
        client.force_login(park.users[Role.ENTERPRISE])
        page = client.get(f"/registry/enterprise/{park.enterprise_a.pk}/").content.decode()
    for label in ("未销号隐患", "重大隐患", "隐患整改逾期", "进行中特殊作业", "近 30 日特殊作业不规范"):
        assert f'data-factor="{label}"' in page
    row = page.split('data-factor="隐患整改逾期"', 1)[1].split("</tr>", 1)[0]
    assert "1 项" in row and "实际情况" in page
    assert "overdue_dangers" not in page and "major_dangers" not in page
