"""Public warnings from the incident: published for one of the incident's computed zones as CAP 1.2
naming the incident, recorded on its timeline with actor and time, listed on the incident with their
status; drafts reviewed before they go out; updates for the zone as computed again and lifting, each
referencing the first message; refusals (no zone, a zone that does not exist, an invalid polygon, a
closed incident, another incident's warning, no warning module) that leave nothing behind."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.incidents import warning_providers, zone
from chempark.incidents.models import Incident
from chempark.plans import cap
from chempark.plans.models import CapMessage, PublicWarning
from tests.conftest import PASSWORD, SmallPark
from tests.incidents.conftest import Command, incident_body


def _incident(api: Any, park: SmallPark, **extra: Any) -> Incident:
    created = api(Role.DISPATCHER).call("POST", "/incidents", incident_body(park, **extra))
    assert created.status_code == 201, created.json()
    return Incident.objects.get(pk=created.json()["id"])


def _alert(warning: PublicWarning, index: int = -1) -> cap.Alert:
    messages = list(warning.messages.order_by("sent", "id"))
    document = bytes(messages[index].xml)
    assert cap.validate(document) == []
    return cap.parse(document)


def test_the_dispatcher_publishes_a_warning_for_the_incident_zone(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park)
    client = api(Role.DISPATCHER)
    issued = client.call("POST", f"/incidents/{incident.pk}/warnings", {})
    assert issued.status_code == 201, issued.json()
    body = issued.json()
    assert body["status"] == "issued" and body["actions"] == ["update", "cancel"]
    warning = PublicWarning.objects.get(pk=body["id"])
    assert warning.incident_id == incident.pk and body["url"] == f"/plans/warnings/{warning.pk}/"
    alert = _alert(warning)
    widest = zone.zone_polygon(incident.zone, 2)
    assert alert.incidents == (f"yjj.chempark-incident-{incident.pk}",)
    assert alert.polygons == cap.polygons_from_geojson(widest)
    assert alert.response_types == ("Shelter",) and alert.urgency == "Immediate" and alert.severity == "Severe"
    assert alert.event == "氯泄漏" and "关闭门窗" in alert.instruction and "就地避险" in alert.headline
    assert body["last_message"] == alert.identifier
    event = incident.events.order_by("-id").first()
    assert event is not None and event.action == "warning" and event.actor == "dispatcher"
    assert alert.identifier in event.text and warning.headline in event.text and "AEGL-1" in event.text
    listed = client.call("GET", f"/incidents/{incident.pk}/warnings").json()
    assert [(w["id"], w["status_label"]) for w in listed] == [(warning.pk, "已发布")]


def test_the_dispatcher_chooses_the_zone_response_and_texts(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park)
    issued = api(Role.DISPATCHER).call(
        "POST",
        f"/incidents/{incident.pk}/warnings",
        {"zone": 1, "response_type": "Evacuate", "certainty": "Observed", "headline": "液氯泄漏，请立即撤离"},
    )
    assert issued.status_code == 201, issued.json()
    alert = _alert(PublicWarning.objects.get())
    assert alert.polygons == cap.polygons_from_geojson(zone.zone_polygon(incident.zone, 1))
    assert alert.response_types == ("Evacuate",) and alert.certainty == "Observed"
    assert alert.headline == "液氯泄漏，请立即撤离" and "撤离" in alert.instruction


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"zone": 3}, "zone"),
        ({"response_type": "Panic"}, "response_type"),
        ({"severity": "严重"}, "severity"),
        ({"zone": "0"}, "zone"),
        ({"area": {"type": "Polygon"}}, "area"),
    ],
)
def test_bad_warning_input_is_refused_and_saves_nothing(
    park: SmallPark, api: Any, command: Command, body: dict[str, Any], field: str
) -> None:
    incident = _incident(api, park)
    refused = api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/warnings", body)
    assert refused.status_code == 422, refused.json()
    assert field in str(refused.json()["details"])
    assert not PublicWarning.objects.exists() and not incident.events.filter(action="warning").exists()


def test_without_a_zone_there_is_no_area_to_warn(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park, chemicals=[])
    assert "reason" in incident.zone
    refused = api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/warnings", {})
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_area" and refused.json()["details"] == {"field": "zone"}
    assert "还没有威胁区" in refused.json()["message"]
    assert not PublicWarning.objects.exists() and not incident.events.filter(action="warning").exists()
    page = _login(Role.DISPATCHER).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="warning-no-zone"' in page and 'data-testid="warning-form"' not in page


def test_an_invalid_zone_polygon_rolls_everything_back(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park)
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[118.2, 39.2], [118.3, 39.3], [118.3, 39.2], [118.2, 39.3], [118.2, 39.2]]],
    }
    incident.zone["geojson"]["features"][-1]["geometry"] = bowtie
    incident.save(update_fields=["zone"])
    refused = api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/warnings", {})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_area"
    assert not PublicWarning.objects.exists() and not incident.events.filter(action="warning").exists()


def test_an_update_for_the_zone_now_and_the_cancel_reference_the_first_message(
    park: SmallPark, api: Any, command: Command
) -> None:
    incident = _incident(api, park)
    client = api(Role.DISPATCHER)
    first = client.call("POST", f"/incidents/{incident.pk}/warnings", {}).json()
    updated = client.call(
        "POST", f"/incidents/{incident.pk}/warnings/{first['id']}/update", {"zone": 0, "response_type": "Evacuate"}
    )
    assert updated.status_code == 200, updated.json()
    warning = PublicWarning.objects.get()
    alert = _alert(warning)
    assert alert.msg_type == "Update" and [r.identifier for r in alert.references] == [first["last_message"]]
    assert alert.polygons == cap.polygons_from_geojson(zone.zone_polygon(incident.zone, 0))
    assert alert.incidents == (f"yjj.chempark-incident-{incident.pk}",)
    closed = client.call("POST", f"/incidents/{incident.pk}/close", {"summary": "堵漏完成"})
    assert closed.status_code == 200, closed.json()
    late_update = client.call("POST", f"/incidents/{incident.pk}/warnings/{first['id']}/update", {})
    assert late_update.status_code == 409
    lifted = client.call("POST", f"/incidents/{incident.pk}/warnings/{first['id']}/cancel", {"note": "泄漏已控制"})
    assert lifted.status_code == 200 and lifted.json()["status"] == "cancelled"
    cancel = _alert(warning)
    assert cancel.msg_type == "Cancel" and len(cancel.references) == 2 and cancel.note == "泄漏已控制"
    lines = [e.text for e in incident.events.filter(action="warning").order_by("id")]
    assert [line[:4] for line in lines] == ["发布公众", "更新公众", "解除公众"]
    again = client.call("POST", f"/incidents/{incident.pk}/warnings/{first['id']}/cancel", {})
    assert again.status_code == 409 and again.json()["details"]["allowed"] == []
    assert client.call("POST", f"/incidents/{incident.pk}/warnings", {}).status_code == 409
    assert CapMessage.objects.count() == 3


def test_a_draft_is_reviewed_then_published_and_stays_out_of_the_feed(
    park: SmallPark, api: Any, command: Command
) -> None:
    incident = _incident(api, park)
    client = api(Role.DISPATCHER)
    draft = client.call("POST", f"/incidents/{incident.pk}/warnings", {"publish": False}).json()
    assert draft["status"] == "draft" and draft["last_message"] == "" and draft["actions"] == ["publish", "edit"]
    assert not CapMessage.objects.exists() and b"<entry>" not in Client().get("/plans/warnings/feed.atom").content
    page = _login(Role.DISPATCHER)
    review = page.get(draft["url"]).content.decode()
    assert 'data-testid="edit-form"' in review and 'data-testid="draft-note"' in review
    assert f"/incidents/{incident.pk}/warnings/publish/" in review  # the page publishes through the incident
    edited = page.post(
        draft["url"],
        {
            "step": "edit",
            "event": "液氯泄漏",
            "headline": "园区液氯泄漏，请就地避险（已核对）",
            "response_type": "Shelter",
            "urgency": "Immediate",
            "severity": "Severe",
            "certainty": "Likely",
            "area_desc": "下风向 2 km",
            "area": json.dumps(PublicWarning.objects.get().area),
        },
    )
    assert edited.status_code == 302
    assert PublicWarning.objects.get().headline == "园区液氯泄漏，请就地避险（已核对）"
    published = page.post(f"/incidents/{incident.pk}/warnings/publish/", {"warning": draft["id"]})
    assert published.status_code == 302 and published["Location"] == f"/incidents/{incident.pk}/"
    warning = PublicWarning.objects.get()
    assert warning.status == "issued" and _alert(warning).headline == "园区液氯泄漏，请就地避险（已核对）"
    assert b"<entry>" in Client().get("/plans/warnings/feed.atom").content
    texts = [e.text for e in incident.events.filter(action="warning").order_by("id")]
    assert texts[0].startswith("拟定公众预警草稿") and texts[1].startswith("审核后发布公众预警")


def test_a_warning_of_another_incident_is_not_found(park: SmallPark, api: Any, command: Command) -> None:
    one, other = _incident(api, park), _incident(api, park, title="另一起泄漏")
    client = api(Role.DISPATCHER)
    warning = client.call("POST", f"/incidents/{one.pk}/warnings", {}).json()
    refused = client.call("POST", f"/incidents/{other.pk}/warnings/{warning['id']}/cancel", {})
    assert refused.status_code == 404
    assert PublicWarning.objects.get().status == "issued" and not other.events.filter(action="warning").exists()


def test_the_expert_commands_but_does_not_warn_the_public(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park)
    refused = api(Role.EXPERT).call("POST", f"/incidents/{incident.pk}/warnings", {})
    assert refused.status_code == 403 and not PublicWarning.objects.exists()
    page = _login(Role.EXPERT).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="warning-panel"' in page and 'data-testid="warning-form"' not in page


def test_without_a_warning_module_the_page_offers_nothing_and_the_api_refuses(
    park: SmallPark, api: Any, command: Command, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = _incident(api, park)
    monkeypatch.setattr(warning_providers, "_PROVIDERS", [])
    refused = api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/warnings", {})
    assert refused.status_code == 409 and "未安装" in refused.json()["message"]
    assert api(Role.DISPATCHER).call("GET", f"/incidents/{incident.pk}/warnings").json() == []
    page = _login(Role.DISPATCHER).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="warning-panel"' not in page


def _login(role: Role) -> Client:
    client = Client()
    assert client.login(username=role.value, password=PASSWORD)
    return client


def test_the_page_form_publishes_and_lists_the_warning(park: SmallPark, api: Any, command: Command) -> None:
    incident = _incident(api, park)
    client = _login(Role.DISPATCHER)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="warning-form"' in page and "就地避险" in page and "关闭门窗" in page
    form = {
        "zone": "2",
        "response_type": "Shelter",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Likely",
        "headline": "液氯泄漏，请就地避险",
        "instruction": "",
        "publish": "on",
    }
    done = client.post(f"/incidents/{incident.pk}/warnings/issue/", form, follow=True).content.decode()
    warning = PublicWarning.objects.get()
    assert "预警已发送" in done and 'data-testid="warning-cap"' in done and warning.headline in done
    assert "关闭门窗" in warning.instruction  # an empty instruction is the response's standard text
    refused = client.post(f"/incidents/{incident.pk}/warnings/issue/", {**form, "zone": "7"}, follow=True)
    assert "所选威胁区不存在" in refused.content.decode() and PublicWarning.objects.count() == 1
    detail = client.get(f"/plans/warnings/{warning.pk}/").content.decode()
    assert f'href="/incidents/{incident.pk}/"' in detail and 'data-testid="warning-incident"' in detail


DRAWN = {  # a hand-drawn area around the crossing, not one of the incident's zones
    "type": "Polygon",
    "coordinates": [[[118.19, 39.19], [118.23, 39.19], [118.23, 39.22], [118.19, 39.22], [118.19, 39.19]]],
}


def _update_form(**changes: str) -> dict[str, str]:
    """The update form of the warning's own page as a browser posts it."""
    return {
        "step": "update",
        "event": "液氯泄漏",
        "headline": "液氯泄漏，北侧村庄请撤离",
        "description": "泄漏点下风向扩散",
        "instruction": "向上风向撤离。",
        "response_type": "Evacuate",
        "urgency": "Immediate",
        "severity": "Extreme",
        "certainty": "Observed",
        "expires": "",
        "area_desc": "北侧村庄（手绘）",
        "area": json.dumps(DRAWN),
        **changes,
    }


def _audited(incident: Incident) -> int:
    return AuditEvent.objects.filter(object_type="incident", object_id=str(incident.pk)).count()


def test_an_update_on_the_warning_page_reaches_the_incident_timeline(
    park: SmallPark, api: Any, command: Command
) -> None:
    incident = _incident(api, park)
    first = api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/warnings", {}).json()
    page = _login(Role.DISPATCHER)
    view = page.get(first["url"]).content.decode()
    action = f"/incidents/{incident.pk}/warnings/revise/"
    assert 'data-testid="update-form"' in view and f'action="{action}"' in view  # the form posts to the incident
    assert 'data-testid="update-via-incident"' in view
    audited = _audited(incident)
    sent = page.post(action, {**_update_form(), "warning": str(first["id"])})
    assert sent.status_code == 302 and sent["Location"] == first["url"]  # back on the warning's page
    warning = PublicWarning.objects.get()
    alert = _alert(warning)
    assert alert.msg_type == "Update" and [r.identifier for r in alert.references] == [first["last_message"]]
    assert alert.polygons == cap.polygons_from_geojson(DRAWN) and alert.severity == "Extreme"
    assert alert.incidents == (f"yjj.chempark-incident-{incident.pk}",)
    line = incident.events.filter(action="warning").order_by("-id").first()
    assert line is not None and line.actor == "dispatcher"
    assert line.text.startswith("更新公众预警「液氯泄漏，北侧村庄请撤离」") and "北侧村庄（手绘）" in line.text
    assert alert.identifier in line.text
    assert _audited(incident) == audited + 1
    row = AuditEvent.objects.filter(object_type="incident", object_id=str(incident.pk)).first()
    assert (
        row is not None
        and row.actor_username == "dispatcher"
        and row.after
        == {
            "warning": warning.pk,
            "warning_status": "issued",  # an update keeps the warning issued
        }
    )
    shown = page.get(first["url"]).content.decode()
    assert "预警更新已发送，已记入事件处置记录" in shown and alert.identifier in shown


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"area": json.dumps({**DRAWN, "coordinates": [[[118.2, 39.2], [118.3, 39.3]]]})}, "不是有效的多边形"),
        ({"area": "{not json"}, "预警区域不是有效的 GeoJSON"),
        ({"area": ""}, "预警必须有区域"),
        ({"headline": ""}, "标题"),
        ({"severity": "严重"}, "严重程度"),
    ],
)
def test_a_refused_update_on_the_warning_page_changes_nothing(
    park: SmallPark, api: Any, command: Command, changes: dict[str, str], reason: str
) -> None:
    incident = _incident(api, park)
    first = api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/warnings", {}).json()
    before = (PublicWarning.objects.get().headline, PublicWarning.objects.get().area, CapMessage.objects.count())
    lines, audited = incident.events.count(), _audited(incident)
    page = _login(Role.DISPATCHER)
    refused = page.post(
        f"/incidents/{incident.pk}/warnings/revise/", {**_update_form(**changes), "warning": str(first["id"])}
    )
    assert refused.status_code == 302 and refused["Location"] == first["url"]
    shown = page.get(first["url"]).content.decode()
    assert 'class="msg error"' in shown and reason in shown
    warning = PublicWarning.objects.get()
    assert (warning.headline, warning.area, CapMessage.objects.count()) == before
    assert (incident.events.count(), _audited(incident)) == (lines, audited)


def test_the_warning_page_update_is_refused_once_the_incident_is_closed(
    park: SmallPark, api: Any, command: Command
) -> None:
    incident = _incident(api, park)
    client = api(Role.DISPATCHER)
    first = client.call("POST", f"/incidents/{incident.pk}/warnings", {}).json()
    assert client.call("POST", f"/incidents/{incident.pk}/close", {"summary": "堵漏完成"}).status_code == 200
    lines = incident.events.count()
    page = _login(Role.DISPATCHER)
    page.post(f"/incidents/{incident.pk}/warnings/revise/", {**_update_form(), "warning": str(first["id"])})
    assert "事件已结案" in page.get(first["url"]).content.decode()
    assert CapMessage.objects.count() == 1 and incident.events.count() == lines


def test_a_stale_warning_page_cannot_update_an_incident_warning_past_the_timeline(
    park: SmallPark, api: Any, command: Command
) -> None:
    """A post of the old form straight to the warning's page (a page loaded before this release) is
    refused with the reason: only the route through the incident writes an update."""
    incident = _incident(api, park)
    first = api(Role.DISPATCHER).call("POST", f"/incidents/{incident.pk}/warnings", {}).json()
    page = _login(Role.DISPATCHER)
    refused = page.post(first["url"], _update_form())
    assert refused.status_code == 302 and refused["Location"] == first["url"]
    assert "记入事件处置记录" in page.get(first["url"]).content.decode()
    assert CapMessage.objects.count() == 1 and PublicWarning.objects.get().headline != "液氯泄漏，北侧村庄请撤离"
    assert incident.events.filter(action="warning").count() == 1
