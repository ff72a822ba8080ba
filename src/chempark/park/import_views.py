"""The workbook import pages: upload, progress (polled by htmx) and the error report."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chempark.core.actors import actor_for_user
from chempark.core.errors import DomainError
from chempark.core.tables import columns, import_error_columns
from chempark.core.xlsx import xlsx_response
from chempark.park.imports import import_job_create
from chempark.park.selectors import import_job_get, import_job_progress, import_jobs_for
from chempark.park.workbook import template_workbook


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for_user(request.user)
    actor.require("registry.import")
    error, status = "", 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error, status = "请选择要导入的 xlsx 文件。", 422
        elif upload.size is not None and upload.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            error, status = "文件过大。", 422
        else:
            try:
                job = import_job_create(actor=actor, filename=upload.name or "upload.xlsx", content=upload.read())
            except DomainError as exc:
                error, status = exc.message, exc.status
            else:
                return redirect("park:import-status", job_id=job.pk)
    jobs = import_jobs_for(actor)[:10]
    job_columns = columns(_("文件"), _("时间"), _("状态"))
    return render(
        request, "park/import.html", {"error": error, "jobs": jobs, "job_columns": job_columns}, status=status
    )


@login_required
def import_status(request: HttpRequest, job_id: int) -> HttpResponse:
    actor = actor_for_user(request.user)
    job = import_job_get(actor, job_id)
    template = "park/import_progress.html" if request.headers.get("HX-Request") else "park/import_status.html"
    context = {"job": job, "progress": import_job_progress(actor, job), "error_columns": import_error_columns()}
    return render(request, template, context)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    actor_for_user(request.user).require("registry.import")
    return xlsx_response(template_workbook(), "园区档案导入模板.xlsx")
