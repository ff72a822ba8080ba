"""Group many small writes into few: callers await their item's commit, one thread writes batches.

The server answers a location only after it is stored (a terminal then resends nothing that was
lost), yet a database commit per message would cap the rate at a few hundred per second. Items
queue here; a single task takes everything queued (up to ``max_batch``), runs the blocking
``write`` in a worker thread, off the event loop, and then releases every waiting caller at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")


class BatchWriter(Generic[Item]):
    def __init__(
        self, write: Callable[[Sequence[Item]], None], max_batch: int = 2000, max_queued: int = 50_000
    ) -> None:
        self._write = write
        self._max_batch = max_batch
        # Bounded: when the database falls behind, callers wait here instead of growing memory.
        self._queue: asyncio.Queue[tuple[Sequence[Item], asyncio.Future[None]]] = asyncio.Queue(max_queued)
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.items = 0

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def submit(self, items: Sequence[Item]) -> None:
        """Return once ``items`` are written; raise what the write raised."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._queue.put((items, future))
        await future

    async def _run(self) -> None:
        while True:
            waiting = [await self._queue.get()]
            count = len(waiting[0][0])
            while count < self._max_batch and not self._queue.empty():
                waiting.append(self._queue.get_nowait())
                count += len(waiting[-1][0])
            batch = [item for items, _ in waiting for item in items]
            try:
                await asyncio.to_thread(self._write, batch)
            except Exception as exc:  # handed to every caller of the batch
                for _, future in waiting:
                    if not future.done():
                        future.set_exception(exc)
                continue
            self.batches += 1
            self.items += len(batch)
            for _, future in waiting:
                if not future.done():
                    future.set_result(None)
