"""``chempark jt808 [--host] [--port] [--demo-fleet]``: the JT/T 808 server for positioning terminals."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from chempark.config import current
from chempark.jt808.server import Server
from chempark.tracking.handler import PlatformHandler
from chempark.tracking.partitions import ensure_position_partitions, expire_positions

PARTITION_CHECK_S = 3600


class Command(BaseCommand):
    help = "JT/T 808 服务：车载定位终端注册、鉴权与位置上报（TCP）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=None, help="监听地址（默认 CHEMPARK_JT808_HOST）")
        parser.add_argument("--port", type=int, default=None, help="监听端口（默认 CHEMPARK_JT808_PORT）")
        parser.add_argument("--demo-fleet", action="store_true", help="同时运行演示车队（经 TCP 连接本服务）")

    def handle(self, *args: Any, **options: Any) -> None:
        settings = current()
        host = options["host"] or settings.jt808_host
        port = options["port"] or settings.jt808_port
        asyncio.run(self._serve(host, port, demo_fleet=options["demo_fleet"]))

    async def _serve(self, host: str, port: int, *, demo_fleet: bool) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        handler = PlatformHandler()
        handler.start()
        server = Server(handler, host, port)
        await server.start()
        self.stdout.write(f"JT/T 808 服务已启动：{host}:{server.port}")
        tasks = [asyncio.create_task(self._partitions(stop))]
        if demo_fleet:
            from chempark.tracking.demo import run_fleet

            tasks.append(asyncio.create_task(run_fleet("127.0.0.1", server.port, stop)))
        await stop.wait()
        await server.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await handler.stop()
        self.stdout.write(f"JT/T 808 服务已停止：{dict(server.counters)}")

    @staticmethod
    async def _partitions(stop: asyncio.Event) -> None:
        """Every hour: month tables ahead, and positions past their retention removed."""
        while not stop.is_set():
            await asyncio.to_thread(ensure_position_partitions, timezone.now())
            await asyncio.to_thread(expire_positions, timezone.now())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), PARTITION_CHECK_S)
