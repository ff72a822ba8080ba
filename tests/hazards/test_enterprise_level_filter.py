"""The enterprise list filters by major hazard level: an enterprise counts at the level of its most
serious open major hazard, 无 means no open one; an unknown level is refused in Chinese."""

from __future__ import annotations

from typing import Any

from chempark.core.roles import Role
from chempark.hazards.models import HazardStatus, MajorHazard
from tests.conftest import SmallPark


def listed(client: Any, park: SmallPark, level: str) -> set[str]:
    html = client.get("/registry/enterprise/", {"hazard_level": level}).content.decode()
    return {e.name for e in (park.enterprise_a, park.enterprise_b) if e.name in html}


def test_enterprises_by_their_most_serious_open_hazard(
    park: SmallPark, hazard_a: MajorHazard, hazard_b: MajorHazard, client: Any
) -> None:
    MajorHazard.objects.filter(pk=hazard_a.pk).update(level=1)
    MajorHazard.objects.filter(pk=hazard_b.pk).update(level=3)
    client.force_login(park.users[Role.INSPECTOR])
    page = client.get("/registry/enterprise/").content.decode()
    assert 'name="hazard_level"' in page and ">一级<" in page and ">四级<" in page and ">无<" in page
    assert listed(client, park, "1") == {park.enterprise_a.name}
    assert listed(client, park, "3") == {park.enterprise_b.name}
    assert listed(client, park, "2") == set()
    assert listed(client, park, "none") == set()
    assert listed(client, park, "") == {park.enterprise_a.name, park.enterprise_b.name}

    MajorHazard.objects.filter(pk=hazard_b.pk).update(status=HazardStatus.CANCELLED)
    assert listed(client, park, "3") == set(), "a cancelled hazard no longer grades its enterprise"
    assert listed(client, park, "none") == {park.enterprise_b.name}


def test_the_export_follows_the_filter(
    park: SmallPark, hazard_a: MajorHazard, hazard_b: MajorHazard, client: Any
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    MajorHazard.objects.filter(pk=hazard_a.pk).update(level=2)
    MajorHazard.objects.filter(pk=hazard_b.pk).update(level=4)
    client.force_login(park.users[Role.INSPECTOR])
    response = client.get("/registry/enterprise/export.xlsx", {"hazard_level": "4"})
    sheet = load_workbook(BytesIO(response.content)).active
    names = {str(cell.value) for row in sheet.iter_rows(min_row=2) for cell in row}
    assert park.enterprise_b.name in names and park.enterprise_a.name not in names


def test_an_unknown_level_is_refused_in_chinese(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    response = client.get("/registry/enterprise/", {"hazard_level": "5"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "重大危险源级别" in html and "一级、二级、三级、四级、无" in html
