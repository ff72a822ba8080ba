# noqa: N999 -- the command is spelled with a hyphen on the command line, as the module name
"""``chempark mqtt-credential --enterprise USCC`` (or ``--ingest``, ``--positions-platform NAME``,
``--positions-ingest``): issue or rotate an MQTT password. It is printed once and stored only as a
hash; run ``chempark mosquitto-config`` next."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Issue or rotate the MQTT password of an enterprise (by USCC), of the ingest worker, of a platform "
        "pushing vehicle positions or of the position worker"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--enterprise", metavar="USCC")
        group.add_argument("--ingest", action="store_true", help="the ingest worker's account")
        group.add_argument(
            "--positions-platform", metavar="NAME", help="a platform publishing to chempark/positions/NAME"
        )
        group.add_argument("--positions-ingest", action="store_true", help="the account of chempark ingest-positions")
        parser.add_argument(
            "--username",
            default=None,
            help="with --ingest (default chempark-ingest) or --positions-ingest (default chempark-positions)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark.core.actors import command_line_actor
        from chempark.monitoring import mqtt_accounts
        from chempark.park.models import Enterprise

        actor = command_line_actor()
        username = options["username"]
        if options["ingest"]:
            credential, password = mqtt_accounts.ingest_credential_issue(
                actor=actor, username=username or mqtt_accounts.INGEST_USERNAME
            )
        elif options["positions_ingest"]:
            credential, password = mqtt_accounts.positions_ingest_credential_issue(
                actor=actor, username=username or mqtt_accounts.POSITIONS_INGEST_USERNAME
            )
        elif options["positions_platform"] is not None:
            credential, password = mqtt_accounts.position_platform_credential_issue(
                actor=actor, name=options["positions_platform"]
            )
        else:
            enterprise = Enterprise.objects.filter(uscc=options["enterprise"]).first()
            if enterprise is None:
                raise CommandError(f"no enterprise with USCC {options['enterprise']}")
            credential, password = mqtt_accounts.enterprise_credential_issue(actor=actor, enterprise_id=enterprise.pk)
        self.stdout.write(
            f"username: {credential.username}\npassword: {password}\n(shown once; store it in the gateway now)"
        )
