"""The REST API's shared parts: the JSON parser and renderer, ``actor_of``, and the handlers that
give every error the one shape ``{"code": "...", "message": "...", "details": ...}``.

The API object itself, which mounts every app's router, is the project's composition root
(:mod:`chempark.api`): core knows no app, so it offers these pieces and the root assembles them.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import BaseRenderer

from chempark.core.actors import Actor
from chempark.core.errors import DomainError, ErrorCode, Forbidden
from chempark.core.roles import Role


class JsonParser(Parser):
    """orjson refuses NaN and Infinity literals, which standard ``json`` would let through."""

    def parse_body(self, request: HttpRequest) -> Any:
        return orjson.loads(request.body)


class JsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=str)


def actor_of(request: HttpRequest, *, machines: bool = False) -> Actor:
    """The authenticated actor of an API request (set by the API's auth classes).

    Machine tokens may only push data: every endpoint refuses them unless it says ``machines=True``.
    """
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):
        raise AuthenticationError()
    if actor.role is Role.MACHINE and not machines:
        raise Forbidden("设备令牌只能用于数据接入。", code=ErrorCode.MACHINE_TOKEN)
    return actor


def install_error_handlers(api: NinjaAPI) -> None:
    """Make ``api`` answer every failure in the one error shape."""

    def error_response(request: HttpRequest, status: int, code: ErrorCode, message: str, details: Any = None
                       ) -> HttpResponse:
        return api.create_response(request, {"code": code, "message": message, "details": details}, status=status)

    @api.exception_handler(DomainError)
    def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(ValidationError)
    def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type", "")}
            for error in exc.errors
        ]
        summary = "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}" for d in details[:5])
        return error_response(request, 422, ErrorCode.VALIDATION_ERROR, f"请求数据不合法：{summary}", details)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(request, 401, ErrorCode.UNAUTHENTICATED,
                              "需要登录或有效的访问令牌 (Authorization: Bearer)。")

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            return error_response(request, 400, ErrorCode.MALFORMED_JSON, "请求体不是合法的 JSON。")
        codes = {400: ErrorCode.BAD_REQUEST, 401: ErrorCode.UNAUTHENTICATED, 403: ErrorCode.FORBIDDEN,
                 404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED}
        fallback = ErrorCode.BAD_REQUEST if exc.status_code < 500 else ErrorCode.SERVER_ERROR
        return error_response(request, exc.status_code, codes.get(exc.status_code, fallback), message)
