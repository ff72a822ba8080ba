"""The release an incident reports as a hole in a tank or pipe: 事故模拟's own hole model (liquid
outflow with flashing, or vapour-space gas flow) with its ranges and refusals, the registry tank's
measured temperature, design maximum and vent filled in by the same rule, the source term kept with
the zone and shown on the page, and refusals that leave the zone and the timeline unchanged."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.consequence import accident, simulations
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.incidents.models import Incident
from chempark.incidents.zone import Release
from chempark.monitoring.models import PointKind
from chempark.park.services import registry_create
from tests.conftest import SmallPark
from tests.emergency.test_fire_and_people import _point
from tests.incidents.conftest import Command, incident_body

CHLORINE = "7782-50-5"
HOLE = {"kind": "tank_hole", "hole_diameter_mm": 10, "storage_temperature_k": 293.15}


def _incident(api: Any, park: SmallPark, **extra: Any) -> Incident:
    created = api(Role.DISPATCHER).call("POST", "/incidents", incident_body(park, **extra))
    assert created.status_code == 201, created.json()
    return Incident.objects.get(pk=created.json()["id"])


def _reported(api: Any, incident: Incident, body: dict[str, Any]) -> Any:
    return api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/zone/release", body)


def _chemical(name: str, cas: str) -> Any:
    values = {"name_zh": name, "name_en": "", "aliases": "", "cas": cas, "un_number": "", "ghs_categories": []}
    return registry_create(actor=SYSTEM, kind="chemical", values=values)


def test_the_rate_is_the_accident_simulations_to_the_last_digit(park: SmallPark, api: Any, command: Command) -> None:
    """Liquefied chlorine at 20 °C through a 10 mm hole in the registry tank (40 t), by the incident
    and by 事故模拟 with the same inputs; and the outflow checked by hand: Bernoulli with Cd 0.61
    under the saturation pressure, airborne = 2 × flash fraction."""
    incident = _incident(api, park)
    done = _reported(api, incident, {**HOLE, "tank_id": park.tank_a.pk})
    assert done.status_code == 200, done.json()
    incident.refresh_from_db()
    term = incident.zone["source_term"]
    run = api(Role.DISPATCHER).call(
        "POST",
        "/simulations/accident",
        {
            "chemical_cas": CHLORINE,
            "tank_id": park.tank_a.pk,
            "release": {"kind": "tank_hole", "hole_diameter_mm": 10, "storage_temperature_k": 293.15},
            "weather": {"wind_speed_m_s": 3.0, "wind_from_deg": 90.0, "stability": "D"},
        },
    )
    assert run.status_code == 201, run.json()
    simulated = run.json()["results"]["source_term"]
    assert term["rate_kg_s"] == simulated["rate_kg_s"] and term["duration_s"] == simulated["duration_s"]
    assert term["inputs"]["inventory_kg"] == 40_000.0 == run.json()["inputs"]["release"]["inventory_kg"]
    # by hand from the model's own figures (density, saturation pressure)
    notes = {n["code"]: n["params"] for n in term["note_details"]}
    density = notes["source_liquid_outflow"]["density_kg_m3"]
    absolute = notes["source_saturation_pressure"]["bar"] * 1e5
    outflow = 0.61 * math.pi / 4 * 0.010**2 * math.sqrt(2 * density * (absolute - 101_325.0))
    assert term["outflow_kg_s"] == pytest.approx(outflow, rel=1e-9)
    assert 0.15 < term["flash_fraction"] < 0.2  # chlorine from −34 °C to 20 °C: about 0.17
    assert term["airborne_fraction"] == pytest.approx(min(1.0, 2 * term["flash_fraction"]))
    assert term["rate_kg_s"] == pytest.approx(outflow * term["airborne_fraction"], rel=1e-5)
    assert term["duration_s"] == pytest.approx(40_000.0 / outflow)
    assert incident.zone["release_input"]["tank_id"] == park.tank_a.pk
    assert "储罐孔洞泄漏，孔径 10 mm，液面以下" in incident.zone["release"]
    assert "计算进入大气速率" in incident.zone["release"]
    line = incident.events.order_by("-id").first()
    assert line is not None and "储罐孔洞泄漏" in line.text
    decision = api(Role.DISPATCHER).call("GET", f"/incidents/{incident.pk}/decision").json()
    assert decision["source_term"] == term and decision["release"] == incident.zone["release"]
    expected = ("闪蒸分率", "进入大气的分率", "泄放速率", "液面以下（液体泄放）", "伯努利方程", "重气云")
    _reads_in_chinese(incident, expected)
    # the wind turns: the same hole, the same source term
    again = api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/zone")
    assert again.status_code == 200
    incident.refresh_from_db()
    assert incident.zone["source_term"]["rate_kg_s"] == term["rate_kg_s"]


def _reads_in_chinese(incident: Incident, expected: tuple[str, ...]) -> str:
    """The incident page as the dispatcher sees it: the source term shown with the expected texts,
    and none of the platform's field names or codes in its visible text (the Chinese crawl's rule)."""
    from tests.core.test_chinese_pages import ADDRESS, WORD, PageText, internal_words
    from tests.incidents.test_warnings import _login

    shown = _login(Role.DISPATCHER).get(f"/incidents/{incident.pk}/").content.decode()
    for text in expected:
        assert text in shown, text
    parsed = PageText()
    parsed.feed(shown)
    words = set(WORD.findall(ADDRESS.sub(" ", " ".join(parsed.text))))
    denied = internal_words() - {Role.DISPATCHER.value}  # the signed-in user's name is in the header
    assert not words & denied, words & denied
    return shown


def test_the_tank_gives_its_measured_temperature_and_a_duration_caps_the_quantity(
    park: SmallPark, api: Any, command: Command
) -> None:
    incident = _incident(api, park)
    body = {"kind": "tank_hole", "hole_diameter_mm": 10, "tank_id": park.tank_a.pk, "duration_min": 10}
    refused = _reported(api, incident, body)
    assert refused.status_code == 422 and "没有储存温度" in refused.json()["message"]
    _point(park, PointKind.TEMPERATURE, "°C", 30.0, tank=park.tank_a)
    done = _reported(api, incident, body)
    assert done.status_code == 200, done.json()
    incident.refresh_from_db()
    term = incident.zone["source_term"]
    assert term["inputs"]["storage_temperature_k"] == pytest.approx(303.15)
    assert term["duration_s"] == pytest.approx(600.0)
    assert term["inputs"]["inventory_kg"] == pytest.approx(term["outflow_kg_s"] * 600.0)


def test_the_zone_grows_with_the_hole(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park)
    reaches = []
    for diameter in (3, 6, 12):
        assert _reported(api, incident, {**HOLE, "hole_diameter_mm": diameter}).status_code == 200
        incident.refresh_from_db()
        reaches.append([z["reach_m"] for z in incident.zone["zones"]])
    for smaller, larger in itertools.pairwise(reaches):
        assert all(a < b for a, b in zip(smaller, larger, strict=True))


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=1.0, max_value=60.0), st.floats(min_value=1.01, max_value=3.0))
def test_a_larger_hole_never_gives_a_shorter_zone(diameter: float, factor: float) -> None:
    """The incident's hole (``Release.model_input``) through 事故模拟's function, 40 t of liquefied
    chlorine: no zone reaches less far for a larger hole; while the release is a continuous plume
    (holes up to 13 mm here) every zone reaches strictly farther. Larger holes empty the 40 t so fast
    that the cloud is a puff of the whole inventory, whose reach the hole barely changes."""
    met = accident.WeatherInput(wind_speed_m_s=3, wind_from_deg=90, stability="D")

    def reach(d: float) -> list[float]:
        release = Release(kind="tank_hole", hole_diameter_mm=d, storage_temperature_k=293.15, quantity_kg=40_000)
        run = simulations.simulate_accident(
            cas=CHLORINE,
            molar_mass=70.906,
            source_lon=118.2,
            source_lat=39.2,
            release=release.model_input(),
            met=met,
            thresholds=None,
            levels=None,
            duration_min=60,
            targets=[],
        )
        return [z["reach_m"] for z in run.results["zones"]]

    small, large = reach(diameter), reach(diameter * factor)
    assert all(s <= b for s, b in zip(small, large, strict=True))
    if diameter * factor <= 13.0:
        assert all(s < b for s, b in zip(small, large, strict=True))


def test_a_vapour_space_hole_and_the_page_shows_what_was_assumed(park: SmallPark, api: Any, command: Command) -> None:
    from tests.incidents.test_warnings import _login

    incident = _incident(api, park)
    client = _login(Role.DISPATCHER)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="release-hole"' in page and "液氯储罐（T01）" in page
    form = {
        "kind": "tank_hole",
        "tank": str(park.tank_a.pk),
        "hole_diameter_mm": "25",
        "phase": "gas",
        "storage_temperature_c": "20",
        "storage_pressure_mpa": "0.6",
        "liquid_head_m": "0",
        "height_m": "2",
    }
    shown = client.post(f"/incidents/{incident.pk}/zone/", form, follow=True).content.decode()
    incident.refresh_from_db()
    term = incident.zone["source_term"]
    assert term["inputs"]["storage_pressure_pa"] == pytest.approx(0.6e6 + 101_325.0)
    assert term["inputs"]["phase"] == "gas" and term["outflow_kg_s"] is None and term["flash_fraction"] is None
    assert 'data-testid="release-source-term"' in shown
    _reads_in_chinese(incident, ("孔径", "25 mm", "气相空间（气体泄放）", "20.0 °C", "进入大气速率（源强）", "临界流"))
    # the form keeps the hole for the next change
    assert 'name="storage_pressure_mpa" min="0" step="any" value="0.6"' in shown


def test_the_page_names_a_bad_field_in_chinese(park: SmallPark, api: Any, command: Command) -> None:
    from tests.incidents.test_warnings import _login

    incident = _incident(api, park)
    client = _login(Role.DISPATCHER)
    before, lines = incident.zone, incident.events.count()
    for form, text in (
        ({"kind": "tank_hole", "hole_diameter_mm": "0"}, "孔径 (mm)：须大于 0"),
        ({"kind": "tank_hole", "hole_diameter_mm": "2500"}, "孔径 (mm)：不能大于 2000"),
        ({"kind": "tank_hole", "hole_diameter_mm": "10", "storage_temperature_c": "400"}, "储存温度"),
        ({"kind": "tank_hole", "hole_diameter_mm": "10", "storage_pressure_mpa": "-1"}, "储存压力（表压，MPa）"),
        ({"kind": "tank_hole"}, "孔径（mm）"),
    ):
        shown = client.post(f"/incidents/{incident.pk}/zone/", form, follow=True).content.decode()
        assert text in shown, (form, text)
    incident.refresh_from_db()
    assert incident.zone == before and incident.events.count() == lines


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "tank_hole"}, "hole_diameter_mm"),
        ({**HOLE, "hole_diameter_mm": 0}, "hole_diameter_mm"),
        ({**HOLE, "hole_diameter_mm": -5}, "hole_diameter_mm"),
        ({**HOLE, "hole_diameter_mm": 2001}, "hole_diameter_mm"),
        ({**HOLE, "storage_pressure_pa": 1.01e8}, "storage_pressure_pa"),
        ({**HOLE, "storage_temperature_k": 100}, "storage_temperature_k"),
        ({**HOLE, "storage_temperature_k": 650}, "storage_temperature_k"),
        ({**HOLE, "storage_pressure_pa": 0}, "storage_pressure_pa"),
        ({**HOLE, "phase": "solid"}, "phase"),
        ({**HOLE, "kind": "pool"}, "kind"),
        ({**HOLE, "quantity_kg": 100, "duration_min": 5}, "duration_min"),
        ({**HOLE, "duration_min": 0}, "duration_min"),
        ({**HOLE, "liquid_head_m": 101}, "liquid_head_m"),
        ({**HOLE, "tank_id": 999_999}, "储罐"),
    ],
)
def test_bad_holes_change_nothing(
    park: SmallPark, api: Any, command: Command, body: dict[str, Any], field: str
) -> None:
    incident = _incident(api, park)
    before, lines = incident.zone, incident.events.count()
    refused = _reported(api, incident, body)
    assert refused.status_code in (404, 422), refused.json()
    assert field in str(refused.json()), refused.json()
    incident.refresh_from_db()
    assert incident.zone == before and incident.events.count() == lines


def _simulated_refusal(api: Any, cas: str, release: dict[str, Any]) -> str:
    body = {
        "chemical_cas": cas,
        "source": {"lon": 118.2, "lat": 39.2},
        "release": release,
        "weather": {"wind_speed_m_s": 3.0, "wind_from_deg": 90.0, "stability": "D"},
    }
    refused = api(Role.DISPATCHER).call("POST", "/simulations/accident", body)
    assert refused.status_code == 422, refused.json()
    message: str = refused.json()["message"]
    return message


@pytest.mark.parametrize(
    ("name", "cas", "release", "words"),
    [
        # hydrogen fluoride below its boiling point: no flash, and 事故模拟 does not estimate the pool
        ("氟化氢", "7664-39-3", {"storage_temperature_k": 288.15, "liquid_head_m": 5}, "不闪蒸"),
        # hydrogen cyanide in a vented tank: no pressure drives a hole below the liquid…
        ("氰化氢", "74-90-8", {}, "储存压力（表压）或液位高度"),
        # …nor a hole in the vapour space
        ("氰化氢", "74-90-8", {"phase": "gas"}, "高于大气压的储存压力"),
        # carbon monoxide as a liquid at 20 °C: no liquid density, the chemical lacks the property
        ("一氧化碳", "630-08-0", {}, "液体密度"),
    ],
)
def test_the_models_refusals_are_the_accident_simulations(
    park: SmallPark, api: Any, command: Command, name: str, cas: str, release: dict[str, Any], words: str
) -> None:
    chemical = _chemical(name, cas)
    incident = _incident(api, park, chemicals=[chemical.pk])
    before, lines = incident.zone, incident.events.count()
    hole = {**HOLE, "storage_pressure_pa": None, **release}
    hole = {key: value for key, value in hole.items() if value is not None}
    refused = _reported(api, incident, hole)
    assert refused.status_code == 422, refused.json()
    simulated = _simulated_refusal(api, cas, hole)
    assert words in simulated and simulated in refused.json()["message"]
    incident.refresh_from_db()
    assert incident.zone == before and incident.events.count() == lines


def test_a_tank_of_another_chemical_is_refused(park: SmallPark, api: Any, command: Command) -> None:
    ammonia_tank = registry_create(
        actor=SYSTEM,
        kind="tank",
        values={
            "unit": park.unit_a.pk,
            "code": "T02",
            "name": "液氨储罐",
            "kind": "pressure",
            "chemical": park.ammonia.pk,
            "design_max_t": Decimal("20"),
        },
    )
    incident = _incident(api, park)
    refused = _reported(api, incident, {**HOLE, "tank_id": ammonia_tank.pk})
    assert refused.status_code == 422 and refused.json()["details"] == {"tank_id": ["other chemical"]}
    assert "储存介质是氨" in refused.json()["message"]


def test_the_form_is_prefilled_from_the_tanks_points(park: SmallPark, api: Any, command: Command) -> None:
    """The incident names the tank's unit: the hole form offers its chlorine tank with the storage
    temperature (°C), pressure (MPa gauge over the park's air) and liquid level (m) its points read."""
    from tests.incidents.test_warnings import _login

    _point(park, PointKind.TEMPERATURE, "°C", 25.0, tank=park.tank_a)
    _point(park, PointKind.PRESSURE, "MPa", 0.68, tank=park.tank_a)
    _point(park, PointKind.LEVEL, "mm", 3500.0, tank=park.tank_a)
    incident = _incident(api, park)
    page = _login(Role.DISPATCHER).get(f"/incidents/{incident.pk}/").content.decode()
    readings = 'data-temperature-c="25.0" data-pressure-mpa="0.68" data-liquid-head-m="3.5"'
    assert f'<option value="{park.tank_a.pk}" {readings}' in page
    assert 'name="storage_temperature_c" step="any" value="25.0"' in page
    assert 'name="storage_pressure_mpa" min="0" step="any" value="0.68"' in page
    assert 'name="liquid_head_m" min="0" max="100" step="any" value="3.5"' in page
    # the other enterprise's tank (same chemical, another unit) is not offered
    assert f'<option value="{park.tank_b.pk}" data-temperature-c' not in page


@pytest.mark.parametrize(
    "extreme",
    [
        {"hole_diameter_mm": 2000, "storage_pressure_pa": 1e8},
        {"hole_diameter_mm": 2000, "phase": "gas", "storage_pressure_pa": 1e8, "storage_temperature_k": 599.9},
        {"hole_diameter_mm": 1e-9, "duration_min": 1440},
        {"hole_diameter_mm": 2000, "liquid_head_m": 100, "quantity_kg": 10_000_000, "storage_temperature_k": 150.1},
        {"hole_diameter_mm": 0.5, "phase": "gas", "storage_pressure_pa": 101_326, "duration_min": 1e-6},
    ],
)
def test_extreme_holes_answer_a_zone_or_a_refusal(
    park: SmallPark, api: Any, command: Command, extreme: dict[str, Any]
) -> None:
    """Inside the ranges, the models either compute or refuse in words — never a server error."""
    incident = _incident(api, park)
    answer = _reported(api, incident, {"kind": "tank_hole", "storage_temperature_k": 293.15, **extreme})
    assert answer.status_code in (200, 422), answer.content
    if answer.status_code == 422:
        assert answer.json()["message"].startswith("无法按该泄漏计算威胁区：")
