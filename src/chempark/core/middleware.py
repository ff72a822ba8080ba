"""Request id middleware: every request gets an id, echoed back in ``X-Request-ID``."""

from __future__ import annotations

from collections.abc import Callable

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
