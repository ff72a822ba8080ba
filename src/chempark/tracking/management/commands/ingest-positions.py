# noqa: N999 -- the command is spelled with a hyphen on the command line, as the module name
"""``chempark ingest-positions``: take positions other platforms publish over MQTT (see
``tracking.mqtt``) into the database, with monitoring's MQTT worker."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from chempark.config import current
from chempark.monitoring.ingest.worker import config_from_url, run_forever
from chempark.tracking import mqtt
from chempark.tracking.partitions import ensure_position_partitions


class Command(BaseCommand):
    help = "Subscribe to chempark/positions/+ (QoS 1) and store vehicle positions; acknowledges after commit"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default=current().mqtt_url,
            help="broker, mqtt://user:password@host:port (default $CHEMPARK_MQTT_URL)",
        )
        parser.add_argument(
            "--client-id", default=mqtt.CLIENT_ID, help=f"persistent session id (default {mqtt.CLIENT_ID})"
        )
        parser.add_argument(
            "--batch-messages", type=int, default=50, help="messages stored per transaction at most (default 50)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        try:
            config = config_from_url(
                options["url"],
                client_id=options["client_id"],
                batch_messages=max(1, options["batch_messages"]),
                topic_filter=mqtt.TOPIC_FILTER,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:  # the jt808 server and the scheduler keep them too; a worker started alone should not wait
            ensure_position_partitions(timezone.now())
        except DatabaseError as exc:
            logging.getLogger("chempark.tracking.mqtt").warning("month partitions not checked: %s", exc)
        run_forever(config, store=mqtt.store_batch)
