"""Domain errors raised by services and selectors.

Each carries a stable ``code`` and the HTTP status it maps to, so the API turns any of them into the
one error shape ``{"code", "message", "details"}`` and pages turn them into a readable message,
without either knowing which service raised it.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Any = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    """The request is well-formed but its values break a rule (bad USCC, unknown chemical...)."""

    status = 422
    code = "validation_error"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The object's current state does not allow this change (HTTP 409)."""

    status = 409
    code = "conflict"


class Unauthenticated(DomainError):
    """Credentials are missing, wrong, or belong to a locked account (HTTP 401)."""

    status = 401
    code = "unauthenticated"
