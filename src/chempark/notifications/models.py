"""Notifications: each user's inbox, the messages sent out by e-mail, SMS and group robots with
their outcome, and the escalation steps already taken for an alarm (so each step notifies once)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Contact(models.Model):
    """How to reach a user beyond the browser (the e-mail address is the account's own)."""

    user = models.OneToOneField("accounts.User", primary_key=True, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("联系方式")
        verbose_name_plural = _("联系方式")

    def __str__(self) -> str:
        return self.phone


class Notification(models.Model):
    """One message in a user's inbox."""

    user = models.ForeignKey("accounts.User", verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WEBHOOK = "webhook", _("群机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    RATE_LIMITED = "rate_limited", _("超出频率限制未发")


class Delivery(models.Model):
    """One message to one address over one channel, retried with backoff until sent or given up."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("消息"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=300)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("失败原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["channel", "address"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.shown_address}"

    @property
    def shown_address(self) -> str:
        """The address as the log shows it: a robot's URL carries its key, so only its host is shown."""
        if self.channel != Channel.WEBHOOK:
            return self.address
        return self.address.split("?", 1)[0].rsplit("/", 1)[0] + "/…"


class EscalationStep(models.Model):
    """An escalation step taken for an unacknowledged alarm: 1 the officer on duty, 2 the leader on
    duty, 3 the bureau administrators. Unique, so each step notifies exactly once."""

    alarm_id = models.BigIntegerField()
    step = models.PositiveSmallIntegerField(_("升级级次"))
    at = models.DateTimeField(_("时间"))
    recipients = models.JSONField(_("接收人"), default=list)

    class Meta:
        verbose_name = _("报警升级记录")
        verbose_name_plural = _("报警升级记录")
        constraints = [models.UniqueConstraint(fields=["alarm_id", "step"], name="escalation_step_once")]

    def __str__(self) -> str:
        return f"#{self.alarm_id} {self.step}"


class Subscription(models.Model):
    """A user's choice for one event type (``chempark.core.notices``): whether it reaches them, from
    which severity, and over which channels besides the inbox. No row: the event type's default for
    the user's role."""

    user = models.ForeignKey("accounts.User", verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+")
    event_type = models.CharField(_("事件类型"), max_length=64)
    enabled = models.BooleanField(_("订阅"), default=True)
    min_severity = models.CharField(_("最低严重程度"), max_length=16)
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("消息订阅")
        verbose_name_plural = _("消息订阅")
        constraints = [models.UniqueConstraint(fields=["user", "event_type"], name="subscription_once_per_type")]

    def __str__(self) -> str:
        return self.event_type


class NoticeSent(models.Model):
    """An event or reminder already sent to a user on a day (in the park's time zone). Unique, so a
    reminder reaches each recipient once a day however often the notifier runs, in however many
    processes."""

    key = models.CharField(_("事项"), max_length=120)
    user = models.ForeignKey("accounts.User", verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+")
    on = models.DateField(_("日期"))
    event_type = models.CharField(_("事件类型"), max_length=64)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("提醒发送记录")
        verbose_name_plural = _("提醒发送记录")
        constraints = [models.UniqueConstraint(fields=["key", "user", "on"], name="notice_once_per_day")]
        indexes = [models.Index(fields=["on"])]

    def __str__(self) -> str:
        return f"{self.key} {self.on}"


class NotifierCursor(models.Model):
    """Up to which id the notifier has read monitoring's live events for good (every lower id has
    committed or never will), so a notifier started late does not announce the past; ``seen_id`` is
    the newest id read at ``seen_at``, which becomes ``last_id`` once no transaction begun before
    then can still be open (``events.COMMIT_LAG``)."""

    name = models.CharField(max_length=32, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    seen_id = models.BigIntegerField(default=0)
    seen_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("通知进度")
        verbose_name_plural = _("通知进度")

    def __str__(self) -> str:
        return f"{self.name} {self.last_id}"


class AnnouncedEvent(models.Model):
    """A live event (an alarm raised or worsened) the notifier has announced, kept while the event is
    above the cursor. Every round reads all alarm events above the cursor again (an event may commit
    after a later one was read, see ``events.announce_alarms``) and leaves these out in the same query:
    each event is announced once, in one transaction with its messages, whoever it reaches, and a
    round re-reads ids rather than re-checking every recipient. The primary key makes two notifiers
    racing for one event announce it once. Deleted once the cursor has passed the event."""

    event_id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("已通知的实时事件")
        verbose_name_plural = _("已通知的实时事件")

    def __str__(self) -> str:
        return str(self.event_id)
