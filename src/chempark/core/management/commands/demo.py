"""``chempark demo``: migrate, load the demo park once, and serve it."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from chempark.accounts.demo import DEMO_ACCOUNTS, load_demo_accounts
from chempark.config import env_str
from chempark.park.demo import load_demo_park


class Command(BaseCommand):
    help = "Migrate, load the demo park (idempotent) and serve it at http://HOST:PORT"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--no-serve", action="store_true", help="load the demo data and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        port: int = options["port"]
        if not 1 <= port <= 65535:
            self.stderr.write(f"--port must be between 1 and 65535, got {port}")
            raise SystemExit(2)
        call_command("migrate", interactive=False, verbosity=0)
        loaded = load_demo_park()
        self.stdout.write("演示园区已载入。" if loaded else "演示园区已存在，未重复载入。")
        password = env_str("DEMO_PASSWORD", "chempark-demo")
        created = load_demo_accounts(password)
        if created:
            self.stdout.write(f"已创建演示账号：{', '.join(created)}")
        accounts = ", ".join(username for username, _role, _name in DEMO_ACCOUNTS)
        self.stdout.write(self.style.WARNING(
            f"演示账号 {accounts} 的密码为 {password!r}（CHEMPARK_DEMO_PASSWORD）。仅供演示，切勿用于生产。"
        ))
        if options["no_serve"]:
            return
        import uvicorn

        self.stdout.write(f"正在服务 http://{options['host']}:{port}/ （Ctrl+C 停止）")
        uvicorn.run("chempark.asgi:application", host=options["host"], port=port, log_level="warning")
