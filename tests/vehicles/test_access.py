"""Personnel access: 不持证不上岗 at doors of certificate areas, presence and headcounts, the
over-limit alarm (raised and cleared), rosters, and a sender reaching only its own enterprise's doors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring.models import Alarm, AlarmStatus
from chempark.vehicles.models import AccessEvent
from chempark.vehicles.services import entity_create
from tests.vehicles.conftest import today

# The swipes are stamped from half an hour ago: pinned to mid-morning, they fall on the day the
# certificates' expiry dates are counted from.
MORNING = dt.datetime(2027, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _morning() -> Iterator[None]:
    with time_machine.travel(MORNING, tick=True):
        yield


@pytest.fixture
def plant(park: Any) -> dict[str, Any]:
    production = entity_create(
        actor=SYSTEM,
        kind="accessarea",
        values={
            "enterprise": park.enterprise_a.pk,
            "name": "氯碱生产区",
            "kind": "production",
            "requires_certificate": True,
            "headcount_limit": 2,
            "lon": 118.2,
            "lat": 39.2,
        },
    )
    office = entity_create(
        actor=SYSTEM,
        kind="accessarea",
        values={"enterprise": park.enterprise_a.pk, "name": "办公楼", "kind": "office"},
    )
    for area, code in ((production, "D1"), (office, "D2")):
        entity_create(actor=SYSTEM, kind="accessgate", values={"area": area.pk, "code": code, "name": f"{area.name}门"})
    people = {}
    for badge, name, expires in (
        ("B1", "王工", today(100)),
        ("B2", "赵工", today(100)),
        ("B3", "钱工", today(100)),
        ("B4", "孙工", today(-1)),
        ("B5", "周文员", None),
    ):
        people[badge] = entity_create(
            actor=SYSTEM,
            kind="worker",
            values={
                "enterprise": park.enterprise_a.pk,
                "name": name,
                "badge": badge,
                "certificate_no": "" if expires is None else f"操作证-{badge}",
                "certificate_expires": expires,
            },
        )
    return {"production": production, "office": office, "people": people}


@pytest.fixture
def swipe(api: Any) -> Any:
    client = api(Role.MACHINE)
    clock = {"t": timezone.now().replace(microsecond=0) - dt.timedelta(minutes=30)}

    def post(badge: str, gate: str = "D1", direction: str = "in") -> Any:
        clock["t"] += dt.timedelta(seconds=1)
        body = {"gate": gate, "badge": badge, "direction": direction, "time": clock["t"].isoformat()}
        return client.call("POST", "/ingest/access-events", body)

    return post


def test_certificate_area_admits_only_valid_certificates(plant: Any, swipe: Any) -> None:
    assert swipe("B1").json()["decision"] == "allow"
    expired = swipe("B4").json()
    assert (expired["decision"], expired["reason"]) == ("deny", "no_certificate")
    assert "不持证不上岗" in expired["message"]
    assert swipe("B5").json()["reason"] == "no_certificate"
    assert swipe("B5", gate="D2").json()["decision"] == "allow"  # the office needs none
    assert swipe("B9").json()["reason"] == "unknown_badge"
    assert swipe("B4", direction="out").json()["decision"] == "allow"  # leaving is never refused


def test_headcount_over_limit_raises_and_clears_an_alarm(park: Any, plant: Any, swipe: Any, api: Any) -> None:
    swipe("B1")
    swipe("B2")
    assert not Alarm.objects.exists()
    assert swipe("B3").json()["inside"] == 3
    alarm = Alarm.objects.get()
    assert (alarm.alarm_type, alarm.subject, alarm.enterprise_id, alarm.value) == (
        "over_capacity",
        "氯碱生产区",
        park.enterprise_a.pk,
        3.0,
    )
    counts = {
        h["name"]: (h["inside"], h["over_limit"])
        for h in api(Role.ENTERPRISE).call("GET", "/vehicles/headcounts").json()
    }
    assert counts == {"氯碱生产区": (3, True), "办公楼": (0, False)}
    roster = api(Role.ENTERPRISE).call("GET", f"/vehicles/access-areas/{plant['production'].pk}/roster").json()
    assert [p["name"] for p in roster] == ["王工", "赵工", "钱工"]
    page = Client()
    page.force_login(park.users[Role.ENTERPRISE])
    printed = page.get(f"/vehicles/roster/{plant['production'].pk}/").content.decode()
    assert "区域内共 3 人" in printed and 'class="error-box"' in printed and "人数上限 2 人" in printed
    assert swipe("B1", direction="out").json()["inside"] == 2
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_UNACK


def test_other_enterprises_and_unknown_doors(park: Any, plant: Any, swipe: Any, api: Any) -> None:
    assert swipe("B1", gate="NOPE").json()["code"] == "unknown_gate"
    assert api(Role.DISPATCHER).call("GET", "/vehicles/headcounts").status_code == 200
    # enterprise B's user sees none of A's areas
    area = plant["production"].pk
    entity_create(
        actor=SYSTEM,
        kind="accessarea",
        values={"enterprise": park.enterprise_b.pk, "name": "乙厂区", "kind": "production"},
    )
    assert api(Role.ENTERPRISE).call("GET", f"/vehicles/access-areas/{area}/roster").status_code == 200
    names = [h["name"] for h in api(Role.ENTERPRISE).call("GET", "/vehicles/headcounts").json()]
    assert "乙厂区" not in names


def test_a_repeated_swipe_is_stored_once(plant: Any, api: Any) -> None:
    client = api(Role.MACHINE)
    body = {"gate": "D1", "badge": "B1", "direction": "in", "time": timezone.now().replace(microsecond=0).isoformat()}
    first = client.call("POST", "/ingest/access-events", body).json()
    again = client.call("POST", "/ingest/access-events", body).json()
    assert (again["duplicate"], again["event"], again["inside"]) == (True, first["event"], 1)
    assert AccessEvent.objects.count() == 1


def test_enterprise_user_cannot_define_areas_of_another(park: Any, api: Any) -> None:
    answer = api(Role.ENTERPRISE).call(
        "POST",
        "/vehicles/access-areas",
        {"enterprise": park.enterprise_b.pk, "name": "X", "kind": "office", "requires_certificate": False},
    )
    assert (answer.status_code, answer.json()["code"]) == (403, "other_enterprise")
    own = api(Role.ENTERPRISE).call(
        "POST",
        "/vehicles/access-areas",
        {
            "enterprise": park.enterprise_a.pk,
            "name": "X",
            "kind": "office",
            "requires_certificate": True,
            "headcount_limit": 5,
        },
    )
    assert own.status_code == 201, own.content
