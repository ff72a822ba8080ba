"""Django field validators wrapping the pure identifier and geometry checks in ``chempark.common``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from chempark.common.geo import geometry_problem
from chempark.common.identifiers import cas_problem, uscc_problem


def validate_uscc(value: str) -> None:
    problem = uscc_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid_uscc")


def validate_cas(value: str) -> None:
    problem = cas_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid_cas")


@deconstructible
class GeometryValidator:
    """Accepts only GeoJSON geometries of the ``allowed`` types, valid and within WGS84 range."""

    def __init__(self, *allowed: str) -> None:
        self.allowed = allowed

    def __call__(self, value: Any) -> None:
        problem = geometry_problem(value, self.allowed)
        if problem is not None:
            raise ValidationError(problem, code="invalid_geometry")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GeometryValidator) and other.allowed == self.allowed

    def __hash__(self) -> int:
        return hash(self.allowed)
