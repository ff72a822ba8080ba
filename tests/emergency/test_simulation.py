"""The accident-simulation service and API: zones, affected targets, validity and refusals."""

from __future__ import annotations

import math
from typing import Any

import pytest
from shapely.geometry import Point, shape

from chempark.accounts.models import AuditEvent
from chempark.consequence import dispersion, source, weather
from chempark.core.roles import Role
from chempark.emergency.models import SimulationRun
from tests.conftest import SmallPark
from tests.emergency.conftest import chlorine_leak

CHLORINE_M = 70.906  # g/mol
VM_20C = 8.314462618 * 293.15 / 101325 * 1000  # L/mol at 20 °C = 24.055


def test_chlorine_zones_and_the_school_inside(park: SmallPark, api: Any) -> None:
    response = api(Role.DISPATCHER).call("POST", "/simulations/accident", chlorine_leak())
    assert response.status_code == 201, response.json()
    run = response.json()
    zones = run["results"]["zones"]
    # AEGL-3/2/1 (60 min) = 20 / 2 / 0.5 ppm; mg/m3 = ppm · M / Vm at 20 °C
    assert [z["level"] for z in zones] == ["AEGL-3", "AEGL-2", "AEGL-1"]
    for zone, ppm in zip(zones, (20, 2, 0.5), strict=True):
        assert zone["threshold_g_m3"] == pytest.approx(ppm * CHLORINE_M / VM_20C / 1000, rel=1e-5)
    assert [z["colour"] for z in zones] == ["#e03131", "#f76707", "#fab005"]
    # The zone ends where the ground-level centre-line concentration of a 1 m high source equals the
    # threshold: C = Q/(π u σy σz) · exp(−H²/2σz²), wind 3 m/s (10 m; held constant below 10 m).
    aegl2 = zones[1]
    x = aegl2["downwind_extent_m"]
    sy, sz = weather.dispersion_coefficients(x, "D")
    c = 1000.0 / (math.pi * 3.0 * float(sy) * float(sz)) * math.exp(-1.0 / (2 * float(sz) ** 2))
    assert c == pytest.approx(aegl2["threshold_g_m3"], rel=0.01)
    # The school (1.73 km due west, wind from the east) is inside AEGL-2 but outside AEGL-3.
    assert zones[0]["downwind_extent_m"] < 1728 < zones[1]["downwind_extent_m"]
    affected = run["results"]["affected_targets"]
    assert [(t["name"], t["zone_index"], t["people_affected"]) for t in affected] == [("中心小学", 1, 800)]
    # 0.02° of longitude on the WGS84 parallel at 39.2° N: N·cos φ·Δλ, N = a/√(1 − e² sin² φ)
    phi = math.radians(39.2)
    parallel_radius = 6378137.0 / math.sqrt(1 - 0.00669438 * math.sin(phi) ** 2) * math.cos(phi)
    assert affected[0]["distance_m"] == pytest.approx(parallel_radius * math.radians(0.02), abs=0.2)
    assert run["affected_people"] == 800 and run["affected_targets"] == 1
    # the zones are GeoJSON polygons heading west of the source
    polygon = shape(run["results"]["geojson"]["features"][1]["geometry"])
    assert polygon.contains(Point(118.16, 39.2)) and polygon.bounds[2] <= 118.1801
    # chlorine is dense: the Britter-McQuaid model is used, and the passive plume sets the far zones
    assert run["results"]["dispersion"]["model"] == "britter_mcquaid"
    assert run["results"]["dispersion"]["params"]["far_field_model"] == "gaussian"
    assert AuditEvent.objects.filter(object_type="simulation_run", object_id=str(run["id"])).count() == 1


def test_wind_from_the_west_misses_the_school(park: SmallPark, api: Any) -> None:
    body = chlorine_leak(weather={"wind_speed_m_s": 3.0, "wind_from_deg": 270.0, "stability": "D"})
    run = api(Role.INSPECTOR).call("POST", "/simulations/accident", body).json()
    # downwind (east) lies the enterprises' sites, not the school
    assert [t for t in run["results"]["affected_targets"] if t["group"] == "target"] == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"weather": {"wind_speed_m_s": 0.5, "wind_from_deg": 90.0, "stability": "D"}}, "invalid_model_input"),
        ({"weather": {"wind_speed_m_s": 3.0, "wind_from_deg": 90.0, "stability": "G"}}, "validation_error"),
        ({"weather": {"wind_speed_m_s": 3.0, "wind_from_deg": 90.0}}, "validation_error"),
        ({"release": {"kind": "continuous", "rate_kg_s": -1}}, "validation_error"),
        ({"release": {"kind": "continuous", "rate_kg_s": "1"}}, "validation_error"),
        ({"release": {"kind": "instantaneous"}}, "validation_error"),
        ({"chemical_cas": "50-00-0"}, "unknown_chemical"),
        # ammonia: its AEGLs, ERPGs and PACs are tabulated for 60 minutes only
        ({"chemical_cas": "7664-41-7", "duration_min": 10.0}, "invalid_model_input"),
        ({"source": None}, "missing_source"),
        ({"surprise": 1}, "validation_error"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    park: SmallPark, api: Any, change: dict[str, Any], code: str
) -> None:
    client = api(Role.INSPECTOR)
    audit_before = AuditEvent.objects.count()
    response = client.call("POST", "/simulations/accident", chlorine_leak(**change))
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert SimulationRun.objects.count() == 0 and AuditEvent.objects.count() == audit_before


def test_wind_below_validity_says_why(park: SmallPark, api: Any) -> None:
    body = chlorine_leak(weather={"wind_speed_m_s": 0.5, "wind_from_deg": 90.0, "stability": "F"})
    error = api(Role.INSPECTOR).call("POST", "/simulations/accident", body).json()
    # the duty officer reads which model refused and why in Chinese; the model's own reason stays in details
    assert error["message"] == "有毒气体扩散模型拒绝计算：风速低于 1 m/s（静风）：高斯扩散模型不适用"
    assert "below 1 m/s" in error["details"]["reason"]


def test_explicit_ppm_thresholds_for_a_chemical_without_aegl(park: SmallPark, api: Any) -> None:
    body = chlorine_leak(
        chemical_cas="7664-41-7", thresholds=[{"label": "1100 ppm", "ppm": 1100}, {"label": "160 ppm", "ppm": 160}]
    )
    response = api(Role.INSPECTOR).call("POST", "/simulations/accident", body)
    assert response.status_code == 201, response.json()
    zones = response.json()["results"]["zones"]
    assert [z["label"] for z in zones] == ["1100 ppm", "160 ppm"]
    assert zones[1]["threshold_g_m3"] == pytest.approx(160 * 17.031 / VM_20C / 1000, rel=1e-3)


def test_day_night_and_cloud_give_the_stability_class(park: SmallPark, api: Any) -> None:
    # Turner (1970) Table 1: night, 3-5 m/s, cloud <= 3/8 -> E; day, 2-3 m/s, strong sun -> A-B -> B
    night = chlorine_leak(
        weather={"wind_speed_m_s": 3.0, "wind_from_deg": 90.0, "daytime": False, "cloud_cover_oktas": 2}
    )
    day = chlorine_leak(weather={"wind_speed_m_s": 2.5, "wind_from_deg": 90.0, "daytime": True, "insolation": "strong"})
    client = api(Role.INSPECTOR)
    assert client.call("POST", "/simulations/accident", night).json()["results"]["stability"] == "E"
    assert client.call("POST", "/simulations/accident", day).json()["results"]["stability"] == "B"


def test_tank_hole_source_term_and_position(park: SmallPark, api: Any) -> None:
    body = chlorine_leak(
        source=None,
        chemical_cas=None,
        tank_id=park.tank_a.pk,
        release={"kind": "tank_hole", "hole_diameter_mm": 10, "storage_temperature_k": 293.15},
    )
    response = api(Role.ENTERPRISE).call("POST", "/simulations/accident", body)
    assert response.status_code == 201, response.json()
    run = response.json()
    assert (run["source_lon"], run["source_lat"]) == (118.2, 39.2) and run["chemical_cas"] == "7782-50-5"
    # Bernoulli outflow at the saturation pressure (20 °C), airborne = 2 × flash fraction
    t, tb = 293.15, 239.197637887
    rho = source.liquid_density_kg_m3("7782-50-5", t)
    gauge = source.vapour_pressure_pa("7782-50-5", t) - 101325.0
    outflow = 0.61 * math.pi / 4 * 0.01**2 * math.sqrt(2 * rho * gauge)
    cp = (63936.0 + 46.35 * 239.12 - 0.1623 * 239.12**2) / 70.906  # Perry 2-153 at the top of its range
    flash = 1 - math.exp(-cp * (t - tb) / 287845.88)
    assert run["results"]["source_term"]["rate_kg_s"] == pytest.approx(outflow * 2 * flash, rel=1e-3)
    # 40 t at the outflow rate
    assert run["results"]["source_term"]["duration_s"] == pytest.approx(40000 / outflow, rel=1e-3)


def test_enterprise_user_cannot_use_another_enterprises_tank(park: SmallPark, api: Any) -> None:
    body = chlorine_leak(source=None, tank_id=park.tank_b.pk, release={"kind": "tank_hole", "hole_diameter_mm": 10})
    assert api(Role.ENTERPRISE).call("POST", "/simulations/accident", body).status_code == 404


def test_instantaneous_release_gives_puff_zones(park: SmallPark, api: Any) -> None:
    body = chlorine_leak(release={"kind": "instantaneous", "mass_kg": 500})
    run = api(Role.EXPERT).call("POST", "/simulations/accident", body).json()
    assert run["results"]["source_term"]["continuous"] is False
    assert run["results"]["zones"][0]["downwind_extent_m"] > 0


def test_dispersion_extent_matches_the_plume_model(park: SmallPark, api: Any) -> None:
    run = api(Role.INSPECTOR).call("POST", "/simulations/accident", chlorine_leak()).json()
    extent = run["results"]["zones"][2]["downwind_extent_m"]
    c = dispersion.gaussian_plume_concentration_g_m3(
        1000.0, extent, 0.0, 0.0, wind_speed_m_s=3.0, release_height_m=1.0, stability="D"
    )
    assert float(c) == pytest.approx(run["results"]["zones"][2]["threshold_g_m3"], rel=1e-3)
