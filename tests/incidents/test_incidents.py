"""Incident command through the API as the dispatcher: intake from a call and from an alarm (one
incident per alarm while it is open), the zone and the suggested level, dispatch with its road ETA
and its refusals, the state machine's 409s, closure, the report, the investigation deadline, the
append-only timeline and attachments."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone
from docx import Document

from chempark.common.geo import haversine_m
from chempark.core.roles import Role
from chempark.incidents.models import Availability, Incident, IncidentEvent
from chempark.incidents.services import INVESTIGATION_DAYS
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, AlarmStatus, AlarmType, Camera, Severity
from tests.conftest import SmallPark
from tests.incidents.conftest import Command, incident_body

TRUCK_S = haversine_m(118.2, 39.17, 118.2, 39.2) / 10
TEAM_S = haversine_m(118.25, 39.2, 118.2, 39.2) / 10


def dispatcher(api: Any) -> Any:
    return api(Role.DISPATCHER)


def test_a_call_makes_an_incident_at_its_unit_with_a_zone_and_a_level(
    park: SmallPark, api: Any, command: Command
) -> None:
    created = dispatcher(api).call("POST", "/incidents", incident_body(park, injured=12))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["lon"], body["lat"], body["enterprise"]) == (118.2, 39.2, park.enterprise_a.pk)
    assert body["suggested_level"] == 3  # 12 injured: 较大 (≥ 10)
    incident = Incident.objects.get(pk=body["id"])
    assert [z["label"][:6] for z in incident.zone["zones"]] == ["AEGL-3", "AEGL-2", "AEGL-1"]
    assert incident.events.get().action == "create"


def test_bad_calls_are_refused_and_change_nothing(park: SmallPark, api: Any, command: Command) -> None:
    client = dispatcher(api)
    no_place = client.call("POST", "/incidents", {"title": "着火", "kind": "fire"})
    assert no_place.status_code == 422 and no_place.json()["details"] == {"location": ["required"]}
    wrong_unit = client.call("POST", "/incidents", incident_body(park, enterprise=park.enterprise_b.pk))
    assert wrong_unit.status_code == 422 and "unit" in wrong_unit.json()["details"]
    assert client.call("POST", "/incidents", incident_body(park, kind="flood")).status_code == 422
    assert (
        client.call("POST", "/incidents", incident_body(park, chemicals=[999_999])).json()["code"] == "unknown_chemical"
    )
    assert not Incident.objects.exists()


def test_an_alarm_becomes_one_incident_linked_both_ways(park: SmallPark, api: Any, command: Command) -> None:
    client = dispatcher(api)
    first = client.call("POST", f"/alarms/{command.alarm.pk}/incident")
    again = client.call("POST", f"/alarms/{command.alarm.pk}/incident")
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    body = first.json()
    assert body["alarm"] == command.alarm.pk and body["source"] == "alarm" and body["kind"] == "leak"
    assert body["chemicals"] == [park.chlorine.pk] and body["unit"] == park.unit_a.pk
    assert list(command.alarm.incidents.values_list("pk", flat=True)) == [body["id"]]


def test_units_are_ranked_by_road_time_and_dispatched_with_their_eta(
    park: SmallPark, api: Any, command: Command
) -> None:
    client = dispatcher(api)
    incident = client.call("POST", "/incidents", incident_body(park)).json()
    panel = client.call("GET", f"/incidents/{incident['id']}/decision").json()
    # at 36 km/h (10 m/s): the truck 0.03° of latitude south (3336 m), the team 0.05° of longitude east (4310 m)
    assert [u["name"] for u in panel["units"]] == ["水罐车", "消防站"]
    assert panel["units"][0]["eta_min"] == pytest.approx(TRUCK_S / 60, abs=0.05)
    assert panel["units"][1]["eta_min"] == pytest.approx(TEAM_S / 60, abs=0.05)
    assert panel["shelters"][0]["name"] == "中学操场"
    order = client.call("POST", f"/incidents/{incident['id']}/dispatches", {"resource": command.truck.pk})
    assert order.status_code == 201 and order.json()["eta_min"] == pytest.approx(TRUCK_S / 60, abs=0.05)
    assert order.json()["allowed"] == ["depart", "cancel"]
    after = client.call("GET", f"/incidents/{incident['id']}/decision").json()
    assert [u["name"] for u in after["units"]] == ["消防站"]  # a dispatched unit is no longer offered


def test_dispatch_refusals_name_the_conflict(park: SmallPark, api: Any, command: Command) -> None:
    client = dispatcher(api)
    one = client.call("POST", "/incidents", incident_body(park)).json()["id"]
    two = client.call("POST", "/incidents", incident_body(park, title="第二起")).json()["id"]
    first = client.call("POST", f"/incidents/{one}/dispatches", {"resource": command.team.pk}).json()
    twice = client.call("POST", f"/incidents/{two}/dispatches", {"resource": command.team.pk})
    assert twice.status_code == 409 and twice.json()["code"] == "already_dispatched"
    assert twice.json()["details"]["dispatch"] == first["id"] and "液氯泄漏" in twice.json()["message"]
    type(command.truck).objects.filter(pk=command.truck.pk).update(availability=Availability.MAINTENANCE)
    broken = client.call("POST", f"/incidents/{two}/dispatches", {"resource": command.truck.pk})
    assert broken.status_code == 409 and broken.json()["code"] == "resource_unavailable"
    shelter = client.call("POST", f"/incidents/{two}/dispatches", {"resource": command.shelter.pk})
    assert shelter.status_code == 422


def test_the_dispatch_state_machine_answers_409_with_the_allowed_moves(
    park: SmallPark, api: Any, command: Command
) -> None:
    client = dispatcher(api)
    incident = client.call("POST", "/incidents", incident_body(park)).json()["id"]
    order = client.call("POST", f"/incidents/{incident}/dispatches", {"resource": command.team.pk}).json()["id"]
    wrong = client.call("POST", f"/dispatches/{order}/release")
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "transition_not_allowed" and wrong.json()["details"]["allowed"] == [
        "depart",
        "cancel",
    ]
    assert client.call("POST", f"/dispatches/{order}/teleport").json()["details"]["allowed"] == ["depart", "cancel"]
    for action, state in (("depart", "en_route"), ("arrive", "on_scene")):
        assert client.call("POST", f"/dispatches/{order}/{action}").json()["state"] == state
    refused = client.call("POST", f"/incidents/{incident}/close", {"summary": "处置完毕"})
    assert refused.status_code == 409 and refused.json()["code"] == "units_on_scene"
    for action in ("release", "stand_down"):
        client.call("POST", f"/dispatches/{order}/{action}")
    closed = client.call("POST", f"/incidents/{incident}/close", {"summary": "处置完毕"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = client.call("POST", f"/incidents/{incident}/dispatches", {"resource": command.truck.pk})
    assert late.status_code == 409
    # the team is free again for the next incident
    other = client.call("POST", "/incidents", incident_body(park, title="新警情")).json()["id"]
    assert client.call("POST", f"/incidents/{other}/dispatches", {"resource": command.team.pk}).status_code == 201


def test_the_report_holds_the_timeline(park: SmallPark, api: Any, command: Command, client: Any) -> None:
    api_client = dispatcher(api)
    incident = api_client.call("POST", "/incidents", incident_body(park, title="<b>液氯</b>泄漏")).json()["id"]
    api_client.call("POST", f"/incidents/{incident}/notes", {"text": "现场黄绿色气体"})
    api_client.call("POST", f"/incidents/{incident}/close", {"summary": "堵漏成功"})
    client.force_login(park.users[Role.DISPATCHER])
    docx = client.get(f"/incidents/{incident}/report.docx")
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "现场黄绿色气体" in text and "<b>液氯</b>泄漏" in text
    assert "堵漏成功" in "\n".join(p.text for p in document.paragraphs)
    pdf = client.get(f"/incidents/{incident}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_timeline_is_append_only(park: SmallPark, api: Any, command: Command) -> None:
    dispatcher(api).call("POST", "/incidents", incident_body(park))
    event = IncidentEvent.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        IncidentEvent.objects.filter(pk=event.pk).update(text="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        IncidentEvent.objects.filter(pk=event.pk).delete()


def test_investigation_deadline_is_sixty_days_and_extends_once(park: SmallPark, api: Any, command: Command) -> None:
    client = dispatcher(api)
    incident = client.call("POST", "/incidents", incident_body(park)).json()["id"]
    today = timezone.localdate()
    due = today + dt.timedelta(days=INVESTIGATION_DAYS)
    saved = client.call(
        "PUT", f"/incidents/{incident}/investigation", {"lead": "王组长", "opened_on": today.isoformat()}
    )
    assert saved.status_code == 200 and saved.json()["due_on"] == due.isoformat()
    too_long = {
        "lead": "王组长",
        "opened_on": today.isoformat(),
        "extended_to": (due + dt.timedelta(days=61)).isoformat(),
    }
    refused = client.call("PUT", f"/incidents/{incident}/investigation", too_long)
    assert refused.status_code == 422 and refused.json()["details"] == {"extended_to": ["out of range"]}
    extended = {**too_long, "extended_to": (due + dt.timedelta(days=60)).isoformat()}
    assert (
        client.call("PUT", f"/incidents/{incident}/investigation", extended).json()["extended_to"]
        == extended["extended_to"]
    )


def test_attachments_are_bounded_by_type_and_size(park: SmallPark, api: Any, command: Command, client: Any) -> None:
    incident = dispatcher(api).call("POST", "/incidents", incident_body(park)).json()["id"]
    client.force_login(park.users[Role.DISPATCHER])
    url = f"/incidents/{incident}/attach/"
    client.post(url, {"file": io.BytesIO(b"MZ\x90\x00 not a picture")})
    client.post(url, {"file": _named(b"\x89PNG\r\n\x1a\n" + b"0" * 100, "现场.png")})
    client.post(url, {"file": _named(b"%PDF-" + b"0" * (5 * 1024 * 1024), "大.pdf")})
    stored = Incident.objects.get(pk=incident).attachments.get()
    assert (stored.name, stored.content_type) == ("现场.png", "image/png")


def _named(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_routes_and_blocked_roads(park: SmallPark, api: Any, command: Command) -> None:
    client = dispatcher(api)
    query = "/route?from_lon=118.25&from_lat=39.2&to_lon=118.2&to_lat=39.2"
    assert client.call("GET", query).json()["travel_s"] == pytest.approx(TEAM_S, rel=0.001)
    segments = client.call("GET", "/roads").json()
    between = next(s for s in segments if s["a"][0] >= 118.2 and s["b"][0] >= 118.2 and s["a"][1] == s["b"][1] == 39.2)
    refused = client.call("PUT", f"/roads/{between['id']}", {"speed_kmh": 36, "blocked": True})
    assert refused.status_code == 422 and refused.json()["code"] == "reason_required"
    assert (
        client.call(
            "PUT", f"/roads/{between['id']}", {"speed_kmh": 36, "blocked": True, "blocked_reason": "管线抢修"}
        ).status_code
        == 200
    )
    unreachable = client.call("GET", query)
    assert unreachable.status_code == 422 and unreachable.json()["code"] == "unreachable"


def test_a_bureau_sets_its_own_level_rules(
    park: SmallPark, api: Any, command: Command, configure: Any, tmp_path: Any
) -> None:
    rules = tmp_path / "levels.json"
    rules.write_text('[{"level": 2, "injured": 1, "kinds": ["leak"]}]', encoding="utf-8")
    configure(incident_level_rules_file=str(rules))
    client = dispatcher(api)
    assert client.call("POST", "/incidents", incident_body(park, injured=1)).json()["suggested_level"] == 2
    assert client.call("POST", "/incidents", incident_body(park, kind="fire", injured=1)).json()["suggested_level"] == 4


def test_an_unreadable_rules_file_stops_the_start(configure: Any, tmp_path: Any) -> None:
    from chempark.incidents.checks import level_rules_readable

    broken = tmp_path / "levels.json"
    broken.write_text('[{"level": 7}]', encoding="utf-8")
    configure(incident_level_rules_file=str(broken))
    assert [m.id for m in level_rules_readable()] == ["incidents.E001"]
    configure(incident_level_rules_file=str(tmp_path / "missing.json"))
    assert [m.id for m in level_rules_readable()] == ["incidents.E001"]
    configure(incident_level_rules_file="")
    assert level_rules_readable() == []


def test_a_camera_event_becomes_an_incident_at_the_camera(park: SmallPark, api: Any, command: Command) -> None:
    camera = Camera.objects.create(enterprise=park.enterprise_b, code="CAM-3", name="罐区球机", lon=118.21, lat=39.21)
    now = timezone.now()
    alarm = Alarm.objects.create(
        enterprise=park.enterprise_b,
        camera=camera,
        alarm_type=AlarmType.VIDEO,
        severity=Severity.MAJOR,
        status=AlarmStatus.ACTIVE_UNACK,
        raised_ms=datetime_to_ms(now),
        raised_at=now,
        detail="烟火识别",
    )
    body = dispatcher(api).call("POST", f"/alarms/{alarm.pk}/incident").json()
    assert (body["lon"], body["lat"], body["enterprise"], body["kind"]) == (
        118.21,
        39.21,
        park.enterprise_b.pk,
        "other",
    )
    assert "罐区球机" in body["title"] and "烟火识别" in body["description"]


def test_the_zone_follows_the_wind_when_recomputed(park: SmallPark, api: Any, command: Command, configure: Any) -> None:
    client = dispatcher(api)
    incident = client.call("POST", "/incidents", incident_body(park)).json()["id"]
    assert Incident.objects.get(pk=incident).zone["wind_from_deg"] == 90.0  # the configured wind
    configure(default_wind_from_deg=270.0)
    assert client.call("POST", f"/incidents/{incident}/zone").status_code == 200
    refreshed = Incident.objects.get(pk=incident)
    assert refreshed.zone["wind_from_deg"] == 270.0
    # the plume now lies east of the source: its AEGL-3 zone's centre is east of 118.2
    ring = refreshed.zone["geojson"]["features"][0]["geometry"]["coordinates"][0]
    assert sum(p[0] for p in ring) / len(ring) > 118.2
    assert refreshed.events.order_by("-id").first().action == "zone"
