from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Emergency command: the resources ledger, the road network, incident intake (接处警), decision
    support and dispatch."""

    name = "chempark.incidents"
    label = "incidents"

    def ready(self) -> None:
        from chempark.accounts.audit_display import register_object_type
        from chempark.incidents.models import Dispatch

        # a dispatch's moves are recorded on its incident
        register_object_type(
            "incident",
            "incidents.Incident",
            keys={"dispatch": _("调派单"), "resource": _("调派对象"), "state": _("调派状态")},
            values={"state": dict(Dispatch._meta.get_field("state").flatchoices)},
        )
        # a road-network import records counts, not a segment's fields
        register_object_type(
            "road_network",
            "incidents.RoadSegment",
            keys={"roads": _("道路"), "segments": _("路段数"), "nodes": _("节点数")},
        )
        from chempark.core import screen_tiles
        from chempark.incidents.screen import TILE

        screen_tiles.register(TILE)
        from chempark.core import notices
        from chempark.incidents.notices import EVENT_TYPE

        notices.register_event_type(EVENT_TYPE)
        from chempark.core import demo, map_layers
        from chempark.core.navigation import NavItem, register, register_include
        from chempark.incidents import checks  # noqa: F401 - registers the start-up check of the level rules
        from chempark.incidents import map as layers
        from chempark.incidents.demo import load_demo_incidents

        group = _("应急指挥")
        register(
            NavItem(group, _("接处警"), "incidents:list", "incident.read", order=700),
            NavItem(group, _("应急资源"), "incidents:resources", "resource.read", order=710),
            NavItem(group, _("库存与有效期提醒"), "incidents:reminders", "resource.read", order=720),
            NavItem(group, _("道路网络"), "incidents:roads", "resource.read", order=730),
        )
        # the alarm page's "转为事件" button and its links to the incidents made from the alarm
        register_include("incidents/_alarm_incident.html", "incident.read")
        demo.register_loader("incidents", 600, load_demo_incidents)
        for layer in layers.LAYERS:
            map_layers.register(layer)
