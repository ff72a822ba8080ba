"""Who acted, as a page names them: audit rows and workflow histories store a username, and the
platform's own actions are stored as ``system`` (console ones as ``cli:<os user>``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chempark.core.actors import SYSTEM


def actor_label(username: str, display_name: str = "") -> str:
    """The platform itself (系统), the console (命令行（user）), or a person by name (the username when
    the account has no name: an auditor reads names, and a login stays in the row's details)."""
    if username == SYSTEM.username:
        return _("系统")
    if username.startswith("cli:"):
        return _("命令行（%(user)s）") % {"user": username.removeprefix("cli:")}
    return display_name or username
