"""Registry pages: list (search, filter, sort, paginate, xlsx export), detail, create, edit, delete —
one set of views for every entity of the registry table."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chempark.core import detail_panels
from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import DomainError, ErrorCode, InvalidInput
from chempark.core.tables import Column, columns
from chempark.core.xlsx import xlsx_response
from chempark.park import hooks, selectors, services
from chempark.park.display import page_column_label, page_field_label, page_value
from chempark.park.export import registry_workbook, template_workbook_of
from chempark.park.forms import form_values, registry_form
from chempark.park.registry import EntitySpec, enterprise_id_of, spec_for
from chempark.park.workbook import SHEETS


def _search(request: HttpRequest, actor: Actor, spec: EntitySpec) -> Any:
    filters = {name: request.GET.get(name.split("__")[-1], "") for name in spec.filter_fields}
    rows = selectors.registry_search(
        actor,
        spec.key,
        query=request.GET.get("q", ""),
        filters={k: v for k, v in filters.items() if v},
        sort=request.GET.get("sort", ""),
    )
    return _apply_list_filters(request, spec, rows)


def _apply_list_filters(request: HttpRequest, spec: EntitySpec, rows: Any) -> Any:
    """Narrow ``rows`` by the filters other apps add to this list (``hooks.provide_list_filter``)."""
    for list_filter in hooks.list_filters(spec.key):
        value = request.GET.get(list_filter.name, "")
        if value == "":
            continue
        allowed = {code for code, _label in list_filter.choices}
        if value not in allowed:
            names = "、".join(str(label) for _code, label in list_filter.choices)
            raise InvalidInput(
                _("“%(label)s”没有“%(value)s”这一项；可选：%(names)s。")
                % {"label": list_filter.label, "value": value, "names": names},
                code=ErrorCode.INVALID_FILTER,
            )
        rows = list_filter.apply(rows, value)
    return rows


def _filter_choices(spec: EntitySpec, actor: Actor) -> list[dict[str, Any]]:
    """Drop-downs for the list's choice filters (kind, status); id filters come from links."""
    result = []
    for name in spec.filter_fields:
        field: Any = spec.model._meta.get_field(name.split("__")[0])
        if field.choices and "__" not in name:
            result.append({"name": name, "label": field.verbose_name, "choices": field.choices})
    for extra in hooks.list_filters(spec.key):
        result.append({"name": extra.name, "label": extra.label, "choices": extra.choices})
    return result


def _can_write(actor: Actor, spec: EntitySpec, instance: Any = None) -> bool:
    if not actor.can(spec.write_capability):
        return False
    if instance is not None and actor.is_enterprise_scoped:
        return enterprise_id_of(spec, instance) == actor.enterprise_id
    return True


@login_required
def entity_list(request: HttpRequest, kind: str) -> HttpResponse:
    actor, spec = actor_for_user(request.user), spec_for(kind)
    rows = _search(request, actor, spec)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    table = [{"pk": row.pk, "cells": [page_value(row, column) for column in spec.columns]} for row in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "park/list.html",
        {
            "spec": spec,
            "page": page,
            "table": table,
            "columns": [Column(page_column_label(spec, column), sort=column) for column in spec.columns],
            "filters": _filter_choices(spec, actor),
            "query": query.urlencode(),
            "sort": request.GET.get("sort", ""),
            "q": request.GET.get("q", ""),
            "can_create": actor.can(spec.create_capability),
        },
    )


@login_required
def entity_export(request: HttpRequest, kind: str) -> HttpResponse:
    actor, spec = actor_for_user(request.user), spec_for(kind)
    rows = _search(request, actor, spec)
    sheet = next((s for s in SHEETS if s.key == spec.key), None)  # importable: in the template's own layout
    content = template_workbook_of(sheet, rows) if sheet is not None else registry_workbook(spec, rows)
    return xlsx_response(content, f"{spec.label}-{timezone.localdate().isoformat()}.xlsx")


@login_required
def entity_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    actor, spec = actor_for_user(request.user), spec_for(kind)
    instance = selectors.registry_get(actor, kind, pk)
    fields = [(page_field_label(spec.model, name), page_value(instance, name)) for name in ("id", *spec.fields)]
    return render(
        request,
        "park/detail.html",
        {
            "spec": spec,
            "object": instance,
            "fields": fields,
            "can_edit": _can_write(actor, spec, instance),
            "can_delete": actor.can(spec.create_capability),
            "children": _children(actor, kind, instance),
            "panels": detail_panels.panels_for(actor, kind, instance),
            "grade": hooks.grade_of(actor, kind, instance),
        },
    )


def _children(actor: Actor, kind: str, instance: Any) -> list[dict[str, Any]]:
    """Related rows shown under a detail page (an enterprise's units, a unit's tanks and inventories,
    and where a chemical is held: the inventories and tanks the reader may see)."""
    related = {
        "enterprise": [("unit", "enterprise")],
        "unit": [("tank", "unit"), ("inventory", "unit")],
        "chemical": [("inventory", "chemical"), ("tank", "chemical")],
    }
    result = []
    for child_kind, filter_name in related.get(kind, []):
        child_spec = spec_for(child_kind)
        rows = selectors.registry_search(actor, child_kind, filters={filter_name: str(instance.pk)})[:200]
        result.append(
            {
                "spec": child_spec,
                "columns": columns(*(page_column_label(child_spec, c) for c in child_spec.columns)),
                "rows": [{"pk": r.pk, "cells": [page_value(r, c) for c in child_spec.columns]} for r in rows],
            }
        )
    return result


def _edit(request: HttpRequest, kind: str, pk: int | None) -> HttpResponse:
    actor, spec = actor_for_user(request.user), spec_for(kind)
    instance = selectors.registry_get(actor, kind, pk) if pk is not None else None
    actor.require(spec.write_capability if instance is not None else spec.create_capability)
    form = registry_form(spec, actor, data=request.POST or None, instance=instance)
    grade = hooks.grade_of(actor, kind, instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if instance is None:
                    saved = services.registry_create(actor=actor, kind=kind, values=form_values(spec, form))
                else:
                    saved = services.registry_update(
                        actor=actor, kind=kind, pk=instance.pk, values=form_values(spec, form)
                    )
            except DomainError as exc:
                for field, errors in (exc.details or {}).items() if isinstance(exc.details, dict) else []:
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                if not form.errors:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存。"))
                _announce_regrade(request, grade, hooks.grade_of(actor, kind, saved))
                return redirect(f"park:{kind}-detail", pk=saved.pk)
        status = 422
    context = {"spec": spec, "form": form, "object": instance, "grade": grade}
    return render(request, "park/edit.html", context, status=status)


def _announce_regrade(request: HttpRequest, before: hooks.GradeNote | None, after: hooks.GradeNote | None) -> None:
    """A save that changed the unit's grade says so at once, with a link to the major hazard."""
    if after is None or (before is not None and before.text == after.text):
        return
    was = before.text if before is not None else _("未辨识")
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("重大危险源分级已变化：%(before)s → %(after)s。") % {"before": was, "after": after.text},
            after.url,
            _("查看重大危险源"),
        ),
    )


@login_required
def entity_create(request: HttpRequest, kind: str) -> HttpResponse:
    return _edit(request, kind, None)


@login_required
def entity_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _edit(request, kind, pk)


@login_required
@require_POST
def entity_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    actor = actor_for_user(request.user)
    try:
        services.registry_delete(actor=actor, kind=kind, pk=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"park:{kind}-detail", pk=pk)
    messages.success(request, _("已删除。"))
    return redirect(f"park:{kind}-list")
