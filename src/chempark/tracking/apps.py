from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    """Hazmat vehicle tracking: the JT/T 808 server's storage, positions, fences and routes, the rules
    engine's violations as alarms, the live vehicle layer, track replay and reports."""

    name = "chempark.tracking"
    label = "tracking"
    verbose_name = _("车辆定位监控")

    def ready(self) -> None:
        from chempark.core import demo, map_layers
        from chempark.core.navigation import NavItem, register, register_include
        from chempark.tracking.demo import load_demo_tracking, start_demo_server
        from chempark.tracking.map import FENCE_LAYER, VEHICLE_LAYER, VIOLATION_LAYER

        demo.register_loader("tracking", 700, load_demo_tracking)
        from chempark.core import notices
        from chempark.tracking.notices import VIOLATION_EVENT

        notices.register_event_type(VIOLATION_EVENT)
        demo.register_service("jt808-fleet", start_demo_server)
        for layer in (VEHICLE_LAYER, VIOLATION_LAYER, FENCE_LAYER):
            map_layers.register(layer)
        register_include("tracking/_live.html", "tracking.read")
        group = _("车辆定位监控")
        register(
            NavItem(group, _("车辆实时监控"), "tracking:vehicles", "tracking.read", order=700),
            NavItem(group, _("轨迹回放"), "tracking:replay", "tracking.read", order=710),
            NavItem(group, _("车辆违规"), "tracking:violations", "tracking.read", order=720),
            NavItem(group, _("电子围栏与路线"), "tracking:fences", "tracking.read", order=730),
            NavItem(group, _("运行月报"), "tracking:report", "tracking.read", order=740),
        )
