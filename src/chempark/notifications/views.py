"""Pages of the notifications: the inbox (every user) and the delivery log (bureau administrator)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chempark.core.actors import actor_for_user
from chempark.notifications import selectors, services
from chempark.notifications.models import Channel, DeliveryStatus


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
