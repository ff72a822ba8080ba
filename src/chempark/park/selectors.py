"""Reads of the park registry, with visibility applied in one place.

An enterprise user (or machine) sees only rows of its own enterprise, and park-wide data (areas,
the chemical catalogue, protective targets) that everyone in the park needs. A row outside the
actor's view is reported as not found, so its existence is not revealed either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from chempark.core.actors import Actor
from chempark.core.bounds import parse_row_id
from chempark.core.errors import ErrorCode, InvalidInput, NotFound
from chempark.core.jobs.queue import Progress, job_latest_for, job_progress
from chempark.core.selectors import one_visible, visible_to
from chempark.park.models import IMPORT_OBJECT, Park
from chempark.park.registry import EntitySpec, spec_for


def registry_visible(actor: Actor, kind: str) -> QuerySet[Any]:
    spec = spec_for(kind)
    actor.require("registry.read")
    queryset: QuerySet[Any] = spec.model._default_manager.all()
    if spec.select_related:
        queryset = queryset.select_related(*spec.select_related)
    if spec.enterprise_path is not None:
        queryset = visible_to(actor, queryset, spec.enterprise_path)
    return queryset


def registry_get(actor: Actor, kind: str, pk: int, *, for_update: bool = False) -> Any:
    return one_visible(registry_visible(actor, kind), pk, str(spec_for(kind).label), for_update=for_update)


def _filter_value(spec: EntitySpec, name: str, raw: str) -> Any:
    """Parse a filter's text: ids for foreign keys, choices checked against the field."""
    field: Any = spec.model._meta.get_field(name.split("__", maxsplit=1)[0])
    if isinstance(field, models.ForeignKey) or name.endswith("__enterprise"):
        try:
            return parse_row_id(raw)
        except ValueError as exc:
            raise InvalidInput(
                f"筛选条件 {name} 须为编号（整数），收到 {raw!r}", code=ErrorCode.INVALID_FILTER
            ) from exc
    if field.choices and raw not in {str(value) for value, _label in field.choices}:
        allowed = ", ".join(str(value) for value, _label in field.choices)
        raise InvalidInput(f"筛选条件 {name} 的取值须为 {allowed}", code=ErrorCode.INVALID_FILTER)
    return raw


def registry_search(
    actor: Actor, kind: str, *, query: str = "", filters: Mapping[str, str] | None = None, sort: str = ""
) -> QuerySet[Any]:
    """Visible rows matching a free-text ``query``, exact ``filters`` and a ``sort`` (``-`` = descending)."""
    return spec_search(spec_for(kind), registry_visible(actor, kind), query=query, filters=filters, sort=sort)


def spec_search(
    spec: EntitySpec,
    queryset: QuerySet[Any],
    *,
    query: str = "",
    filters: Mapping[str, str] | None = None,
    sort: str = "",
) -> QuerySet[Any]:
    """Search, filter and sort an already scoped queryset of ``spec``'s model by the spec's rules (also
    used by other apps that describe their plain registries with an ``EntitySpec``)."""
    query = query.strip()
    if query:
        condition = Q()
        for name in spec.search_fields:
            condition |= Q(**{f"{name}__icontains": query})
        queryset = queryset.filter(condition)
    for name, raw in (filters or {}).items():
        if name not in spec.filter_fields:
            raise InvalidInput(
                f"不支持按 {name} 筛选；可用：{', '.join(spec.filter_fields) or '无'}", code=ErrorCode.INVALID_FILTER
            )
        if raw != "":
            queryset = queryset.filter(**{name: _filter_value(spec, name, raw)})
    sort = sort or spec.default_sort
    if sort.lstrip("-") not in spec.sort_fields:
        raise InvalidInput(f"不支持按 {sort} 排序；可用：{', '.join(spec.sort_fields)}", code=ErrorCode.INVALID_SORT)
    return queryset.order_by(sort, "id")


def import_jobs_for(actor: Actor) -> QuerySet[Any]:
    """The actor's own recent workbook imports, newest first."""
    from chempark.park.models import ImportJob

    actor.require("registry.import")
    return ImportJob.objects.filter(created_by_id=actor.user_id).defer("content").order_by("-created_at")


def import_job_get(actor: Actor, job_id: int) -> Any:
    """One of the actor's own imports (another user's is not found)."""
    job = import_jobs_for(actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"导入任务 {job_id} 不存在。")
    return job


def import_job_progress(actor: Actor, job: Any) -> Progress:
    """How far the import's job has got (read from the job, which the worker updates outside the
    import's own transaction); a finished import reports its rows."""
    actor.require("registry.import")
    record = job_latest_for(IMPORT_OBJECT, job.pk)
    if job.status in {"pending", "running"} and record is not None:
        return job_progress(record)
    return Progress(job.processed_rows, job.total_rows, "")


def park_boundary(park_id: int | None = None) -> dict[str, Any] | None:
    """The boundary of the park (the first one when none is named), to check locations against."""
    parks = Park.objects.all() if park_id is None else Park.objects.filter(pk=park_id)
    row = parks.order_by("pk").values_list("boundary", flat=True).first()
    return row if isinstance(row, dict) else None
