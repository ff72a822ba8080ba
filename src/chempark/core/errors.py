"""Domain errors raised by services and selectors.

Each carries a stable ``code`` and the HTTP status it maps to, so the API turns any of them into the
one error shape ``{"code", "message", "details"}`` and pages turn them into a readable message,
without either knowing which service raised it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Every ``code`` an API error answers with, one per kind of refusal. docs/architecture.md
    ("Errors") lists each with its HTTP status and meaning; a test keeps the list and this enum equal."""

    # 400
    BAD_REQUEST = "bad_request"
    MALFORMED_JSON = "malformed_json"
    INGEST_REFUSED = "ingest_refused"
    # 401
    UNAUTHENTICATED = "unauthenticated"
    INVALID_CREDENTIALS = "invalid_credentials"
    # 403
    FORBIDDEN = "forbidden"
    MACHINE_TOKEN = "machine_token"  # noqa: S105 — an error code, not a secret
    OTHER_ENTERPRISE = "other_enterprise"
    BUREAU_ONLY_FIELD = "bureau_only_field"
    MACHINE_WITHOUT_ENTERPRISE = "machine_without_enterprise"
    PERSON_TOKEN_OWNER = "person_token_owner"  # noqa: S105 — an error code, not a secret
    TOKEN_CANNOT_ISSUE = "token_cannot_issue"  # noqa: S105 — an error code, not a secret
    # 404, 405
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    # 413
    BODY_TOO_LARGE = "body_too_large"
    # 409
    CONFLICT = "conflict"
    IN_USE = "in_use"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    HAZARD_CANCELLED = "hazard_cancelled"
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    ALREADY_SUBMITTED = "already_submitted"
    ALREADY_REVOKED = "already_revoked"
    CONCURRENT_ISSUE = "concurrent_issue"
    QRA_RUNNING = "qra_running"
    QRA_NOT_FINISHED = "qra_not_finished"
    ALREADY_RESERVED = "already_reserved"
    LAST_SECURITY_ADMIN = "last_security_admin"
    OWN_ACCOUNT = "own_account"
    IMPORT_RUNNING = "import_running"
    CHANGE_REQUEST_PENDING = "change_request_pending"
    RESOURCE_UNAVAILABLE = "resource_unavailable"
    ALREADY_DISPATCHED = "already_dispatched"
    UNITS_ON_SCENE = "units_on_scene"
    # 422
    VALIDATION_ERROR = "validation_error"
    UNKNOWN_FIELD = "unknown_field"
    INTEGRITY_ERROR = "integrity_error"
    INVALID_FILTER = "invalid_filter"
    INVALID_SORT = "invalid_sort"
    INVALID_RANGE = "invalid_range"
    REASON_REQUIRED = "reason_required"
    EMPTY_NOTE = "empty_note"
    NOTE_TOO_LONG = "note_too_long"
    UNIT_OF_OTHER_ENTERPRISE = "unit_of_other_enterprise"
    TANK_OF_OTHER_UNIT = "tank_of_other_unit"
    INVALID_LIMITS = "invalid_limits"
    INVALID_STREAM_URL = "invalid_stream_url"
    WRONG_CONTENT_TYPE = "wrong_content_type"
    UNKNOWN_CAMERA = "unknown_camera"
    BAD_TIMESTAMP = "bad_timestamp"
    FUTURE_TIMESTAMP = "future_timestamp"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    BAD_IMAGE = "bad_image"
    MISSING_USCC = "missing_uscc"
    INVALID_USERNAME = "invalid_username"
    USERNAME_TAKEN = "username_taken"
    INVALID_ROLE = "invalid_role"
    INVALID_ENTERPRISE = "invalid_enterprise"
    WEAK_PASSWORD = "weak_password"  # noqa: S105 — an error code, not a secret
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 — an error code, not a secret
    MISSING_NAME = "missing_name"
    INVALID_MODEL_INPUT = "invalid_model_input"
    UNKNOWN_CHEMICAL = "unknown_chemical"
    INVALID_WORKBOOK = "invalid_workbook"
    MISSING_SOURCE = "missing_source"
    MISSING_CHEMICAL = "missing_chemical"
    NO_PARK = "no_park"
    PAPERS_EXPIRED = "papers_expired"
    BLACKLISTED = "blacklisted"
    CARGO_NOT_LICENSED = "cargo_not_licensed"
    CREW_MISMATCH = "crew_mismatch"
    UNKNOWN_GATE = "unknown_gate"
    INVALID_DOCUMENT = "invalid_document"
    OVER_BUDGET = "over_budget"
    OUTSIDE_BUDGET_YEAR = "outside_budget_year"
    INVALID_WEIGHTS = "invalid_weights"
    DATES_OUT_OF_ORDER = "dates_out_of_order"
    BAD_DOCUMENT = "bad_document"
    INVALID_AREA = "invalid_area"
    UNREACHABLE = "unreachable"
    EVIDENCE_REQUIRED = "evidence_required"
    EMPTY_POPULATION = "empty_population"
    TEMPLATE_FIELD_MISSING = "template_field_missing"
    # 5xx
    SERVER_ERROR = "server_error"


class DomainError(Exception):
    status = 400
    code = ErrorCode.BAD_REQUEST

    def __init__(self, message: str, *, details: Any = None, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    """The request is well-formed but its values break a rule (bad USCC, unknown chemical...)."""

    status = 422
    code = ErrorCode.VALIDATION_ERROR


class NotFound(DomainError):
    status = 404
    code = ErrorCode.NOT_FOUND


class Forbidden(DomainError):
    status = 403
    code = ErrorCode.FORBIDDEN


class Conflict(DomainError):
    """The object's current state does not allow this change (HTTP 409)."""

    status = 409
    code = ErrorCode.CONFLICT


class Unauthenticated(DomainError):
    """Credentials are missing, wrong, or belong to a locked account (HTTP 401)."""

    status = 401
    code = ErrorCode.UNAUTHENTICATED
