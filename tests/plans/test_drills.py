"""Drills through their services, and each enterprise's drill compliance read from the database."""

from __future__ import annotations

from typing import Any

import pytest

from chempark.core.actors import SYSTEM
from chempark.core.errors import Conflict, ErrorCode, InvalidInput
from chempark.core.roles import Role
from chempark.plans import selectors, services
from chempark.plans.models import Drill
from chempark.plans.workdays import add_months
from tests.conftest import SmallPark
from tests.plans.conftest import days_ago


def drill(enterprise: Any, **values: Any) -> Drill:
    base = {
        "title": "演练",
        "kind": "specific",
        "form": "live",
        "planned_on": days_ago(10),
        "enterprise": enterprise.pk,
    }
    return services.drill_create(actor=SYSTEM, **(base | values))


def test_bad_drills_are_refused(park: SmallPark, plans: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as refused:
        drill(park.enterprise_a, done_on=days_ago(-1))
    assert refused.value.code is ErrorCode.DATES_OUT_OF_ORDER and refused.value.details == {"field": "done_on"}
    with pytest.raises(InvalidInput) as refused:
        drill(park.enterprise_a, plan=plans["own"].pk)  # a comprehensive plan drilled as a specific drill
    assert refused.value.details == {"field": "kind"}
    with pytest.raises(InvalidInput) as refused:
        drill(park.enterprise_a, kind="comprehensive", plan=plans["foreign"].pk)
    assert refused.value.details == {"field": "plan"}
    planned = drill(park.enterprise_a)
    with pytest.raises(Conflict):
        services.action_add(actor=SYSTEM, drill_id=planned.pk, problem="p", action="a", owner="o", deadline=days_ago(0))
    assert Drill.objects.count() == 1


def test_problems_become_actions_with_owners_and_deadlines(park: SmallPark) -> None:
    done = drill(park.enterprise_a, done_on=days_ago(10))
    with pytest.raises(InvalidInput) as refused:
        services.action_add(
            actor=SYSTEM, drill_id=done.pk, problem="p", action="a", owner="刘工", deadline=days_ago(11)
        )
    assert refused.value.details == {"field": "deadline"}
    action = services.action_add(
        actor=SYSTEM, drill_id=done.pk, problem="通讯不畅", action="加中继台", owner="刘工", deadline=days_ago(-20)
    )
    assert list(selectors.actions_open(park.actor(Role.ENTERPRISE))) == [action]
    assert list(selectors.actions_open(park.actor(Role.INSPECTOR))) == [action]
    services.action_complete(actor=SYSTEM, pk=action.pk, completed_on=days_ago(0))
    assert not selectors.actions_open(park.actor(Role.INSPECTOR)).exists()
    with pytest.raises(Conflict):
        services.action_complete(actor=SYSTEM, pk=action.pk, completed_on=days_ago(0))


def test_compliance_per_enterprise(park: SmallPark) -> None:
    published = days_ago(400)
    comprehensive = services.plan_create(
        actor=SYSTEM, kind="comprehensive", title="综合预案", enterprise=park.enterprise_a.pk, published_on=published
    )
    site = services.plan_create(
        actor=SYSTEM, kind="on_site", title="罐区处置方案", enterprise=park.enterprise_a.pk, published_on=published
    )
    services.plan_create(actor=SYSTEM, kind="comprehensive", title="局预案", published_on=published)
    yearly_drill = days_ago(200)
    drill(park.enterprise_a, kind="comprehensive", plan=comprehensive.pk, done_on=yearly_drill, planned_on=yearly_drill)
    rows = selectors.drill_compliance(park.actor(Role.INSPECTOR))
    by_plan = {r.plan.pk if r.plan else None: r for r in rows}
    assert set(by_plan) == {None, site.pk}  # the bureau's plan creates no enterprise duty
    assert by_plan[None].due == add_months(yearly_drill, 12) and not by_plan[None].overdue
    assert by_plan[site.pk].last_drill is None and by_plan[site.pk].due == add_months(published, 6)
    assert by_plan[site.pk].overdue
    assert [r.plan for r in selectors.drill_compliance(park.actor(Role.INSPECTOR), overdue_only=True)] == [site]
    drill(park.enterprise_a, kind="on_site", plan=site.pk, done_on=days_ago(1))
    assert selectors.drill_compliance(park.actor(Role.INSPECTOR), overdue_only=True) == []
    assert all(r.enterprise == park.enterprise_a for r in selectors.drill_compliance(park.actor(Role.ENTERPRISE)))
