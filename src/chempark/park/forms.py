"""Edit forms of the registry pages, generated from the registry table.

A form only parses and checks what was typed; the service validates again and writes. Foreign-key
choices come from the selectors, so an enterprise user can only pick its own units.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from chempark.core import integrity
from chempark.core.actors import Actor
from chempark.park.registry import SPECS, EntitySpec
from chempark.park.selectors import registry_visible

_MODEL_KEYS = {spec.model: key for key, spec in SPECS.items()}


if TYPE_CHECKING:
    _ModelForm = forms.ModelForm[Any]
else:  # the stubs' ModelForm is generic, Django's own is not subscriptable at run time
    _ModelForm = forms.ModelForm


class RegistryModelForm(_ModelForm):
    """A model form whose uniqueness and constraint errors read like the services' own: the fields by
    their Chinese labels and what to do (``core.integrity``), not Django's "包含 企业 和 单元编码 的 …"
    or a constraint's name."""

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            errors = ValidationError(integrity.validation_messages(self._meta.model, errors.error_dict))
        super()._update_errors(errors)  # type: ignore[misc]  # a documented hook of Django's ModelForm the stubs leave out


def registry_form_class(spec: EntitySpec) -> type[forms.ModelForm[Any]]:
    widgets: dict[str, forms.Widget | type[forms.Widget]] = {
        name: forms.Textarea(attrs={"rows": 4, "class": "mono"})
        for name in spec.fields
        if isinstance(spec.model._meta.get_field(name), models.JSONField)
    }
    return forms.modelform_factory(spec.model, form=RegistryModelForm, fields=list(spec.fields), widgets=widgets)


def registry_form(spec: EntitySpec, actor: Actor, *, data: Any = None, instance: Any = None) -> forms.ModelForm[Any]:
    form = registry_form_class(spec)(data=data, instance=instance)
    for name, field in form.fields.items():
        model_field = spec.model._meta.get_field(name)
        if isinstance(model_field, models.ForeignKey) and isinstance(field, forms.ModelChoiceField):
            related_key = _MODEL_KEYS.get(model_field.related_model)  # type: ignore[arg-type]  # a foreign key's related_model is a model class; the stubs allow a str too
            if related_key is not None:
                field.queryset = registry_visible(actor, related_key)
        if actor.is_enterprise_scoped and name in spec.bureau_only_fields and instance is not None:
            field.disabled = True
    return form


def form_values(spec: EntitySpec, form: forms.ModelForm[Any]) -> dict[str, Any]:
    """The cleaned values as the services take them: foreign keys by id, disabled fields left out."""
    values: dict[str, Any] = {}
    for name in spec.fields:
        if form.fields[name].disabled:
            continue
        value = form.cleaned_data.get(name)
        values[name] = value.pk if isinstance(value, models.Model) else value
    return values
