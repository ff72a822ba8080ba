"""Start-up check: a response level rules file that cannot be read stops the start, rather than
every incident intake failing later."""

from __future__ import annotations

from typing import Any

from django.core import checks

from chempark.incidents.services import level_rules


@checks.register()
def level_rules_readable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        level_rules()
    except (OSError, ValueError) as exc:
        return [checks.Error(f"CHEMPARK_INCIDENT_LEVEL_RULES_FILE: {exc}", id="incidents.E001")]
    return []
