from collections.abc import Callable

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def start_notifier() -> Callable[[], None]:
    """``chempark demo``'s notifier: a ``chempark notify`` process, as in production."""
    from chempark.core.demo import command_process

    return command_process("notify")


class NotificationsConfig(AppConfig):
    """The inbox, e-mail, SMS and group robots, the escalation chain of unacknowledged alarms, and the
    users' subscriptions to the events and reminders other modules register (``core.notices``)."""

    name = "chempark.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from chempark.core import demo
        from chempark.core.navigation import NavItem, register
        from chempark.notifications.demo import load

        register(
            NavItem(_("值班值守"), _("消息"), "notifications:inbox", "notifications.read", order=720),
            NavItem(_("值班值守"), _("我的订阅"), "notifications:subscriptions", "notifications.read", order=725),
            NavItem(_("值班值守"), _("消息发送记录"), "notifications:deliveries", "notifications.log", order=730),
        )
        from chempark.accounts.audit_display import register_object_type

        register_object_type("contact", "notifications.Contact", keys={"email": _("电子邮箱")})
        from chempark.core import notices
        from chempark.notifications.events import announce

        notices.register_announcer(announce)
        demo.register_loader("notifications", 910, load)
        demo.register_service("notifier", start_notifier)
