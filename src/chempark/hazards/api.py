"""REST endpoints of the hazards module."""

from ninja import Router

router = Router(tags=["hazards"])
