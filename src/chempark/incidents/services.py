"""Writes of incident command (接处警): taking an incident (phone, monitoring alarm, 事故模拟 run),
its timeline, response level and attachments, dispatch orders and their states, closure and the
accident investigation record.

Every service checks ``incident.command``, scopes what it names through the selectors, and writes
the change, a timeline line and the audit row in one transaction: a refused change leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.config import current
from chempark.consequence.errors import ConsequenceInputError
from chempark.core import notices
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, InvalidInput
from chempark.emergency import selectors as emergency
from chempark.incidents import selectors, zone
from chempark.incidents.models import (
    Attachment,
    Incident,
    IncidentEvent,
    IncidentKind,
    IncidentSource,
    IncidentStatus,
    Investigation,
)
from chempark.incidents.notices import opened
from chempark.incidents.response_level import DEFAULT_RULES, Facts, Rule, rules_from_json, suggest
from chempark.monitoring import selectors as monitoring
from chempark.park.models import Chemical
from chempark.park.selectors import registry_get

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
    b"PK\x03\x04": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
INVESTIGATION_DAYS = 60
"""《生产安全事故报告和调查处理条例》 art. 29: the investigation report within 60 days of the accident;
extendable once, by at most 60 more."""


@dataclass(frozen=True)
class IncidentInput:
    title: str
    kind: str
    lon: float | None = None
    lat: float | None = None
    enterprise_id: int | None = None
    unit_id: int | None = None
    chemical_ids: Sequence[int] = ()
    deaths: int = 0
    injured: int = 0
    description: str = ""
    reporter: str = ""
    reporter_phone: str = ""


def level_rules() -> tuple[Rule, ...]:
    """The response level rules: the file named by ``CHEMPARK_INCIDENT_LEVEL_RULES_FILE``, else the default."""
    path = current().incident_level_rules_file
    if not path:
        return DEFAULT_RULES
    return rules_from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def log_event(incident: Incident, actor: Actor, action: str, text: str) -> IncidentEvent:
    """A line of the incident's timeline, now, by the actor (in the caller's transaction)."""
    return IncidentEvent.objects.create(
        incident=incident, at=timezone.now(), actor=actor.username, action=action, text=text[:1000]
    )


def audit_incident(
    actor: Actor, action: AuditAction, incident: Incident, after: dict[str, Any], before: Any = None
) -> None:
    """The audit row of a change to an incident (in the caller's transaction)."""
    audit.record(
        actor=actor,
        action=action,
        object_type="incident",
        object_id=incident.pk,
        before=before,
        after=after,
        enterprise_id=incident.enterprise_id,
        object_label=incident.title,
    )


def _suggest(incident: Incident) -> int:
    facts = Facts(
        deaths=incident.deaths,
        injured=incident.injured,
        people_in_zone=zone.people_in_zone(incident.zone),
        kind=incident.kind,
    )
    return suggest(facts, level_rules()).level


def _place(actor: Actor, data: IncidentInput) -> tuple[float, float, int | None, int | None]:
    """Position, enterprise and unit: a unit gives its enterprise and, unless a map point is given,
    its position; an enterprise alone gives its position."""
    lon, lat, enterprise_id, unit_id = data.lon, data.lat, data.enterprise_id, data.unit_id
    if unit_id is not None:
        unit = registry_get(actor, "unit", unit_id)
        if enterprise_id is not None and enterprise_id != unit.enterprise_id:
            raise InvalidInput("所选单元不属于所选企业。", details={"unit": ["not of enterprise"]})
        enterprise_id = unit.enterprise_id
        lon, lat = (unit.lon, unit.lat) if lon is None or lat is None else (lon, lat)
    elif enterprise_id is not None:
        enterprise = registry_get(actor, "enterprise", enterprise_id)
        lon, lat = (enterprise.lon, enterprise.lat) if lon is None or lat is None else (lon, lat)
    if lon is None or lat is None:
        raise InvalidInput(
            "请在地图上点选事发位置，或选择企业/单元。",
            code=ErrorCode.MISSING_SOURCE,
            details={"location": ["required"]},
        )
    return lon, lat, enterprise_id, unit_id


def incident_create(
    *,
    actor: Actor,
    data: IncidentInput,
    source: str = IncidentSource.PHONE,
    alarm_id: int | None = None,
    simulation_id: int | None = None,
    zone_record: dict[str, Any] | None = None,
) -> Incident:
    """Take an incident: its place, chemicals and threat zone, the suggested response level and the
    first line of its timeline."""
    actor.require("incident.command")
    if data.kind not in IncidentKind.values:
        raise InvalidInput("事件类型无效。", details={"kind": ["invalid"]})
    if not data.title.strip():
        raise InvalidInput("请填写事件名称。", details={"title": ["required"]})
    lon, lat, enterprise_id, unit_id = _place(actor, data)
    chemicals = list(selectors.chemicals(actor).filter(pk__in=list(data.chemical_ids)))
    if len(chemicals) != len(set(data.chemical_ids)):
        raise InvalidInput(
            "涉及化学品中有目录里没有的条目。", code=ErrorCode.UNKNOWN_CHEMICAL, details={"chemicals": ["unknown"]}
        )
    with transaction.atomic():
        incident = Incident(
            title=data.title.strip()[:200],
            kind=data.kind,
            source=source,
            reported_at=timezone.now(),
            reporter=data.reporter.strip()[:100],
            reporter_phone=data.reporter_phone.strip()[:40],
            lon=lon,
            lat=lat,
            enterprise_id=enterprise_id,
            unit_id=unit_id,
            deaths=data.deaths,
            injured=data.injured,
            description=data.description.strip(),
            alarm_id=alarm_id,
            simulation_id=simulation_id,
            created_by_id=actor.user_id,
        )
        incident.zone = (
            zone_record
            if zone_record is not None
            else zone.compute(actor, lon=lon, lat=lat, chemical=_toxic_first(chemicals))
        )
        incident.suggested_level = _suggest(incident)
        incident.save()
        incident.chemicals.set(chemicals)
        log_event(
            incident,
            actor,
            "create",
            f"接警（{IncidentSource(source).label}）：{incident.title}；建议 {incident.get_suggested_level_display()}",
        )
        audit_incident(
            actor,
            AuditAction.CREATE,
            incident,
            {
                "title": incident.title,
                "kind": incident.kind,
                "source": source,
                "alarm": alarm_id,
                "simulation": simulation_id,
                "suggested_level": incident.suggested_level,
            },
        )
        notices.announce(opened(incident))  # to the subscribers, only if the incident commits
    return incident


def _toxic_first(chemicals: Sequence[Chemical]) -> Chemical | None:
    """The chemical whose zone is computed: an acutely toxic one before the others."""
    ordered = sorted(chemicals, key=lambda c: (not any("急性毒性" in g for g in c.ghs_categories), c.name_zh))
    return ordered[0] if ordered else None


ALARM_KINDS = {"gas_ppm": IncidentKind.LEAK, "gas_lel": IncidentKind.LEAK, "temperature": IncidentKind.FIRE}


def _alarm_place(alarm: Any) -> tuple[float | None, float | None, str]:
    """Where an alarm is and what to call it: its point, the camera of a video event, or the place
    another module reported (a vehicle's position, an access area)."""
    if alarm.point is not None:
        return alarm.point.lon, alarm.point.lat, f"{alarm.point.name}（{alarm.point.code}）"
    if alarm.camera is not None:
        return alarm.camera.lon, alarm.camera.lat, f"{alarm.camera.name}（{alarm.camera.code}）"
    return alarm.lon, alarm.lat, alarm.subject or alarm.get_alarm_type_display()


def incident_from_alarm(*, actor: Actor, alarm_id: int) -> Incident:
    """One click on an alarm — a reading out of limits or a camera's video event: the incident at its
    point (or camera), with its enterprise, unit and the chemical of its tank (or of its unit's first
    tank). A second click opens the same incident while it is open."""
    actor.require("incident.command")
    alarm = monitoring.alarm_get(actor, alarm_id)
    existing = selectors.incidents_of_alarm(actor, alarm.pk).filter(status=IncidentStatus.OPEN).first()
    if existing is not None:
        return existing
    point = alarm.point
    chemical_ids: list[int] = []
    if point is not None:
        tank = point.tank or (
            registry_get(actor, "unit", point.unit_id).tanks.filter(chemical__isnull=False).order_by("code").first()
        )
        if tank is not None and tank.chemical_id is not None:
            chemical_ids.append(tank.chemical_id)
    kind = ALARM_KINDS.get(point.kind if point is not None else "", IncidentKind.OTHER)
    lon, lat, name = _alarm_place(alarm)
    data = IncidentInput(
        title=f"{alarm.enterprise.name if alarm.enterprise is not None else '园区'} {name} 报警",
        kind=kind,
        lon=lon,
        lat=lat,
        enterprise_id=alarm.enterprise_id,
        unit_id=point.unit_id if point is not None else None,
        chemical_ids=chemical_ids,
        description=(
            f"由监测报警 #{alarm.pk} 转为事件：{alarm.get_alarm_type_display()}，触发值 {alarm.value}。{alarm.detail}"
        ),
    )
    return incident_create(actor=actor, data=data, source=IncidentSource.ALARM, alarm_id=alarm.pk)


def incident_from_simulation(*, actor: Actor, run_id: int, kind: str = IncidentKind.LEAK) -> Incident:
    """An incident at a 事故模拟 run's source, with the run's chemical and zones."""
    actor.require("incident.command")
    run = emergency.simulation_run_get(actor, run_id)
    chemical = selectors.chemicals(actor).filter(cas=run.chemical_cas).first() if run.chemical_cas else None
    met = run.inputs.get("weather", {})
    record = zone.from_results(
        run.results,
        wind_from_deg=float(met.get("wind_from_deg", 0.0)),
        wind_text=f"事故模拟 #{run.pk} 的风况：风从 {met.get('wind_from_deg', '—')}° 吹来，"
        f"{met.get('wind_speed_m_s', '—')} m/s",
        chemical=run.chemical_name,
    )
    data = IncidentInput(
        title=run.title or f"事故模拟 #{run.pk}",
        kind=kind,
        lon=run.source_lon,
        lat=run.source_lat,
        unit_id=run.inputs.get("unit_id"),
        chemical_ids=[chemical.pk] if chemical is not None else [],
        description=f"由事故模拟 #{run.pk} 转为事件。",
    )
    return incident_create(
        actor=actor, data=data, source=IncidentSource.SIMULATION, simulation_id=run.pk, zone_record=record
    )


def open_incident(actor: Actor, pk: int) -> Incident:
    """The incident, locked, for a change: refused (409) once it is closed."""
    actor.require("incident.command")
    incident = selectors.incident_get(actor, pk, for_update=True)
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict(
            "事件已结案，不能再修改。",
            code=ErrorCode.TRANSITION_NOT_ALLOWED,
            details={"status": incident.status, "allowed": []},
        )
    return incident


def incident_zone_refresh(*, actor: Actor, pk: int, release: dict[str, Any] | None = None) -> Incident:
    """Compute the threat zone again with the park's wind now (the wind turns during a response) and
    the suggested level with it — for ``release`` when the dispatcher enters one (kind, rate_kg_s,
    quantity_kg, height_m), else for the release the zone was last computed for; an incident made
    from a 事故模拟 run keeps the run's zones."""
    given = None if release is None else zone.release_from_input(release)
    with transaction.atomic():
        incident = open_incident(actor, pk)
        if incident.simulation_id is not None:
            raise Conflict(
                "该事件的威胁区来自事故模拟记录，请重新进行事故模拟。",
                code=ErrorCode.CONFLICT,
                details={"simulation": incident.simulation_id},
            )
        chemical = _toxic_first(list(incident.chemicals.all()))
        if given is not None and (chemical is None or not chemical.cas):
            raise InvalidInput(
                "该事件未指定带 CAS 号的化学品，无法按泄漏量计算威胁区。", details={"chemicals": ["required"]}
            )
        before = {"people_in_zone": zone.people_in_zone(incident.zone), "suggested_level": incident.suggested_level}
        used = given if given is not None else zone.Release.from_record(incident.zone)
        try:
            incident.zone = zone.compute(actor, lon=incident.lon, lat=incident.lat, chemical=chemical, release=used)
        except ConsequenceInputError as exc:
            raise zone.model_refusal(exc) from None
        incident.suggested_level = _suggest(incident)
        incident.save(update_fields=["zone", "suggested_level"])
        after = {"people_in_zone": zone.people_in_zone(incident.zone), "suggested_level": incident.suggested_level}
        wind = incident.zone.get("wind") or incident.zone.get("reason", "")
        what = f"{incident.zone['release']}；" if "release" in incident.zone else ""
        log_event(incident, actor, "zone", f"重新计算威胁区：{what}{wind}；区内约 {after['people_in_zone']} 人")
        audit_incident(actor, AuditAction.UPDATE, incident, after, before)
    return incident


def incident_note(*, actor: Actor, pk: int, text: str) -> IncidentEvent:
    """A line of the timeline in the dispatcher's words (a call-back, a report from the scene)."""
    if not text.strip():
        raise InvalidInput("记录内容不能为空。", code=ErrorCode.EMPTY_NOTE, details={"text": ["required"]})
    if len(text) > 1000:
        raise InvalidInput("记录内容不能超过 1000 字。", code=ErrorCode.NOTE_TOO_LONG, details={"text": ["too long"]})
    with transaction.atomic():
        incident = open_incident(actor, pk)
        event = log_event(incident, actor, "note", text.strip())
        audit_incident(actor, AuditAction.UPDATE, incident, {"note": text.strip()})
    return event


def incident_update(
    *, actor: Actor, pk: int, level: int | None = None, deaths: int | None = None, injured: int | None = None
) -> Incident:
    """Confirm the response level or correct the casualties; the suggestion follows the casualties."""
    if level is not None and level not in (1, 2, 3, 4):
        raise InvalidInput("响应级别须为 1–4。", details={"level": ["invalid"]})
    with transaction.atomic():
        incident = open_incident(actor, pk)
        before = {"level": incident.level, "deaths": incident.deaths, "injured": incident.injured}
        if deaths is not None:
            incident.deaths = deaths
        if injured is not None:
            incident.injured = injured
        if level is not None:
            incident.level = level
        incident.suggested_level = _suggest(incident)
        incident.save()
        after = {"level": incident.level, "deaths": incident.deaths, "injured": incident.injured}
        changes = "，".join(f"{k} {before[k]}→{after[k]}" for k in after if before[k] != after[k])
        log_event(
            incident, actor, "update", f"更新：{changes or '无变化'}；建议 {incident.get_suggested_level_display()}"
        )
        audit_incident(actor, AuditAction.UPDATE, incident, after, before)
    return incident


def attachment_add(*, actor: Actor, pk: int, name: str, content: bytes) -> Attachment:
    """Attach a JPEG, PNG, PDF or DOCX of at most 5 MiB; the type is read from the bytes, not the name."""
    if not content or len(content) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(
            "附件须为非空文件，且不超过 5 MiB。", code=ErrorCode.PAYLOAD_TOO_LARGE, details={"file": ["size"]}
        )
    content_type = next((kind for magic, kind in ATTACHMENT_TYPES.items() if content.startswith(magic)), None)
    if content_type is None:
        raise InvalidInput("附件只接受 JPEG、PNG、PDF 或 DOCX 文件。", details={"file": ["type"]})
    clean_name = Path(name or "附件").name[:200]
    with transaction.atomic():
        incident = open_incident(actor, pk)
        attachment = Attachment.objects.create(
            incident=incident,
            name=clean_name,
            content_type=content_type,
            size=len(content),
            content=content,
            uploaded_at=timezone.now(),
            uploaded_by=actor.username,
        )
        log_event(incident, actor, "attachment", f"上传附件：{clean_name}（{len(content)} 字节）")
        audit_incident(actor, AuditAction.UPDATE, incident, {"attachment": clean_name, "size": len(content)})
    return attachment


def incident_close(*, actor: Actor, pk: int, summary: str) -> Incident:
    """Close with a summary; refused while a unit is still dispatched, en route or on scene (it
    must be released first; returning units may still be driving home)."""
    if not summary.strip():
        raise InvalidInput("结案须填写处置总结。", code=ErrorCode.REASON_REQUIRED, details={"summary": ["required"]})
    with transaction.atomic():
        incident = open_incident(actor, pk)
        busy = list(
            incident.dispatches.filter(state__in=["dispatched", "en_route", "on_scene"]).select_related("resource")
        )
        if busy:
            names = "、".join(d.resource.name for d in busy)
            raise Conflict(
                f"仍有单位未撤离现场：{names}。请先撤离或取消调派。",
                code=ErrorCode.UNITS_ON_SCENE,
                details={"dispatches": [d.pk for d in busy]},
            )
        incident.status, incident.closed_at, incident.summary = IncidentStatus.CLOSED, timezone.now(), summary.strip()
        incident.save(update_fields=["status", "closed_at", "summary"])
        log_event(incident, actor, "close", f"结案：{incident.summary}")
        audit_incident(actor, AuditAction.UPDATE, incident, {"status": incident.status, "summary": incident.summary})
    return incident


def investigation_save(
    *,
    actor: Actor,
    incident_id: int,
    lead: str,
    opened_on: dt.date,
    extended_to: dt.date | None = None,
    submitted_on: dt.date | None = None,
    findings: str = "",
) -> Investigation:
    """Open or update the investigation record; its deadline runs 60 days from the accident, and an
    extension may reach at most 60 days beyond that."""
    actor.require("incident.command")
    if not lead.strip():
        raise InvalidInput("请填写调查组组长。", details={"lead": ["required"]})
    with transaction.atomic():
        incident = selectors.incident_get(actor, incident_id, for_update=True)
        occurred = timezone.localtime(incident.reported_at).date()
        due = occurred + dt.timedelta(days=INVESTIGATION_DAYS)
        if opened_on < occurred:
            raise InvalidInput(
                "调查组成立日期不能早于事故发生日期。",
                code=ErrorCode.INVALID_RANGE,
                details={"opened_on": ["before accident"]},
            )
        if extended_to is not None and not due < extended_to <= due + dt.timedelta(days=INVESTIGATION_DAYS):
            raise InvalidInput(
                f"延长期限须在 {due} 之后、最迟 {due + dt.timedelta(days=INVESTIGATION_DAYS)}。",
                code=ErrorCode.INVALID_RANGE,
                details={"extended_to": ["out of range"]},
            )
        if submitted_on is not None and submitted_on < opened_on:
            raise InvalidInput(
                "报告提交日期不能早于调查组成立日期。",
                code=ErrorCode.INVALID_RANGE,
                details={"submitted_on": ["before opened"]},
            )
        record, created = Investigation.objects.get_or_create(
            incident=incident, defaults={"lead": lead, "opened_on": opened_on, "due_on": due}
        )
        record.lead, record.opened_on, record.due_on = lead.strip()[:100], opened_on, due
        record.extended_to, record.submitted_on, record.findings = extended_to, submitted_on, findings.strip()
        record.save()
        log_event(
            incident,
            actor,
            "investigation",
            f"事故调查：组长 {record.lead}，报告期限 {record.extended_to or record.due_on}"
            + (f"，{submitted_on} 已提交报告" if submitted_on else ""),
        )
        audit_incident(
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            incident,
            {
                "investigation_due": str(record.due_on),
                "extended_to": str(extended_to or ""),
                "submitted_on": str(submitted_on or ""),
            },
        )
    return record
