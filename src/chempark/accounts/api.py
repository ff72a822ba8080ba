"""REST endpoints for authentication, API tokens and the audit trail."""


from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict, StrictInt, StrictStr

from chempark.accounts import selectors, services
from chempark.accounts.models import TokenKind
from chempark.core.actors import actor_for_user
from chempark.core.api import actor_of
from chempark.core.errors import ErrorCode, Unauthenticated

router = Router(tags=["accounts"])


class Credentials(Schema):
    model_config = ConfigDict(extra="forbid")
    username: StrictStr
    password: StrictStr


class TokenOut(Schema):
    token: str


@router.post("/auth/token", auth=None, response=TokenOut, summary="Exchange username and password for a token")
def issue_login_token(request: HttpRequest, payload: Credentials) -> Any:
    try:
        user = services.login_check(username=payload.username, password=payload.password)
    except services.LoginRefused as exc:
        raise Unauthenticated(str(exc), code=ErrorCode.INVALID_CREDENTIALS) from exc
    _token, raw = services.token_issue(actor=actor_for_user(user), name="login", kind=TokenKind.PERSON)
    return {"token": raw}


class TokenCreate(Schema):
    model_config = ConfigDict(extra="forbid")
    name: StrictStr
    kind: TokenKind = TokenKind.PERSON
    user_id: StrictInt | None = None
    enterprise_id: StrictInt | None = None


class TokenRow(Schema):
    id: int
    name: str
    kind: str
    prefix: str
    user_id: int | None
    enterprise_id: int | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIssued(TokenRow):
    token: str


@router.get("/tokens", response=list[TokenRow], summary="API tokens (own, or all for the security admin)")
@paginate(LimitOffsetPagination)
def list_tokens(request: HttpRequest) -> Any:
    return selectors.tokens_for(actor_of(request))


@router.post("/tokens", response={201: TokenIssued}, summary="Issue a token; its value is shown only here")
def create_token(request: HttpRequest, payload: TokenCreate) -> Any:
    token, raw = services.token_issue(actor=actor_of(request), name=payload.name, kind=payload.kind,
                                      user_id=payload.user_id, enterprise_id=payload.enterprise_id)
    return Status(201, {**TokenRow.from_orm(token).dict(), "token": raw})


@router.post("/tokens/{int:token_id}/revoke", response=TokenRow, summary="Revoke a token")
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    return services.token_revoke(actor=actor_of(request), token_id=token_id)


class AuditRow(Schema):
    id: int
    at: datetime
    actor_username: str
    actor_role: str
    enterprise_id: int | None
    request_id: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditFilters(Schema):
    object_type: str = ""
    object_id: str = ""
    username: str = ""
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None


@router.get("/audit", response=list[AuditRow], summary="The audit trail (auditor only), newest first")
@paginate(LimitOffsetPagination)
def list_audit(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    return selectors.audit_events(actor_of(request), **filters.dict())
