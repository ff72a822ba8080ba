"""The REST API's shared parts: the JSON parser and renderer, ``actor_of``, the handlers that
give every error the one shape ``{"code": "...", "message": "...", "details": ...}`` and the
OpenAPI that documents it, bounded pages, and the ``id`` path converter.

The API object itself, which mounts every app's router, is the project's composition root
(:mod:`chempark.api`): core knows no app, so it offers these pieces and the root assembles them.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.urls import register_converter
from ninja import Field, NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.renderers import BaseRenderer

from chempark.core.actors import Actor
from chempark.core.bounds import MAX_ROW_ID
from chempark.core.errors import DomainError, ErrorCode, Forbidden
from chempark.core.roles import Role

# A page starts at most this far into a list: beyond any real list, within every database's range.
MAX_OFFSET = 1_000_000_000


class RowIdConverter:
    """``{id:pk}`` in a path: a row id the database can hold. A longer number matches no route, so
    it is the API's 404 rather than an overflow deep in the database driver."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ROW_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowIdConverter, "id")


class Page(LimitOffsetPagination):
    """Limit/offset pages with the offset bounded too (ninja's own is unbounded)."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


# Every API error: a stable ``code`` (docs/architecture.md, "Errors"), a readable ``message`` and,
# for some codes, ``details`` (per-field problems, allowed transitions...).
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message", "details"],
    "properties": {
        "code": {"type": "string", "enum": [code.value for code in ErrorCode]},
        "message": {"type": "string"},
        "details": {},
    },
}


# The error answers every operation documents; the writing methods add their own.
_ERRORS_OF_EVERY_OPERATION = {
    400: "请求无法处理（如请求体不是 JSON）",
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    404: "对象不存在或不在可见范围内",
    405: "此路径不接受该方法",
    409: "当前状态不允许此操作",
    422: "参数或数据不合法",
    500: "服务器内部错误（已记录，details.request_id 为请求编号）",
}
_ERRORS_OF_WRITES = {413: "请求体超过大小上限"}


class DocumentedErrorsApi(NinjaAPI):
    """A NinjaAPI whose OpenAPI lists, for every operation, the error answers it can give, each with
    the one error schema, so a client (and the schemathesis guard) knows every status in advance."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                errors = dict(_ERRORS_OF_EVERY_OPERATION)
                if method in ("post", "put", "patch", "delete"):
                    errors.update(_ERRORS_OF_WRITES)
                for status, description in sorted(errors.items()):
                    operation["responses"].setdefault(str(status), {"description": description, **reference})
        return schema


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

    def error_response(
        request: HttpRequest, status: int, code: ErrorCode, message: str, details: Any = None
    ) -> HttpResponse:
        return api.create_response(request, {"code": code, "message": message, "details": details}, status=status)

    @api.exception_handler(DomainError)
    def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(IntegrityError)
    def _integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        from chempark.core.integrity import integrity_refusal

        refusal = integrity_refusal(exc)  # a write outside save_model: the database's refusal, in Chinese
        return error_response(request, 422, ErrorCode.INTEGRITY_ERROR, refusal.message, refusal.details())

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
        return error_response(
            request, 401, ErrorCode.UNAUTHENTICATED, "需要登录或有效的访问令牌 (Authorization: Bearer)。"
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            return error_response(request, 400, ErrorCode.MALFORMED_JSON, "请求体不是合法的 JSON。")
        codes = {
            400: ErrorCode.BAD_REQUEST,
            401: ErrorCode.UNAUTHENTICATED,
            403: ErrorCode.FORBIDDEN,
            404: ErrorCode.NOT_FOUND,
            405: ErrorCode.METHOD_NOT_ALLOWED,
        }
        fallback = ErrorCode.BAD_REQUEST if exc.status_code < 500 else ErrorCode.SERVER_ERROR
        return error_response(request, exc.status_code, codes.get(exc.status_code, fallback), message)
