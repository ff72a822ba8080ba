"""The steps every write service takes on a model row, in one place: assign only the allowed fields,
run the model's validators, save, delete — each turning Django's exceptions into the platform's
domain errors (422 with per-field details, 409 while a row is still referenced)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from chempark.core import integrity
from chempark.core.errors import Conflict, ErrorCode, InvalidInput


def _attname(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    return field.attname if isinstance(field, models.ForeignKey) else name


def stored_value(instance: models.Model, name: str) -> Any:
    """A field's current value as ``assign_fields`` takes it (foreign keys by id)."""
    return getattr(instance, _attname(instance, name))


def assign_fields(instance: models.Model, allowed: Collection[str], values: dict[str, Any]) -> None:
    """Set ``values`` on ``instance`` (foreign keys by id); a field outside ``allowed`` is refused."""
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise InvalidInput(
            f"未知字段：{', '.join(unknown)}",
            code=ErrorCode.UNKNOWN_FIELD,
            details={name: ["未知字段"] for name in unknown},
        )
    for name, value in values.items():
        setattr(instance, _attname(instance, name), value)


def validate_model(instance: models.Model) -> None:
    """Run every field and model validator; all problems are reported at once, by field."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        model = type(instance)
        details = (
            integrity.validation_messages(model, exc.error_dict)
            if hasattr(exc, "error_dict")
            else {"__all__": exc.messages}
        )
        raise InvalidInput(f"数据校验未通过：{integrity.summary(model, details)}", details=details) from exc


DEFAULT_CONFLICT_MESSAGE = "未保存"


def save_model(instance: models.Model, *, conflict_message: str = DEFAULT_CONFLICT_MESSAGE) -> None:
    """Save in a savepoint; a constraint the validators could not see (a race) becomes a 422 that
    names the fields in Chinese and says what to do (``core.integrity``), never the database's text."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        refusal = integrity.integrity_refusal(exc)
        raise InvalidInput(
            f"{conflict_message}：{refusal.message}", code=ErrorCode.INTEGRITY_ERROR, details=refusal.details()
        ) from exc


def delete_model(instance: models.Model, *, in_use_message: str) -> None:
    """Delete in a savepoint; while other rows still refer to it the answer is 409 ``in_use``."""
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise Conflict(in_use_message, code=ErrorCode.IN_USE) from exc
