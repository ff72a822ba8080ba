from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles, enterprise scoping, API tokens and the audit trail."""

    name = "chempark.accounts"
    label = "accounts"

    def ready(self) -> None:
        from chempark.core.navigation import NavItem, register

        register(
            NavItem(_("系统"), _("审计日志"), "accounts:audit", "audit.read", order=900),
            NavItem(_("系统"), _("用户与令牌"), "accounts:users", "accounts.manage", order=910),
        )
        from chempark.accounts.audit_display import register_object_type

        enterprise = _("企业")
        register_object_type(
            "api_token", "accounts.ApiToken", keys={"enterprise": enterprise, "enterprise_id": enterprise}
        )
        # what a login row records besides the user: the auditor read 「address」 on every login
        register_object_type(
            "user",
            "accounts.User",
            keys={
                "address": _("登录地址"),
                "reason": _("原因"),
                "failures": _("连续失败次数"),
                "blocked_until": _("等待至"),
            },
        )
