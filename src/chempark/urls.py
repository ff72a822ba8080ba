"""URL map: pages per app, the REST API under /api/v1, and the health check."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path

from chempark.api import api
from chempark.core.errors import ErrorCode


def healthz(request: HttpRequest) -> JsonResponse:
    """200 with ``{"status": "ok"}`` when the database answers a query, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "error", "message": str(exc)}, status=503)
    return JsonResponse({"status": "ok"})


def api_not_found(request: HttpRequest, rest: str) -> JsonResponse:
    return JsonResponse(
        {"code": ErrorCode.NOT_FOUND, "message": f"没有这个接口：/api/v1/{rest}", "details": None}, status=404
    )


# A failing page answers in Chinese, inside the layout, with the request id (core.error_pages).
handler500 = "chempark.core.error_pages.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", api_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("chempark.accounts.urls")),
    path("registry/", include("chempark.park.urls")),
    path("hazards/", include("chempark.hazards.urls")),
    path("monitoring/", include("chempark.monitoring.urls")),
    path("emergency/", include("chempark.emergency.urls")),
    path("tracking/", include("chempark.tracking.urls")),
    path("vehicles/", include("chempark.vehicles.urls")),
    path("command/", include("chempark.command.urls")),
    path("notifications/", include("chempark.notifications.urls")),
    path("budget/", include("chempark.budget.urls")),
    path("plans/", include("chempark.plans.urls")),
    path("supervision/", include("chempark.supervision.urls")),
    path("video/", include("chempark.video.urls")),
    path("", include("chempark.dashboard.urls")),
    path("incidents/", include("chempark.incidents.urls")),
    path("system/", include("chempark.core.urls")),
]
