# noqa: N999 -- the command is spelled with a hyphen on the command line, as the module name
"""``chempark video-gateway``: the service that owns every ffmpeg of the built-in RTSP → HLS gateway.

It starts a camera's ffmpeg when viewers want it (the web processes write the demand), shares it
among every web process's viewers, restarts a failed one with back-off, stops it when nobody has
watched for ``CHEMPARK_VIDEO_IDLE_S`` and records each stream's state and, when it does not answer,
why. SIGTERM or SIGINT stops it and its ffmpegs; a gateway killed outright takes its ffmpegs with it
(they get SIGTERM from the kernel). A lost database is logged and retried.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

log = logging.getLogger("chempark.video")


class Command(BaseCommand):
    help = "Run the video gateway: one ffmpeg (RTSP → HLS) per watched camera, shared by all web processes"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--poll", type=float, default=0.5, help="seconds between rounds (default 0.5)")
        parser.add_argument("--name", default=None, help="gateway name (default host:pid:random)")

    def handle(self, *args: Any, **options: Any) -> None:
        from chempark import config
        from chempark.video.gateway import Gateway
        from chempark.video.streaming import hls_root
        from chempark.video.supervisor import Supervisor

        if options["poll"] <= 0:
            self.stderr.write("--poll must be positive")
            raise SystemExit(2)
        conf = config.current()
        gateway = Gateway(
            hls_root(),
            ffmpeg=conf.video_ffmpeg,
            transcode=conf.video_transcode,
            start_timeout_s=conf.video_start_timeout_s,
        )
        owner = options["name"] or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        supervisor = Supervisor(gateway, owner=owner, idle_s=conf.video_idle_s)
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        if conf.video_hls_url_template:
            log.info("a media server plays the video (CHEMPARK_VIDEO_HLS_URL_TEMPLATE): nobody will ask this gateway")
        log.info("video gateway %s running, HLS in %s", owner, gateway.root)
        failures = 0
        try:
            while not stop.is_set():
                try:
                    close_old_connections()
                    supervisor.round()
                    failures = 0
                except DatabaseError as exc:
                    failures += 1
                    log.warning("database unavailable (attempt %d): %s", failures, exc)
                # after a failure the next try waits longer, up to 5 s; the ffmpegs keep running
                stop.wait(min(options["poll"] * 2**failures, max(options["poll"], 5.0)))
        finally:
            supervisor.close()
            log.info("video gateway %s stopped", owner)
