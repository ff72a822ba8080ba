"""API input schemas built from the models, strict about types.

``ninja.orm`` would name foreign keys ``park_id`` on input but ``park`` on output and coerce "12" to a
number; these schemas use the same names both ways, refuse strings where numbers belong, refuse
booleans as numbers, NaN and Infinity, and list each field's choices as an enum in the OpenAPI.
"""

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, create_model

from chempark.core.bounds import StrictRowId
from chempark.park.models import MAX_GHS_CATEGORIES, MAX_GHS_CATEGORY_LENGTH
from chempark.park.registry import EntitySpec


def _finite_float(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _decimal(value: Any) -> Decimal:
    """Numbers arrive as JSON numbers or as decimal strings ("12.5"); both are exact after this."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("must be a number or a decimal string")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a decimal number") from exc
    if not number.is_finite():
        raise ValueError("must be a finite number")
    return number


# Each JSON field's shape: the API refuses anything else and the OpenAPI declares it, both ways (the
# models' validators refuse the same on every other path, imports and pages included). Geometry is
# an object here; its GeoJSON rules are the model validators'.
JSON_FIELDS: dict[str, Any] = {
    "boundary": dict[str, Any],
    "geometry": dict[str, Any],
    "ghs_categories": Annotated[
        list[Annotated[StrictStr, Field(min_length=1, max_length=MAX_GHS_CATEGORY_LENGTH)]],
        Field(max_length=MAX_GHS_CATEGORIES),
    ],
    "gb18218_categories": Annotated[list[StrictStr], Field(max_length=MAX_GHS_CATEGORIES)],
}

ExactDecimal = Annotated[Decimal, BeforeValidator(_decimal), Field(json_schema_extra={"type": ["number", "string"]})]
FiniteFloat = Annotated[StrictFloat, BeforeValidator(_finite_float)]


def _field_type(field: Any) -> Any:  # noqa: PLR0911 — one return per Django field class is the clearest map
    if field.choices:
        return Literal[tuple(str(value) for value, _label in field.choices)]
    if isinstance(field, models.ForeignKey):
        return StrictRowId
    if isinstance(field, models.BooleanField):
        return StrictBool
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return dt.date
    if isinstance(field, models.DecimalField):
        return ExactDecimal
    if isinstance(field, models.FloatField):
        return FiniteFloat
    if isinstance(field, models.PositiveIntegerField):
        return Annotated[StrictInt, Field(ge=0)]
    if isinstance(field, models.IntegerField):
        return StrictInt
    if isinstance(field, models.JSONField):
        return JSON_FIELDS[field.name]
    if isinstance(field, models.CharField):
        return Annotated[StrictStr, Field(max_length=field.max_length)]
    return StrictStr


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")


def input_schema(spec: EntitySpec, *, partial: bool) -> type[Schema]:
    """The create (all required fields) or partial-update (all optional) schema of ``spec``."""
    definitions: dict[str, Any] = {}
    for name in spec.fields:
        field: Any = spec.model._meta.get_field(name)
        annotation = _field_type(field)
        title, description = str(field.verbose_name), str(field.help_text) or None
        if field.null or partial:
            definitions[name] = (annotation | None, Field(default=None, title=title, description=description))
        elif field.has_default() and not callable(field.default):
            definitions[name] = (annotation, Field(default=field.default, title=title, description=description))
        elif field.has_default():
            definitions[name] = (annotation, Field(default_factory=field.default, title=title, description=description))
        elif field.blank and isinstance(field, models.CharField | models.TextField):
            definitions[name] = (annotation, Field(default="", title=title, description=description))
        else:
            definitions[name] = (annotation, Field(title=title, description=description))
    suffix = "Patch" if partial else "Create"
    return create_model(f"{spec.model.__name__}{suffix}", __base__=StrictInput, **definitions)
