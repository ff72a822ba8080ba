"""Request ids, domain errors as pages, and the session's idle timeout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

from chempark.core.request_context import new_request_id, reset_request_id, set_request_id


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


class DomainErrorMiddleware:
    """Pages: a domain error raised by a service or selector becomes a readable error page with its
    status (403, 404, 409, 422), never a stack trace. The API has its own handlers for the JSON shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from chempark.core.errors import DomainError

        if not isinstance(exception, DomainError):
            return None
        return render(request, "error.html", {"error": exception}, status=exception.status)


BACKGROUND_HEADER = "X-Background"


ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def background(view: ViewT) -> ViewT:
    """Mark a view whose requests are never the user's own action (the live event stream)."""
    view.background = True  # type: ignore[attr-defined]
    return view


class IdleTimeoutMiddleware:
    """Renew the session's idle timeout on the user's own requests only.

    With ``SESSION_SAVE_EVERY_REQUEST`` every request would renew it, and a page left open renews
    it forever through its live stream and refreshes. Here a request counts as activity unless it
    is marked as background: a view marked ``@background`` or a request sending ``X-Background: 1``
    (the pages' polling and live reloads). Placed after the session middleware, so its response
    phase runs first and the session middleware then saves the session with a new expiry.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        is_background = getattr(request, "_background", False) or request.headers.get(BACKGROUND_HEADER) == "1"
        if session is not None and not is_background and not session.is_empty():
            session.modified = True
        return response

    def process_view(self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any) -> None:
        if getattr(view_func, "background", False):
            request._background = True  # type: ignore[attr-defined]
