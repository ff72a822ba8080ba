"""``chempark simulate``: realistic readings for the registered points, deterministic with a seed,
published to the MQTT broker (one message per enterprise per step) or, with ``--direct``, fed to
the ingest service in this process."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from chempark.config import current
from chempark.park.models import Enterprise


class Command(BaseCommand):
    help = "Publish simulated readings of the registered points (deterministic with --seed)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=current().mqtt_url, help="broker URL")
        parser.add_argument("--interval", type=float, default=5.0, help="real seconds between steps (default 5)")
        parser.add_argument("--step", type=float, default=None, help="simulated seconds per step (default: interval)")
        parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
        parser.add_argument("--steps", type=int, default=0, help="stop after this many steps (0: run forever)")
        parser.add_argument("--direct", action="store_true", help="store through the ingest service, no broker")

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark.core.actors import SYSTEM
        from chempark.monitoring.demo import simulated_messages
        from chempark.monitoring.ingest.worker import config_from_url
        from chempark.monitoring.models import Transport
        from chempark.monitoring.services import IncomingMessage, ingest_messages

        interval = max(0.0, options["interval"])
        step = options["step"] or interval or 1.0
        usccs = dict(Enterprise.objects.values_list("id", "uscc"))
        client = None
        if not options["direct"]:
            import paho.mqtt.client as mqtt
            from paho.mqtt.enums import CallbackAPIVersion

            config = config_from_url(options["url"])
            client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="chempark-simulator")
            if config.username:
                client.username_pw_set(config.username, config.password)
            client.connect(config.host, config.port)
            client.loop_start()
        sent = 0
        try:
            for number, (_moment, messages) in enumerate(simulated_messages(timezone.now(), step, options["seed"])):
                if options["steps"] and number >= options["steps"]:
                    break
                if client is None:
                    ingest_messages(
                        actor=SYSTEM,
                        messages=[IncomingMessage(raw, e) for e, raw in messages.items()],
                        transport=Transport.DEMO,
                    )
                else:
                    for enterprise_id, raw in messages.items():
                        client.publish(f"chempark/{usccs[enterprise_id]}/readings", raw, qos=1).wait_for_publish(10)
                sent += len(messages)
                if options["verbosity"] >= 1:
                    self.stdout.write(f"step {number + 1}: {len(messages)} messages")
                time.sleep(interval)
        finally:
            if client is not None:
                client.loop_stop()
                client.disconnect()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{sent} messages sent")
