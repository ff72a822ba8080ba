"""Models of the core: the job table of the background worker (DESIGN.md rule 18)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """Work that outlives a request (a QRA run, a workbook import), claimed and run by ``chempark worker``.

    The row is the whole state of the work: a worker claims it atomically, heartbeats while it runs,
    and records the outcome; a job whose worker died is found by its stale heartbeat and queued again
    (or failed with the reason once its attempts are used up). ``object_type``/``object_id`` name the
    domain object the job works on, so that object's page can show the job's progress and failure.
    """

    kind = models.CharField(_("类型"), max_length=64)
    arguments = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveIntegerField(_("最多尝试次数"), default=3)
    run_after = models.DateTimeField(_("最早运行时间"), default=timezone.now)
    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总量"), default=0)
    progress_message = models.CharField(_("进度说明"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    enqueued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker = models.CharField(_("工作进程"), max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=40, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "run_after"], name="core_job_ready"),
            models.Index(fields=["object_type", "object_id"], name="core_job_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
