"""The extension point through which a public-warning module lets the dispatcher warn the public
from the incident page: publish a warning for the incident's threat zone (or keep it as a draft to
review), list the incident's warnings, send an update for the zone as it is now, and lift one. The
warning's own page posts its publish, update (with an area drawn by hand) and cancel of an incident's
warning to the incident too, so the incident's timeline has every step whichever page it was taken on.

The incidents module owns the incident, its threat zone and its timeline; the warning module owns
warnings and their CAP messages. The one registers a :class:`WarningProvider` in its
``AppConfig.ready()``; the incident's services call it inside their own transaction, so the warning,
the timeline line and the audit row are written together or not at all. Without a provider the
incident page offers no warning action and the API answers 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from chempark.core.actors import Actor


@dataclass(frozen=True)
class WarningRequest:
    """What the incident asks to be announced: the CAP fields, in Chinese, with the area (a GeoJSON
    polygon of the incident's threat zone)."""

    incident_id: int
    event: str
    headline: str
    area_desc: str
    area: dict[str, Any]
    response_type: str
    urgency: str
    severity: str
    certainty: str
    instruction: str
    description: str = ""


@dataclass(frozen=True)
class WarningRevision:
    """A change of an issued warning as the warning's own page makes it: every CAP field of that
    form, with an area drawn by hand (a GeoJSON polygon, not necessarily one of the incident's zones)
    and the expiry. Built and checked by the warning module (``WarningProvider.revision``), which
    owns that form; sent through the incident so its timeline records it like every other step."""

    event: str
    headline: str
    description: str
    instruction: str
    response_type: str
    urgency: str
    severity: str
    certainty: str
    area_desc: str
    area: dict[str, Any] | None
    expires: dt.datetime | None


@dataclass(frozen=True)
class WarningRef:
    """A warning as the incident page shows it."""

    id: int
    headline: str
    status: str
    status_label: str
    response_label: str
    url: str
    created_at: dt.datetime
    last_message: str
    """Identifier of its latest CAP message ('' for a draft)."""
    last_message_url: str
    actions: tuple[str, ...]
    """What may be done to it now: among "publish", "edit", "update", "cancel"."""
    area_desc: str = ""
    """How the warning's area is described to the public (the timeline names it for a drawn area)."""


class WarningProvider(Protocol):
    def issue(self, actor: Actor, request: WarningRequest, *, publish: bool) -> WarningRef:
        """Compose the warning and publish it (CAP Alert), or keep it as a draft when not ``publish``."""
        ...

    def publish(self, actor: Actor, incident_id: int, warning_id: int) -> WarningRef:
        """Publish a draft of this incident (CAP Alert)."""
        ...

    def update(self, actor: Actor, incident_id: int, warning_id: int, request: WarningRequest) -> WarningRef:
        """Send a CAP Update of an issued warning of this incident with the request's fields."""
        ...

    def revision(self, form: Mapping[str, str]) -> WarningRevision:
        """The warning page's update form checked by the warning module's own rules (422 naming the
        field on bad input)."""
        ...

    def revise(self, actor: Actor, incident_id: int, warning_id: int, revision: WarningRevision) -> WarningRef:
        """Send a CAP Update of an issued warning of this incident with every field of ``revision``."""
        ...

    def cancel(self, actor: Actor, incident_id: int, warning_id: int, note: str) -> WarningRef:
        """Lift an issued warning of this incident (CAP Cancel)."""
        ...

    def for_incident(self, actor: Actor, incident_id: int) -> list[WarningRef]:
        """The incident's warnings, newest first."""
        ...


_PROVIDERS: list[WarningProvider] = []


def register_warning_provider(provider: WarningProvider) -> None:
    """Install the warning module (one at a time: a later registration replaces the earlier)."""
    _PROVIDERS[:] = [provider]


def unregister_warning_provider() -> None:
    _PROVIDERS.clear()


def provider() -> WarningProvider | None:
    return _PROVIDERS[0] if _PROVIDERS else None
