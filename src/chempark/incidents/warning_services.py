"""Public warnings from the incident page: the dispatcher warns the public about the incident's threat
zone (publish at once, or a draft reviewed on the warning's page first), sends an update when the
zone has been computed again, and lifts the warning. The warning's own page sends its publish, update
and cancel of an incident's warning here too, so none of them misses the timeline.

The area is always one of the incident's computed zones, never typed in: what the public is told
matches what the decision panel shows. The warning itself is written by the installed warning module
(:mod:`chempark.incidents.warning_providers`) in this module's transaction, together with the
timeline line (actor and time) and the incident's audit row, so a refusal anywhere leaves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, InvalidInput
from chempark.incidents import selectors, warning_providers
from chempark.incidents.models import Incident
from chempark.incidents.schemas import IncidentWarningIn
from chempark.incidents.services import audit_incident, log_event, open_incident
from chempark.incidents.warning_providers import WarningProvider, WarningRef, WarningRequest, WarningRevision

RESPONSE_LABELS = {
    "Shelter": "就地避险",
    "Evacuate": "撤离",
    "Prepare": "做好准备",
    "Avoid": "远离该区域",
    "Monitor": "关注后续信息",
}
INSTRUCTIONS = {
    "Shelter": "立即进入就近建筑物，关闭门窗、空调和通风设备，用湿毛巾捂住口鼻，留在室内，等待解除通知。",
    "Evacuate": "立即向上风向或侧风向撤离，不要穿越事发区域，沿指定道路前往避难场所，听从现场人员指挥。",
    "Prepare": "关闭门窗，准备好随身物品，随时准备撤离，关注政府发布的后续信息。",
    "Avoid": "请勿进入或靠近该区域，车辆绕行，听从现场管控人员指挥。",
    "Monitor": "请关注政府发布的后续信息。",
}


def _provider() -> WarningProvider:
    provider = warning_providers.provider()
    if provider is None:
        raise Conflict("公众预警模块未安装，不能发布预警。", code=ErrorCode.CONFLICT, details={"warnings": []})
    return provider


def zone_choices(incident: Incident) -> list[tuple[int, str]]:
    """The zones a warning may cover: (index, label with reach and people), innermost first."""
    zones = incident.zone.get("zones", [])
    features = incident.zone.get("geojson", {}).get("features", [])
    choices = []
    for index, _feature in enumerate(features):
        item = zones[index] if index < len(zones) else {}
        label = str(item.get("label") or f"威胁区 {index + 1}")
        if item.get("reach_m") is not None:
            label += f"（下风向 {float(item['reach_m']):.0f} m，区内约 {int(item.get('people') or 0)} 人）"
        choices.append((index, label))
    return choices


def _area(incident: Incident, index: int | None) -> tuple[dict[str, Any], str]:
    """The GeoJSON geometry of zone ``index`` (the widest when None) and its label, or the 422 that
    says why the incident has no such zone."""
    features = incident.zone.get("geojson", {}).get("features", [])
    if not features:
        reason = incident.zone.get("reason") or "尚未计算"
        raise InvalidInput(
            f"该事件还没有威胁区（{reason}），不能按威胁区发布预警。请先指定化学品并重新计算威胁区。",
            code=ErrorCode.INVALID_AREA,
            details={"field": "zone"},
        )
    if index is None:
        index = len(features) - 1
    if index >= len(features):
        raise InvalidInput(
            f"所选威胁区不存在：该事件只有 {len(features)} 个威胁区。",
            code=ErrorCode.INVALID_AREA,
            details={"field": "zone"},
        )
    geometry = features[index].get("geometry")
    if not isinstance(geometry, dict):
        raise InvalidInput("该威胁区没有有效的多边形。", code=ErrorCode.INVALID_AREA, details={"field": "zone"})
    return geometry, dict(zone_choices(incident))[index]


def defaults(incident: Incident, response_type: str = "Shelter") -> dict[str, str]:
    """The Chinese texts a warning about this incident starts from (the form shows them to edit)."""
    chemical = str(incident.zone.get("chemical") or "")
    place = incident.enterprise.name if incident.enterprise_id is not None and incident.enterprise else incident.title
    event = f"{chemical}{incident.get_kind_display()}" if chemical else f"危险化学品{incident.get_kind_display()}"
    action = RESPONSE_LABELS.get(response_type, "注意防范")
    return {
        "event": event[:100],
        "headline": f"{place}发生{event}，威胁区内人员请{action}"[:200],
        "area_desc": f"{place}周边及下风向威胁区"[:200],
        "instruction": INSTRUCTIONS.get(response_type, ""),
        "description": f"{place}发生{event}，应急处置正在进行。{incident.zone.get('wind', '')}"[:4000],
    }


def _request(incident: Incident, data: IncidentWarningIn) -> tuple[WarningRequest, str]:
    area, zone_label = _area(incident, data.zone)
    filled = defaults(incident, data.response_type)
    texts = {name: (getattr(data, name).strip() or filled[name]) for name in filled}
    request = WarningRequest(
        incident_id=incident.pk,
        area=area,
        response_type=data.response_type,
        urgency=data.urgency,
        severity=data.severity,
        certainty=data.certainty,
        **texts,
    )
    return request, zone_label


def _log(actor: Actor, incident: Incident, ref: WarningRef, text: str) -> None:
    log_event(incident, actor, "warning", text)
    audit_incident(actor, AuditAction.UPDATE, incident, {"warning": ref.id, "warning_status": ref.status})


def _sent(ref: WarningRef) -> str:
    return f"（CAP 消息 {ref.last_message}）" if ref.last_message else ""


def incident_warning_issue(*, actor: Actor, pk: int, data: IncidentWarningIn) -> WarningRef:
    """Publish a warning for the incident's zone, or keep it as a draft (``data.publish`` false)."""
    actor.require("warning.issue")
    provider = _provider()
    with transaction.atomic():
        incident = open_incident(actor, pk)
        request, zone_label = _request(incident, data)
        ref = provider.issue(actor, request, publish=data.publish)
        action = RESPONSE_LABELS[request.response_type]
        if data.publish:
            text = f"发布公众预警「{ref.headline}」：{action}，范围 {zone_label}{_sent(ref)}"
        else:
            text = f"拟定公众预警草稿「{ref.headline}」：{action}，范围 {zone_label}，待审核后发布"
        _log(actor, incident, ref, text)
    return ref


def incident_warning_publish(*, actor: Actor, pk: int, warning_id: int) -> WarningRef:
    """Publish a reviewed draft of this incident."""
    actor.require("warning.issue")
    provider = _provider()
    with transaction.atomic():
        incident = open_incident(actor, pk)
        ref = provider.publish(actor, incident.pk, warning_id)
        _log(actor, incident, ref, f"审核后发布公众预警「{ref.headline}」{_sent(ref)}")
    return ref


def incident_warning_update(*, actor: Actor, pk: int, warning_id: int, data: IncidentWarningIn) -> WarningRef:
    """Send an update of an issued warning for the zone as computed now (the wind has turned, the
    release is better known), with the texts given or filled again."""
    actor.require("warning.issue")
    provider = _provider()
    with transaction.atomic():
        incident = open_incident(actor, pk)
        request, zone_label = _request(incident, data)
        ref = provider.update(actor, incident.pk, warning_id, request)
        _log(actor, incident, ref, f"更新公众预警「{ref.headline}」：范围 {zone_label}{_sent(ref)}")
    return ref


def warning_revision(form: Mapping[str, str]) -> WarningRevision:
    """The update form of the warning's own page, checked by the warning module that owns it (422
    naming the field)."""
    return _provider().revision(form)


def incident_warning_revise(*, actor: Actor, pk: int, warning_id: int, revision: WarningRevision) -> WarningRef:
    """The update of an incident's warning sent from the warning's own page: its texts, expiry and an
    area drawn by hand rather than one of the zones. It goes through the incident like the update
    from the incident page, so the timeline (actor, CAP identifier) and the audit trail have it, and it
    is refused (409) once the incident is closed."""
    actor.require("warning.issue")
    provider = _provider()
    with transaction.atomic():
        incident = open_incident(actor, pk)
        ref = provider.revise(actor, incident.pk, warning_id, revision)
        area = f"{ref.area_desc}（手绘区域）" if ref.area_desc else "手绘区域"
        _log(actor, incident, ref, f"更新公众预警「{ref.headline}」：范围 {area}{_sent(ref)}")
    return ref


def warning_page(actor: Actor, pk: int, warning_id: int) -> str:
    """The page of the incident's warning ``warning_id``, or '' when the incident has no such warning
    (where a refused update from that page goes back to)."""
    provider = warning_providers.provider()
    refs = provider.for_incident(actor, pk) if provider is not None else []
    return next((ref.url for ref in refs if ref.id == warning_id), "")


def incident_warning_cancel(*, actor: Actor, pk: int, warning_id: int, note: str = "") -> WarningRef:
    """Lift a warning of the incident; also after closure (the all-clear often follows it)."""
    actor.require("warning.issue")
    actor.require("incident.command")
    provider = _provider()
    with transaction.atomic():
        incident = selectors.incident_get(actor, pk, for_update=True)
        ref = provider.cancel(actor, incident.pk, warning_id, note.strip() or "预警解除")
        _log(actor, incident, ref, f"解除公众预警「{ref.headline}」{_sent(ref)}")
    return ref
