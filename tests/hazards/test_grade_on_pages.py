"""Inventory and unit pages say that grading uses the design maximum and show the unit's grade; a save
that changes the grade announces it with a link to the major hazard."""

from __future__ import annotations

from typing import Any

from chempark.core.roles import Role
from chempark.hazards.models import MajorHazard
from chempark.park.models import Inventory
from tests.conftest import SmallPark


def test_inventory_pages_show_the_grade_and_its_basis(park: SmallPark, client: Any) -> None:
    inventory = Inventory.objects.filter(unit=park.unit_a).first()
    assert inventory is not None
    client.force_login(park.users[Role.ENTERPRISE])
    for url in (f"/registry/inventory/{inventory.pk}/", f"/registry/inventory/{inventory.pk}/edit/"):
        html = client.get(url).content.decode()
        assert "按各存量的设计最大量计算" in html and "重大危险源（S = 8.00）" in html
    assert "重大危险源（S = 8.00）" in client.get(f"/registry/unit/{park.unit_a.pk}/").content.decode()


def test_a_regrade_is_announced_on_save_with_a_link(park: SmallPark, client: Any) -> None:
    inventory = Inventory.objects.filter(unit=park.unit_a).first()
    assert inventory is not None
    hazard = MajorHazard.objects.get(unit=park.unit_a)
    client.force_login(park.users[Role.ENTERPRISE])
    form = {"unit": park.unit_a.pk, "chemical": inventory.chemical_id, "current_t": "0", "mass_fraction": ""}
    page = client.post(f"/registry/inventory/{inventory.pk}/edit/", {**form, "design_max_t": "400"}, follow=True)
    html = page.content.decode()
    assert "重大危险源分级已变化" in html and "→ 一级重大危险源（S = 80.00）" in html
    assert f'href="/hazards/{hazard.pk}/"' in html
    quiet = client.post(f"/registry/inventory/{inventory.pk}/edit/", {**form, "design_max_t": "400"}, follow=True)
    assert "重大危险源分级已变化" not in quiet.content.decode(), "no change, no announcement"
