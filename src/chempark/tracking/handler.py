"""The platform behind the JT/T 808 server: terminals and positions through the tracking services.

The server's event loop never touches the database: registration and authentication run in a
worker thread, and locations go through a :class:`BatchWriter`, which stores everything queued
in one transaction per batch in its thread and then lets the server acknowledge each of them
(the server adds its answer as a callback of the batch's future: no task per message).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import close_old_connections

from chempark.jt808 import messages as m
from chempark.jt808.batching import BatchWriter
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.tracking.services import PositionIn, positions_store, terminal_authenticate, terminal_register

T = TypeVar("T")


def _in_thread(work: Callable[[], T]) -> T:
    close_old_connections()  # a connection the database closed meanwhile is not reused
    return work()


def position_of(terminal: str, location: m.Location) -> PositionIn:
    return PositionIn(
        terminal=terminal,
        ts_ms=datetime_to_ms(location.time),
        lon=location.lon,
        lat=location.lat,
        speed_kmh=location.speed_kmh,
        heading=location.heading,
        altitude_m=location.altitude_m,
        alarm_flags=location.alarm,
        status_flags=location.status,
        mileage_km=location.mileage_km,
        valid=location.fixed,
    )


class PlatformHandler:
    def __init__(self, max_batch: int = 2000) -> None:
        self.writer: BatchWriter[PositionIn] = BatchWriter(self._write, max_batch=max_batch)

    def start(self) -> None:
        self.writer.start()

    async def stop(self) -> None:
        await self.writer.stop()

    @staticmethod
    def _write(items: Sequence[PositionIn]) -> None:
        _in_thread(lambda: positions_store(items))

    async def register(self, terminal: str, request: m.Register) -> tuple[int, str]:
        return await asyncio.to_thread(_in_thread, lambda: terminal_register(terminal))

    async def authenticate(self, terminal: str, auth_code: str) -> bool:
        return await asyncio.to_thread(_in_thread, lambda: terminal_authenticate(terminal, auth_code))

    def store(self, terminal: str, locations: Sequence[m.Location]) -> asyncio.Future[None]:
        """The future of the batch the locations joined: resolved once that batch has committed."""
        return self.writer.submit_nowait([position_of(terminal, location) for location in locations])

    async def logout(self, terminal: str) -> None:
        return None
