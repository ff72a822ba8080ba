"""Pages of the notifications: the inbox and 我的订阅 (every user), the delivery log (bureau administrator)."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chempark.core.actors import actor_for_user
from chempark.core.alarm_feed import FeedSeverity
from chempark.core.errors import InvalidInput
from chempark.monitoring.models import Severity
from chempark.notifications import selectors, services
from chempark.notifications.models import Channel, DeliveryStatus
from chempark.notifications.subscription_services import Choice, contact_save, subscriptions_save


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        if request.POST.get("all") == "1":
            ids = list(selectors.inbox(actor).filter(read_at__isnull=True).values_list("pk", flat=True))
        services.mark_read(actor=actor, ids=ids)
        return redirect("notifications:inbox")
    return render(
        request,
        "notifications/inbox.html",
        {"rows": selectors.inbox(actor)[:200], "unread": selectors.unread_count(actor)},
    )


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    status = status if status in DeliveryStatus.values else ""
    channel = channel if channel in Channel.values else ""
    return render(
        request,
        "notifications/deliveries.html",
        {
            "rows": selectors.deliveries(actor, status=status, channel=channel)[:500],
            "statuses": DeliveryStatus.choices,
            "channels": Channel.choices,
            "status": status,
            "channel": channel,
        },
    )


SEVERITY_CHOICES = [(s.value, Severity(s.value).label) for s in FeedSeverity][::-1]  # 提示 … 紧急


def _choices(request: HttpRequest, codes: list[str]) -> list[Choice]:
    """The form's choice for every event type shown (an unticked box is absent from the POST)."""
    post = request.POST
    return [
        Choice(
            code,
            post.get(f"{code}:enabled") == "on",
            post.get(f"{code}:min_severity", ""),
            post.get(f"{code}:email") == "on",
            post.get(f"{code}:sms") == "on",
        )
        for code in codes
    ]


@login_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    """我的订阅: which events reach the user, from which severity, over which channels; and the
    e-mail address and phone they reach them at."""
    actor = actor_for_user(request.user)
    settings = selectors.my_subscriptions(actor)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "contact":
                contact_save(actor=actor, email=request.POST.get("email", ""), phone=request.POST.get("phone", ""))
                messages.success(request, _("联系方式已保存。"))
            else:
                subscriptions_save(actor=actor, choices=_choices(request, [s.event.code for s in settings]))
                messages.success(request, _("订阅已保存。"))
        except InvalidInput as exc:
            messages.error(request, exc.message)
        return redirect("notifications:subscriptions")
    email, phone = selectors.my_addresses(actor)
    groups = [(group, list(rows)) for group, rows in groupby(settings, key=lambda s: str(s.event.group))]
    return render(
        request,
        "notifications/subscriptions.html",
        {
            "groups": groups,
            "severities": SEVERITY_CHOICES,
            "email": email,
            "phone": phone,
            "duty": actor.can("alarm.escalated"),
        },
    )
