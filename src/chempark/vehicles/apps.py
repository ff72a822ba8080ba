from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    """The closed park: hazmat vehicle registry, reservations, gates (卡口), dwell alarms, and the
    enterprises' personnel access control (门禁) with headcounts and evacuation rosters."""

    name = "chempark.vehicles"
    label = "vehicles"
    verbose_name = _("车辆与门禁")

    def ready(self) -> None:
        from chempark.accounts.audit_display import register_object_type

        # the registry kinds whose names are not their models' (the audit page showed 「crew」, 「accessarea」)
        register_object_type("crew", "vehicles.CrewMember")
        register_object_type("blacklist", "vehicles.BlacklistEntry")
        register_object_type("accessarea", "vehicles.EnterpriseArea")
        from chempark.core import screen_tiles
        from chempark.vehicles.screen import TILE

        screen_tiles.register(TILE)
        from chempark.core import demo, map_layers
        from chempark.core.navigation import NavItem, register
        from chempark.vehicles.demo import load_demo_vehicles
        from chempark.vehicles.map import GATE_LAYER

        group = _("车辆管理")
        register(
            NavItem(group, _("入园预约"), "vehicles:reservation-list", "vehicle.read", order=500),
            NavItem(group, _("在园车辆"), "vehicles:in-park", "vehicle.read", order=510),
            NavItem(group, _("车辆"), "vehicles:vehicle-list", "vehicle.read", order=520),
            NavItem(group, _("承运企业"), "vehicles:carrier-list", "vehicle.read", order=530),
            NavItem(group, _("驾驶员与押运员"), "vehicles:crew-list", "vehicle.read", order=540),
            NavItem(group, _("黑名单"), "vehicles:blacklist-list", "vehicle.read", order=550),
            NavItem(group, _("卡口"), "vehicles:gate-list", "vehicle.read", order=560),
            NavItem(group, _("车辆档案导入"), "vehicles:import", "vehicle.manage", order=565),
            NavItem(group, _("区域在岗人数"), "vehicles:headcounts", "access.read", order=570),
            NavItem(group, _("门禁区域"), "vehicles:accessarea-list", "access.read", order=580),
            NavItem(group, _("门禁点"), "vehicles:accessgate-list", "access.read", order=590),
            NavItem(group, _("门禁人员"), "vehicles:worker-list", "access.read", order=600),
        )
        map_layers.register(GATE_LAYER)
        demo.register_loader("vehicles", 500, load_demo_vehicles)
        from chempark.core import periodic
        from chempark.vehicles.tasks import run_periodic

        periodic.register(
            periodic.PeriodicTask(
                "vehicles.checks", _("车辆超时停留与预约过期检查"), run_periodic, every_s=60, timeout_s=300, order=20
            )
        )
