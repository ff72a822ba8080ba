"""Leak-source estimation service and the QRA study workflow (small grid: 2 shared cores)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from chempark.consequence import dispersion, zones
from chempark.consequence.qra_rows import target_category
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.emergency import services
from chempark.emergency.models import QraStatus, QraStudy
from tests.conftest import SmallPark

TRUE_SOURCE = (118.19, 39.205)
CENTRE = (118.2, 39.2)


def synthetic_readings(rate_g_s: float) -> list[dict[str, Any]]:
    """Readings of eight detectors west of a 1 m... ground source, from the plume itself (wind from
    the east, 4 m/s, class D), so the estimate must find the source again."""
    offsets = [(-300, 0), (-300, 60), (-300, -60), (-600, 0), (-600, 120), (-600, -120), (-900, 40), (-200, 200)]
    src = zones.lonlat_to_local(np.array([TRUE_SOURCE]), *CENTRE)[0]
    detectors = []
    for dx, dy in offsets:
        downwind, crosswind = -dx, dy  # wind from 90°: downwind is west
        c = dispersion.gaussian_plume_concentration_g_m3(
            rate_g_s,
            float(downwind),
            float(crosswind),
            1.5,
            wind_speed_m_s=4.0,
            release_height_m=0.0,
            stability="D",
            mixing_height_m=math.inf,
        )
        lon, lat = zones.local_to_lonlat(np.array([[src[0] + dx, src[1] + dy]]), *CENTRE)[0]
        detectors.append({"lon": float(lon), "lat": float(lat), "concentration_g_m3": float(c)})
    return detectors


def test_leak_source_finds_the_source_and_draws_its_zone(park: SmallPark, api: Any) -> None:
    body = {
        "detectors": synthetic_readings(200.0),
        "chemical_cas": "7782-50-5",
        "weather": {"wind_speed_m_s": 4.0, "wind_from_deg": 90.0, "stability": "D"},
    }
    response = api(Role.DISPATCHER).call("POST", "/simulations/leak-source", body)
    assert response.status_code == 201, response.json()
    run = response.json()
    result = run["results"]
    assert result["ill_posed"] is False
    found = zones.lonlat_to_local(np.array([[result["lon"], result["lat"]]]), *TRUE_SOURCE)[0]
    assert math.hypot(*found) < 5.0  # noise-free readings: the fit lands on the source
    assert result["rate_g_s"] == pytest.approx(200.0, rel=0.02)
    assert result["standard_error_east_m"] >= 0 and result["rate_factor_1sigma"] >= 1
    assert [z["level"] for z in result["zones"]] == ["AEGL-3", "AEGL-2", "AEGL-1"]
    assert run["kind"] == "leak_source"


def test_leak_source_with_two_detectors_is_flagged_ill_posed(park: SmallPark, api: Any) -> None:
    body = {
        "detectors": synthetic_readings(200.0)[:2],
        "weather": {"wind_speed_m_s": 4.0, "wind_from_deg": 90.0, "stability": "D"},
    }
    run = api(Role.INSPECTOR).call("POST", "/simulations/leak-source", body).json()
    assert run["results"]["ill_posed"] is True
    assert any("ill-posed" in w for w in run["warnings"])


@pytest.mark.parametrize(
    "change",
    [
        {"detectors": [{"lon": 118.2, "lat": 39.2, "concentration_g_m3": 0.01}]},
        {"detectors": [{"lon": 118.2, "lat": 39.2, "ppm": 1}, {"lon": 118.21, "lat": 39.2, "ppm": 2}]},
        {
            "detectors": [
                {"lon": 118.2, "lat": 39.2, "concentration_g_m3": 0},
                {"lon": 118.21, "lat": 39.2, "concentration_g_m3": 0},
            ]
        },
        {"weather": {"wind_speed_m_s": 0.3, "wind_from_deg": 90.0, "stability": "D"}},
    ],
)
def test_leak_source_bad_input_is_422(park: SmallPark, api: Any, change: dict[str, Any]) -> None:
    body = {
        "detectors": synthetic_readings(200.0),
        "weather": {"wind_speed_m_s": 4.0, "wind_from_deg": 90.0, "stability": "D"},
        **change,
    }
    assert api(Role.INSPECTOR).call("POST", "/simulations/leak-source", body).status_code == 422


def test_target_categories() -> None:
    assert target_category("school", 10) == "high_sensitivity"
    assert target_category("nursing_home", 500) == "high_sensitivity"
    assert target_category("residential", 100) == "general_class_1"
    assert target_category("office", 99) == "general_class_2"
    assert target_category("office", 30) == "general_class_2"
    assert target_category("other", 29) == "general_class_3"


def test_default_scenarios_from_the_tanks(small_study: QraStudy) -> None:
    # two 40 t chlorine pressure tanks → a 10 mm hole, a 10-minute release and the rupture each
    assert len(small_study.scenarios) == 6
    rupture = small_study.scenarios[2]
    assert rupture["hole_size_class"] == "instantaneous" and rupture["frequency_per_year"] == 5e-7
    hole = small_study.scenarios[0]
    assert hole["hole_size_class"] == "10mm" and hole["frequency_per_year"] == 1e-5
    assert "Purple Book" in hole["frequency_source"]
    ten = small_study.scenarios[1]
    airborne = hole["rate_kg_s"] / (40000 / (hole["exposure_min"] * 60)) if hole["exposure_min"] < 30 else None
    assert ten["frequency_per_year"] == 5e-7 and ten["exposure_min"] == 10.0
    assert airborne is None  # 40 t through 10 mm lasts far longer than 30 min
    assert small_study.status == QraStatus.DRAFT
    assert next(row["category"] for row in small_study.risk_limits) == "high_sensitivity"
    assert sum(small_study.wind_rose) == pytest.approx(1.0)


def test_qra_runs_with_progress_and_checks_the_school(finished_study: QraStudy) -> None:
    study = finished_study
    assert study.status == QraStatus.SUCCEEDED, study.error
    assert study.progress == 1.0 and study.finished_at is not None
    results = study.results or {}
    assert results["scenario_count"] == 6
    (check,) = results["target_checks"]
    assert check["name"] == "中心小学" and check["category"] == "high_sensitivity"
    assert check["limit_per_year"] == 3e-6  # existing installation, high-sensitivity (editable table)
    assert check["acceptable"] == (check["individual_risk_per_year"] <= 3e-6)
    assert results["max_individual_risk_per_year"] > 0
    assert results["contours"]["type"] == "FeatureCollection"
    levels = {f["properties"]["level_per_year"] for f in results["contours"]["features"]}
    assert levels <= {1e-5, 3e-6, 1e-6, 3e-7} and levels


def test_editing_a_study_clears_results_and_bad_edits_are_refused(finished_study: QraStudy, api: Any) -> None:
    client = api(Role.EXPERT)
    path = f"/qra/studies/{finished_study.pk}"
    bad_rose = client.call("PATCH", path, {"wind_rose": [0.1] * 16})
    assert bad_rose.status_code == 422 and "wind rose" in bad_rose.json()["message"]
    bad_weather = client.call(
        "PATCH", path, {"weather_classes": [{"name": "D5", "stability": "D", "wind_speed_m_s": 5, "probability": 0.5}]}
    )
    assert bad_weather.status_code == 422
    finished_study.refresh_from_db()
    assert finished_study.status == QraStatus.SUCCEEDED
    ok = client.call("PATCH", path, {"installation_status": "new"})
    assert ok.status_code == 200 and ok.json()["status"] == "draft" and ok.json()["results"] is None


def test_report_pdf(finished_study: QraStudy, api: Any) -> None:
    response = api(Role.INSPECTOR).call("GET", f"/qra/studies/{finished_study.pk}/report")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"WenQuanYi" in response.content or b"STSong" in response.content


def test_report_of_an_unfinished_study_is_409(small_study: QraStudy, api: Any) -> None:
    assert api(Role.INSPECTOR).call("GET", f"/qra/studies/{small_study.pk}/report").status_code == 409


def test_start_or_edit_while_queued_is_409(small_study: QraStudy) -> None:
    services.qra_start(actor=SYSTEM, pk=small_study.pk)
    with pytest.raises(services.Conflict):
        services.qra_start(actor=SYSTEM, pk=small_study.pk)
    with pytest.raises(services.Conflict):
        services.qra_study_update(actor=SYSTEM, pk=small_study.pk, values={"name": "改名"})


def test_a_study_left_running_without_a_job_can_be_started_again(small_study: QraStudy, run_jobs: Any) -> None:
    """A study marked running by a process that no longer exists (no queued or running job) is not
    a permanent 409: it can be edited and started, and the new run completes it."""
    QraStudy.objects.filter(pk=small_study.pk).update(status=QraStatus.RUNNING, progress=0.4)
    services.qra_study_update(actor=SYSTEM, pk=small_study.pk, values={"grid_cell_m": 100.0})
    services.qra_start(actor=SYSTEM, pk=small_study.pk)
    assert run_jobs() == 1
    small_study.refresh_from_db()
    assert small_study.status == QraStatus.SUCCEEDED and small_study.progress == 1.0


def test_a_failed_qra_job_fails_the_study_with_the_reason_and_it_can_run_again(
    small_study: QraStudy, run_jobs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error in the run fails its job for good; the study says why (no permanent
    409) and, once the cause is gone, can be edited and started again."""
    run_study = services.qra_platform.run_study

    def out_of_memory(**kwargs: Any) -> Any:
        raise MemoryError("网格过大，内存不足")

    monkeypatch.setattr(services.qra_platform, "run_study", out_of_memory)
    services.qra_start(actor=SYSTEM, pk=small_study.pk)
    assert run_jobs() == 1
    small_study.refresh_from_db()
    assert small_study.status == QraStatus.FAILED and "内存不足" in small_study.error
    monkeypatch.setattr(services.qra_platform, "run_study", run_study)
    services.qra_study_update(actor=SYSTEM, pk=small_study.pk, values={"grid_cell_m": 100.0})
    services.qra_start(actor=SYSTEM, pk=small_study.pk)
    assert run_jobs() == 1
    small_study.refresh_from_db()
    assert small_study.status == QraStatus.SUCCEEDED
