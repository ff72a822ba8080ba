"""How an API request proves who it is: a bearer token issued by the platform, or the browser's
login session. The composition root (:mod:`chempark.api`) hands these to the API object."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from chempark.accounts.services import token_authenticate
from chempark.core.actors import Actor, actor_for_user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` — person or machine tokens issued by the platform."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        return token_authenticate(token)


class SessionCookie(APIKeyCookie):
    """The browser's login session (CSRF-checked on unsafe methods), for the pages' own calls."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = request.user
        if user.is_authenticated:
            return actor_for_user(user)
        return None
