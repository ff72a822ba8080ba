"""The job kinds the worker knows, registered by each app in its ``AppConfig.ready``.

The core runs jobs without knowing the apps: an app names its kind (``"emergency.qra_run"``), the
function that does the work and, optionally, the function that marks its domain object failed when
the job fails for good — so a study or an import never stays "running" after its job gave up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chempark.core.jobs.context import JobContext
    from chempark.core.models import Job


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[JobContext], None]
    # Called in the transaction that fails the job for good, with the reason shown to users.
    on_failure: Callable[[Job, str], None] | None = None
    max_attempts: int = 3


_KINDS: dict[str, JobKind] = {}


def register(
    name: str,
    run: Callable[[JobContext], None],
    *,
    on_failure: Callable[[Job, str], None] | None = None,
    max_attempts: int = 3,
) -> None:
    _KINDS.setdefault(name, JobKind(name, run, on_failure, max_attempts))


def kind(name: str) -> JobKind | None:
    return _KINDS.get(name)
