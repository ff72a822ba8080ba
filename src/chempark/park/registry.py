"""What the registry is made of: one description per entity, read by services, selectors, the API,
the pages and the Excel export, so that adding a field or an entity is a change in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chempark.park.models import Area, Chemical, Enterprise, Inventory, Park, ProtectiveTarget, Tank, Unit


@dataclass(frozen=True)
class EntitySpec:
    key: str
    model: type[models.Model]
    label: str | Promise
    # The lookup from this model to its enterprise's id; None for park-wide data (areas, catalogue...).
    enterprise_path: str | None
    # Capability to change existing rows, and to create or delete rows.
    write_capability: str
    create_capability: str
    # Fields a client may set, in form order; foreign keys by name (the API takes their ids).
    fields: tuple[str, ...]
    # Columns of lists and exports.
    columns: tuple[str, ...]
    search_fields: tuple[str, ...]
    filter_fields: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    # Fields an enterprise user may not change even on its own rows.
    bureau_only_fields: tuple[str, ...] = field(default_factory=tuple)
    default_sort: str = "id"

    @property
    def sort_fields(self) -> tuple[str, ...]:
        return ("id", *[c for c in self.columns if "__" not in c])


SPECS: dict[str, EntitySpec] = {
    spec.key: spec
    for spec in (
        EntitySpec(
            key="park",
            model=Park,
            label=_("园区"),
            enterprise_path=None,
            write_capability="park.write",
            create_capability="park.write",
            fields=("name", "address", "altitude_m", "boundary"),
            columns=("name", "address", "altitude_m"),
            search_fields=("name",),
        ),
        EntitySpec(
            key="area",
            model=Area,
            label=_("园区区域"),
            enterprise_path=None,
            write_capability="park.write",
            create_capability="park.write",
            fields=("park", "name", "kind", "geometry"),
            columns=("name", "kind", "park__name"),
            search_fields=("name",),
            filter_fields=("park", "kind"),
            select_related=("park",),
            default_sort="name",
        ),
        EntitySpec(
            key="enterprise",
            model=Enterprise,
            label=_("企业"),
            enterprise_path="id",
            write_capability="registry.write",
            create_capability="park.write",
            fields=(
                "park",
                "name",
                "uscc",
                "kind",
                "industry",
                "address",
                "lon",
                "lat",
                "legal_representative",
                "safety_contact",
                "safety_phone",
                "employees",
                "population_500m",
                "status",
            ),
            columns=("name", "uscc", "kind", "industry", "status", "safety_contact", "safety_phone", "address"),
            search_fields=("name", "uscc", "industry", "address"),
            filter_fields=("park", "kind", "status"),
            bureau_only_fields=("park", "name", "uscc", "status", "population_500m"),
            default_sort="name",
        ),
        EntitySpec(
            key="unit",
            model=Unit,
            label=_("生产/储存单元"),
            enterprise_path="enterprise_id",
            write_capability="registry.write",
            create_capability="registry.write",
            fields=("enterprise", "code", "name", "kind", "lon", "lat", "description"),
            columns=("code", "name", "kind", "enterprise__name"),
            search_fields=("code", "name", "enterprise__name"),
            filter_fields=("enterprise", "kind"),
            select_related=("enterprise",),
            bureau_only_fields=("enterprise",),
            default_sort="code",
        ),
        EntitySpec(
            key="tank",
            model=Tank,
            label=_("储罐与仓库"),
            enterprise_path="unit__enterprise_id",
            write_capability="registry.write",
            create_capability="registry.write",
            fields=("unit", "code", "name", "kind", "chemical", "volume_m3", "design_max_t", "bund_area_m2"),
            columns=(
                "code",
                "name",
                "kind",
                "chemical__name_zh",
                "volume_m3",
                "design_max_t",
                "bund_area_m2",
                "unit__name",
                "unit__enterprise__name",
            ),
            search_fields=("code", "name", "unit__name", "unit__enterprise__name", "chemical__name_zh"),
            filter_fields=("unit", "kind", "chemical", "unit__enterprise"),
            select_related=("unit__enterprise", "chemical"),
            default_sort="code",
        ),
        EntitySpec(
            key="chemical",
            model=Chemical,
            label=_("危险化学品"),
            enterprise_path=None,
            write_capability="park.write",
            create_capability="park.write",
            fields=("name_zh", "name_en", "aliases", "cas", "un_number", "ghs_categories", "gb18218_categories"),
            columns=("name_zh", "name_en", "cas", "un_number", "formula", "molar_mass_g_mol", "boiling_point_k"),
            search_fields=("name_zh", "name_en", "aliases", "cas", "un_number"),
            default_sort="name_zh",
        ),
        EntitySpec(
            key="inventory",
            model=Inventory,
            label=_("危化品存量"),
            enterprise_path="unit__enterprise_id",
            write_capability="registry.write",
            create_capability="registry.write",
            fields=("unit", "chemical", "design_max_t", "current_t", "mass_fraction"),
            columns=(
                "unit__enterprise__name",
                "unit__name",
                "chemical__name_zh",
                "chemical__cas",
                "design_max_t",
                "current_t",
                "mass_fraction",
            ),
            search_fields=("unit__name", "unit__enterprise__name", "chemical__name_zh", "chemical__cas"),
            filter_fields=("unit", "chemical", "unit__enterprise"),
            select_related=("unit__enterprise", "chemical"),
        ),
        EntitySpec(
            key="protectivetarget",
            model=ProtectiveTarget,
            label=_("防护目标"),
            enterprise_path=None,
            write_capability="park.write",
            create_capability="park.write",
            fields=("park", "name", "kind", "geometry", "population", "address"),
            columns=("name", "kind", "population", "address"),
            search_fields=("name", "address"),
            filter_fields=("park", "kind"),
            default_sort="name",
        ),
    )
}


def spec_for(key: str) -> EntitySpec:
    return SPECS[key]


def enterprise_id_of(spec: EntitySpec, instance: models.Model) -> int | None:
    """The enterprise an instance belongs to, following ``spec.enterprise_path``."""
    if spec.enterprise_path is None:
        return None
    value: object = instance
    try:
        for step in spec.enterprise_path.split("__"):
            value = getattr(value, step)
    except ObjectDoesNotExist:  # a foreign key to a row that does not exist: no enterprise
        return None
    return value if isinstance(value, int) else None
