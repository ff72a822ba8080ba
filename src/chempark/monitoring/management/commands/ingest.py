"""``chempark ingest``: take readings from the MQTT broker into the database (see ``ingest.worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from chempark.config import current
from chempark.monitoring.ingest.worker import config_from_url, run_forever
from chempark.monitoring.partitions import ensure_partitions


class Command(BaseCommand):
    help = "Subscribe to chempark/+/readings (QoS 1) and store readings; acknowledges after commit"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default=current().mqtt_url,
            help="broker, mqtt://user:password@host:port (default $CHEMPARK_MQTT_URL)",
        )
        parser.add_argument(
            "--client-id",
            default=current().mqtt_client_id,
            help="persistent session id; one per worker (default chempark-ingest)",
        )
        parser.add_argument(
            "--batch-messages", type=int, default=200, help="messages stored per transaction at most (default 200)"
        )
        parser.add_argument(
            "--shares", type=int, default=1, help="number of workers splitting the enterprises between them (default 1)"
        )
        parser.add_argument("--share", type=int, default=0, help="this worker's share, 0 … shares-1 (default 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if options["shares"] < 1:
            raise CommandError(f"--shares must be at least 1, got {options['shares']}")
        try:
            config = config_from_url(
                options["url"],
                client_id=options["client_id"],
                batch_messages=max(1, options["batch_messages"]),
                shares=options["shares"],
                share=options["share"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:  # the scheduler keeps them too; a worker started alone should not wait for it
            ensure_partitions(timezone.now())
        except DatabaseError as exc:
            logging.getLogger("chempark.ingest").warning("month partitions not checked: %s", exc)
        run_forever(config)
