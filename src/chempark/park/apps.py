from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParkConfig(AppConfig):
    """The park registry: park, areas, enterprises, units, tanks, chemicals, inventories, targets."""

    name = "chempark.park"
    label = "park"

    def ready(self) -> None:
        from chempark.accounts.audit_display import register_object_type
        from chempark.core import demo
        from chempark.core.jobs import registry as jobs
        from chempark.core.navigation import NavItem, register
        from chempark.park import checks  # noqa: F401 - registers the start-up check (no demo password in production)
        from chempark.park.demo import load_demo_park
        from chempark.park.demo_accounts import load_demo_accounts
        from chempark.park.imports import IMPORT_JOB, import_job_failed, run_import_job

        demo.register_loader("park", 100, load_demo_park)
        demo.register_loader("accounts", 200, load_demo_accounts)
        jobs.register(IMPORT_JOB, run_import_job, on_failure=import_job_failed)
        register_object_type(
            "workbook", "park.ImportJob", keys={"rows": _("导入行数"), "refused": _("被拒绝"), "errors": _("错误数")}
        )

        group = _("园区档案")
        register(
            NavItem(group, _("企业"), "park:enterprise-list", "registry.read", order=200),
            NavItem(group, _("生产/储存单元"), "park:unit-list", "registry.read", order=210),
            NavItem(group, _("储罐与仓库"), "park:tank-list", "registry.read", order=220),
            NavItem(group, _("危化品存量"), "park:inventory-list", "registry.read", order=230),
            NavItem(group, _("危险化学品目录"), "park:chemical-list", "registry.read", order=240),
            NavItem(group, _("防护目标"), "park:protectivetarget-list", "registry.read", order=250),
            NavItem(group, _("园区区域"), "park:area-list", "registry.read", order=260),
            NavItem(group, _("Excel 导入"), "park:import", "registry.import", order=270),
        )
