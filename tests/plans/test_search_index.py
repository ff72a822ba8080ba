"""On PostgreSQL the Chinese full-text search is answered by the GIN index over the segmented text,
not by a scan of the table."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from chempark.core.actors import SYSTEM
from chempark.plans import selectors, text
from chempark.plans.models import Plan, PlanKind

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

WORDS = ["泄漏", "火灾", "爆炸", "中毒", "疏散", "警戒", "储罐", "装卸", "管道", "反应釜", "停电", "洪水"]


def test_search_uses_the_gin_index() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("run with CHEMPARK_DATABASE_URL pointing at PostgreSQL")
    rng = random.Random(7)
    rows = [
        Plan(
            kind=PlanKind.SPECIFIC,
            title=f"预案{i}",
            search_text=text.index_words("".join(rng.choices(WORDS, k=30)) + f"预案{i}"),
        )
        for i in range(5000)
    ]
    rows.append(
        Plan(
            kind=PlanKind.ON_SITE,
            title="液氯罐区现场处置方案",
            search_text=text.index_words("液氯罐区现场处置方案 紧急切断"),
        )
    )
    Plan.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE plans_plan")
    found = selectors.full_text(selectors.plans_visible(SYSTEM), "液氯 紧急切断")
    plan = found.explain()
    assert "plans_plan_search_gin" in plan and "Seq Scan on plans_plan" not in plan, plan
    assert [p.title for p in found] == ["液氯罐区现场处置方案"]
