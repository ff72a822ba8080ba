"""The module navigation: each app registers its entries when it loads.

Later modules (monitoring, transport, emergency, ...) add themselves here in their ``AppConfig.ready``
so the menu never lists a page that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    group: str | Promise
    label: str | Promise
    url_name: str
    capability: str
    order: int = 100


_ITEMS: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if all(existing.url_name != item.url_name for existing in _ITEMS):
            _ITEMS.append(item)


def items() -> list[NavItem]:
    return sorted(_ITEMS, key=lambda item: item.order)


def visible_items(actor: Any) -> list[NavItem]:
    """The entries whose page ``actor`` (anything with ``can(capability)``) may use: the menu never
    offers a page that would refuse its reader."""
    return [item for item in items() if actor.can(item.capability)]


def landing_url(actor: Any) -> str | None:
    """Where ``actor`` lands after login: the first page of their menu (the one-map for the bureau,
    the audit trail for the auditor, accounts for the security administrator)."""
    visible = visible_items(actor)
    return reverse(visible[0].url_name) if visible else None


@dataclass(frozen=True)
class PageInclude:
    """A template included at the end of every page for users holding ``capability`` — for example
    the duty officer's live alarm banner."""

    template: str
    capability: str


_INCLUDES: list[PageInclude] = []


def register_include(template: str, capability: str) -> None:
    if all(existing.template != template for existing in _INCLUDES):
        _INCLUDES.append(PageInclude(template, capability))


def includes() -> list[PageInclude]:
    return list(_INCLUDES)
