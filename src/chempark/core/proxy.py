"""Forwarded headers are believed only from the trusted reverse proxies (``CHEMPARK_TRUSTED_PROXIES``).

Behind the TLS proxy the application sees plain HTTP; the proxy says in ``X-Forwarded-Proto`` which
requests reached it over HTTPS, and in ``X-Forwarded-For`` from where. Any client can send those
headers too, so a request that did not come from a trusted proxy loses them before anything reads
them: Django's ``SECURE_PROXY_SSL_HEADER`` (HTTPS redirect, secure cookies) and whoever takes the
client's address from ``X-Forwarded-For``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the request's peer (``REMOTE_ADDR``) is one of the trusted reverse proxies."""
    return bool(settings.TRUSTED_PROXIES.trust(request.META.get("REMOTE_ADDR", "")))


class TrustedProxyMiddleware:
    """First in the chain: strips the forwarded headers of a request that no trusted proxy sent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not from_trusted_proxy(request):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
