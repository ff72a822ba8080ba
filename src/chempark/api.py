"""The REST API at ``/api/v1``: the composition root that mounts every app's router.

Every error leaves as ``{"code": "...", "message": "...", "details": ...}`` with its HTTP status, so a
client handles failures one way whichever module it talks to. The pieces (parser, renderer, error
handlers, auth) live in the layers below; only this module, at the top, knows every app.
"""

from __future__ import annotations

from chempark.accounts.api import router as accounts_router
from chempark.accounts.api_auth import BearerToken, SessionCookie
from chempark.budget.api import router as budget_router
from chempark.command.api import router as command_router
from chempark.core.api import DocumentedErrorsApi, JsonParser, JsonRenderer, install_error_handlers
from chempark.core.periodic_api import router as periodic_router
from chempark.dashboard.api import router as map_router
from chempark.emergency.api import router as emergency_router
from chempark.hazards.api import router as hazards_router
from chempark.incidents.api import router as incidents_router
from chempark.monitoring.api import router as monitoring_router
from chempark.notifications.api import router as notifications_router
from chempark.park.api import router as park_router
from chempark.plans.api import router as plans_router
from chempark.supervision.api import router as supervision_router
from chempark.tracking.api import router as tracking_router
from chempark.vehicles.api import ingest_router as vehicles_ingest_router
from chempark.vehicles.api import router as vehicles_router
from chempark.video.api import router as video_router

api = DocumentedErrorsApi(
    title="chempark API",
    version="1",
    description="化工园区安全生产与应急管理平台 REST API. Errors: {code, message, details}.",
    auth=[BearerToken(), SessionCookie()],
    parser=JsonParser(),
    renderer=JsonRenderer(),
    urls_namespace="api",
)
install_error_handlers(api)

api.add_router("/", accounts_router)
api.add_router("/", park_router)
api.add_router("/map", map_router)
api.add_router("/", hazards_router)
api.add_router("/", monitoring_router)
api.add_router("/", emergency_router)
api.add_router("/", tracking_router)
api.add_router("/vehicles", vehicles_router)
api.add_router("/", vehicles_ingest_router)
api.add_router("/command", command_router)
api.add_router("/", notifications_router)
api.add_router("/", budget_router)
api.add_router("/", plans_router)
api.add_router("/", incidents_router)
api.add_router("/", supervision_router)
api.add_router("/", video_router)
api.add_router("/", periodic_router)
