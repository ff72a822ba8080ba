"""The budget pages as finance and the bureau use them: refusals in words naming the field with
nothing changed, evidence kept and served back, activities recorded, the figures listed."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chempark.budget.models import Activity, Evidence, Indicator, Project, Spending
from chempark.core.roles import Role
from tests.budget.conftest import STATEMENT, YEAR
from tests.conftest import SmallPark

MID_JULY = dt.datetime(YEAR, 7, 15, 10, 0, tzinfo=dt.UTC)


def _client(park: SmallPark, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


@time_machine.travel(MID_JULY, tick=False)
def test_spending_refusals_name_the_field_and_change_nothing(imported: list[Project], park: SmallPark) -> None:
    client, project = _client(park, Role.FINANCE), imported[2]  # 15.00 万元
    url = f"/budget/projects/{project.pk}/spending/"
    cases = [
        ({"date": f"{YEAR}-07-01", "amount": "15.01"}, "金额", "剩余预算 15"),
        ({"date": f"{YEAR}-07-01", "amount": "-2"}, "金额", "大于 0"),
        ({"date": f"{YEAR - 1}-12-31", "amount": "1"}, "支出日期", f"{YEAR} 年度"),
        ({"date": "2026-13-01", "amount": "1"}, "支出日期", "YYYY-MM-DD"),
        ({"date": f"{YEAR}-07-01", "amount": "abc"}, "金额", ""),
    ]
    for body, field, words in cases:
        response = client.post(url, body)
        text = response.content.decode()
        assert response.status_code == 422, body
        assert field in text and words in text, (body, text[text.find("spending-error") :][:300])
    assert not Spending.objects.exists()
    response = client.post(url, {"date": f"{YEAR}-07-01", "amount": "3.75", "voucher": "记-07-001"})
    assert response.status_code == 302
    page = client.get(f"/budget/projects/{project.pk}/").content.decode()
    assert "25.00%" in page and "记-07-001" in page


def test_indicator_result_with_evidence(imported: list[Project], park: SmallPark) -> None:
    client = _client(park, Role.FINANCE)
    indicator = Indicator.objects.get(project=imported[0], level3="服务对象满意度")
    url = f"/budget/indicators/{indicator.pk}/"
    with (STATEMENT.parent / "bureau-performance-targets.txt").open("rb") as wrong_kind:
        response = client.post(url, {"achieved_value": "95", "evidence": wrong_kind})
    assert response.status_code == 422 and "佐证材料" in response.content.decode()
    assert not Evidence.objects.exists() and Indicator.objects.get(pk=indicator.pk).achieved_value is None
    survey = SimpleUploadedFile("满意度调查.pdf", b"%PDF-1.4 survey", content_type="application/pdf")
    response = client.post(url, {"achieved_value": "很好", "evidence": survey})
    assert response.status_code == 422 and "实际完成值" in response.content.decode()
    assert not Evidence.objects.exists()  # a refused result keeps no evidence either
    survey.seek(0)
    response = client.post(url, {"achieved_value": "95", "deviation_reason": "少数企业未回复", "evidence": survey})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.achieved_value == 95 and indicator.deviation_reason == "少数企业未回复"
    evidence = Evidence.objects.get()
    download = _client(park, Role.BUREAU_ADMIN).get(f"/budget/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 survey"
    assert download["Content-Type"] == "application/pdf"
    page = client.get(f"/budget/projects/{imported[0].pk}/").content.decode()
    assert "95" in page


@time_machine.travel(MID_JULY, tick=False)
def test_activities_are_recorded_and_counted(park: SmallPark, imported: list[Project]) -> None:
    client = _client(park, Role.INSPECTOR)
    bad = client.post(
        "/budget/activities/",
        {"kind": "training", "topic": "培训", "date": f"{YEAR}-07-01", "participants": "10", "passed": "11"},
    )
    assert bad.status_code == 422 and "考核合格人数" in bad.content.decode()
    assert not Activity.objects.exists()
    ok = client.post(
        "/budget/activities/",
        {"kind": "training", "topic": "主要负责人培训", "date": f"{YEAR}-07-01", "participants": "40", "passed": "38"},
    )
    assert ok.status_code == 302
    page = client.get("/budget/activities/").content.decode()
    assert "主要负责人培训" in page and "培训人员人次" in page and "40人次" in page
    assert "不可用（相关模块尚未上线）" in page  # drills, inspections ... not zero


@time_machine.travel(MID_JULY, tick=False)
def test_a_name_list_gives_the_session_its_counts(park: SmallPark, imported: list[Project]) -> None:
    client = _client(park, Role.INSPECTOR)
    client.post(
        "/budget/activities/",
        {"kind": "training", "topic": "特种作业培训", "date": f"{YEAR}-07-01", "participants": "30"},
    )
    session = Activity.objects.get()
    url = f"/budget/activities/{session.pk}/"
    refused = client.post(url, {"name": "王五", "passed": "no", "certificate_no": "Z-9"})
    assert refused.status_code == 422 and "证书编号" in refused.content.decode()
    for name, passed, certificate in (("张三", "yes", "T-001"), ("李四", "yes", ""), ("王五", "no", "")):
        assert client.post(url, {"name": name, "passed": passed, "certificate_no": certificate}).status_code == 302
    session.refresh_from_db()
    assert (session.participants, session.passed, session.certificates) == (3, 2, 1)
    page = client.get(url).content.decode()
    assert "张三" in page and "T-001" in page and "不合格" in page
    assert _client(park, Role.FINANCE).post(url, {"name": "赵六"}).status_code == 403
