from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles, enterprise scoping, API tokens and the audit trail."""

    name = "chempark.accounts"
    label = "accounts"

    def ready(self) -> None:
        from chempark.accounts import checks  # noqa: F401 - registers the start-up check
        from chempark.accounts.demo import load_demo_accounts
        from chempark.core import demo
        from chempark.core.navigation import NavItem, register

        demo.register_loader("accounts", 200, load_demo_accounts)

        register(
            NavItem(_("系统"), _("审计日志"), "accounts:audit", "audit.read", order=900),
            NavItem(_("系统"), _("用户与令牌"), "accounts:users", "accounts.manage", order=910),
        )
