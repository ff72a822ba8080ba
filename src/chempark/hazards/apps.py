from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    """Major hazard installations: GB 18218 identification of every unit, the major hazard registry and
    its filing workflow, responsible persons and duty checks, daily safety commitments."""

    name = "chempark.hazards"
    label = "hazards"

    def ready(self) -> None:
        from chempark.core import demo, map_layers
        from chempark.core.navigation import NavItem, register
        from chempark.hazards.demo import load_demo_hazards
        from chempark.hazards.grade_notes import grade_note
        from chempark.hazards.list_filters import ENTERPRISE_HAZARD_LEVEL
        from chempark.hazards.map import MAJOR_HAZARD_LAYER
        from chempark.hazards.services import reassess_after_registry_change
        from chempark.park import hooks

        demo.register_loader("hazards", 300, load_demo_hazards)
        from chempark.core import notices
        from chempark.hazards import reminders

        notices.register_event_type(*reminders.EVENT_TYPES)
        notices.register_reminders("hazards", reminders.due)
        map_layers.register(MAJOR_HAZARD_LAYER)
        hooks.on_registry_change(reassess_after_registry_change)
        hooks.provide_grades(grade_note)
        hooks.provide_list_filter(ENTERPRISE_HAZARD_LEVEL)
        group = _("重大危险源")
        register(
            NavItem(group, _("重大危险源"), "hazards:list", "hazard.read", order=300),
            NavItem(group, _("待办与提醒"), "hazards:supervision", "hazard.read", order=310),
            NavItem(group, _("安全承诺"), "hazards:commitments", "hazard.read", order=320),
        )
