"""How the audit trail reads to the auditor.

Rows store what the services wrote: an object type (``major_hazard``, a registry kind such as
``protectivetarget``), field names and raw values. The auditor reads Chinese: the object type by its
model's name, each changed field by its label, a choice by its label, yes/no for flags, an empty value
as 「空」 and a drawn geometry as the number of its points. The model behind an object type is found by
name (its ``model_name`` or its class name in snake case), so a new module's rows read well without
being listed here; a type whose name differs from its model's is registered by its app
(``register_object_type``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from chempark.core.actor_names import actor_label

_ALIASES: dict[str, str] = {}
_KEYS: dict[str, dict[str, Any]] = {}
_VALUES: dict[str, dict[str, Mapping[str, Any]]] = {}


def register_object_type(
    object_type: str,
    model_label: str,
    *,
    keys: dict[str, Any] | None = None,
    values: dict[str, Mapping[str, Any]] | None = None,
) -> None:
    """Name the model (``"app.Model"``) whose rows an audit ``object_type`` records, label the
    keys of its rows that are no field of the model (an import's counts, a workflow's ``transition``)
    and, in ``values``, the codes such a key holds (``{"transition": {"start": "开始整改"}}``)."""
    _ALIASES[object_type] = model_label
    _KEYS[object_type] = dict(keys or {})
    _VALUES[object_type] = dict(values or {})
    _model_index.cache_clear()


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@cache
def _model_index() -> dict[str, type[models.Model]]:
    index: dict[str, type[models.Model]] = {}
    for model in apps.get_models():
        index.setdefault(model._meta.model_name or "", model)
        index.setdefault(_snake(model.__name__), model)
    for object_type, label in _ALIASES.items():
        index[object_type] = apps.get_model(label)
    return index


def model_for(object_type: str) -> type[models.Model] | None:
    """The model of an object type: by its name, or named in full (``"command.dutyshift"``)."""
    model = _model_index().get(object_type)
    if model is None and object_type.count(".") == 1:
        try:
            return apps.get_model(object_type)
        except (LookupError, ValueError):
            return None
    return model


def type_label(object_type: str) -> str:
    """The object type as the auditor reads it: the model's Chinese name."""
    model = model_for(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def type_choices(object_types: list[str]) -> list[tuple[str, str]]:
    """Drop-down choices for the object types present, sorted by their Chinese names."""
    return sorted(((t, type_label(t)) for t in object_types), key=lambda choice: choice[1])


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    # many-to-many fields too: a plan's chemicals, a shift's officers were shown by their field names
    for field in (*model._meta.concrete_fields, *model._meta.many_to_many):
        if key in (field.name, field.attname):
            return field
    return None


def field_label(model: type[models.Model] | None, key: str, object_type: str = "") -> str:
    if key == "id":
        return _("编号")
    named = _KEYS.get(object_type, {}).get(key)
    if named is not None:  # the app's own word first: some foreign keys have no Chinese verbose_name
        return str(named)
    field = _field(model, key)
    if field is not None:
        return str(field.verbose_name)
    return str(_KEYS.get(object_type, {}).get(key, key))


def _is_geometry(value: Any) -> bool:
    return isinstance(value, dict) and "type" in value and ("coordinates" in value or "geometries" in value)


def _count_positions(value: Any) -> int:
    if isinstance(value, list) and value and all(isinstance(x, int | float) for x in value):
        return 1
    if isinstance(value, list):
        return sum(_count_positions(item) for item in value)
    if isinstance(value, dict):
        return _count_positions(value.get("coordinates", value.get("geometries", [])))
    return 0


def value_text(model: type[models.Model] | None, key: str, value: Any, object_type: str = "") -> str:
    """One stored value in words."""
    if value is None or value in ("", [], {}):
        return _("空")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list | dict):
        return _structured_text(value)
    if key.endswith("_by") and isinstance(value, str):  # who found, uploaded, recorded: a login
        return _person_name(value)
    codes = _VALUES.get(object_type, {}).get(key)
    if codes is not None and str(value) in codes:
        return str(codes[str(value)])
    field = _field(model, key)
    return _field_text(field, value) if field is not None else str(value)


def _structured_text(value: list[Any] | dict[str, Any]) -> str:
    """A geometry by its number of points, a list of names joined, anything larger by its size."""
    if _is_geometry(value):
        return _("图形（%(n)s 个坐标点）") % {"n": _count_positions(value)}
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return "、".join(str(_known_codes().get(str(item), item)) for item in value)
    if isinstance(value, dict) and all(isinstance(n, int) for n in value.values()):  # counts per object type
        return "、".join(f"{type_label(kind)} {n}" for kind, n in value.items())
    return _("共 %(n)s 项") % {"n": len(value)}


def _person_name(username: str) -> str:
    """A login as the auditor reads it: the account's name when it has one."""
    name = apps.get_model("accounts", "User").objects.filter(username=username).values_list("first_name", flat=True)
    return actor_label(username, next(iter(name), "") or "")


@cache
def _known_codes() -> dict[str, Any]:
    """Every choice code of the platform's models with its Chinese label, for lists of codes kept in a
    JSON field (a plan's incident types): the first model's label wins."""
    codes: dict[str, Any] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            for code, label in field.flatchoices:
                if isinstance(code, str):
                    codes.setdefault(code, label)
    return codes


def _field_text(field: models.Field[Any, Any], value: Any) -> str:
    """A choice by its label, a foreign key by its id, a time in local time."""
    if field.choices:
        return {str(code): str(label) for code, label in field.flatchoices}.get(str(value), str(value))
    if field.is_relation:
        return f"#{value}"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if timezone.is_aware(moment) else value
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: the row created the value
    new: str


def changes(object_type: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
    """The fields that changed, by label, with old and new values in words. A value whose words did
    not change (a key rewritten with the same value) is not listed: no 「一级 → 一级」."""
    model = model_for(object_type)
    before, after = before or {}, after or {}
    result = []
    if not before:
        for key, value in after.items():
            if key != "id" and value not in (None, "", [], {}):
                new = value_text(model, key, value, object_type)
                result.append(Change(field_label(model, key, object_type), None, new))
        return result
    if not after:
        gone = _("（已删除）")
        return [
            Change(field_label(model, key, object_type), value_text(model, key, value, object_type), gone)
            for key, value in before.items()
        ]
    for key in after:
        old = value_text(model, key, before.get(key), object_type)
        new = value_text(model, key, after.get(key), object_type)
        if key in before and old == new:
            continue
        result.append(Change(field_label(model, key, object_type), old if key in before else None, new))
    return result
