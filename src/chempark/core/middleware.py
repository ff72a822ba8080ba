"""Request ids, every API error in the error shape, domain errors as pages, and the session's idle
timeout."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from chempark.core.errors import ErrorCode
from chempark.core.request_context import current_request_id, new_request_id, reset_request_id, set_request_id

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
_SHAPED_STATUS: dict[int, tuple[ErrorCode, str]] = {
    400: (ErrorCode.BAD_REQUEST, "请求无法处理。"),
    403: (ErrorCode.FORBIDDEN, "无权执行此操作。"),
    404: (ErrorCode.NOT_FOUND, "没有这个接口或对象。"),
    405: (ErrorCode.METHOD_NOT_ALLOWED, "此接口不接受该请求方法。"),
    413: (ErrorCode.BODY_TOO_LARGE, "请求体超过大小上限。"),
}


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


def api_error(status: int, code: ErrorCode, message: str, details: Any = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "details": details}, status=status)


class ApiErrorMiddleware:
    """Whatever goes wrong under ``/api/``, the client gets the one error shape, never an HTML page.

    The API's own handlers shape the errors it raises; this catches the rest: a body over the size
    limit (413, refused before anything reads it), answers Django or ninja make themselves (405 for
    a method a path does not take, 400 for a request Django refuses), and unexpected exceptions —
    a 500 in the shape, logged with its traceback and the request id, which ``details`` repeats so
    a report can be matched with the log. Placed right after the request id middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return api_error(
                413,
                ErrorCode.BODY_TOO_LARGE,
                f"请求体超过大小上限（{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} 字节）。",
                {"limit_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
            )
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code >= 500:
            return _server_error()
        code, message = _SHAPED_STATUS.get(response.status_code, (ErrorCode.BAD_REQUEST, "请求无法处理。"))
        shaped = api_error(response.status_code, code, message)
        if response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        logger.error(
            "API request %s %s failed (request id %s)",
            request.method,
            request.path,
            current_request_id(),
            exc_info=exception,
        )
        return _server_error()


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _server_error() -> JsonResponse:
    return api_error(
        500,
        ErrorCode.SERVER_ERROR,
        "服务器内部错误，已记录。请把请求编号告知管理员。",
        {"request_id": current_request_id()},
    )


class DomainErrorMiddleware:
    """Pages: a domain error raised by a service or selector becomes a readable error page with its
    status (403, 404, 409, 422), never a stack trace; so does a database refusal (422, in Chinese).
    The API has its own handlers for the JSON shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import IntegrityError
        from django.shortcuts import render

        from chempark.core.errors import DomainError, InvalidInput
        from chempark.core.integrity import integrity_refusal

        if isinstance(exception, IntegrityError):  # a write outside save_model: in Chinese, not the database's text
            refusal = integrity_refusal(exception)
            exception = InvalidInput(refusal.message, code=ErrorCode.INTEGRITY_ERROR, details=refusal.details())
        if not isinstance(exception, DomainError):
            return None
        return render(request, "error.html", {"error": exception}, status=exception.status)


BACKGROUND_HEADER = "X-Background"


ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def background(view: ViewT) -> ViewT:
    """Mark a view whose requests are never the user's own action (the live event stream)."""
    view.background = True  # type: ignore[attr-defined]  # a marker attribute read by the idle-timeout middleware
    return view


class IdleTimeoutMiddleware:
    """Renew the session's idle timeout on the user's own requests only.

    With ``SESSION_SAVE_EVERY_REQUEST`` every request would renew it, and a page left open renews
    it forever through its live stream and refreshes. Here a request counts as activity unless it
    is marked as background: a view marked ``@background`` or a request sending ``X-Background: 1``
    (the pages' polling and live reloads). Placed after the session middleware, so its response
    phase runs first and the session middleware then saves the session with a new expiry.

    Renewing means writing the session row, so it is renewed at most once per ``RENEW_EVERY_S``:
    a user clicking through pages writes it once a minute, not on every view (with 20 concurrent
    users those writes were a good share of every page's time). The timeout then runs from the last
    renewal, up to a minute early — well inside what an idle timeout of 30 minutes promises.
    """

    RENEW_EVERY_S = 60
    RENEWED_KEY = "_renewed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        is_background = getattr(request, "_background", False) or request.headers.get(BACKGROUND_HEADER) == "1"
        if session is not None and not is_background and not session.is_empty():
            now = int(time.time())
            if session.modified or now - int(session.get(self.RENEWED_KEY, 0)) >= self.RENEW_EVERY_S:
                session[self.RENEWED_KEY] = now  # marks it modified: saved with a new expiry
        return response

    def process_view(self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any) -> None:
        if getattr(view_func, "background", False):
            request._background = True  # type: ignore[attr-defined]  # a marker attribute read by the idle-timeout middleware
