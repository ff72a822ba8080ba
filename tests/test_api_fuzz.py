"""A bounded schemathesis run over the whole OpenAPI, as the bureau administrator and as an
enterprise user: no operation may answer a 5xx, and every answer must match what the OpenAPI
documents for it — its status among the documented ones, its body in the documented schema (the
error shape included).

The run is derandomized with a fixed number of examples per operation, so it finds the same cases on
every run. Requests go through Django's test client, inside the test's transaction; a failure names
the operation and the request that broke it. It runs on PostgreSQL only: production's database is the
stricter one with made-up input (a NUL byte in a text or an integer past 32 bits is refused there,
where SQLite stores it), and the run takes a minute or two per role.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from schemathesis.core.transport import Response
from schemathesis.generation import GenerationMode

from chempark.accounts.models import TokenKind
from chempark.accounts.services import token_issue
from chempark.core.roles import Role
from tests.conftest import SmallPark

EXAMPLES_PER_OPERATION = 8  # per generation mode (valid and invalid input)
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _schema(client: Client) -> Any:
    """The OpenAPI as a client reads it, without its security schemes: every request carries the
    role's own bearer token (schemathesis would otherwise send made-up tokens and session cookies,
    and probe only the 401)."""
    openapi = client.get("/api/v1/openapi.json").json()
    openapi["components"].pop("securitySchemes", None)
    for operations in openapi["paths"].values():
        for operation in operations.values():
            operation.pop("security", None)
    return schemathesis.openapi.from_dict(openapi)


def _send(client: Client, case: Any, headers: dict[str, str]) -> Response:
    """``case`` sent through Django's test client, answered as schemathesis's own transports do."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    request = requests.Request(
        **{
            k: v
            for k, v in kwargs.items()
            if k in ("method", "url", "headers", "params", "data", "json", "files", "cookies")
        }
    ).prepare()
    url = urlsplit(request.url)
    path = f"{url.path}?{url.query}" if url.query else url.path
    body = request.body or b""
    sent = {k: v for k, v in request.headers.items() if k.lower() not in ("content-type", "content-length")}
    started = time.monotonic()
    answer = client.generic(
        request.method,
        path,
        data=body.encode() if isinstance(body, str) else body,
        content_type=request.headers.get("Content-Type", "application/octet-stream"),
        headers=sent,
    )
    content = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return Response(
        status_code=answer.status_code,
        headers={name.lower(): [value] for name, value in answer.items()},
        content=content,
        request=request,
        elapsed=time.monotonic() - started,
        verify=False,
    )


def _probe(client: Client, operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
    """``EXAMPLES_PER_OPERATION`` requests to ``operation``, the same ones on every run."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def probe(case: Any) -> None:
        case.validate_response(_send(client, case, headers), checks=CHECKS)

    probe()


@pytest.mark.postgresql
@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.ENTERPRISE])
def test_no_operation_answers_5xx_or_off_schema(park: SmallPark, role: Role) -> None:
    client = Client()
    failures: list[str] = []
    for result in _schema(client).get_all_operations():
        operation = result.ok()
        # A fresh token per operation: the run may revoke its own token (which the API allows).
        _token, raw = token_issue(actor=park.actor(role), name="fuzz", kind=TokenKind.PERSON)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _probe(client, operation, mode, {"Authorization": f"Bearer {raw}"})
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE, operation.label  # no input, so no invalid input
            except (Exception, BaseExceptionGroup) as exc:  # every operation is probed, then all reported
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
