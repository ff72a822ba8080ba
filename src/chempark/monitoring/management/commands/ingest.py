"""``chempark ingest``: take readings from the MQTT broker into the database (see ``ingest.worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chempark.config import env_str
from chempark.monitoring.ingest.worker import config_from_url, run_forever


class Command(BaseCommand):
    help = "Subscribe to chempark/+/readings (QoS 1) and store readings; acknowledges after commit"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=env_str("MQTT_URL", "mqtt://127.0.0.1:1883"),
                            help="broker, mqtt://user:password@host:port (default $CHEMPARK_MQTT_URL)")
        parser.add_argument("--client-id", default=env_str("MQTT_CLIENT_ID", "chempark-ingest"),
                            help="persistent session id; one per worker (default chempark-ingest)")
        parser.add_argument("--batch-messages", type=int, default=200,
                            help="messages stored per transaction at most (default 200)")

    def handle(self, *args: Any, **options: Any) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        config = config_from_url(options["url"], client_id=options["client_id"],
                                 batch_messages=max(1, options["batch_messages"]))
        run_forever(config)
