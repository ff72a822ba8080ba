"""``{% on_duty_now as shift %}``: the duty shift now, for the strip on every bureau page."""

from __future__ import annotations

from django import template

from chempark.command.duty_selectors import shift_now
from chempark.command.models import DutyShift

register = template.Library()


@register.simple_tag
def on_duty_now() -> DutyShift | None:
    return shift_now()
