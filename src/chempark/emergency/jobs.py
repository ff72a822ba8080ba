"""The QRA run as a background job: ``qra_start`` queues it, ``chempark worker`` runs it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_noop

from chempark.consequence import accident
from chempark.core.jobs.context import JobContext
from chempark.core.models import Job
from chempark.emergency.models import QraStatus, QraStudy
from chempark.emergency.services import qra_run


def run_qra_job(job: JobContext) -> None:
    targets = [accident.TargetInput(**target) for target in job.arguments["targets"]]
    qra_run(
        job.arguments["study_id"],
        targets,
        on_progress=lambda fraction: job.progress(round(100 * fraction), 100, gettext_noop("风险计算")),
    )


def qra_job_failed(job: Job, reason: str) -> None:
    """The job gave up: the study shows why and may be edited and started again."""
    QraStudy.objects.filter(pk=job.arguments["study_id"], status__in=(QraStatus.QUEUED, QraStatus.RUNNING)).update(
        status=QraStatus.FAILED, error=f"计算未完成：{reason}", finished_at=timezone.now()
    )
