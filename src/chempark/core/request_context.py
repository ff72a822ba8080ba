"""The id of the request being served, for the audit trail and logs.

A context variable rather than a thread-local so that it also follows async views and the ingest
workers' tasks (which set their own id per batch).
"""

from __future__ import annotations

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("chempark_request_id", default="")
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def new_request_id(proposed: str | None = None) -> str:
    """Keep a caller's well-formed ``X-Request-ID`` (so logs join across systems), else make one."""
    if proposed and _ACCEPTABLE.match(proposed):
        return proposed
    return uuid.uuid4().hex


def set_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)


def current_request_id() -> str:
    return _request_id.get()
