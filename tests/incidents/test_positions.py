"""Units' live positions: a team or a piece of equipment reports where it is (GPS, or radioed in);
while the fix is fresh the decision panel ranks it, the dispatch ETA counts and the map draws it from
there, afterwards from its base again; out-of-order, future and misplaced fixes are refused."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from chempark.common.geo import haversine_m
from chempark.core.roles import Role
from chempark.incidents.models import GPS_FRESH, Incident, Resource
from tests.conftest import SmallPark
from tests.incidents.conftest import Command, incident_body
from tests.incidents.test_warnings import _login

TRUCK_S = haversine_m(118.2, 39.17, 118.2, 39.2) / 10
NEAR_S = haversine_m(118.25, 39.2, 118.2, 39.2) / 10  # on 纬一路, at its east end (a road node)


def _incident(api: Any, park: SmallPark) -> Incident:
    created = api(Role.DISPATCHER).call("POST", "/incidents", incident_body(park))
    assert created.status_code == 201, created.json()
    return Incident.objects.get(pk=created.json()["id"])


def _truck_eta(client: Any, incident: Incident, truck: Resource) -> float:
    units = client.call("GET", f"/incidents/{incident.pk}/decision").json()["units"]
    return float(next(u["eta_min"] for u in units if u["resource"] == truck.pk))


def test_a_fresh_fix_is_where_the_unit_is_routed_from(park: SmallPark, api: Any, command: Command) -> None:
    incident, client = _incident(api, park), api(Role.DISPATCHER)
    assert _truck_eta(client, incident, command.truck) == pytest.approx(TRUCK_S / 60, abs=0.05)
    fixed = client.call("PUT", f"/resources/{command.truck.pk}/position", {"lon": 118.25, "lat": 39.2})
    assert fixed.status_code == 200, fixed.json()
    assert (fixed.json()["lon"], fixed.json()["lat"]) == (118.25, 39.2)
    assert _truck_eta(client, incident, command.truck) == pytest.approx(NEAR_S / 60, abs=0.05)
    order = client.call("POST", f"/incidents/{incident.pk}/dispatches", {"resource": command.truck.pk})
    assert order.json()["eta_min"] == pytest.approx(NEAR_S / 60, abs=0.05)
    command.truck.refresh_from_db()
    assert (command.truck.lon, command.truck.lat) == (118.2, 39.17)  # the base in the ledger stays
    page = _login(Role.DISPATCHER).get(f"/incidents/{incident.pk}/").content.decode()
    found = re.search(r'<script id="inc-data" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    drawn = [f for f in json.loads(found.group(1))["features"] if f["properties"]["role"] == "dispatched"]
    assert [f["geometry"]["coordinates"] for f in drawn] == [[118.25, 39.2]]
    assert "实时定位" in drawn[0]["properties"]["line"]


def test_a_stale_fix_falls_back_to_the_base(park: SmallPark, api: Any, command: Command) -> None:
    incident, client = _incident(api, park), api(Role.DISPATCHER)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert (
            client.call("PUT", f"/resources/{command.truck.pk}/position", {"lon": 118.25, "lat": 39.2}).status_code
            == 200
        )
        clock.shift(GPS_FRESH - dt.timedelta(seconds=1))
        assert _truck_eta(client, incident, command.truck) == pytest.approx(NEAR_S / 60, abs=0.05)
        clock.shift(dt.timedelta(seconds=2))
        assert _truck_eta(client, incident, command.truck) == pytest.approx(TRUCK_S / 60, abs=0.05)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"lon": 200, "lat": 39.2}, 422, "lon"),
        ({"lon": 118.2}, 422, "lat"),
        ({"lon": "118.2", "lat": 39.2}, 422, "lon"),
        ({"lon": 118.2, "lat": 39.2, "at": "2099-01-01T00:00:00+08:00"}, 422, "at"),
    ],
)
def test_bad_fixes_are_refused(
    park: SmallPark, api: Any, command: Command, body: dict[str, Any], status: int, field: str
) -> None:
    refused = api(Role.DISPATCHER).call("PUT", f"/resources/{command.truck.pk}/position", body)
    assert refused.status_code == status and field in str(refused.json()["details"])
    command.truck.refresh_from_db()
    assert command.truck.gps_at is None


def test_an_older_fix_does_not_move_the_unit_back(park: SmallPark, api: Any, command: Command) -> None:
    client = api(Role.DISPATCHER)
    now = timezone.now()
    late = {"lon": 118.25, "lat": 39.2, "at": now.isoformat()}
    early = {"lon": 118.2, "lat": 39.18, "at": (now - dt.timedelta(minutes=2)).isoformat()}
    assert client.call("PUT", f"/resources/{command.truck.pk}/position", late).status_code == 200
    assert client.call("PUT", f"/resources/{command.truck.pk}/position", early).status_code == 409
    command.truck.refresh_from_db()
    assert command.truck.gps_lon == 118.25


def test_only_units_have_positions(park: SmallPark, api: Any, command: Command) -> None:
    refused = api(Role.DISPATCHER).call("PUT", f"/resources/{command.shelter.pk}/position", {"lon": 118.2, "lat": 39.2})
    assert refused.status_code == 422 and refused.json()["details"] == {"resource": ["not dispatchable"]}
