"""REST endpoints for authentication, API tokens and the audit trail."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, Field, StrictStr

from chempark.accounts import login, selectors, services
from chempark.accounts.models import TokenKind
from chempark.core.actors import actor_for_user
from chempark.core.api import Page, actor_of
from chempark.core.bounds import DateTime, StrictRowId
from chempark.core.errors import ErrorCode, Unauthenticated
from chempark.core.roles import Role

router = Router(tags=["accounts"])


class Credentials(Schema):
    model_config = ConfigDict(extra="forbid")
    username: StrictStr
    password: StrictStr


class TokenOut(Schema):
    token: str
    expires_at: datetime


@router.post(
    "/auth/token",
    auth=None,
    response=TokenOut,
    summary="Exchange username and password for a person token; it replaces the previous login token",
)
def issue_login_token(request: HttpRequest, payload: Credentials) -> Any:
    try:
        user = login.login_check(
            username=payload.username, password=payload.password, address=login.request_address(request)
        )
    except login.LoginRefused as exc:
        raise Unauthenticated(str(exc), code=ErrorCode.INVALID_CREDENTIALS) from exc
    token, raw = services.token_issue(actor=actor_for_user(user), name="login", kind=TokenKind.PERSON, from_login=True)
    return {"token": raw, "expires_at": token.expires_at}


class TokenCreate(Schema):
    """A person token is always the caller's own; there is no field to name another user."""

    model_config = ConfigDict(extra="forbid")
    name: StrictStr
    kind: TokenKind = TokenKind.PERSON
    enterprise_id: StrictRowId | None = None


class TokenRow(Schema):
    id: int
    name: str
    kind: str
    prefix: str
    user_id: int | None
    enterprise_id: int | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIssued(TokenRow):
    token: str


@router.get("/tokens", response=list[TokenRow], summary="API tokens (own, or all for the security admin)")
@paginate(Page)
def list_tokens(request: HttpRequest) -> Any:
    return selectors.tokens_for(actor_of(request))


@router.post("/tokens", response={201: TokenIssued}, summary="Issue a token; its value is shown only here")
def create_token(request: HttpRequest, payload: TokenCreate) -> Any:
    token, raw = services.token_issue(
        actor=actor_of(request), name=payload.name, kind=payload.kind, enterprise_id=payload.enterprise_id
    )
    return Status(201, {**TokenRow.from_orm(token).dict(), "token": raw})


@router.post("/tokens/{id:token_id}/revoke", response=TokenRow, summary="Revoke a token")
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    return services.token_revoke(actor=actor_of(request), token_id=token_id)


class UserRow(Schema):
    id: int
    username: str
    display_name: str
    role: str
    enterprise_id: int | None
    is_active: bool
    locked_at: datetime | None
    throttled_addresses: list[str]

    @staticmethod
    def resolve_display_name(user: Any) -> str:
        return str(user.first_name)


@router.get(
    "/users", response=list[UserRow], summary="Accounts with their lock and throttled addresses (security admin)"
)
@paginate(Page)
def list_users(request: HttpRequest) -> Any:
    return selectors.users_for(actor_of(request))


@router.post("/users/{id:user_id}/lock", response=UserRow, summary="Lock an account: no login, no token")
def lock_user(request: HttpRequest, user_id: int) -> Any:
    services.user_lock(actor=actor_of(request), user_id=user_id)
    return selectors.user_get(actor_of(request), user_id)


@router.post(
    "/users/{id:user_id}/unlock",
    response=UserRow,
    summary="Unlock an account and forget its failed logins from every address",
)
def unlock_user(request: HttpRequest, user_id: int) -> Any:
    services.user_unlock(actor=actor_of(request), user_id=user_id)
    return selectors.user_get(actor_of(request), user_id)


class UserUpdate(Schema):
    model_config = ConfigDict(extra="forbid")
    display_name: StrictStr = Field(max_length=150)
    role: Role
    enterprise_id: StrictRowId | None = None


@router.put("/users/{id:user_id}", response=UserRow, summary="Change an account's display name, role and enterprise")
def update_user(request: HttpRequest, user_id: int, payload: UserUpdate) -> Any:
    services.user_update(
        actor=actor_of(request),
        user_id=user_id,
        display_name=payload.display_name,
        role=payload.role,
        enterprise_id=payload.enterprise_id,
    )
    return selectors.user_get(actor_of(request), user_id)


@router.post(
    "/users/{id:user_id}/disable",
    response=UserRow,
    summary="Disable an account: no login, its sessions and tokens stop working",
)
def disable_user(request: HttpRequest, user_id: int) -> Any:
    services.user_set_active(actor=actor_of(request), user_id=user_id, active=False)
    return selectors.user_get(actor_of(request), user_id)


@router.post("/users/{id:user_id}/enable", response=UserRow, summary="Enable a disabled account again")
def enable_user(request: HttpRequest, user_id: int) -> Any:
    services.user_set_active(actor=actor_of(request), user_id=user_id, active=True)
    return selectors.user_get(actor_of(request), user_id)


class PasswordReset(Schema):
    """Leave ``password`` out to have one generated."""

    model_config = ConfigDict(extra="forbid")
    password: StrictStr = ""


class PasswordResetOut(Schema):
    password: str


@router.post(
    "/users/{id:user_id}/password",
    response=PasswordResetOut,
    summary="Reset an account's password; a generated one is shown only here. Its tokens are revoked",
)
def reset_password(request: HttpRequest, user_id: int, payload: PasswordReset) -> Any:
    _user, password = services.user_password_reset(actor=actor_of(request), user_id=user_id, password=payload.password)
    return {"password": password}


class PasswordChange(Schema):
    model_config = ConfigDict(extra="forbid")
    current_password: StrictStr
    new_password: StrictStr


@router.post("/me/password", response={204: None}, summary="Change one's own password (the current one required)")
def change_own_password(request: HttpRequest, payload: PasswordChange) -> Any:
    services.user_password_change(
        actor=actor_of(request), current_password=payload.current_password, new_password=payload.new_password
    )
    return Status(204, None)


class AuditRow(Schema):
    id: int
    at: datetime
    actor_username: str
    actor_role: str
    enterprise_id: int | None
    request_id: str
    token_id: int | None
    token_kind: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditFilters(Schema):
    object_type: str = ""
    object_id: str = ""
    object_name: str = ""
    username: str = ""
    action: str = ""
    since: DateTime | None = None
    until: DateTime | None = None


@router.get("/audit", response=list[AuditRow], summary="The audit trail (auditor only), newest first")
@paginate(Page)
def list_audit(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    return selectors.audit_events(actor_of(request), **filters.dict())
