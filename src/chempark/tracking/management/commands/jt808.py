"""``chempark jt808 [--host] [--port] [--processes N] [--demo-fleet]``: the JT/T 808 server for
positioning terminals.

One process serves thousands of terminals; when one core is not enough, ``--processes N`` runs N
server processes on the same port (``SO_REUSEPORT``: the kernel spreads the connections over them),
each with its own batch writer and database connection. The first process also keeps the position
partitions and runs the demo fleet; the parent only forwards SIGINT/SIGTERM and waits, and exits
(so a supervisor restarts the whole set) as soon as one of them ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import sys
import traceback
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone

from chempark.config import current
from chempark.jt808.server import Server
from chempark.tracking.handler import PlatformHandler
from chempark.tracking.partitions import ensure_position_partitions, expire_positions

PARTITION_CHECK_S = 3600
SWITCH_INTERVAL_S = 0.0005


def raise_open_files() -> int:
    """Lift the soft limit on open files to the hard one: each terminal holds a socket, and the
    usual soft limit of 1,024 would refuse the 1,020th terminal. Returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Command(BaseCommand):
    help = "JT/T 808 服务：车载定位终端注册、鉴权与位置上报（TCP）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=None, help="监听地址（默认 CHEMPARK_JT808_HOST）")
        parser.add_argument("--port", type=int, default=None, help="监听端口（默认 CHEMPARK_JT808_PORT）")
        parser.add_argument(
            "--processes", type=int, default=1, help="服务进程数（共用同一端口，由内核分配连接；默认 1）"
        )
        parser.add_argument("--demo-fleet", action="store_true", help="同时运行演示车队（经 TCP 连接本服务）")

    def handle(self, *args: Any, **options: Any) -> None:
        settings = current()
        host = options["host"] or settings.jt808_host
        port = options["port"] or settings.jt808_port
        processes = options["processes"]
        if not 1 <= processes <= 64:
            raise CommandError("--processes 应在 1 到 64 之间")
        files = raise_open_files()
        self.stdout.write(f"JT/T 808 服务：{processes} 个进程，每进程可打开文件数上限 {files}")
        if processes == 1:
            asyncio.run(self._serve(host, port, demo_fleet=options["demo_fleet"], first=True, reuse_port=False))
            return
        self._supervise(host, port, processes, demo_fleet=options["demo_fleet"])

    def _supervise(self, host: str, port: int, processes: int, *, demo_fleet: bool) -> None:
        connections.close_all()  # a connection opened before the fork must not be shared by the children
        children: list[int] = []
        for index in range(processes):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, measured through its sockets
                code = 0
                try:
                    asyncio.run(self._serve(host, port, demo_fleet=demo_fleet and index == 0, first=index == 0,
                                            reuse_port=True))  # fmt: skip
                except BaseException:
                    traceback.print_exc()
                    code = 1
                finally:
                    sys.stdout.flush()
                    os._exit(code)
            children.append(pid)

        def forward(signum: int, _frame: object) -> None:
            for child in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signum)

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        _, status = os.wait()  # the first to end ends the set
        forward(signal.SIGTERM, None)
        for _ in children[1:]:
            with contextlib.suppress(ChildProcessError):
                os.wait()
        if os.waitstatus_to_exitcode(status) != 0:
            raise CommandError("JT/T 808 服务进程异常退出")

    async def _serve(self, host: str, port: int, *, demo_fleet: bool, first: bool, reuse_port: bool) -> None:
        # The writer thread waits for the interpreter lock after each database round trip while the
        # event loop decodes; at the default 5 ms switch interval that wait, several times a batch,
        # was most of a location's time to its answer.
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        handler = PlatformHandler()
        handler.start()
        server = Server(handler, host, port, reuse_port=reuse_port)
        await server.start()
        self.stdout.write(f"JT/T 808 服务已启动：{host}:{server.port}（进程 {os.getpid()}）")
        tasks = [asyncio.create_task(self._partitions(stop))] if first else []
        if demo_fleet:
            from chempark.tracking.demo import run_fleet

            tasks.append(asyncio.create_task(run_fleet("127.0.0.1", server.port, stop)))
        await stop.wait()
        await server.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await handler.stop()
        self.stdout.write(f"JT/T 808 服务已停止：{dict(server.counters)}，批量写入：{handler.writer.stats()}")

    @staticmethod
    async def _partitions(stop: asyncio.Event) -> None:
        """Every hour: month tables ahead, and positions past their retention removed."""
        while not stop.is_set():
            await asyncio.to_thread(ensure_position_partitions, timezone.now())
            await asyncio.to_thread(expire_positions, timezone.now())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), PARTITION_CHECK_S)
