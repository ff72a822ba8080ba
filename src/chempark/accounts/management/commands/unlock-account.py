# noqa: N999 -- the command is spelled with a hyphen on the command line, as the module name
"""``chempark unlock-account USERNAME``: the console's way back in.

The security administrator unlocks accounts on the users page; this is for when nobody can reach
it — the only security administrator's address is throttled (for instance every client arrives
from one proxy that is not in ``CHEMPARK_TRUSTED_PROXIES``). Audited as the platform.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Unlock an account and forget its failed logins from every address"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark.accounts.models import User
        from chempark.accounts.services import user_unlock
        from chempark.core.actors import command_line_actor

        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no account named {options['username']}")
        user_unlock(actor=command_line_actor(), user_id=user.pk)
        self.stdout.write(f"{user.username}: unlocked")
