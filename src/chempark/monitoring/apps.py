from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Real-time monitoring: points, readings, alarms, cameras, the live stream and the one-map layer."""

    name = "chempark.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from chempark.accounts.audit_display import register_object_type
        from chempark.core import alarm_feed, demo, map_layers
        from chempark.core.navigation import NavItem, register, register_include
        from chempark.hazards.listeners import on_major_hazards_changed
        from chempark.monitoring.alarm_writes import refresh_warning_after_regrade
        from chempark.monitoring.demo import load_demo_monitoring, start_demo_simulator
        from chempark.monitoring.external_alarms import clear_external_alarm, raise_external_alarm
        from chempark.monitoring.map_layer import LAYER

        group = _("监测预警")
        register(
            NavItem(group, _("报警"), "monitoring:alarm-list", "monitoring.read", order=300),
            NavItem(group, _("监测点位"), "monitoring:point-list", "monitoring.read", order=310),
            NavItem(group, _("监测指标"), "monitoring:indicators", "monitoring.read", order=320),
            # broker passwords are credentials: the security administrator's, beside users and tokens
            NavItem(_("系统"), _("物联网接入账号"), "monitoring:mqtt-accounts", "accounts.manage", order=915),
        )
        register_include("monitoring/_live.html", "alarm.escalated")
        map_layers.register(LAYER)
        alarm_feed.register(raise_alarm=raise_external_alarm, clear_alarm=clear_external_alarm)
        from chempark.core import notices
        from chempark.monitoring.notices import EVENT_TYPES

        notices.register_event_type(*EVENT_TYPES)
        register_object_type(
            "monitoring_point",
            "monitoring.Point",
            keys={"points": _("点位数"), "cameras": _("摄像机数"), "source": _("来源")},
        )
        on_major_hazards_changed(refresh_warning_after_regrade)
        demo.register_loader("monitoring", 400, load_demo_monitoring)
        demo.register_service("monitoring-simulator", start_demo_simulator)
        from chempark.core import figures
        from chempark.monitoring.figures import ENTERPRISES_CONNECTED

        figures.register(ENTERPRISES_CONNECTED)
        from chempark.core import periodic
        from chempark.monitoring.tasks import check_alarms, prune

        periodic.register(
            periodic.PeriodicTask(
                "monitoring.alarms", _("报警升级与离线检查"), check_alarms, every_s=10, timeout_s=120, order=10
            ),
            periodic.PeriodicTask("monitoring.retention", _("监测数据保留期清理"), prune, every_s=3600, order=90),
        )
        from chempark.core import camera_places
        from chempark.monitoring.config_services import camera_move

        camera_places.register(camera_move)
        from chempark.core import detail_panels
        from chempark.monitoring.tank_level import tank_level_panel

        detail_panels.register(
            detail_panels.DetailPanel(
                "tank", "live_level", "monitoring/_tank_level.html", tank_level_panel, "monitoring.read", order=50
            )
        )
