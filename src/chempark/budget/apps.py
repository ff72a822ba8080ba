from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    """Budget performance management: the bureau's performance-target statement imported, spending
    tracked against the quarterly plan, indicators filled from platform figures, training and
    education activities, the year-end self-evaluation."""

    name = "chempark.budget"
    label = "budget"

    def ready(self) -> None:
        from chempark.accounts.audit_display import register_object_type

        register_object_type("budget_indicator", "budget.Indicator")
        register_object_type("budget_spending", "budget.Spending", keys={"project_id": _("项目")})
        register_object_type(
            "budget_year",
            "budget.BudgetYear",
            keys={
                "filename": _("文件名"),
                "projects": _("项目数"),
                "indicators": _("指标数"),
                "created": _("新增项目"),
                "updated": _("更新项目"),
                "unchanged": _("未变项目"),
                "not_in_document": _("文件中已无的项目"),
                "total_budget": _("预算合计（万元）"),
            },
        )
        from chempark.budget.demo import load_demo_budget
        from chempark.budget.selectors import training_pass_rate, training_person_times
        from chempark.core import demo, figures
        from chempark.core.navigation import NavItem, register

        demo.register_loader("budget", 600, load_demo_budget)
        figures.register(
            figures.Figure(
                "training_person_times",
                "培训人员人次",
                "本年度各期培训的参加人数之和（培训与宣教活动中类别为“培训”的记录）。",
                "人次",
                training_person_times,
            )
        )
        figures.register(
            figures.Figure(
                "training_pass_rate",
                "培训合格率",
                "本年度经考核的培训中，考核合格人数 ÷ 参加人数 × 100%。",
                "%",
                training_pass_rate,
            )
        )
        group = _("绩效管理")
        register(
            NavItem(group, _("预算项目"), "budget:list", "budget.read", order=700),
            NavItem(group, _("导入绩效目标"), "budget:import", "budget.import", order=710),
            NavItem(group, _("培训与宣教"), "budget:activities", "budget.read", order=720),
        )
