"""The QRA report shows user values literally: ReportLab reads paragraph text as markup, and a tank
named ``<img src="/etc/passwd"/>`` crashed the report (or embedded a server file), while an ``<a>``
in a name planted a link in an official report."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.emergency import services
from chempark.park.services import registry_update
from tests.conftest import SmallPark

HOSTILE_TANK = '<img src="/etc/passwd"/>'
HOSTILE_TARGET = '<a href="https://evil.example/">点此</a>'
HOSTILE_STUDY = '<font color="red">研究</font> & <b>'


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def squeezed(text: str) -> str:
    """Without whitespace: table cells wrap long names over lines."""
    return "".join(text.split())


def test_hostile_names_render_as_text(park: SmallPark, api: Any, tmp_path: Path, run_jobs: Any) -> None:
    registry_update(actor=SYSTEM, kind="tank", pk=park.tank_a.pk, values={"name": HOSTILE_TANK})
    registry_update(actor=SYSTEM, kind="protectivetarget", pk=park.target.pk, values={"name": HOSTILE_TARGET})
    study = services.qra_study_create(
        actor=SYSTEM, name=HOSTILE_STUDY, park_id=park.park.pk, values={"grid_cell_m": 50.0, "grid_margin_m": 700.0}
    )
    services.qra_start(actor=SYSTEM, pk=study.pk)
    run_jobs()

    response = api(Role.INSPECTOR).call("GET", f"/qra/studies/{study.pk}/report")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = squeezed(pdf_text(pdf, tmp_path))
    for hostile in (HOSTILE_TANK, HOSTILE_TARGET, HOSTILE_STUDY):
        assert squeezed(hostile) in text, hostile
    assert b"/Subtype /Image" not in pdf and b"/XObject" not in pdf, "no file was embedded"
    assert b"/URI" not in pdf and b"/Annots" not in pdf, "no link was planted"
