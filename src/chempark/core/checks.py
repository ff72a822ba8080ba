"""Start-up checks: production refuses to run with insecure settings.

The checks run with every management command (``chempark check``, ``migrate``, the workers) and,
through :func:`refuse_insecure_start`, when the web process loads (``chempark.asgi``), so an insecure
production fails before it serves anything, with the reason and the variable to change.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from chempark import config


@checks.register(checks.Tags.security)
def settings_are_safe_for_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [checks.Error(reason, id="chempark.E001") for reason in config.insecure_reasons(config.current())]


def refuse_insecure_start() -> None:
    """Raise ``ImproperlyConfigured`` with every reason the security checks give (the web process
    runs no management command, so it asks here)."""
    errors = [message for message in checks.run_checks(tags=[checks.Tags.security]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("refusing to start:\n" + "\n".join(f"- {e.msg}" for e in errors))
