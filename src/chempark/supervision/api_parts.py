"""What the supervision endpoints (``api`` and ``api_registers``) share: how a row of an enterprise is
answered, and how a request body becomes a service call that creates a row.

Every register and workflow here belongs to an enterprise and answers with its fields plus the
enterprise's id and name; every "create" endpoint hands the body to one service, its references to
other rows (``enterprise``, ``campaign``, ...) as ``<name>_id``. Written once, a list and its create
endpoint cannot drift apart in what they answer."""

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status

from chempark.core.api import actor_of


def enterprise_row(row: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``row`` with its enterprise's id and name."""
    return {
        **{name: getattr(row, name) for name in names},
        "enterprise": row.enterprise_id,
        "enterprise_name": row.enterprise.name,
    }


def create(
    request: HttpRequest,
    payload: Schema,
    service: Callable[..., Any],
    answer: Callable[[Any], Any],
    *,
    references: tuple[str, ...] = ("enterprise",),
) -> Status[Any]:
    """201 with ``answer(row)``, ``row`` made by ``service`` from the body: its ``references`` go to the
    service as ``<name>_id``, the other fields under their own names, the actor from the request."""
    values = payload.model_dump()
    ids = {f"{name}_id": values.pop(name) for name in references}
    return Status(201, answer(service(actor=actor_of(request), **ids, **values)))
