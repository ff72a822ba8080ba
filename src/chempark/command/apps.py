from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    """The command centre: the 大屏, the enterprise dynamic risk index, the duty roster and handover."""

    name = "chempark.command"
    label = "command"
    verbose_name = _("指挥中心")

    def ready(self) -> None:
        from chempark.command import demo, open_items, tiles
        from chempark.command.panels import enterprise_risk_panel
        from chempark.core import demo as demo_registry
        from chempark.core import detail_panels, duty_items, screen_tiles
        from chempark.core.navigation import NavItem, register, register_include

        register(
            # first in the menu, so the landing page after login (core.navigation.landing_url)
            NavItem(_("综合监管"), _("指挥总览"), "command:overview", "command.read", order=90),
            NavItem(_("综合监管"), _("企业工作台"), "command:workbench", "workbench.read", order=90),
            NavItem(_("综合监管"), _("指挥大屏"), "command:screen", "command.read", order=105),
            NavItem(_("值班值守"), _("值班安排"), "command:duty", "command.read", order=700),
            NavItem(_("值班值守"), _("交接班"), "command:handover-list", "command.read", order=710),
        )
        register_include("command/_on_duty.html", "command.read")
        for provider in open_items.PROVIDERS:
            duty_items.register(provider)
        for tile in tiles.BUILT_IN:
            screen_tiles.register(tile)
        detail_panels.register(
            detail_panels.DetailPanel(
                "enterprise", "risk_index", "command/_risk_panel.html", enterprise_risk_panel, "monitoring.read"
            )
        )
        demo_registry.register_loader("command", 900, demo.load)
        import datetime as dt

        from chempark.command.tasks import record_risk_index
        from chempark.core import periodic

        periodic.register(
            periodic.PeriodicTask(
                "command.risk-snapshot",
                _("企业风险指数日记录"),
                record_risk_index,
                daily_at=dt.time(23, 50),
                timeout_s=1800,
                order=50,
            )
        )
