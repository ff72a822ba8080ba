"""Account pages: log in and out, the audit trail, users and tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chempark.accounts import audit_display, selectors, services
from chempark.accounts import login as login_service
from chempark.accounts.forms import (
    AuditFilterForm,
    LoginForm,
    MachineTokenForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
)
from chempark.accounts.models import TokenKind
from chempark.core.actors import actor_for_user
from chempark.core.errors import DomainError
from chempark.core.navigation import landing_url
from chempark.core.roles import Role
from chempark.core.tables import columns
from chempark.core.templatetags.chempark_tags import role_label
from chempark.core.xlsx import table_workbook, xlsx_response


def login_page(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = login_service.login_check(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                address=login_service.request_address(request),
            )
        except login_service.LoginRefused as exc:
            error = str(exc)
        else:
            login(request, user, backend="chempark.accounts.backends.AccountBackend")
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or target == "/":
                target = ""  # the site's address itself means "where I work": the role's landing page
            return redirect(target or landing_url(actor_for_user(user)) or "dashboard:onemap")
    return render(request, "accounts/login.html", {"form": form, "error": error}, status=401 if error else 200)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def _audit_query(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    """The filter form and the events it selects, shared by the page and its export."""
    actor = actor_for_user(request.user)
    form = AuditFilterForm(
        request.GET or None,
        object_types=audit_display.type_choices(selectors.audit_object_types(actor)),
        actors=selectors.audit_actors(actor),
    )
    return form, selectors.audit_events(actor, **form.filters())


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    form, events = _audit_query(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    names = dict(selectors.audit_actors(actor_for_user(request.user)))
    rows = [
        (event, audit_display.type_label(event.object_type), _changes(event), names.get(event.actor_username, ""))
        for event in page
    ]
    return render(
        request,
        "accounts/audit.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode(), "columns": AUDIT_COLUMNS},
    )


AUDIT_EXPORT_LIMIT = 10_000


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered trail as a workbook (the newest 10,000 rows), in the words of the page."""
    _form, events = _audit_query(request)
    names = dict(selectors.audit_actors(actor_for_user(request.user)))
    headers = [str(column.label) for column in AUDIT_COLUMNS]
    rows = (
        [
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            names.get(event.actor_username, event.actor_username),
            role_label(event.actor_role),
            f"{event.get_token_kind_display()} #{event.token_id}" if event.token_id else "",
            event.get_action_display(),
            f"{audit_display.type_label(event.object_type)} #{event.object_id} {event.object_label}".strip(),
            "\n".join(_change_text(change) for change in _changes(event)),
            event.request_id,
        ]
        for event in events[:AUDIT_EXPORT_LIMIT]
    )
    content = table_workbook(_("审计日志"), headers, rows)
    return xlsx_response(content, _("审计日志-%(day)s.xlsx") % {"day": timezone.localdate().isoformat()})


def _changes(event: Any) -> list[audit_display.Change]:
    return audit_display.changes(event.object_type, event.before, event.after)


def _change_text(change: audit_display.Change) -> str:
    return f"{change.label}：{change.new}" if change.old is None else f"{change.label}：{change.old} → {change.new}"


AUDIT_COLUMNS = columns(
    gettext_lazy("时间（北京时间）"),
    gettext_lazy("操作人"),
    gettext_lazy("角色"),
    gettext_lazy("凭据"),
    gettext_lazy("操作"),
    gettext_lazy("对象"),
    gettext_lazy("变更"),
    gettext_lazy("请求编号"),
)
USER_COLUMNS = columns(
    gettext_lazy("用户名"),
    gettext_lazy("姓名"),
    gettext_lazy("角色"),
    gettext_lazy("所属企业"),
    gettext_lazy("最近登录"),
    gettext_lazy("登录状态"),
    "",
)
TOKEN_COLUMNS = columns(
    gettext_lazy("名称"),
    gettext_lazy("类型"),
    gettext_lazy("前缀"),
    gettext_lazy("所属"),
    gettext_lazy("签发时间"),
    gettext_lazy("有效期至"),
    gettext_lazy("最近使用"),
    "",
)


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
            services.user_create(
                actor=actor,
                username=data["username"],
                password=data["password"],
                role=Role(data["role"]),
                display_name=data["display_name"],
                enterprise_id=data["enterprise"].pk if data["enterprise"] else None,
            )
            messages.success(request, _("已创建用户 %(name)s。") % {"name": data["username"]})
            return redirect("accounts:users")
        if token_form.is_bound and token_form.is_valid():
            _token, issued = services.token_issue(
                actor=actor,
                name=token_form.cleaned_data["name"],
                kind=TokenKind.MACHINE,
                enterprise_id=token_form.cleaned_data["enterprise"].pk,
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return render(
        request,
        "accounts/users.html",
        {
            "users": users,
            "tokens": selectors.tokens_for(actor)[:200],
            "user_form": user_form,
            "token_form": token_form,
            "issued": issued,
            "user_columns": USER_COLUMNS,
            "token_columns": TOKEN_COLUMNS,
        },
    )


@login_required
@require_POST
def lock_user_page(request: HttpRequest, user_id: int, lock: bool) -> HttpResponse:
    actor = actor_for_user(request.user)
    try:
        if lock:
            user = services.user_lock(actor=actor, user_id=user_id)
            messages.success(request, _("已锁定账号 %(name)s。") % {"name": user.username})
        else:
            user = services.user_unlock(actor=actor, user_id=user_id)
            messages.success(request, _("已解锁账号 %(name)s。") % {"name": user.username})
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    return redirect("accounts:users")


@login_required
@require_POST
def revoke_token_page(request: HttpRequest, token_id: int) -> HttpResponse:
    services.token_revoke(actor=actor_for_user(request.user), token_id=token_id)
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:users")


@login_required
def user_page(request: HttpRequest, user_id: int) -> HttpResponse:
    """One account for the security administrator: edit it, disable or enable it, reset its password."""
    actor = actor_for_user(request.user)
    user = selectors.user_get(actor, user_id)
    which = request.POST.get("form")
    initial = {"display_name": user.first_name, "role": user.role, "enterprise": user.enterprise_id}
    edit_form = UserEditForm(request.POST if which == "edit" else None, initial=initial)
    reset_form = PasswordResetForm(request.POST if which == "password" else None)
    new_password = ""
    try:
        if edit_form.is_bound and edit_form.is_valid():
            data = edit_form.cleaned_data
            services.user_update(
                actor=actor,
                user_id=user_id,
                display_name=data["display_name"],
                role=Role(data["role"]),
                enterprise_id=data["enterprise"].pk if data["enterprise"] else None,
            )
            messages.success(request, _("已保存用户 %(name)s。") % {"name": user.username})
            return redirect("accounts:user", user_id=user_id)
        if which == "active":
            active = request.POST.get("active") == "1"
            services.user_set_active(actor=actor, user_id=user_id, active=active)
            done = _("已启用账号 %(name)s。") if active else _("已停用账号 %(name)s。")
            messages.success(request, done % {"name": user.username})
            return redirect("accounts:user", user_id=user_id)
        if reset_form.is_bound and reset_form.is_valid():
            given = reset_form.cleaned_data["password"]
            _user, password = services.user_password_reset(actor=actor, user_id=user_id, password=given)
            if given:
                messages.success(request, _("已重置 %(name)s 的密码。") % {"name": user.username})
            else:
                new_password = password
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    return render(
        request,
        "accounts/user.html",
        {"account": user, "edit_form": edit_form, "reset_form": reset_form, "new_password": new_password},
    )


@login_required
def password_page(request: HttpRequest) -> HttpResponse:
    """Every person changes their own password here; this session stays, their others end."""
    form = PasswordChangeForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            user = services.user_password_change(
                actor=actor_for_user(request.user),
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            form.add_error("new_password" if exc.code == "weak_password" else "current_password", exc.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect("accounts:password")
    return render(request, "accounts/password.html", {"form": form})
