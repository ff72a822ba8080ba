"""Registry pages through the Django test client: lists, detail, edit, export, scoping."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.park.registry import SPECS
from tests.conftest import SmallPark


@pytest.mark.parametrize("kind", list(SPECS))
def test_list_and_detail_pages_render(park: SmallPark, client: Any, kind: str) -> None:
    client.force_login(park.users[Role.DISPATCHER])
    page = client.get(f"/registry/{kind}/?sort=id")
    assert page.status_code == 200
    row = SPECS[kind].model.objects.order_by("id").first()
    detail = client.get(f"/registry/{kind}/{row.pk}/")
    assert detail.status_code == 200
    assert "编辑" not in detail.content.decode(), "a dispatcher sees no edit button"


def test_search_filter_sort_and_pagination(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    body = client.get("/registry/enterprise/?q=乙化工").content.decode()
    assert "乙化工有限公司" in body and "甲化工有限公司" not in body
    assert client.get("/registry/enterprise/?status=closed").content.decode().count("化工有限公司") == 0
    assert client.get("/registry/enterprise/?sort=nonsense").status_code == 422


def test_edit_enterprise_through_the_form(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    form = client.get(f"/registry/enterprise/{park.enterprise_a.pk}/edit/")
    assert form.status_code == 200
    data = {
        "park": park.park.pk,
        "name": "甲化工（改名）有限公司",
        "uscc": park.enterprise_a.uscc,
        "kind": "production",
        "industry": "氯碱",
        "address": "新地址",
        "lon": "118.2",
        "lat": "39.2",
        "legal_representative": "",
        "safety_contact": "",
        "safety_phone": "",
        "employees": "100",
        "status": "operating",
    }
    response = client.post(f"/registry/enterprise/{park.enterprise_a.pk}/edit/", data)
    assert response.status_code == 302
    park.enterprise_a.refresh_from_db()
    assert park.enterprise_a.name == "甲化工（改名）有限公司"
    assert AuditEvent.objects.filter(object_type="enterprise", action="update", actor_username="inspector").exists()
    bad = client.post(f"/registry/enterprise/{park.enterprise_a.pk}/edit/", {**data, "uscc": "91130209MA00000010"})
    assert (bad.status_code == 422 and "校验" in bad.content.decode()) or "check" in bad.content.decode()
    park.enterprise_a.refresh_from_db()
    assert park.enterprise_a.uscc != "91130209MA00000010"


def test_enterprise_user_pages_are_scoped(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.ENTERPRISE])
    listing = client.get("/registry/enterprise/").content.decode()
    assert "甲化工有限公司" in listing and "乙化工有限公司" not in listing
    assert client.get(f"/registry/unit/{park.unit_b.pk}/").status_code == 404
    assert client.get(f"/registry/unit/{park.unit_b.pk}/edit/").status_code == 404
    assert client.post(f"/registry/tank/{park.tank_b.pk}/delete/").status_code == 302
    assert type(park.tank_b).objects.filter(pk=park.tank_b.pk).exists()
    # its own unit form only offers its own enterprise
    form = client.get(f"/registry/unit/{park.unit_a.pk}/edit/").content.decode()
    assert "乙化工有限公司" not in form
    assert client.get("/registry/park/new/").status_code == 403


def test_export_xlsx_follows_the_search(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    response = client.get("/registry/enterprise/export.xlsx?q=甲化工")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "企业名称*" and len(rows) == 2 and rows[1][1] == "甲化工有限公司"


def test_login_required(client: Any, db: None) -> None:
    for url in ("/", "/registry/enterprise/", "/accounts/audit/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_english_is_switchable(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    assert "企业" in client.get("/registry/enterprise/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/registry/enterprise/").content.decode()
    assert "Enterprise name" in english and "Export to Excel" in english and "企业名称" not in english


def test_tank_pages_show_the_bund_area(park: SmallPark, client: Any) -> None:
    from decimal import Decimal

    from chempark.park.services import registry_update

    registry_update(
        actor=park.actor(Role.INSPECTOR), kind="tank", pk=park.tank_a.pk, values={"bund_area_m2": Decimal("150.5")}
    )
    client.force_login(park.users[Role.INSPECTOR])
    listing = client.get("/registry/tank/").content.decode()
    assert "围堰面积 (m²)" in listing and "150.5" in listing
    form = client.get(f"/registry/tank/{park.tank_a.pk}/edit/").content.decode()
    assert 'name="bund_area_m2"' in form
    response = client.post(
        f"/registry/tank/{park.tank_a.pk}/edit/",
        {
            "unit": park.unit_a.pk,
            "code": "T01",
            "name": "液氯储罐",
            "kind": "pressure",
            "chemical": park.chlorine.pk,
            "volume_m3": "50",
            "design_max_t": "40",
            "bund_area_m2": "-3",
        },
    )
    assert response.status_code == 422  # the form is shown again with the error
    park.tank_a.refresh_from_db()
    assert park.tank_a.bund_area_m2 == Decimal("150.5")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Bund area (m²)" in client.get("/registry/tank/").content.decode()
