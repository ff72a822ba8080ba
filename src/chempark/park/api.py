"""REST endpoints of the park registry: list (search, filter, sort, paginate), read, create,
update (partial) and delete for every entity of ``registry.SPECS``, generated from that one table.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.orm import create_schema
from ninja.pagination import paginate
from pydantic import create_model

from chempark.core.api import Page, actor_of
from chempark.park import selectors, services
from chempark.park.registry import SPECS, EntitySpec
from chempark.park.schemas import JSON_FIELDS, input_schema

router = Router(tags=["registry"])

PATHS = {
    "park": "parks",
    "area": "areas",
    "enterprise": "enterprises",
    "unit": "units",
    "tank": "tanks",
    "chemical": "chemicals",
    "inventory": "inventories",
    "protectivetarget": "protective-targets",
}
READ_ONLY_EXTRA = {
    "enterprise": ("updated_at",),
    "chemical": ("formula", "molar_mass_g_mol", "boiling_point_k", "critical_temperature_k", "critical_pressure_pa"),
    "inventory": ("updated_at",),
}


def query_name(filter_field: str) -> str:
    """The query-string name of a filter: ``unit__enterprise`` is simply ``enterprise``."""
    return filter_field.rsplit("__", maxsplit=1)[-1]


def _schemas(spec: EntitySpec) -> tuple[type[Schema], type[Schema], type[Schema], type[Schema]]:
    name = spec.model.__name__
    json_fields = [(field, JSON_FIELDS[field], ...) for field in spec.fields if field in JSON_FIELDS]
    out = create_schema(
        spec.model,
        name=f"{name}Out",
        custom_fields=json_fields,
        fields=["id", *(f for f in spec.fields if f not in JSON_FIELDS), *READ_ONLY_EXTRA.get(spec.key, ())],
    )
    create = input_schema(spec, partial=False)
    patch = input_schema(spec, partial=True)
    filter_defs: dict[str, Any] = {
        "q": (str, ""),
        "sort": (str, ""),
        **{query_name(f): (str | None, None) for f in spec.filter_fields},
    }
    filters = create_model(f"{name}Filters", __base__=Schema, **filter_defs)
    return out, create, patch, filters


def _register(spec: EntitySpec) -> None:
    path = PATHS[spec.key]
    out, create, patch, filters = _schemas(spec)
    kind = spec.key

    @router.get(f"/{path}", response=list[out], operation_id=f"list_{path}", summary=f"List {path}")  # type: ignore[valid-type]  # the schema class is built at run time from the registry, so mypy cannot use it as a type
    @paginate(Page)
    def list_rows(request: HttpRequest, params: Query[filters]) -> Any:  # type: ignore[valid-type]  # the schema class is built at run time from the registry, so mypy cannot use it as a type
        data = params.dict()  # type: ignore[attr-defined]  # built at run time, the schema's pydantic methods are invisible to mypy
        chosen = {f: data[query_name(f)] for f in spec.filter_fields if data.get(query_name(f)) is not None}
        return selectors.registry_search(actor_of(request), kind, query=data["q"], filters=chosen, sort=data["sort"])

    @router.get(f"/{path}/{{id:pk}}", response=out, operation_id=f"get_{kind}", summary=f"Read one {kind}")
    def get_row(request: HttpRequest, pk: int) -> Any:
        return selectors.registry_get(actor_of(request), kind, pk)

    @router.post(f"/{path}", response={201: out}, operation_id=f"create_{kind}", summary=f"Create a {kind}")
    def create_row(request: HttpRequest, payload: create) -> Any:  # type: ignore[valid-type]  # the schema class is built at run time from the registry, so mypy cannot use it as a type
        values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]  # built at run time, the schema's pydantic methods are invisible to mypy
        return Status(201, services.registry_create(actor=actor_of(request), kind=kind, values=values))

    @router.patch(f"/{path}/{{id:pk}}", response=out, operation_id=f"update_{kind}", summary=f"Update a {kind}")
    def update_row(request: HttpRequest, pk: int, payload: patch) -> Any:  # type: ignore[valid-type]  # the schema class is built at run time from the registry, so mypy cannot use it as a type
        values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]  # built at run time, the schema's pydantic methods are invisible to mypy
        return services.registry_update(actor=actor_of(request), kind=kind, pk=pk, values=values)

    @router.delete(
        f"/{path}/{{id:pk}}", response={204: None}, operation_id=f"delete_{kind}", summary=f"Delete a {kind}"
    )
    def delete_row(request: HttpRequest, pk: int) -> Any:
        services.registry_delete(actor=actor_of(request), kind=kind, pk=pk)
        return Status(204, None)


for _spec in SPECS.values():
    _register(_spec)
