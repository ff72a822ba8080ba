"""The module navigation: each app registers its entries when it loads.

Later modules (monitoring, transport, emergency, ...) add themselves here in their ``AppConfig.ready``
so the menu never lists a page that does not exist.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
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


def href(url_name: str) -> str:
    """The address of a menu entry. Every page draws the whole menu (forty-odd entries) and
    reversing each name was a tenth of a small page's time; the addresses only change with the
    URL configuration, so they are kept per script prefix and URL configuration."""
    return _href(url_name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=1024)
def _href(url_name: str, prefix: str, urlconf: Any) -> str:
    return reverse(url_name, urlconf=urlconf)


@receiver(setting_changed)
def _forget_hrefs(*, setting: str, **_kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _href.cache_clear()


def landing_url(actor: Any) -> str | None:
    """Where ``actor`` lands after login: the first page of their menu (the one-map for the bureau,
    the audit trail for the auditor, accounts for the security administrator)."""
    visible = visible_items(actor)
    return href(visible[0].url_name) if visible else None


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
