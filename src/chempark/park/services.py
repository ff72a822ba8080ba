"""Writes to the park registry. Pages, the API, imports and the demo loader all come through here.

Each call checks the actor's capability and enterprise scope, validates every field with the
model's validators (USCC and CAS check characters, GeoJSON, ranges, uniqueness, constraints),
writes, and appends the audit row — all in one transaction, so a refused change leaves nothing behind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from chempark.accounts import audit
from chempark.accounts.actors import Actor
from chempark.accounts.models import AuditAction
from chempark.core.errors import Conflict, Forbidden, InvalidInput
from chempark.park import selectors
from chempark.park.chemical_properties import properties_for_cas
from chempark.park.models import Chemical
from chempark.park.registry import EntitySpec, enterprise_id_of, spec_for

_FILLED_FROM_CAS = ("name_en", "formula", "molar_mass_g_mol", "boiling_point_k", "critical_temperature_k",
                    "critical_pressure_pa")


def _attname(spec: EntitySpec, name: str) -> str:
    field = spec.model._meta.get_field(name)
    return field.attname if isinstance(field, models.ForeignKey) else name


def _assign(spec: EntitySpec, instance: models.Model, values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - set(spec.fields))
    if unknown:
        raise InvalidInput(f"未知字段：{', '.join(unknown)}", code="unknown_field",
                           details={name: ["未知字段"] for name in unknown})
    for name, value in values.items():
        setattr(instance, _attname(spec, name), value)


def _fill_chemical_properties(instance: Chemical) -> None:
    """Complete blank physical properties from the ``chemicals`` package when the CAS is known."""
    if not instance.cas:
        return
    found = properties_for_cas(instance.cas)
    if found is None:
        return
    for name in _FILLED_FROM_CAS:
        if getattr(instance, name) in (None, ""):
            setattr(instance, name, getattr(found, name) or ("" if name in ("name_en", "formula") else None))


def _validate(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        summary = "；".join(f"{field}: {' '.join(messages)}" for field, messages in details.items())
        raise InvalidInput(f"数据校验未通过：{summary}", details=details) from exc


def _check_scope(actor: Actor, spec: EntitySpec, instance: models.Model) -> None:
    """An enterprise user may only touch rows of its own enterprise (checked after assignment, so a
    row cannot be moved into, or created in, another enterprise either)."""
    if actor.is_enterprise_scoped and enterprise_id_of(spec, instance) != actor.enterprise_id:
        raise Forbidden("只能维护本企业的数据。", code="other_enterprise")


def _save(instance: models.Model) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise InvalidInput(f"数据违反唯一性或完整性约束：{exc}", code="integrity_error") from exc


def _reassess_hazards(actor: Actor, kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Recompute the GB 18218 identification of the units a change touches, in the caller's transaction,
    so that an inventory change and its identification snapshot commit (or roll back) together."""
    from chempark.hazards.services import reassess_after_registry_change  # hazards builds on park

    reassess_after_registry_change(actor=actor, kind=kind, before=before, after=after)


def registry_create(*, actor: Actor, kind: str, values: dict[str, Any]) -> models.Model:
    """Create one registry row of ``kind`` from ``values`` (foreign keys by id)."""
    spec = spec_for(kind)
    actor.require(spec.create_capability)
    instance = spec.model()
    _assign(spec, instance, values)
    if isinstance(instance, Chemical):
        _fill_chemical_properties(instance)
    _check_scope(actor, spec, instance)
    _validate(instance)
    with transaction.atomic():
        _save(instance)
        after = audit.snapshot(instance)
        audit.record(actor=actor, action=AuditAction.CREATE, object_type=kind, object_id=instance.pk,
                     after=after, enterprise_id=enterprise_id_of(spec, instance))
        _reassess_hazards(actor, kind, None, after)
    return instance


def registry_update(*, actor: Actor, kind: str, pk: int, values: dict[str, Any]) -> models.Model:
    """Change some fields of one row; fields not in ``values`` keep their value."""
    spec = spec_for(kind)
    actor.require(spec.write_capability)
    with transaction.atomic():
        instance: models.Model = selectors.registry_get(actor, kind, pk, for_update=True)
        if actor.is_enterprise_scoped:
            locked = sorted(
                name for name in set(values) & set(spec.bureau_only_fields)
                if values[name] != getattr(instance, _attname(spec, name))
            )
            if locked:
                raise Forbidden(f"以下字段只能由监管部门修改：{', '.join(locked)}", code="bureau_only_field")
        before = audit.snapshot(instance)
        _assign(spec, instance, values)
        if isinstance(instance, Chemical) and "cas" in values:
            _fill_chemical_properties(instance)
        _check_scope(actor, spec, instance)
        _validate(instance)
        after = audit.snapshot(instance)
        if after != before:
            _save(instance)
            audit.record(actor=actor, action=AuditAction.UPDATE, object_type=kind, object_id=instance.pk,
                         before=before, after=after, enterprise_id=enterprise_id_of(spec, instance))
            _reassess_hazards(actor, kind, before, after)
    return instance


def registry_delete(*, actor: Actor, kind: str, pk: int) -> None:
    """Delete one row; refused with 409 while other rows still refer to it."""
    spec = spec_for(kind)
    actor.require(spec.create_capability)
    with transaction.atomic():
        instance = selectors.registry_get(actor, kind, pk, for_update=True)
        before = audit.snapshot(instance)
        enterprise_id = enterprise_id_of(spec, instance)
        try:
            with transaction.atomic():
                instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            raise Conflict(f"{spec.label} {pk} 仍被其他数据引用，不能删除。", code="in_use") from exc
        audit.record(actor=actor, action=AuditAction.DELETE, object_type=kind, object_id=pk,
                     before=before, enterprise_id=enterprise_id)
        _reassess_hazards(actor, kind, before, None)
