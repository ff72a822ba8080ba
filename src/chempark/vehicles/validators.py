"""Django field validators for the vehicle registry, wrapping the pure checks of ``chempark.common``."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from chempark.common.plates import plate_problem


def validate_plate(value: str) -> None:
    problem = plate_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid_plate")


def validate_terminal_phone(value: str) -> None:
    """A JT/T 808 terminal phone number: the header's BCD field holds 12 digits (2013) or 20 (2019)."""
    if not value.isascii() or not value.isdigit() or not 1 <= len(value) <= 20:
        raise ValidationError("终端手机号须为 1–20 位数字。", code="invalid_terminal_phone")
