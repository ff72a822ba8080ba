"""The authentication backend: Django's model backend, which also refuses a locked account.

``AuthenticationMiddleware`` asks the backend for the session's user on every request, so a lock
set by the security administrator ends that user's open sessions at once, as it stops their tokens.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "locked_at", None) is None
