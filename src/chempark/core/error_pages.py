"""The page a user sees when the server fails: Chinese, inside the site's layout, with the request id
to quote to the duty engineer (the log has the traceback under the same id).

If the layout itself cannot be drawn (the database is gone, say), a plain page says the same."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.utils.html import escape

from chempark.core.request_context import current_request_id

log = logging.getLogger("chempark.errors")

PLAIN = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>系统内部错误</title>'
    "<h1>系统内部错误</h1><p>操作没有完成，错误已记录。请稍后重试；"
    "如仍出错，请联系值班工程师并告知请求编号 {request_id}。</p>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    request_id = current_request_id()
    try:
        return render(request, "500.html", {"request_id": request_id}, status=500)
    except Exception:  # the layout needs the database and the user; without them, the plain page
        log.exception("the 500 page could not be drawn in the layout")
        return HttpResponseServerError(PLAIN.format(request_id=escape(request_id)))
