from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Dual prevention and supervision: hidden dangers and their closed loop, inspections with
    campaigns and random draws, enforcement cases and their documents."""

    name = "chempark.supervision"
    label = "supervision"
    verbose_name = _("双重预防与监管执法")

    def ready(self) -> None:
        from chempark.accounts.audit_display import register_object_type
        from chempark.supervision.models import CaseStageChoice
        from chempark.supervision.project_views import ACTION_LABELS as PROJECT_DECISIONS
        from chempark.supervision.views import ACTION_LABELS as DANGER_ACTIONS

        register_object_type("danger_evidence", "supervision.Evidence", keys={"danger_id": _("隐患")})
        # a workflow step records its action beside the row: 「transition: start」 read as code on the audit page
        register_object_type(
            "hidden_danger",
            "supervision.HiddenDanger",
            keys={"transition": _("流转"), "escalation": _("督办")},
            values={"transition": DANGER_ACTIONS},
        )
        register_object_type(
            "enforcement_case",
            "supervision.EnforcementCase",
            keys={"transition": _("流转"), "on": _("日期")},
            values={"transition": {f"to_{code}": label for code, label in CaseStageChoice.choices}},
        )
        register_object_type(
            "construction_project",
            "supervision.ConstructionProject",
            keys={"decision": _("审查决定"), "documents": _("文件"), "passed": _("通过")},
            values={"decision": PROJECT_DECISIONS},
        )
        from chempark.core import screen_tiles
        from chempark.supervision.screen import TILE

        screen_tiles.register(TILE)
        from chempark.core import risk_facts
        from chempark.supervision.risk_facts import PROVIDER

        risk_facts.register(PROVIDER)
        from chempark.core import demo, map_layers
        from chempark.core.navigation import NavItem, register
        from chempark.supervision.demo import load_demo_supervision
        from chempark.supervision.map import ONGOING_OPERATION_LAYER, OPEN_DANGER_LAYER, RISK_MAP_LAYER

        demo.register_loader("supervision", 400, load_demo_supervision)
        from chempark.core import notices
        from chempark.supervision import reminders

        notices.register_event_type(*reminders.EVENT_TYPES)
        notices.register_reminders("supervision", reminders.due)
        import datetime as dt

        from chempark.core import periodic
        from chempark.supervision.tasks import run_periodic

        periodic.register(
            periodic.PeriodicTask(
                "supervision.daily",
                _("隐患逾期督办与整改提醒"),
                run_periodic,
                daily_at=dt.time(7, 0),
                timeout_s=1800,
                order=40,
            )
        )
        map_layers.register(OPEN_DANGER_LAYER)
        map_layers.register(ONGOING_OPERATION_LAYER)
        map_layers.register(RISK_MAP_LAYER)
        prevention, enforcement = _("双重预防"), _("监管执法")
        register(
            NavItem(prevention, _("风险分级管控"), "supervision:risk-points", "risk.read", order=395),
            NavItem(prevention, _("隐患排查治理"), "supervision:dangers", "danger.read", order=400),
            NavItem(prevention, _("整改提醒与督办"), "supervision:reminders", "danger.read", order=410),
            NavItem(prevention, _("整改率统计"), "supervision:rates", "danger.read", order=420),
            NavItem(prevention, _("特殊作业"), "supervision:operations", "operation.read", order=425),
            NavItem(enforcement, _("检查计划与双随机"), "supervision:campaigns", "inspection.read", order=430),
            NavItem(enforcement, _("执法检查"), "supervision:inspections", "inspection.read", order=440),
            NavItem(enforcement, _("行政处罚案件"), "supervision:cases", "enforcement.manage", order=450),
            NavItem(enforcement, _("许可与证书"), "supervision:licences", "licence.read", order=460),
            NavItem(enforcement, _("三同时项目"), "supervision:projects", "project.read", order=470),
        )
