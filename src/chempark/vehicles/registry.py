"""The module's plain registries, described once like the park registry (``park.registry.EntitySpec``)
and served by one set of services, selectors, API routes, pages and xlsx export: carriers, vehicles,
drivers and escorts, the blacklist, gates, and the enterprises' access areas, doors and people.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chempark.park.registry import EntitySpec
from chempark.vehicles.models import (
    AccessGate,
    BlacklistEntry,
    Carrier,
    CrewMember,
    EnterpriseArea,
    Gate,
    Vehicle,
    Worker,
)


@dataclass(frozen=True)
class Entity:
    spec: EntitySpec
    read_capability: str
    path: str  # the API collection and page path
    plural: str | Promise

    @property
    def key(self) -> str:
        return self.spec.key


def _transport(key: str, model: type, label: str | Promise, path: str, **spec: object) -> Entity:
    return Entity(
        EntitySpec(
            key=key,
            model=model,
            label=label,
            enterprise_path=None,
            write_capability="vehicle.manage",
            create_capability="vehicle.manage",
            **spec,  # type: ignore[arg-type]  # the remaining EntitySpec fields, named
        ),
        "vehicle.read",
        path,
        label,
    )


def _access(key: str, model: type, label: str | Promise, path: str, enterprise_path: str, **spec: object) -> Entity:
    return Entity(
        EntitySpec(
            key=key,
            model=model,
            label=label,
            enterprise_path=enterprise_path,
            write_capability="access.manage",
            create_capability="access.manage",
            **spec,  # type: ignore[arg-type]  # the remaining EntitySpec fields, named
        ),
        "access.read",
        path,
        label,
    )


ENTITIES: dict[str, Entity] = {
    entity.key: entity
    for entity in (
        _transport(
            "carrier",
            Carrier,
            _("承运企业"),
            "carriers",
            fields=("name", "uscc", "permit_no", "permit_expires", "contact", "phone"),
            columns=("name", "uscc", "permit_no", "permit_expires", "contact", "phone"),
            search_fields=("name", "uscc", "permit_no"),
            default_sort="name",
        ),
        _transport(
            "vehicle",
            Vehicle,
            _("车辆"),
            "vehicles",
            fields=(
                "plate",
                "carrier",
                "vehicle_type",
                "hazmat",
                "tank_capacity_m3",
                "road_permit_no",
                "terminal_phone",
            ),
            columns=("plate", "carrier__name", "vehicle_type", "hazmat", "tank_capacity_m3", "terminal_phone"),
            search_fields=("plate", "carrier__name", "terminal_phone"),
            filter_fields=("carrier", "vehicle_type"),
            select_related=("carrier",),
            default_sort="plate",
        ),
        _transport(
            "crew",
            CrewMember,
            _("驾驶员与押运员"),
            "crew",
            fields=("carrier", "name", "duty", "id_number", "phone", "certificate_no", "certificate_expires"),
            columns=("name", "duty", "carrier__name", "certificate_no", "certificate_expires", "phone"),
            search_fields=("name", "certificate_no", "carrier__name"),
            filter_fields=("carrier", "duty"),
            select_related=("carrier",),
            default_sort="name",
        ),
        _transport(
            "blacklist",
            BlacklistEntry,
            _("黑名单"),
            "blacklist",
            fields=("target", "vehicle", "person", "reason", "starts_on", "expires_on"),
            columns=("target", "vehicle__plate", "person__name", "reason", "starts_on", "expires_on"),
            search_fields=("vehicle__plate", "person__name", "reason"),
            filter_fields=("target",),
            select_related=("vehicle", "person"),
            default_sort="-starts_on",
        ),
        _transport(
            "gate",
            Gate,
            _("卡口"),
            "gates",
            fields=("code", "name", "hazmat", "lon", "lat", "active"),
            columns=("code", "name", "hazmat", "active", "lon", "lat"),
            search_fields=("code", "name"),
            default_sort="code",
        ),
        _access(
            "accessarea",
            EnterpriseArea,
            _("门禁区域"),
            "access-areas",
            "enterprise_id",
            fields=("enterprise", "name", "kind", "requires_certificate", "headcount_limit", "lon", "lat"),
            columns=("enterprise__name", "name", "kind", "requires_certificate", "headcount_limit"),
            search_fields=("name", "enterprise__name"),
            filter_fields=("enterprise", "kind"),
            select_related=("enterprise",),
            bureau_only_fields=("enterprise",),
            default_sort="name",
        ),
        _access(
            "accessgate",
            AccessGate,
            _("门禁点"),
            "access-gates",
            "area__enterprise_id",
            fields=("area", "code", "name"),
            columns=("code", "name", "area__name", "area__enterprise__name"),
            search_fields=("code", "name", "area__name"),
            filter_fields=("area",),
            select_related=("area__enterprise",),
            default_sort="code",
        ),
        _access(
            "worker",
            Worker,
            _("门禁人员"),
            "workers",
            "enterprise_id",
            fields=("enterprise", "name", "badge", "post", "certificate_no", "certificate_expires"),
            columns=("enterprise__name", "name", "badge", "post", "certificate_no", "certificate_expires"),
            search_fields=("name", "badge", "certificate_no"),
            filter_fields=("enterprise",),
            select_related=("enterprise",),
            bureau_only_fields=("enterprise",),
            default_sort="name",
        ),
    )
}


def entity_for(kind: str) -> Entity:
    return ENTITIES[kind]
