"""Start-up check: in production no active demo account may still have a demo password.

``chempark demo`` creates its accounts with a published password, skipping the password rules (which
refuse it). Such an account in a production database — the demo loaded into it, say — is an open door,
so production refuses to start until the account is removed or its password changed. Only the demo
accounts can carry the password, so only they are checked, and only they cost a hash each.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core import checks
from django.db import DatabaseError

from chempark import config


@checks.register(checks.Tags.security)
def demo_password_not_in_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    settings = config.current()
    if settings.env is not config.Env.PRODUCTION:
        return []
    from chempark.accounts.models import User
    from chempark.park.demo_accounts import DEMO_ACCOUNTS

    usernames = [username for username, _role, _name in DEMO_ACCOUNTS]
    try:
        accounts = list(User.objects.filter(username__in=usernames, is_active=True).values_list("username", "password"))
    except DatabaseError:  # no database yet (before the first migrate): no accounts either
        return []
    passwords = {config.DEMO_PASSWORD, settings.demo_password}
    exposed = sorted(
        username for username, encoded in accounts if any(check_password(password, encoded) for password in passwords)
    )
    if not exposed:
        return []
    return [
        checks.Error(
            f"the demo account(s) {', '.join(exposed)} still have the demo password "
            f"({config.variable('demo_password')}, default {config.DEMO_PASSWORD!r}); production refuses it: "
            "deactivate the accounts or change their passwords",
            id="chempark.E002",
        )
    ]
