# noqa: N999 -- the command is spelled with a hyphen on the command line, as the module name
"""``chempark mosquitto-config --password-file PATH --acl-file PATH [--conf-file PATH]``: the broker's
files from the issued MQTT accounts, and a settings file to include from mosquitto.conf (the two files
and ``message_size_limit``). Send Mosquitto SIGHUP afterwards to make it reread them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Write Mosquitto's password file and ACL file from the issued MQTT accounts (mode 0600)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password-file", required=True, type=Path)
        parser.add_argument("--acl-file", required=True, type=Path)
        parser.add_argument(
            "--conf-file",
            type=Path,
            default=None,
            help="also write a mosquitto.conf include: the two files and message_size_limit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark.monitoring.mqtt_accounts import mosquitto_config_write

        count = mosquitto_config_write(
            password_file=options["password_file"], acl_file=options["acl_file"], conf_file=options["conf_file"]
        )
        self.stdout.write(f"{count} accounts written to {options['password_file']} and {options['acl_file']}")
