"""What a job handler receives: its arguments and a way to report progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chempark.core.jobs.pulse import Pulse


@dataclass
class JobContext:
    id: int
    kind: str
    arguments: dict[str, Any]
    attempt: int
    object_type: str = ""
    object_id: str = ""
    enqueued_by_id: int | None = None
    pulse: Pulse | None = field(default=None, repr=False)

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report progress (cheap: it is written by the pulse thread, at most every few tenths of a
        second, outside the handler's transaction)."""
        if self.pulse is not None:
            self.pulse.progress(done, total, message)
