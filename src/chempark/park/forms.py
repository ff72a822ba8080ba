"""Edit forms of the registry pages, generated from the registry table.

A form only parses and checks what was typed; the service validates again and writes. Foreign-key
choices come from the selectors, so an enterprise user can only pick its own units.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from chempark.common.geo import geometry_problem, outside_park_problem
from chempark.core import integrity
from chempark.core.actors import Actor
from chempark.core.geometry_input import GeometryWidget
from chempark.park.models import Park
from chempark.park.registry import SPECS, EntitySpec
from chempark.park.selectors import park_boundary, registry_visible
from chempark.park.validators import GeometryValidator

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


def _geometry_types(field: models.Field[Any, Any]) -> tuple[str, ...] | None:
    """The GeoJSON types a geometry field takes (from its validator), None for other JSON fields."""
    for validator in field.validators:
        if isinstance(validator, GeometryValidator):
            return tuple(validator.allowed)
    return None


class RegistryForm(RegistryModelForm):
    """A registry row's form: a location far outside the park is refused at the field, in Chinese."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is None or self._meta.model is Park:
            return cleaned
        park = cleaned.get("park")
        boundary = park_boundary(park.pk if isinstance(park, Park) else None)
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if not isinstance(field.widget, GeometryWidget) or value is None:
                continue
            # checked here rather than by the model's validator, so that the message names the field
            # (a field refused here is not validated by the model again)
            problem = geometry_problem(value, field.widget.types)
            if problem is None and boundary is not None:
                problem = outside_park_problem(value, boundary)
            self._refuse(name, problem)
        lon, lat = cleaned.get("lon"), cleaned.get("lat")
        if boundary is not None and "lat" in self.fields and isinstance(lon, float) and isinstance(lat, float):
            self._refuse("lat", outside_park_problem({"type": "Point", "coordinates": [lon, lat]}, boundary))
        return cleaned

    def _refuse(self, name: str, problem: str | None) -> None:
        if problem is not None:
            self.add_error(name, f"{self.fields[name].label}：{problem}")


def registry_form_class(spec: EntitySpec) -> type[forms.ModelForm[Any]]:
    """Geometries are drawn on the map (``GeometryWidget``); other JSON fields stay text."""
    widgets: dict[str, forms.Widget | type[forms.Widget]] = {}
    help_texts: dict[str, str] = {}
    for name in spec.fields:
        field = spec.model._meta.get_field(name)
        if not isinstance(field, models.JSONField):
            continue
        types = _geometry_types(field)
        widgets[name] = GeometryWidget(types) if types else forms.Textarea(attrs={"rows": 4, "class": "mono"})
        if types:
            help_texts[name] = ""  # the model's note is for the API (GeoJSON, WGS84); the map says how to draw
    return forms.modelform_factory(
        spec.model, form=RegistryForm, fields=list(spec.fields), widgets=widgets, help_texts=help_texts
    )


def located_by_lon_lat(form: forms.BaseForm) -> bool:
    """Whether the form places its row by a longitude and a latitude input (a map then fills them)."""
    return "lon" in form.fields and "lat" in form.fields and not form.fields["lon"].disabled


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
