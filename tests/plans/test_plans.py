"""Plans through their services: dates in order, filing and evaluation, documents checked by content,
Chinese full-text search, matching plans for an incident; every refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from chempark.accounts.models import AuditEvent
from chempark.core.actors import SYSTEM
from chempark.core.errors import ErrorCode, Forbidden, InvalidInput
from chempark.core.roles import Role
from chempark.incidents import plan_providers
from chempark.incidents.plan_providers import IncidentFacts
from chempark.plans import selectors, services
from chempark.plans.incident_plans import matching_plans
from chempark.plans.models import Plan, PlanVersion
from chempark.plans.workdays import add_years
from tests.conftest import SmallPark
from tests.plans.conftest import PDF, days_ago, docx, pdf


def test_filing_dates_in_the_wrong_order_are_refused_and_change_nothing(plans: dict[str, Any]) -> None:
    plan = plans["own"]
    audits = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.plan_file(actor=SYSTEM, pk=plan.pk, filed_on=days_ago(11), filing_number="B-1")
    assert refused.value.code is ErrorCode.DATES_OUT_OF_ORDER and refused.value.details == {"field": "filed_on"}
    plan.refresh_from_db()
    assert plan.filed_on is None and plan.filing_number == ""
    assert AuditEvent.objects.count() == audits
    with pytest.raises(InvalidInput) as refused:
        services.plan_evaluate(actor=SYSTEM, pk=plan.pk, evaluated_on=days_ago(30))
    assert refused.value.details == {"field": "evaluated_on"}
    with pytest.raises(InvalidInput) as refused:
        services.plan_file(actor=SYSTEM, pk=plans["bureau"].pk, filed_on=days_ago(1), filing_number="B-2")
    assert refused.value.details == {"field": "filed_on"}  # never published


def test_filing_and_evaluation_are_recorded(plans: dict[str, Any]) -> None:
    plan = plans["own"]
    assert selectors.annotate_dues([plan])[0].filing_status == "pending"  # 10 days < 20 working days
    services.plan_file(actor=SYSTEM, pk=plan.pk, filed_on=days_ago(2), filing_number="B-7")
    services.plan_evaluate(actor=SYSTEM, pk=plan.pk, evaluated_on=days_ago(1), conclusion="适用")
    plan.refresh_from_db()
    annotated = selectors.annotate_dues([plan])[0]
    assert annotated.filing_status == "filed"
    assert annotated.evaluation_due == add_years(days_ago(1), 3)
    assert (
        AuditEvent.objects.filter(object_type__in=["plan_filing", "plan_evaluation"], object_id=str(plan.pk)).count()
        == 2
    )


def test_overdue_filing_is_listed(park: SmallPark, plans: dict[str, Any]) -> None:
    old = services.plan_create(
        actor=SYSTEM,
        kind="on_site",
        title="液氯罐区现场处置方案",
        enterprise=park.enterprise_a.pk,
        published_on=days_ago(60),
    )
    overdue = selectors.filing_overdue(park.actor(Role.INSPECTOR))
    assert [p.pk for p in overdue] == [old.pk]
    assert selectors.filing_overdue(park.actor(Role.ENTERPRISE)) == overdue
    services.plan_file(actor=SYSTEM, pk=old.pk, filed_on=days_ago(1), filing_number="late")
    assert selectors.filing_overdue(park.actor(Role.INSPECTOR)) == []


def test_documents_are_checked_by_content(plans: dict[str, Any]) -> None:
    plan = plans["own"]
    row = services.plan_version_add(
        actor=SYSTEM, plan_id=plan.pk, version="V1", file_name="预案.pdf", content=docx("液氯泄漏时启动紧急切断。")
    )
    assert row.content_type.endswith("wordprocessingml.document") and "紧急切断" in row.text
    document = pdf("储罐区发生火灾时启动泡沫灭火系统")
    in_pdf = services.plan_version_add(
        actor=SYSTEM, plan_id=plan.pk, version="V2", file_name="x.docx", content=document
    )
    assert in_pdf.content_type == "application/pdf" and "泡沫灭火系统" in in_pdf.text
    assert [p.pk for p in selectors.plan_search(SYSTEM, q="泡沫灭火")] == [plan.pk]
    broken = (b"MZ\x90\x00 not a document", b"", b"PK\x03\x04broken zip", b"%PDF-1.4 truncated")
    for number, content in enumerate(broken, start=3):
        version = f"V{number}"
        with pytest.raises(InvalidInput) as refused:
            services.plan_version_add(
                actor=SYSTEM, plan_id=plan.pk, version=version, file_name="a.pdf", content=content
            )
        assert refused.value.code is ErrorCode.BAD_DOCUMENT and refused.value.details == {"field": "file"}
    with pytest.raises(InvalidInput) as refused:
        services.plan_version_add(actor=SYSTEM, plan_id=plan.pk, version="V1", file_name="a.pdf", content=PDF)
    assert refused.value.details == {"field": "version"}
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_full_text_search_finds_words_inside_the_document(park: SmallPark, plans: dict[str, Any]) -> None:
    services.plan_version_add(
        actor=SYSTEM,
        plan_id=plans["own"].pk,
        version="V1",
        file_name="a.docx",
        content=docx("发生危险化学品泄漏时，立即启动紧急切断并疏散下风向人员。"),
    )
    inspector = park.actor(Role.INSPECTOR)
    assert [p.pk for p in selectors.plan_search(inspector, q="紧急切断")] == [plans["own"].pk]
    assert [p.pk for p in selectors.plan_search(inspector, q="化学品 疏散")] == [plans["own"].pk]
    assert {p.pk for p in selectors.plan_search(inspector, q="综合应急预案")} == {plans["own"].pk, plans["foreign"].pk}
    assert selectors.plan_search(inspector, q="地震") == []


def test_enterprise_users_write_only_their_own_plans(park: SmallPark, plans: dict[str, Any]) -> None:
    company = park.actor(Role.ENTERPRISE)
    with pytest.raises(Forbidden):
        services.plan_create(actor=company, kind="specific", title="他人预案", enterprise=park.enterprise_b.pk)
    with pytest.raises(Forbidden):
        services.plan_create(actor=company, kind="specific", title="局预案")
    assert {p.pk for p in selectors.plan_search(company)} == {plans["own"].pk}
    count = Plan.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.plan_create(
            actor=company, kind="specific", title="x", enterprise=park.enterprise_a.pk, chemicals=[987654]
        )
    assert refused.value.details == {"field": "chemicals"} and Plan.objects.count() == count


def test_plans_matching_an_incident(park: SmallPark, plans: dict[str, Any]) -> None:
    bureau_general = services.plan_create(
        actor=SYSTEM, kind="comprehensive", title="园区综合应急预案", published_on=days_ago(100)
    )
    services.plan_update(actor=SYSTEM, pk=plans["bureau"].pk, published_on=days_ago(3), incident_types=["fire"])
    inspector = park.actor(Role.INSPECTOR)
    found = selectors.plans_matching(inspector, park.enterprise_a.pk, [park.chlorine.pk], "leak")
    assert [p.pk for p in found] == [plans["own"].pk, bureau_general.pk]
    fire = selectors.plans_matching(inspector, park.enterprise_a.pk, [], "fire")
    assert [p.pk for p in fire] == [plans["bureau"].pk, bureau_general.pk, plans["own"].pk]
    assert plans["foreign"] not in selectors.plans_matching(inspector, park.enterprise_a.pk, [park.chlorine.pk], "leak")


def test_the_incident_panel_gets_the_matching_plans_with_reasons(park: SmallPark, plans: dict[str, Any]) -> None:
    facts = IncidentFacts(enterprise_id=park.enterprise_a.pk, chemical_cas=(park.chlorine.cas,), kind="leak")
    assert matching_plans in plan_providers.providers()  # registered by the plans app
    found = plan_providers.matching_plans(park.actor(Role.DISPATCHER), facts)
    assert found[0].title == plans["own"].title and found[0].url == f"/plans/{plans['own'].pk}/"
    assert "本企业预案" in found[0].reason and "涉及该化学品" in found[0].reason
    assert plan_providers.matching_plans(park.actor(Role.AUDITOR), facts) == []
