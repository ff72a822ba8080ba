from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The one-map (一张图) and, later, KPIs and the big screen."""

    name = "chempark.dashboard"
    label = "dashboard"

    def ready(self) -> None:
        from chempark.core import map_layers
        from chempark.core.navigation import NavItem, register
        from chempark.dashboard.selectors import REGISTRY_LAYERS

        register(NavItem(_("综合监管"), _("一张图"), "dashboard:onemap", "map.read", order=100))
        for layer in REGISTRY_LAYERS:
            map_layers.register(layer)
