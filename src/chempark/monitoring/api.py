"""REST endpoints of the monitoring module."""

from ninja import Router

router = Router(tags=["monitoring"])
