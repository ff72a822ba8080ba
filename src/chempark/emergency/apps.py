from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    """Emergency management: accident simulation (事故模拟), leak-source estimation, park QRA."""

    name = "chempark.emergency"
    label = "emergency"

    def ready(self) -> None:
        from chempark.core import demo, map_layers
        from chempark.core.jobs import registry as jobs
        from chempark.core.navigation import NavItem, register
        from chempark.emergency import leak_layer, population_layer
        from chempark.emergency.demo import load_demo_population, load_demo_study
        from chempark.emergency.jobs import qra_job_failed, run_qra_job
        from chempark.emergency.services import QRA_JOB

        group = _("应急管理")
        register(
            NavItem(group, _("事故模拟"), "emergency:simulation", "simulation.run", order=600),
            NavItem(group, _("定量风险评价"), "emergency:qra-list", "qra.run", order=610),
        )
        demo.register_loader("emergency", 500, load_demo_study)
        demo.register_loader("population", 510, load_demo_population)
        map_layers.register(leak_layer.LAYER)
        map_layers.register(population_layer.LAYER)
        jobs.register(QRA_JOB, run_qra_job, on_failure=qra_job_failed)
