"""The security administrator's page of broker accounts (物联网接入账号): list, open, rotate, revoke.

It writes only through :mod:`chempark.monitoring.mqtt_accounts`, the services the API and the
``chempark mqtt-credential`` command use, so every issue and revocation is audited the same way.

A new password is shown once. The action that makes it (a POST) keeps it in the user's own session
and redirects to the result page, which takes it out of the session as it shows it: reloading the
result, or coming back to it, shows no password, and the POST is never sent twice by a reload. The
password is in no address, log line or audit row, and the result page is not cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from chempark.config import current
from chempark.core.actors import Actor, actor_for_user
from chempark.core.bounds import parse_row_id
from chempark.core.errors import DomainError, InvalidInput
from chempark.core.tables import columns
from chempark.monitoring import mqtt_accounts, selectors
from chempark.monitoring.forms import MqttEnterpriseOpenForm, MqttPlatformOpenForm, MqttWorkerOpenForm
from chempark.monitoring.models import MqttAccountKind, MqttCredential

ISSUED_KEY = "monitoring.mqtt_issued"  # the session key holding a new password until it is shown
STATE_CHOICES = (("active", gettext_lazy("在用")), ("revoked", gettext_lazy("已吊销")))
ACCOUNT_COLUMNS = columns(
    gettext_lazy("用户名"),
    gettext_lazy("类型"),
    gettext_lazy("企业"),
    gettext_lazy("主题权限"),
    gettext_lazy("签发时间"),
    gettext_lazy("吊销时间"),
    gettext_lazy("操作"),
)


@dataclass(frozen=True)
class AccountRow:
    """A listed account and what it may do on the broker, as the ACL file says it."""

    account: MqttCredential
    permission: str  # "publish" or "read"
    topic: str


FORMS = {"enterprise": MqttEnterpriseOpenForm, "platform": MqttPlatformOpenForm, "worker": MqttWorkerOpenForm}


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The list's filters from the query string; a value no menu offers is refused in Chinese (422)."""
    kind = request.GET.get("kind", "")
    if kind and kind not in MqttAccountKind.values:
        raise InvalidInput(_("没有这种账号类型。"), details={"kind": [kind]})
    chosen = request.GET.get("enterprise", "")
    try:
        enterprise_id = parse_row_id(chosen) if chosen else None
    except ValueError:
        raise InvalidInput(_("企业须从列表中选择。"), details={"enterprise": [chosen]}) from None
    state = request.GET.get("state", "")
    if state and state not in dict(STATE_CHOICES):
        raise InvalidInput(_("没有这种账号状态。"), details={"state": [state]})
    revoked = None if not state else state == "revoked"
    return {"kind": kind, "enterprise_id": enterprise_id, "revoked": revoked}


def _open(actor: Actor, which: str, form: forms.Form) -> tuple[MqttCredential, str]:
    data = form.cleaned_data
    if which == "enterprise":
        return mqtt_accounts.credential_open(
            actor=actor, kind=MqttAccountKind.ENTERPRISE, enterprise_id=data["enterprise"].pk
        )
    if which == "platform":
        return mqtt_accounts.credential_open(actor=actor, kind=MqttAccountKind.POSITION_PLATFORM, username=data["name"])
    return mqtt_accounts.credential_open(actor=actor, kind=MqttAccountKind(data["kind"]), username=data["username"])


def _issued(request: HttpRequest, credential: MqttCredential, password: str) -> HttpResponse:
    request.session[ISSUED_KEY] = {"id": credential.pk, "password": password}
    return redirect("monitoring:mqtt-issued")


@login_required
def mqtt_account_list(request: HttpRequest) -> HttpResponse:
    """The list with its filters, and the three ways to open an account (POST ``form=`` one of
    enterprise, platform, worker); a refusal is shown on its form and nothing is written."""
    actor = actor_for_user(request.user)
    rows = selectors.mqtt_credentials_search(actor, **_filters(request))
    which = request.POST.get("form", "") if request.method == "POST" else ""
    bound = {name: cls(request.POST if which == name else None) for name, cls in FORMS.items()}
    if which in bound:
        form = bound[which]
        if form.is_valid():
            try:
                credential, password = _open(actor, which, form)
            except DomainError as exc:
                if exc.status == 403:
                    raise
                form.add_error(None, exc.message)
            else:
                return _issued(request, credential, password)
    elif request.method == "POST":
        raise InvalidInput(_("请从页面上的表单提交。"), details={"form": [which]})
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    listed = [AccountRow(row, *mqtt_accounts.account_topic(row)) for row in page]
    query = request.GET.copy()
    query.pop("page", None)
    menus = [
        {"name": "kind", "label": _("账号类型"), "choices": MqttAccountKind.choices},
        {"name": "enterprise", "label": _("企业"), "choices": selectors.mqtt_account_enterprises(actor)},
        {"name": "state", "label": _("状态"), "choices": STATE_CHOICES},
    ]
    refused = any(form.errors for form in bound.values())
    return render(
        request,
        "monitoring/mqtt_accounts.html",
        {
            "page": page,
            "rows": listed,
            "query": query.urlencode(),
            "columns": ACCOUNT_COLUMNS,
            "menus": menus,
            "forms": bound,
            "to_open": list(selectors.mqtt_enterprises_to_open(actor).values_list("pk", "name", "uscc")),
            "chosen_enterprise": request.POST.get("enterprise", "") if which == "enterprise" else "",
        },
        status=422 if refused else 200,
    )


@login_required
@require_POST
def mqtt_account_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        credential, password = mqtt_accounts.credential_rotate(actor=actor_for_user(request.user), credential_id=pk)
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
        return redirect("monitoring:mqtt-accounts")
    return _issued(request, credential, password)


@login_required
@require_POST
def mqtt_account_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        credential = mqtt_accounts.credential_revoke(actor=actor_for_user(request.user), credential_id=pk)
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已吊销 %(name)s。重新生成代理的账号文件并让代理重新读取（SIGHUP）后，该账号即不能再登录。")
            % {"name": credential.username},
        )
    return redirect("monitoring:mqtt-accounts")


@login_required
@never_cache
def mqtt_account_issued(request: HttpRequest) -> HttpResponse:
    """The new password, once: taken out of the session as it is shown."""
    actor = actor_for_user(request.user)
    actor.require("accounts.manage")
    issued = request.session.pop(ISSUED_KEY, None)
    credential, password = None, ""
    if isinstance(issued, dict) and isinstance(issued.get("id"), int) and isinstance(issued.get("password"), str):
        credential = selectors.mqtt_credentials_visible(actor).filter(pk=issued["id"]).first()
        password = issued["password"]
    if credential is None:
        return render(request, "monitoring/mqtt_issued.html", {"credential": None})
    permission, topic = mqtt_accounts.account_topic(credential)
    return render(
        request,
        "monitoring/mqtt_issued.html",
        {
            "credential": credential,
            "password": password,
            "permission": permission,
            "topic": topic,
            "broker": broker_address(current().mqtt_url),
        },
    )


def broker_address(url: str) -> str:
    """``host:port`` of the broker the platform's own workers use (``CHEMPARK_MQTT_URL``), without
    the user and password the address may carry; empty if it names no host."""
    try:
        parts = urlsplit(url)
        port = parts.port or 1883
    except ValueError:
        return ""
    if not parts.hostname:
        return ""
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{port}"
