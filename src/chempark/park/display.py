"""Registry values as a page shows them (the export keeps the stored values, which its import reads):
temperatures in °C rather than K, formulas in conventional notation, measured floats rounded, flags
as 是/否."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from chempark.common.formula import display_formula
from chempark.park.export import column_label, column_value, field_label
from chempark.park.registry import EntitySpec

KELVIN_OFFSET = 273.15


def page_value(instance: models.Model, column: str) -> Any:
    value = column_value(instance, column)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if column.endswith("formula") and isinstance(value, str):
        return display_formula(value)
    if column.endswith("_k") and isinstance(value, float):
        return f"{value - KELVIN_OFFSET:.1f}"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return value


def _celsius(label: str, column: str) -> str:
    return label.replace("(K)", "(°C)").replace("（K）", "（°C）") if column.endswith("_k") else label


def page_column_label(spec: EntitySpec, column: str) -> str:
    return _celsius(column_label(spec, column), column)


def page_field_label(model: type[models.Model], name: str) -> str:
    return _celsius(field_label(model, name), name)
