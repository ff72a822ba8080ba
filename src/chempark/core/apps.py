from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting pieces: request ids, navigation, domain errors, background jobs, the project commands."""

    name = "chempark.core"
    label = "core"

    def ready(self) -> None:
        from chempark.core import (
            checks,  # noqa: F401 - registers the start-up checks
            demo,
        )
        from chempark.core.jobs.worker import start_worker_process

        demo.register_service("job-worker", start_worker_process)
        demo.register_service("scheduler", demo.start_scheduler)
        from django.utils.translation import gettext_lazy as _

        from chempark.core.navigation import NavItem, register

        register(NavItem(_("系统"), _("定时任务"), "core:periodic", "periodic.read", order=920))
