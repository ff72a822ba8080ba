"""Account pages: log in and out, the audit trail, users and tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chempark.accounts import selectors, services
from chempark.accounts.forms import AuditFilterForm, LoginForm, MachineTokenForm, UserCreateForm
from chempark.accounts.models import TokenKind
from chempark.core.actors import actor_for_user
from chempark.core.errors import DomainError
from chempark.core.roles import Role


def login_page(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(username=form.cleaned_data["username"],
                                        password=form.cleaned_data["password"])
        except services.LoginRefused as exc:
            error = str(exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            return redirect(target or "dashboard:onemap")
    return render(request, "accounts/login.html", {"form": form, "error": error}, status=401 if error else 200)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(actor, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit.html", {"form": form, "page": page})


@login_required
def users_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    users = selectors.users_for(actor)
    user_form = UserCreateForm(request.POST if request.POST.get("form") == "user" else None)
    token_form = MachineTokenForm(request.POST if request.POST.get("form") == "token" else None)
    issued = ""
    try:
        if user_form.is_bound and user_form.is_valid():
            data = user_form.cleaned_data
            services.user_create(actor=actor, username=data["username"], password=data["password"],
                                 role=Role(data["role"]), display_name=data["display_name"],
                                 enterprise_id=data["enterprise"].pk if data["enterprise"] else None)
            messages.success(request, _("已创建用户 %(name)s。") % {"name": data["username"]})
            return redirect("accounts:users")
        if token_form.is_bound and token_form.is_valid():
            _token, issued = services.token_issue(actor=actor, name=token_form.cleaned_data["name"],
                                                  kind=TokenKind.MACHINE,
                                                  enterprise_id=token_form.cleaned_data["enterprise"].pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return render(request, "accounts/users.html", {
        "users": users, "tokens": selectors.tokens_for(actor)[:200], "user_form": user_form,
        "token_form": token_form, "issued": issued,
    })


@login_required
@require_POST
def revoke_token_page(request: HttpRequest, token_id: int) -> HttpResponse:
    services.token_revoke(actor=actor_for_user(request.user), token_id=token_id)
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:users")
