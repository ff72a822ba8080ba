"""Accounts: users bound to a role (and, for enterprise users, to one enterprise), API tokens, audit."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chempark.core.roles import Role

# Users and machine tokens belong to an enterprise of the park registry. Park sits above accounts in
# the layers (its services audit through accounts), so accounts names the model by label, as Django's
# lazy relations do, and never imports it.
ENTERPRISE_MODEL = "park.Enterprise"


def enterprise_model() -> type[models.Model]:
    """The enterprise model (``park.Enterprise``), looked up in the app registry."""
    return apps.get_model(ENTERPRISE_MODEL)


# The role names, translatable (roles.py stays free of Django, so the Chinese names are repeated here
# for gettext; a test keeps the two lists equal).
ROLE_CHOICES = [
    (Role.BUREAU_ADMIN.value, _("局系统管理员")),
    (Role.INSPECTOR.value, _("监管执法人员")),
    (Role.DISPATCHER.value, _("值班调度")),
    (Role.EXPERT.value, _("专家")),
    (Role.AUDITOR.value, _("审计员")),
    (Role.SECURITY_ADMIN.value, _("安全管理员")),
    (Role.ENTERPRISE.value, _("企业用户")),
    (Role.FINANCE.value, _("财务")),
    (Role.SERVICE_ORG.value, _("第三方服务机构")),
]


class User(AbstractUser):
    """A person who logs in. Enterprise users belong to exactly one enterprise; bureau staff to none."""

    role = models.CharField(_("角色"), max_length=32, choices=ROLE_CHOICES)
    enterprise = models.ForeignKey(
        ENTERPRISE_MODEL,
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    locked_at = models.DateTimeField(
        _("锁定时间"),
        null=True,
        blank=True,
        help_text="Set by the security administrator: no login and no token works until unlocked.",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="enterprise_user_has_enterprise",
                condition=(Q(role=Role.ENTERPRISE.value) & Q(enterprise__isnull=False))
                | (~Q(role=Role.ENTERPRISE.value) & Q(enterprise__isnull=True)),
            )
        ]


class TokenKind(models.TextChoices):
    PERSON = "person", _("个人")
    MACHINE = "machine", _("设备")


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the clear value is shown once, at issue.

    Person tokens act as their user. Machine tokens (enterprise gateways) act for one enterprise and
    may only push data.
    """

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=TokenKind.choices)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a token in lists.")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens")
    enterprise = models.ForeignKey(
        ENTERPRISE_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="machine_tokens"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Person tokens end here; machine tokens run until revoked."
    )
    from_login = models.BooleanField(
        default=False, help_text="Issued by POST /auth/token; the user's next login there replaces it."
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")
        constraints = [
            models.CheckConstraint(
                name="token_owner_matches_kind",
                condition=(Q(kind="person") & Q(user__isnull=False) & Q(enterprise__isnull=True))
                | (Q(kind="machine") & Q(user__isnull=True) & Q(enterprise__isnull=False)),
            )
        ]


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED = "locked", _("账号锁定")
    UNLOCKED = "unlocked", _("账号解锁")
    DISABLED = "disabled", _("账号停用")
    ENABLED = "enabled", _("账号启用")
    PASSWORD_RESET = "password_reset", _("重置密码")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    TOKEN_ISSUE = "token_issue", _("签发令牌")
    TOKEN_REVOKE = "token_revoke", _("吊销令牌")
    IMPORT = "import", _("导入")


class AuditEvent(models.Model):
    """One append-only line of the audit trail.

    Database triggers (see the migration) refuse UPDATE and DELETE on this table, so not even the
    application can rewrite history.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False)
    actor_username = models.CharField(_("操作人"), max_length=150)
    actor_role = models.CharField(_("角色"), max_length=32)
    enterprise_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    # The token the actor presented (none for a login session or the platform itself): a row says
    # not only whose account acted but through which credential, so a stolen token can be traced.
    token_id = models.BigIntegerField(_("令牌编号"), null=True, blank=True)
    token_kind = models.CharField(_("令牌类型"), max_length=16, choices=TokenKind.choices, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=64, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    # The object's name when the row was written, so the auditor can read the trail without
    # access to the business records themselves.
    object_label = models.CharField(_("对象名称"), max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]


class LoginThrottle(models.Model):
    """Consecutive failed logins for one username from one client address.

    Throttling the pair, not the account, is what keeps lockout from being a weapon: failures sent
    from one address delay further tries from that address only, and the account's owner still
    logs in from another. Unknown usernames are counted the same way, so the answer does not
    reveal which names exist.
    """

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        constraints = [models.UniqueConstraint(fields=["username", "address"], name="login_throttle_pair")]
