from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    """The command centre: the 大屏 and the enterprise dynamic risk index."""

    name = "chempark.command"
    label = "command"
    verbose_name = _("指挥中心")

    def ready(self) -> None:
        from chempark.command import demo, tiles
        from chempark.command.panels import enterprise_risk_panel
        from chempark.core import demo as demo_registry
        from chempark.core import detail_panels, screen_tiles
        from chempark.core.navigation import NavItem, register

        register(NavItem(_("综合监管"), _("指挥大屏"), "command:screen", "command.read", order=105))
        for tile in tiles.BUILT_IN:
            screen_tiles.register(tile)
        detail_panels.register(
            detail_panels.DetailPanel(
                "enterprise", "risk_index", "command/_risk_panel.html", enterprise_risk_panel, "monitoring.read"
            )
        )
        demo_registry.register_loader("command", 900, demo.load)
