"""Writes of licences and personnel certificates. Same rules as :mod:`chempark.supervision.services`;
an expiry not after the issue date is refused naming ``expires_on``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.supervision.models import Certificate, CertificateKind, Licence, LicenceKind
from chempark.supervision.services import enterprise_in_scope, refuse, required_text


def _dates(issued_on: dt.date, expires_on: dt.date) -> None:
    if expires_on <= issued_on:
        raise refuse("expires_on", "有效期至须晚于发证日期。")


def licence_create(
    *,
    actor: Actor,
    enterprise_id: int,
    kind: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date,
    scope: str = "",
) -> Licence:
    """Record a licence the bureau (or the provincial authority) issued."""
    actor.require("licence.manage")
    clean = required_text(number, "number", "证书编号")
    if kind not in LicenceKind.values:
        raise refuse("kind", "许可类别不合法。")
    _dates(issued_on, expires_on)
    if Licence.objects.filter(number=clean).exists():
        raise refuse("number", f"证书编号 {clean} 已登记。")
    with transaction.atomic():
        enterprise = enterprise_in_scope(actor, enterprise_id)
        licence = Licence.objects.create(
            enterprise=enterprise,
            kind=kind,
            number=clean,
            scope=scope.strip(),
            issued_on=issued_on,
            expires_on=expires_on,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="licence",
            object_id=licence.pk,
            after=audit.snapshot(licence),
            enterprise_id=enterprise.pk,
        )
    return licence


def certificate_create(
    *,
    actor: Actor,
    enterprise_id: int,
    kind: str,
    holder: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date,
) -> Certificate:
    """Record a person's certificate (the enterprise for its own staff, or the bureau)."""
    actor.require("certificate.write")
    who = required_text(holder, "holder", "持证人")
    clean = required_text(number, "number", "证书编号")
    if kind not in CertificateKind.values:
        raise refuse("kind", "证书类别不合法。")
    _dates(issued_on, expires_on)
    if Certificate.objects.filter(kind=kind, number=clean).exists():
        raise refuse("number", f"证书编号 {clean} 已登记。")
    with transaction.atomic():
        enterprise = enterprise_in_scope(actor, enterprise_id)
        certificate = Certificate.objects.create(
            enterprise=enterprise, kind=kind, holder=who, number=clean, issued_on=issued_on, expires_on=expires_on
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="certificate",
            object_id=certificate.pk,
            after=audit.snapshot(certificate),
            enterprise_id=enterprise.pk,
        )
    return certificate
