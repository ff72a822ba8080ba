"""Password rule beyond Django's: at least three of four character classes (等保 2.0 复杂度要求)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    required_classes = 3

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.required_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少三类。"), code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return _("密码须包含小写字母、大写字母、数字、符号中的至少三类。")
