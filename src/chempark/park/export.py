"""Cell values for registry lists and their xlsx export."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from openpyxl import Workbook

from chempark.park.registry import EntitySpec
from chempark.park.workbook import Column, Sheet, blank_workbook


def format_decimal(value: Decimal) -> str:
    """12.5000 → "12.5", 40.0000 → "40": stored precision is not measured precision."""
    return format(value.normalize(), "f")


def column_value(instance: models.Model, column: str) -> Any:
    """The displayed value of ``column`` (``a__b`` follows relations; choices show their label)."""
    value: Any = instance
    *path, last = column.split("__")
    for step in path:
        value = getattr(value, step, None)
        if value is None:
            return ""
    display = getattr(value, f"get_{last}_display", None)
    if callable(display):
        return display()
    result = getattr(value, last, "")
    if isinstance(result, models.Model):
        return str(result)
    if isinstance(result, list):
        return "、".join(str(item) for item in result)
    if isinstance(result, Decimal):
        return format_decimal(result)
    return "" if result is None else result


def field_label(model: type[models.Model], name: str) -> str:
    """The verbose name of a model field (the field name for reverse relations, which have none)."""
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def column_label(spec: EntitySpec, column: str) -> str:
    """The column's header: the field's verbose name; for ``a__b__name`` the name of relation ``b``."""
    model: Any = spec.model
    *path, last = column.split("__")
    owner = ""
    for step in path:
        owner = field_label(model, step)
        model = model._meta.get_field(step).related_model
    if not path:
        return field_label(model, last)
    return owner if last in ("name", "name_zh") else f"{owner}·{field_label(model, last)}"


_SHEET_TITLE_REFUSES = str.maketrans(dict.fromkeys("\\/*?:[]", "、"))


def sheet_title(label: str) -> str:
    """``label`` as an xlsx sheet title: Excel refuses ``\\ / * ? : [ ]`` and titles over 31
    characters (生产/储存单元 → 生产、储存单元)."""
    return label.translate(_SHEET_TITLE_REFUSES)[:31]


def registry_workbook(spec: EntitySpec, rows: Iterable[models.Model]) -> bytes:
    """An xlsx of ``rows`` with the list's columns."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(str(spec.label)))
    sheet.append(["ID", *[column_label(spec, c) for c in spec.columns]])
    for row in rows:
        cells = [column_value(row, c) for c in spec.columns]
        sheet.append([row.pk, *[c if isinstance(c, int | float | str) else str(c) for c in cells]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_cell(instance: models.Model, column: Column) -> Any:
    """``instance``'s value for a column of the import template, as the import reads it back: a
    choice by its Chinese label, the enterprise by its USCC, a unit by its code, a chemical by its CAS
    number (its Chinese name without one), another related row by its name."""
    unit = getattr(instance, "unit", None)
    if column.key == "enterprise_uscc":
        return getattr(getattr(instance, "enterprise", None) or getattr(unit, "enterprise", None), "uscc", "")
    if column.key == "unit_code":
        return getattr(unit, "code", "")
    value = getattr(instance, column.key, None)
    if value is None:
        result: Any = ""
    elif column.key == "chemical":
        result = getattr(value, "cas", "") or getattr(value, "name_zh", "")
    elif column.choices:
        result = dict(column.choices).get(str(value), str(value))
    elif isinstance(value, models.Model):
        result = getattr(value, "name", str(value))
    elif isinstance(value, Decimal):
        result = int(value) if value == value.to_integral_value() else format_decimal(value)
    else:
        result = value
    return result


def template_workbook_of(sheet: Sheet, rows: Iterable[models.Model]) -> bytes:
    """An export in the import template's own layout — the sheet's title, headings (* = required),
    frozen heading row and drop-downs — so an exported file can be corrected and imported again."""
    workbook = blank_workbook((sheet,))
    worksheet = workbook[sheet.title]
    for row in rows:
        worksheet.append([template_cell(row, column) for column in sheet.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
