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
    groups: dict[str, list[nav.NavItem]] = {}
    for item in nav.visible_items(actor):
        groups.setdefault(str(item.group), []).append(item)
    page_includes = [include.template for include in nav.includes() if actor.can(include.capability)]
    return {"nav_groups": list(groups.items()), "actor": actor, "page_includes": page_includes}
