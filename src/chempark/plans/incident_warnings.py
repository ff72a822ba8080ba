"""Public warnings issued from the incident page: the plans module's side of
``incidents.warning_providers``. Each call runs inside the incident service's transaction, through
the same services (capability check, CAP validation, audit) as the warning pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from django.urls import reverse

from chempark.core.actors import Actor
from chempark.core.errors import NotFound
from chempark.incidents.warning_providers import WarningRef, WarningRequest, WarningRevision
from chempark.plans import selectors, services
from chempark.plans.models import PublicWarning
from chempark.plans.views import warning_form_values


def _ref(warning: PublicWarning) -> WarningRef:
    messages = selectors.warning_messages(warning)
    last = messages[-1].identifier if messages else ""
    return WarningRef(
        id=warning.pk,
        headline=warning.headline,
        status=warning.status,
        status_label=str(warning.get_status_display()),
        response_label=str(warning.get_response_type_display()),
        url=reverse("plans:warning", args=[warning.pk]),
        created_at=warning.created_at,
        last_message=last,
        last_message_url=reverse("plans:cap", args=[last]) if last else "",
        actions=tuple(services.warning_actions(warning.status)),
        area_desc=warning.area_desc,
    )


def _values(request: WarningRequest) -> dict[str, Any]:
    values = asdict(request)
    values.pop("incident_id")
    return values


def _of_incident(actor: Actor, incident_id: int, warning_id: int) -> PublicWarning:
    warning = selectors.warning_get(actor, warning_id)
    if warning.incident_id != incident_id:
        raise NotFound("该事件没有这条预警。")
    return warning


class PlansWarningProvider:
    """Warnings of an incident through :mod:`chempark.plans.services`."""

    def issue(self, actor: Actor, request: WarningRequest, *, publish: bool) -> WarningRef:
        values = _values(request)
        if publish:
            message = services.warning_issue_for_zone(
                actor=actor, zone=values.pop("area"), incident_id=request.incident_id, **values
            )
            return _ref(message.warning)
        return _ref(services.warning_create(actor=actor, incident_id=request.incident_id, **values))

    def publish(self, actor: Actor, incident_id: int, warning_id: int) -> WarningRef:
        _of_incident(actor, incident_id, warning_id)
        return _ref(services.warning_publish(actor=actor, pk=warning_id).warning)

    def update(self, actor: Actor, incident_id: int, warning_id: int, request: WarningRequest) -> WarningRef:
        _of_incident(actor, incident_id, warning_id)
        return _ref(services.warning_update(actor=actor, pk=warning_id, **_values(request)).warning)

    def revision(self, form: Mapping[str, str]) -> WarningRevision:
        return WarningRevision(**warning_form_values(form))

    def revise(self, actor: Actor, incident_id: int, warning_id: int, revision: WarningRevision) -> WarningRef:
        _of_incident(actor, incident_id, warning_id)
        return _ref(services.warning_update(actor=actor, pk=warning_id, **asdict(revision)).warning)

    def cancel(self, actor: Actor, incident_id: int, warning_id: int, note: str) -> WarningRef:
        _of_incident(actor, incident_id, warning_id)
        return _ref(services.warning_cancel(actor=actor, pk=warning_id, note=note).warning)

    def for_incident(self, actor: Actor, incident_id: int) -> list[WarningRef]:
        if not actor.can("plan.read"):
            return []
        return [_ref(w) for w in selectors.warnings_visible(actor).filter(incident_id=incident_id)]
