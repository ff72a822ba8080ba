"""Group many small writes into few: callers wait for their item's commit, one task writes batches.

The server answers a location only after it is stored (a terminal then resends nothing that was
lost), yet a database commit per message would cap the rate at a few hundred per second. Items
collect here into batches of at most ``max_batch``; a single task takes the oldest batch, runs the
blocking ``write`` in a worker thread, off the event loop, and then resolves the batch's one
future, which every caller of the batch waits on. While one batch is written the next fills, so
the batch grows with the load and a quiet server still commits each message at once.

:meth:`submit_nowait` gives the future without a coroutine or a task per message (the server
adds a callback to it); :meth:`submit` awaits it and waits for room when ``max_queued`` items are
already queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")


class BatchWriter(Generic[Item]):
    def __init__(
        self, write: Callable[[Sequence[Item]], None], max_batch: int = 2000, max_queued: int = 50_000
    ) -> None:
        self._write = write
        self._max_batch = max_batch
        self._max_queued = max_queued
        self._pending: deque[tuple[list[Item], asyncio.Future[None]]] = deque()
        self._queued = 0
        self._wake: asyncio.Event | None = None
        self._room: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.items = 0
        self.write_s = 0.0  # time spent in ``write`` (batches / write_s: the storage's own pace)
        self.largest = 0

    def start(self) -> None:
        self._wake, self._room = asyncio.Event(), asyncio.Event()
        self._room.set()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        while self._pending:  # never written: their callers must not wait for ever
            _, future = self._pending.popleft()
            if not future.done():
                future.set_exception(ConnectionAbortedError("batch writer stopped"))
        self._queued = 0

    def stats(self) -> dict[str, float]:
        """Batches written, items, mean items and milliseconds per batch, the largest batch."""
        mean = self.items / self.batches if self.batches else 0.0
        ms = 1000 * self.write_s / self.batches if self.batches else 0.0
        return {"batches": self.batches, "items": self.items, "mean_batch": round(mean, 1),
                "mean_ms": round(ms, 2), "largest": self.largest}  # fmt: skip

    @property
    def queued(self) -> int:
        """Items waiting for a write (not counting the batch being written)."""
        return self._queued

    @property
    def full(self) -> bool:
        return self._queued >= self._max_queued

    def submit_nowait(self, items: Sequence[Item]) -> asyncio.Future[None]:
        """Queue ``items``; the future resolves once they are written (or raises what the write raised)."""
        if self._wake is None:
            raise RuntimeError("batch writer not started")
        if not self._pending or len(self._pending[-1][0]) >= self._max_batch:
            self._pending.append(([], asyncio.get_running_loop().create_future()))
        batch, future = self._pending[-1]
        batch.extend(items)
        self._queued += len(items)
        if self.full and self._room is not None:
            self._room.clear()
        self._wake.set()
        return future

    async def submit(self, items: Sequence[Item]) -> None:
        """Return once ``items`` are written; raise what the write raised."""
        while self.full and self._room is not None:
            await self._room.wait()
        await self.submit_nowait(items)

    async def _run(self) -> None:
        assert self._wake is not None and self._room is not None
        while True:
            if not self._pending:
                self._wake.clear()
                await self._wake.wait()
                continue
            batch, future = self._pending.popleft()
            self._queued -= len(batch)
            if not self.full:
                self._room.set()
            began = time.perf_counter()
            try:
                await asyncio.to_thread(self._write, batch)
            except Exception as exc:  # handed to every caller of the batch
                if not future.done():
                    future.set_exception(exc)
                continue
            self.write_s += time.perf_counter() - began
            self.batches += 1
            self.items += len(batch)
            self.largest = max(self.largest, len(batch))
            if not future.done():
                future.set_result(None)
