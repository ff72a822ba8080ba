"""The Content-Security-Policy every response carries: scripts, styles and connections from the
platform's own origin only — no inline script or style, no eval — so that text a user typed (an
enterprise name, a handling note) can never run as code in another user's browser even if a
template forgot to escape it. Django 5.2 has no built-in CSP, hence this small middleware.

Images may also come from ``data:``/``blob:`` (Leaflet and ECharts draw with them) and from the
tile server of the optional basemap (``CHEMPARK_MAP_TILE_URL``). Video plays from ``blob:`` (hls.js
hands the ``<video>`` a MediaSource) fed by same-origin requests to the HLS gateway, or by requests to
the production media server of ``CHEMPARK_VIDEO_HLS_URL_TEMPLATE``, whose origin joins
``connect-src`` and ``media-src``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from chempark import config

HEADER = "Content-Security-Policy"


def tile_source(tile_url: str) -> str:
    """The CSP source expression that admits a Leaflet tile URL template's images, or "" when the
    page's own origin already does (no URL, or a relative one).

    Leaflet's ``{s}`` placeholder spreads tiles over sub-domains (``t{s}.tianditu.gov.cn``); CSP
    admits those with a wildcard for the left-most label. A placeholder deeper in the host cannot be
    written as a CSP host, so the whole scheme is admitted then (images only).
    """
    parts = urlsplit(tile_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host, _, port = parts.netloc.rpartition("@")[2].partition(":")
    labels = host.split(".")
    if any("{" in label for label in labels[1:]) or "{" in port:
        return f"{parts.scheme}:"
    if "{" in labels[0]:
        labels[0] = "*"
    return f"{parts.scheme}://{'.'.join(labels)}{':' + port if port else ''}"


@cache
def policy(tile_url: str, media_url: str = "") -> str:
    """The header for a basemap tile URL template (several layers, space-separated: each one's host)
    and a media server's playlist URL template (whose origin the video player fetches playlists and
    segments from; see ``tile_source``)."""
    sources = dict.fromkeys(tile_source(url) for url in tile_url.split())
    images = " ".join(filter(None, ("'self' data: blob:", *sources)))
    media_server = tile_source(media_url)
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            " ".join(filter(None, ("media-src 'self' blob:", media_server))),  # hls.js plays through a blob: URL
            " ".join(filter(None, ("connect-src 'self'", media_server))),
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        )
    )


class ContentSecurityPolicyMiddleware:
    """Adds the platform's policy to every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy(settings.MAP_TILE_URL, config.current().video_hls_url_template)
        return response
