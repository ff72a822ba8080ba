"""Enforcement cases: the eight stages in order (409 naming the allowed step otherwise, each audited),
the legal deadlines, documents read back from the DOCX with the case's data, refusals of templates
naming a missing field, user values printed literally in the PDF, and the statistics."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from docx import Document

from chempark.accounts.models import AuditEvent
from chempark.core.actors import SYSTEM
from chempark.core.errors import InvalidInput
from chempark.core.roles import Role
from chempark.park.models import Enterprise
from chempark.supervision import case_services, seed, selectors
from chempark.supervision.inspection_services import Finding, inspection_record
from chempark.supervision.models import DocumentTemplate, EnforcementCase
from tests.conftest import SmallPark
from tests.supervision.conftest import days_from_today

STAGES = ["investigated", "reviewed", "notified", "decided", "served", "executed", "closed"]


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    """The templates migration 0002 installs (a flushing test elsewhere may have emptied the table)."""
    for kind, (title, body) in seed.TEMPLATES.items():
        DocumentTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


def file_case(park: SmallPark, *, number: str = "应急罚〔2026〕1号", with_inspection: bool = True) -> EnforcementCase:
    Enterprise.objects.filter(pk=park.enterprise_a.pk).update(
        legal_representative="张三", address="化工园区纬三路 8 号"
    )
    inspection = None
    if with_inspection:
        inspection = inspection_record(
            actor=SYSTEM,
            enterprise_id=park.enterprise_a.pk,
            inspected_on=days_from_today(-40),
            inspectors="王建国、李明",
            findings=[Finding("液氯储罐区气体检测报警器失效", deadline=days_from_today(-20))],
        )
    return case_services.case_file(
        actor=SYSTEM,
        number=number,
        enterprise_id=park.enterprise_a.pk,
        violation_kind="hidden_danger",
        violation="未对气体检测报警器定期检定",
        filed_on=days_from_today(-30),
        handler="王建国",
        inspection_id=inspection.pk if inspection else None,
    )


def advance(case: EnforcementCase, stage: str, day: int, **extra: Any) -> EnforcementCase:
    return case_services.case_advance(
        actor=SYSTEM, case_id=case.pk, action=f"to_{stage}", on=days_from_today(day), **extra
    )


def test_the_stages_run_in_order_each_audited(park: SmallPark, api: Any) -> None:
    case = file_case(park)
    client = api(Role.INSPECTOR)
    skip = client.call("POST", f"/enforcement-cases/{case.pk}/to_decided", {"on": days_from_today(-1).isoformat()})
    assert skip.status_code == 409
    assert skip.json()["code"] == "transition_not_allowed"
    assert skip.json()["details"]["allowed"] == ["to_investigated"]
    for index, stage in enumerate(STAGES):
        body: dict[str, Any] = {"on": days_from_today(-20 + index).isoformat()}
        if stage == "decided":
            body.update(legal_basis="《安全生产法》第一百零一条", penalty_yuan="30000")
        answer = client.call("POST", f"/enforcement-cases/{case.pk}/to_{stage}", body)
        assert answer.status_code == 200, (stage, answer.json())
        assert answer.json()["stage"] == stage
    assert (
        client.call("POST", f"/enforcement-cases/{case.pk}/to_closed", {"on": days_from_today(0).isoformat()}).json()[
            "details"
        ]["allowed"]
        == []
    )
    audited = AuditEvent.objects.filter(object_type="enforcement_case", object_id=str(case.pk))
    assert audited.count() == 1 + len(STAGES)


def test_a_decision_needs_its_basis_and_penalty(park: SmallPark) -> None:
    case = file_case(park)
    for stage, day in (("investigated", -20), ("reviewed", -15), ("notified", -10)):
        advance(case, stage, day)
    with pytest.raises(InvalidInput) as refused:
        advance(case, "decided", -3)
    assert refused.value.details == {"legal_basis": ["处罚依据不能为空。"]}
    case.refresh_from_db()
    assert case.stage == "notified"


def test_legal_deadlines_follow_the_stage_dates(park: SmallPark) -> None:
    case = file_case(park)
    for stage, day in (("investigated", -20), ("reviewed", -15), ("notified", -10)):
        advance(case, stage, day)
    advance(case, "decided", -9, legal_basis="《安全生产法》第一百零一条", penalty_yuan=Decimal(5000))
    deadlines = {d.label: d for d in selectors.case_deadlines(case)}
    decision = deadlines["立案 → 决定"]
    assert decision.due_on == days_from_today(-30 + 90) and decision.met_on == days_from_today(-9)
    service = deadlines["决定 → 送达"]
    assert service.due_on == days_from_today(-2) and service.met_on is None
    assert service.overdue(days_from_today(0))
    assert not deadlines["告知（听证权利） → 决定"].overdue(days_from_today(0))


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_documents_open_and_hold_the_case_data(park: SmallPark, api: Any) -> None:
    case = file_case(park)
    client = api(Role.INSPECTOR)
    order = client.call("GET", f"/enforcement-cases/{case.pk}/documents/rectification_order.docx")
    assert order.status_code == 200
    text = _docx_text(order.content)
    assert "责令限期整改指令书" in text and park.enterprise_a.name in text
    assert "液氯储罐区气体检测报警器失效" in text and case.number in text
    record = _docx_text(client.call("GET", f"/enforcement-cases/{case.pk}/documents/inspection_record.docx").content)
    assert "王建国、李明" in record and park.enterprise_a.uscc in record
    for stage, day in (("investigated", -20), ("reviewed", -15), ("notified", -10)):
        advance(case, stage, day)
    advance(case, "decided", -3, legal_basis="《安全生产法》第一百零一条", penalty_yuan=Decimal("30000"))
    answer = client.call("GET", f"/enforcement-cases/{case.pk}/documents/penalty_decision.docx")
    assert answer.status_code == 200, answer.content
    decision = _docx_text(answer.content)
    assert "30,000.00" in decision and "《安全生产法》第一百零一条" in decision
    pdf = client.call("GET", f"/enforcement-cases/{case.pk}/documents/penalty_decision.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_document_needing_a_field_the_case_lacks_is_refused_by_name(park: SmallPark, api: Any) -> None:
    case = file_case(park)
    client = api(Role.INSPECTOR)
    early = client.call("GET", f"/enforcement-cases/{case.pk}/documents/penalty_decision.docx")
    assert early.status_code == 422
    assert early.json()["code"] == "template_field_missing"
    assert early.json()["details"] == {"field": "legal_basis"}
    case_services.template_update(
        actor=SYSTEM, kind="inspection_record", title="现场检查记录", body="{enterprise_name} {seal}"
    )
    unknown = client.call("GET", f"/enforcement-cases/{case.pk}/documents/inspection_record.docx")
    assert unknown.status_code == 422 and unknown.json()["details"] == {"field": "seal"}
    assert "{seal}" in unknown.json()["message"]


def test_user_values_print_literally_in_the_pdf(park: SmallPark) -> None:
    from chempark.supervision import documents

    case = file_case(park, with_inspection=False)
    EnforcementCase.objects.filter(pk=case.pk).update(violation='<img src="/etc/passwd"/> <a href="x">链接</a>')
    case.refresh_from_db()
    template = DocumentTemplate(kind="x", title="测试", body="{violation}")
    rendered = documents.render(template, case)
    assert rendered.paragraphs == ['<img src="/etc/passwd"/> <a href="x">链接</a>']
    assert documents.as_pdf(rendered).startswith(b"%PDF")


def test_statistics_by_enterprise_violation_and_month(park: SmallPark) -> None:
    first = file_case(park, number="A-1")
    file_case(park, number="A-2", with_inspection=False)
    for stage, day in (("investigated", -20), ("reviewed", -15), ("notified", -10)):
        advance(first, stage, day)
    advance(first, "decided", -3, legal_basis="依据", penalty_yuan=Decimal(20000))
    stats = selectors.case_statistics(SYSTEM)
    assert stats["enterprise"] == [
        {"enterprise__name": park.enterprise_a.name, "cases": 2, "penalty_yuan": Decimal("20000.00")}
    ]
    assert stats["violation"][0]["violation_kind"] == "hidden_danger" and stats["violation"][0]["cases"] == 2
    assert sum(row["cases"] for row in stats["month"]) == 2
