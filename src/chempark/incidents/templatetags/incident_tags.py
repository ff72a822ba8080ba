"""The alarm page's link to incident command: the incidents made from the alarm, and whether the
reader may turn it into one (the page include ``incidents/_alarm_incident.html`` draws both)."""

from __future__ import annotations

from typing import Any

from django import template

from chempark.incidents import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def alarm_incidents(context: Any, alarm: Any) -> dict[str, Any]:
    actor = context.get("actor")
    if actor is None or not actor.can("incident.read"):
        return {"incidents": [], "can_command": False}
    return {
        "incidents": list(selectors.incidents_of_alarm(actor, alarm.pk)),
        "can_command": actor.can("incident.command"),
    }
