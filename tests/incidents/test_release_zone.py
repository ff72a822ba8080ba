"""The threat zone for the release the scene reports instead of the 1 kg/s screening release: a rate
(with the quantity that can leak) or a mass at once, computed by the consequence models, kept for
later recomputations with a turned wind; refusals that leave the zone and the timeline unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from chempark.core.roles import Role
from chempark.incidents.models import Incident
from tests.conftest import SmallPark
from tests.incidents.conftest import Command, incident_body


def _incident(api: Any, park: SmallPark, **extra: Any) -> Incident:
    created = api(Role.DISPATCHER).call("POST", "/incidents", incident_body(park, **extra))
    assert created.status_code == 201, created.json()
    return Incident.objects.get(pk=created.json()["id"])


def _reach(incident: Incident) -> list[float]:
    return [float(z["reach_m"]) for z in incident.zone["zones"]]


def test_a_reported_rate_widens_the_zone_and_is_kept(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park)
    screening = _reach(incident)
    client = api(Role.DISPATCHER)
    body = {"kind": "continuous", "rate_kg_s": 10, "quantity_kg": 20_000}
    done = client.call("POST", f"/incidents/{incident.pk}/zone/release", body)
    assert done.status_code == 200, done.json()
    incident.refresh_from_db()
    reported = _reach(incident)
    assert all(r > s for r, s in zip(reported, screening, strict=True))
    assert incident.zone["release_input"] == {
        "kind": "continuous",
        "rate_kg_s": 10.0,
        "quantity_kg": 20000.0,
        "height_m": 1.0,
    }
    assert "连续泄漏 10 kg/s" in incident.zone["release"] and "20000 kg" in incident.zone["release"]
    line = incident.events.order_by("-id").first()
    assert line is not None and line.action == "zone" and "现场报告泄漏" in line.text
    again = client.call("POST", f"/incidents/{incident.pk}/zone")
    assert again.status_code == 200
    incident.refresh_from_db()
    assert incident.zone["release_input"]["rate_kg_s"] == 10.0 and _reach(incident) == reported


def test_a_mass_released_at_once(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park)
    done = api(Role.DISPATCHER).call(
        "POST", f"/incidents/{incident.pk}/zone/release", {"kind": "instantaneous", "quantity_kg": 500, "height_m": 2}
    )
    assert done.status_code == 200, done.json()
    incident.refresh_from_db()
    assert "瞬时泄漏 500 kg" in incident.zone["release"] and len(incident.zone["zones"]) == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "continuous"}, "rate_kg_s"),
        ({"kind": "instantaneous", "rate_kg_s": 5}, "quantity_kg"),
        ({"kind": "continuous", "rate_kg_s": -1}, "rate_kg_s"),
        ({"kind": "continuous", "rate_kg_s": "10"}, "rate_kg_s"),
        ({"kind": "continuous", "rate_kg_s": 1e9}, "rate_kg_s"),
        ({"kind": "pool", "rate_kg_s": 1}, "kind"),
        ({"kind": "tank_hole", "rate_kg_s": 1}, "hole_diameter_mm"),
        ({"kind": "continuous", "rate_kg_s": 1, "height_m": 500}, "height_m"),
    ],
)
def test_bad_releases_change_nothing(
    park: SmallPark, api: Any, command: Command, body: dict[str, Any], field: str
) -> None:
    incident = _incident(api, park)
    before, lines = incident.zone, incident.events.count()
    refused = api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/zone/release", body)
    assert refused.status_code == 422, refused.json()
    assert field in str(refused.json()["details"])
    incident.refresh_from_db()
    assert incident.zone == before and incident.events.count() == lines


def test_without_a_chemical_there_is_nothing_to_compute(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park, chemicals=[])
    refused = api(Role.DISPATCHER).call(
        "POST", f"/incidents/{incident.pk}/zone/release", {"kind": "continuous", "rate_kg_s": 3}
    )
    assert refused.status_code == 422 and refused.json()["details"] == {"chemicals": ["required"]}


def test_the_page_form_recomputes_for_the_release(park: SmallPark, api: Any, command: Command) -> None:
    from tests.incidents.test_warnings import _login

    incident = _incident(api, park)
    client = _login(Role.DISPATCHER)
    assert 'data-testid="release-form"' in client.get(f"/incidents/{incident.pk}/").content.decode()
    page = client.post(
        f"/incidents/{incident.pk}/zone/", {"kind": "continuous", "rate_kg_s": "5", "height_m": "1"}, follow=True
    ).content.decode()
    assert "连续泄漏 5 kg/s" in page
    refused = client.post(f"/incidents/{incident.pk}/zone/", {"kind": "continuous", "rate_kg_s": "很多"}, follow=True)
    assert "泄漏速率 (kg/s)" in refused.content.decode()
    incident.refresh_from_db()
    assert incident.zone["release_input"]["rate_kg_s"] == 5.0
