"""Public warnings: the state machine, CAP messages that validate against the OASIS schema and read
back to the warning, updates and cancellations referencing the original, the public feed and
documents, and bad areas refused with nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.core.errors import Conflict, ErrorCode, InvalidInput
from chempark.core.roles import Role
from chempark.plans import cap, services
from chempark.plans.models import CapMessage, PublicWarning
from tests.conftest import SmallPark
from tests.plans.conftest import warning_values


def test_publish_update_cancel(park: SmallPark) -> None:
    warning = services.warning_create(actor=SYSTEM, **warning_values())
    first = services.warning_publish(actor=SYSTEM, pk=warning.pk)
    document = bytes(first.xml)
    assert cap.validate(document) == []
    alert = cap.parse(document)
    assert (alert.msg_type, alert.headline, alert.instruction, alert.response_types) == (
        "Alert",
        "东区液氯泄漏，请就地避险",
        "关闭门窗，留在室内。",
        ("Shelter",),
    )
    assert (alert.urgency, alert.severity, alert.certainty) == ("Immediate", "Severe", "Observed")
    assert cap.geojson_of(alert.polygons) == warning_values()["area"]
    assert alert.sent == first.sent

    second = services.warning_update(actor=SYSTEM, pk=warning.pk, **warning_values(response_type="Evacuate"))
    update = cap.parse(bytes(second.xml))
    assert cap.validate(bytes(second.xml)) == []
    assert update.msg_type == "Update" and update.response_types == ("Evacuate",)
    assert update.references == (cap.Reference(alert.sender, alert.identifier, alert.sent),)

    third = services.warning_cancel(actor=SYSTEM, pk=warning.pk, note="泄漏已控制")
    cancel = cap.parse(bytes(third.xml))
    assert cap.validate(bytes(third.xml)) == []
    assert cancel.msg_type == "Cancel" and cancel.note == "泄漏已控制"
    assert [r.identifier for r in cancel.references] == [first.identifier, second.identifier]
    warning.refresh_from_db()
    assert warning.status == "cancelled"

    with pytest.raises(Conflict) as refused:
        services.warning_update(actor=SYSTEM, pk=warning.pk, **warning_values())
    assert refused.value.code is ErrorCode.TRANSITION_NOT_ALLOWED and refused.value.details["allowed"] == []
    with pytest.raises(Conflict) as refused:
        services.warning_cancel(actor=SYSTEM, pk=warning.pk)
    assert CapMessage.objects.filter(warning=warning).count() == 3


def test_a_draft_cannot_be_updated_or_cancelled(park: SmallPark) -> None:
    warning = services.warning_create(actor=SYSTEM, **warning_values())
    with pytest.raises(Conflict) as refused:
        services.warning_cancel(actor=SYSTEM, pk=warning.pk)
    assert refused.value.details["allowed"] == ["publish", "edit"]


@pytest.mark.parametrize(
    "area",
    [
        None,
        {},
        {"type": "Point", "coordinates": [118.2, 39.2]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": "nonsense"},
    ],
)
def test_no_area_or_an_invalid_polygon_is_refused(park: SmallPark, area: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.warning_create(actor=SYSTEM, **warning_values(area=area))
    assert refused.value.code is ErrorCode.INVALID_AREA and refused.value.details == {"field": "area"}
    assert not PublicWarning.objects.exists()


def test_zone_of_an_incident_becomes_an_issued_warning(park: SmallPark) -> None:
    zone = warning_values()["area"]
    message = services.warning_issue_for_zone(
        actor=SYSTEM, zone=zone, event="氨泄漏", headline="氨泄漏，请撤离", area_desc="下风向", response_type="Evacuate"
    )
    assert message.warning.status == "issued" and cap.parse(bytes(message.xml)).response_types == ("Evacuate",)


def test_feed_and_documents_are_public(park: SmallPark) -> None:
    warning = services.warning_create(actor=SYSTEM, **warning_values(headline="氯气 <泄漏> & 警戒"))
    draft_only = Client().get("/plans/warnings/feed.atom")
    assert draft_only.status_code == 200 and b"<entry>" not in draft_only.content
    message = services.warning_publish(actor=SYSTEM, pk=warning.pk)
    feed = Client().get("/plans/warnings/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert f"/plans/cap/{message.identifier}.xml".encode() in feed.content
    assert "氯气 &lt;泄漏&gt; &amp; 警戒".encode() in feed.content
    document = Client().get(f"/plans/cap/{message.identifier}.xml")
    assert document.status_code == 200 and document["Content-Type"].startswith("application/cap+xml")
    assert cap.validate(document.content) == [] and cap.parse(document.content).headline == "氯气 <泄漏> & 警戒"
    assert Client().get("/plans/cap/nothing.xml").status_code == 404


def test_expiry_must_lie_ahead_and_is_read_in_the_park_s_time(park: SmallPark, api: Any) -> None:
    bureau = api(Role.INSPECTOR)
    past = bureau.call("POST", "/warnings", {**warning_values(), "expires": "2001-01-01T08:00:00"})
    assert past.status_code == 422 and past.json()["details"] == {"field": "expires"}
    ahead = (timezone.localtime() + dt.timedelta(hours=6)).replace(tzinfo=None, microsecond=0)
    created = bureau.call("POST", "/warnings", {**warning_values(), "expires": ahead.isoformat()})
    assert created.status_code == 201
    warning = PublicWarning.objects.get(pk=created.json()["id"])
    assert timezone.localtime(warning.expires).replace(tzinfo=None) == ahead
    message = services.warning_publish(actor=SYSTEM, pk=warning.pk)
    assert cap.parse(bytes(message.xml)).expires == timezone.localtime(warning.expires)
