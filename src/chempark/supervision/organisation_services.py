"""Writes of service organisations: the bureau names an organisation, its enterprises and its users
(accounts with the service-organisation role). Same rules as :mod:`chempark.supervision.services`."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import transaction

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.roles import Role
from chempark.park.models import Enterprise
from chempark.supervision.models import ServiceOrganisation
from chempark.supervision.services import refuse, required_text


def organisation_create(
    *, actor: Actor, name: str, enterprises: Sequence[int], members: Sequence[int] = ()
) -> ServiceOrganisation:
    actor.require("inspection.manage")
    label = required_text(name, "name", "机构名称")
    if ServiceOrganisation.objects.filter(name=label).exists():
        raise refuse("name", "同名机构已存在。")
    assigned = list(Enterprise.objects.filter(pk__in=list(enterprises)))
    if len(assigned) != len(set(enterprises)):
        raise refuse("enterprises", "服务企业中有不存在的企业。")
    people = list(get_user_model().objects.filter(pk__in=list(members), role=Role.SERVICE_ORG))
    if len(people) != len(set(members)):
        raise refuse("members", "机构人员须为第三方服务机构角色的账号。")
    with transaction.atomic():
        organisation = ServiceOrganisation.objects.create(name=label)
        organisation.enterprises.set(assigned)
        organisation.members.set(people)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="service_organisation",
            object_id=organisation.pk,
            after={
                "name": label,
                "enterprises": sorted(e.pk for e in assigned),
                "members": sorted(p.pk for p in people),
            },
            object_label=label,
        )
    return organisation
