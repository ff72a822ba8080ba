"""Who is acting: a small value every service and selector takes instead of a request.

Services are called from pages, the API, commands, ingest workers and scheduled jobs; an ``Actor``
is what they all can supply. It carries the role and, for enterprise users and machines, the one
enterprise they are bound to.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import Any

from chempark.core.errors import ErrorCode, Forbidden
from chempark.core.roles import CAPABILITIES, ENTERPRISE_SCOPED_ROLES, ROLE_LABELS_ZH, Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: Role
    enterprise_id: int | None = None
    is_system: bool = False
    # The bearer token the request presented ("person" or "machine"); None for a login session or
    # the platform itself. The audit trail records it with every row.
    token_id: int | None = None
    token_kind: str = ""

    @property
    def is_enterprise_scoped(self) -> bool:
        return self.role in ENTERPRISE_SCOPED_ROLES

    def can(self, capability: str) -> bool:
        return self.is_system or capability in CAPABILITIES[self.role]

    def require(self, capability: str) -> None:
        """Raise ``Forbidden`` unless the role holds ``capability``."""
        if not self.can(capability):
            raise Forbidden(
                f"{ROLE_LABELS_ZH.get(self.role, self.role.value)}无权执行此操作。",
                code=ErrorCode.FORBIDDEN,
                details={"role": self.role.value, "capability": capability},
            )


# The platform itself (demo loader, scheduled jobs): allowed everything, named "system" in the audit.
SYSTEM = Actor(user_id=None, username="system", role=Role.BUREAU_ADMIN, is_system=True)


def command_line_actor() -> Actor:
    """The platform acting for whoever runs a console command (``chempark unlock-account``...): as
    powerful as ``SYSTEM``, but the audit trail names the operating-system user, ``cli:<user>``."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment and none in the password database
        user = f"uid{os.getuid()}"
    return Actor(user_id=None, username=f"cli:{user}"[:150], role=Role.BUREAU_ADMIN, is_system=True)


def actor_for_user(user: Any) -> Actor:
    """The actor for a logged-in ``accounts.User``."""
    return Actor(
        user_id=user.pk,
        username=user.get_username(),
        role=Role(user.role),
        enterprise_id=user.enterprise_id,
    )
