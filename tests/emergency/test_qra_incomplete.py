"""A QRA study that leaves a tank without scenarios (no data, no model) never judges a target
"满足": the verdict is 不完整 and names the tank, on the study page, in the API and in the report."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.test import Client

from chempark.consequence.qra_platform import verdict
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.emergency import services
from chempark.emergency.models import QraStatus
from chempark.park.services import registry_create
from tests.conftest import SmallPark
from tests.emergency.test_report_markup import pdf_text, squeezed

UNMODELLED_TANK = "硫酸储罐"


def test_verdict_rules() -> None:
    assert verdict(True, []) == "acceptable"
    assert verdict(True, ["某储罐"]) == "incomplete"
    assert verdict(False, ["某储罐"]) == "unacceptable"  # missing scenarios only add risk


def test_a_tank_that_cannot_be_modelled_makes_every_verdict_incomplete(
    park: SmallPark, api: Any, run_jobs: Any, tmp_path: Path
) -> None:
    acid = registry_create(
        actor=SYSTEM,
        kind="chemical",
        values={
            "name_zh": "硫酸",
            "name_en": "",
            "aliases": "",
            "cas": "7664-93-9",
            "un_number": "1830",
            "ghs_categories": [],
        },
    )
    registry_create(
        actor=SYSTEM,
        kind="tank",
        values={
            "unit": park.unit_a.pk,
            "code": "T09",
            "name": UNMODELLED_TANK,
            "kind": "fixed_roof",
            "chemical": acid.pk,
            "volume_m3": Decimal("50"),
            "design_max_t": Decimal("80"),
        },
    )
    lax = [
        {
            "category": "high_sensitivity",
            "description_zh": "高敏感防护目标",
            "new_per_year": 1.0,
            "existing_per_year": 1.0,
            "confidence": "test",
        }
    ]
    study = services.qra_study_create(
        actor=SYSTEM,
        name="不完整研究",
        park_id=park.park.pk,
        values={"grid_cell_m": 50.0, "grid_margin_m": 700.0, "risk_limits": lax},
    )
    assert any(UNMODELLED_TANK in note["subject"] for note in study.notes)
    services.qra_start(actor=SYSTEM, pk=study.pk)
    assert run_jobs() == 1
    study.refresh_from_db()
    assert study.status == QraStatus.SUCCEEDED, study.error

    body = api(Role.INSPECTOR).call("GET", f"/qra/studies/{study.pk}").json()
    (check,) = body["results"]["target_checks"]
    assert check["acceptable"] is True  # under the (lax) limit, yet not judged acceptable
    assert check["verdict"] == "incomplete"
    assert any(UNMODELLED_TANK in name for name in check["missing"])
    assert any(UNMODELLED_TANK in name for name in body["results"]["missing"])

    client = Client()
    client.force_login(park.users[Role.INSPECTOR])
    page = client.get(f"/emergency/qra/{study.pk}/").content.decode()
    assert "不完整" in page and UNMODELLED_TANK in page
    checks_table = page.split('data-testid="qra-checks"')[1].split("</table>")[0]
    assert "满足" not in checks_table.replace("不满足", "")  # no "acceptable" badge anywhere

    report = squeezed(pdf_text(client.get(f"/emergency/qra/{study.pk}/report.pdf").content, tmp_path))
    assert "不完整" in report and UNMODELLED_TANK in report
