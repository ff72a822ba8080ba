"""Models of the core: the job table of the background worker (DESIGN.md rule 18) and the runs of
the periodic tasks (`core/periodic.py`, run by `chempark scheduler`)."""

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


class RunOutcome(models.TextChoices):
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败")


class PeriodicTaskState(models.Model):
    """A periodic task's lease and its last run, one row per task name.

    The lease (``runner``, ``lease_until``) is how two schedulers agree that only one runs an
    interval task at a time: a scheduler takes it with a conditional UPDATE, which the database
    grants to one of them. The ``last_*`` columns are what the administrator's page shows, for daily
    tasks too (their per-day record is :class:`DailyTaskRun`); the last failure is kept apart so a
    success ten seconds later does not hide it.
    """

    name = models.CharField(_("任务"), max_length=64, unique=True)
    runner = models.CharField(_("运行进程"), max_length=120, blank=True)
    lease_until = models.DateTimeField(_("占用至"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("最近开始时间"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("最近结束时间"), null=True, blank=True)
    last_outcome = models.CharField(_("最近结果"), max_length=16, choices=RunOutcome.choices, blank=True)
    last_summary = models.CharField(_("最近运行摘要"), max_length=500, blank=True)
    last_failed_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    last_error = models.TextField(_("最近失败原因"), blank=True)
    failures_in_a_row = models.PositiveIntegerField(_("连续失败次数"), default=0)

    class Meta:
        verbose_name = _("定时任务状态")
        verbose_name_plural = _("定时任务状态")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DailyTaskRun(models.Model):
    """The run of a daily task for one local day. Unique on (task, day): the database, not the
    schedulers, guarantees a day's run happens once however many schedulers race for it. A failed
    run is tried again (``attempts``) later the same day; one whose scheduler died (still running
    past ``lease_until``) is taken over."""

    task = models.CharField(_("任务"), max_length=64)
    day = models.DateField(_("日期"))
    runner = models.CharField(_("运行进程"), max_length=120, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=1)
    outcome = models.CharField(_("结果"), max_length=16, choices=RunOutcome.choices, default=RunOutcome.RUNNING)
    started_at = models.DateTimeField(_("开始时间"))
    lease_until = models.DateTimeField(_("占用至"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    summary = models.CharField(_("运行摘要"), max_length=500, blank=True)
    error = models.TextField(_("失败原因"), blank=True)

    class Meta:
        verbose_name = _("每日任务运行记录")
        verbose_name_plural = _("每日任务运行记录")
        ordering = ["-day", "task"]
        constraints = [models.UniqueConstraint(fields=["task", "day"], name="core_daily_run_once")]

    def __str__(self) -> str:
        return f"{self.task} {self.day}"
