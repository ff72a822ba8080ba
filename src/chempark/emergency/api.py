"""REST endpoints of the emergency module."""

from ninja import Router

router = Router(tags=["emergency"])
