from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Emergency plans with filing and evaluation, drills and their compliance, the working-day
    calendar, and public warnings issued as CAP 1.2."""

    name = "chempark.plans"
    label = "plans"

    def ready(self) -> None:
        from chempark.accounts.audit_display import register_object_type
        from chempark.core import demo, map_layers
        from chempark.core.navigation import NavItem, register
        from chempark.incidents.plan_providers import register_plan_provider
        from chempark.incidents.warning_providers import register_warning_provider
        from chempark.plans.demo import load_demo_plans
        from chempark.plans.incident_plans import matching_plans
        from chempark.plans.incident_warnings import PlansWarningProvider
        from chempark.plans.map import WARNING_LAYER

        demo.register_loader("plans", 700, load_demo_plans)
        map_layers.register(WARNING_LAYER)
        register_plan_provider(matching_plans)
        register_warning_provider(PlansWarningProvider())
        register_object_type("drill_action", "plans.ImprovementAction")
        register_object_type("plan_filing", "plans.Plan")
        register_object_type("plan_evaluation", "plans.Plan")
        group = _("应急管理")
        register(
            NavItem(group, _("应急预案"), "plans:list", "plan.read", order=620),
            NavItem(group, _("应急演练"), "plans:drills", "plan.read", order=630),
            NavItem(group, _("预案与演练合规"), "plans:compliance", "plan.read", order=640),
            NavItem(group, _("公众预警"), "plans:warnings", "plan.read", order=650),
            NavItem(group, _("工作日历"), "plans:calendar", "calendar.manage", order=660),
        )
