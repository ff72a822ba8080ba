"""Writes to the park registry. Pages, the API, imports and the demo loader all come through here.

Each call checks the actor's capability and enterprise scope, validates every field with the
model's validators (USCC and CAS check characters, GeoJSON, ranges, uniqueness, constraints),
writes, and appends the audit row — all in one transaction, so a refused change leaves nothing behind.
Apps that must react to a write (major hazards recompute their identification) subscribe to
:mod:`chempark.park.hooks`.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode, Forbidden
from chempark.core.model_writes import assign_fields, save_model, stored_value, validate_model
from chempark.park import hooks, selectors
from chempark.park.chemical_properties import properties_for_cas
from chempark.park.models import Chemical
from chempark.park.registry import EntitySpec, enterprise_id_of, spec_for

_FILLED_FROM_CAS = (
    "name_en",
    "formula",
    "molar_mass_g_mol",
    "boiling_point_k",
    "critical_temperature_k",
    "critical_pressure_pa",
)


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


def _check_scope(actor: Actor, spec: EntitySpec, instance: models.Model) -> None:
    """An enterprise user may only touch rows of its own enterprise (checked after assignment, so a
    row cannot be moved into, or created in, another enterprise either)."""
    if actor.is_enterprise_scoped and enterprise_id_of(spec, instance) != actor.enterprise_id:
        raise Forbidden("只能维护本企业的数据。", code=ErrorCode.OTHER_ENTERPRISE)


def registry_create(*, actor: Actor, kind: str, values: dict[str, Any]) -> models.Model:
    """Create one registry row of ``kind`` from ``values`` (foreign keys by id)."""
    spec = spec_for(kind)
    actor.require(spec.create_capability)
    instance = spec.model()
    assign_fields(instance, spec.fields, values)
    if isinstance(instance, Chemical):
        _fill_chemical_properties(instance)
    _check_scope(actor, spec, instance)
    validate_model(instance)
    with transaction.atomic():
        save_model(instance)
        after = audit.snapshot(instance)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type=kind,
            object_id=instance.pk,
            after=after,
            enterprise_id=enterprise_id_of(spec, instance),
        )
        hooks.registry_changed(actor=actor, kind=kind, before=None, after=after)
    return instance


def registry_update(*, actor: Actor, kind: str, pk: int, values: dict[str, Any]) -> models.Model:
    """Change some fields of one row; fields not in ``values`` keep their value."""
    spec = spec_for(kind)
    actor.require(spec.write_capability)
    with transaction.atomic():
        instance: models.Model = selectors.registry_get(actor, kind, pk, for_update=True)
        if actor.is_enterprise_scoped:
            locked = sorted(
                name
                for name in set(values) & set(spec.bureau_only_fields)
                if values[name] != stored_value(instance, name)
            )
            if locked:
                raise Forbidden(f"以下字段只能由监管部门修改：{', '.join(locked)}", code=ErrorCode.BUREAU_ONLY_FIELD)
        before = audit.snapshot(instance)
        assign_fields(instance, spec.fields, values)
        if isinstance(instance, Chemical) and "cas" in values:
            _fill_chemical_properties(instance)
        _check_scope(actor, spec, instance)
        validate_model(instance)
        after = audit.save_changes(
            actor=actor,
            instance=instance,
            before=before,
            object_type=kind,
            enterprise_id=enterprise_id_of(spec, instance),
        )
        if after is not None:
            hooks.registry_changed(actor=actor, kind=kind, before=before, after=after)
    return instance


def registry_delete(*, actor: Actor, kind: str, pk: int) -> None:
    """Delete one row; refused with 409 while other rows still refer to it."""
    spec = spec_for(kind)
    actor.require(spec.create_capability)
    with transaction.atomic():
        instance = selectors.registry_get(actor, kind, pk, for_update=True)
        before = audit.delete_recorded(
            actor=actor,
            instance=instance,
            object_type=kind,
            enterprise_id=enterprise_id_of(spec, instance),
            in_use_message=f"{spec.label} {pk} 仍被其他数据引用，不能删除。",
        )
        hooks.registry_changed(actor=actor, kind=kind, before=before, after=None)
