"""The grade a unit, tank or inventory page shows (through ``park.hooks.provide_grades``): the unit's
latest GB 18218 identification, which counts each inventory's design maximum, not its current
quantity, and a link to the unit's major hazard record, or to its identification when it is none."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from chempark.core.actors import Actor
from chempark.hazards.models import HazardStatus, Level, MajorHazard, UnitAssessment
from chempark.park.hooks import GradeNote

GRADED_KINDS = {"unit": "pk", "tank": "unit_id", "inventory": "unit_id"}


def grade_note(actor: Actor, kind: str, instance: Any) -> GradeNote | None:
    """The grade of the unit behind ``instance`` (its latest identification), or None for other kinds.
    The row was read through the registry's scoped selector, so the actor may see its unit."""
    attribute = GRADED_KINDS.get(kind)
    if attribute is None or instance is None:
        return None
    unit_id = getattr(instance, attribute)
    latest = UnitAssessment.objects.filter(unit_id=unit_id).order_by("-computed_at", "-id").first()
    if latest is None:
        return None
    if latest.is_major and latest.level is not None:
        text = _("%(level)s重大危险源（S = %(s)s）") % {"level": Level(latest.level).label, "s": f"{latest.s:.2f}"}
    else:
        text = _("未构成重大危险源（S = %(s)s）") % {"s": f"{latest.s:.2f}"}
    hazard = MajorHazard.objects.filter(unit_id=unit_id).exclude(status=HazardStatus.CANCELLED).first()
    url = reverse("hazards:detail", args=[hazard.pk]) if hazard else reverse("hazards:unit", args=[unit_id])
    return GradeNote(text, url)
