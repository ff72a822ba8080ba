"""The licences and certificates page: reminders 90 and 30 days before expiry, required versus
valid certificates per enterprise, the lists, and the forms to record them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.core.errors import DomainError
from chempark.park.models import Enterprise
from chempark.supervision import licence_services, selectors
from chempark.supervision.models import CertificateKind, LicenceKind
from chempark.supervision.schemas import CertificateIn, LicenceIn
from chempark.supervision.views import FIELD_LABELS, actor_of, form

LABELS = {
    **FIELD_LABELS,
    "kind": gettext_lazy("类别"),
    "number": gettext_lazy("证书编号"),
    "holder": gettext_lazy("持证人"),
    "scope": gettext_lazy("许可范围"),
    "issued_on": gettext_lazy("发证日期"),
    "expires_on": gettext_lazy("有效期至"),
}


@login_required
def licences(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "POST":
        post = request.POST.copy()
        if actor.enterprise_id is not None:
            post["enterprise"] = str(actor.enterprise_id)
        try:
            values = form(LicenceIn if post.get("what") == "licence" else CertificateIn, post, LABELS)
            enterprise_id = values.pop("enterprise")
            if post.get("what") == "licence":
                licence_services.licence_create(actor=actor, enterprise_id=enterprise_id, **values)
            else:
                licence_services.certificate_create(actor=actor, enterprise_id=enterprise_id, **values)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("supervision:licences")
    return render(
        request,
        "supervision/licences.html",
        {
            "expiring": selectors.expiring(actor),
            "coverage": selectors.certificate_coverage(actor),
            "licences": selectors.licences(actor)[:200],
            "certificates": selectors.certificates(actor)[:200],
            "enterprises": [] if actor.enterprise_id else Enterprise.objects.order_by("name"),
            "licence_kinds": LicenceKind.choices,
            "certificate_kinds": CertificateKind.choices,
            "can_licence": actor.can("licence.manage"),
            "can_certificate": actor.can("certificate.write"),
        },
    )
