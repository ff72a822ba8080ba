"""Template context: the navigation the current user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chempark.core import navigation as nav
from chempark.core.actors import actor_for_user


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "page_includes": []}
    actor = actor_for_user(user)
    visible = nav.visible_items(actor)
    groups: dict[str, list[tuple[nav.NavItem, str]]] = {}
    for item in visible:
        groups.setdefault(str(item.group), []).append((item, nav.href(item.url_name)))
    page_includes = [include.template for include in nav.includes() if actor.can(include.capability)]
    return {
        "nav_groups": list(groups.items()),
        "nav_home": nav.href(visible[0].url_name) if visible else "/",  # the brand links to one's landing page
        "actor": actor,
        "page_includes": page_includes,
        "nav_current": current_entry(request.path, visible),
    }


def current_entry(path: str, items: list[nav.NavItem]) -> dict[str, Any] | None:
    """The menu entry a page belongs to — the one whose address is the longest start of the page's
    (a detail page ``/registry/unit/3/`` lies under ``/registry/unit/``); the site root only for itself.
    It is marked active in the sidebar and starts the breadcrumbs of pages below it."""
    best: dict[str, Any] | None = None
    for item in items:
        href = nav.href(item.url_name)
        matches = path == href or (href != "/" and path.startswith(href))
        if matches and (best is None or len(href) > len(best["href"])):
            best = {"href": href, "label": item.label, "group": item.group, "below": path != href}
    return best
