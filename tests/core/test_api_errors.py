"""Every API error in the one shape, whatever raised it: bounded query parameters and ids, oversized
bodies, unknown paths and methods, unexpected exceptions; and the OpenAPI that documents them."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from chempark.core.roles import Role
from chempark.park.models import Chemical
from chempark.park.registry import SPECS
from tests.conftest import SmallPark
from tests.park.test_api import assert_error

HUGE = "9" * 30


@pytest.mark.parametrize(
    "path",
    [
        "/enterprises",
        "/tanks",
        "/major-hazards",
        "/monitoring/points",
        "/monitoring/alarms",
        "/qra/studies",
        "/tokens",
        "/simulations",
    ],
)
def test_a_huge_offset_is_422_on_every_list(park: SmallPark, api: Any, path: str) -> None:
    assert_error(api(Role.BUREAU_ADMIN).call("GET", f"{path}?offset={HUGE}"), 422, "validation_error")
    assert api(Role.BUREAU_ADMIN).call("GET", f"{path}?offset=1000000000").status_code == 200


@pytest.mark.parametrize(
    "query", [f"/tanks?enterprise={HUGE}", f"/units?enterprise=-{HUGE}", f"/major-hazards?enterprise={HUGE}"]
)
def test_huge_id_filters_are_invalid_filters(park: SmallPark, api: Any, query: str) -> None:
    assert_error(api(Role.BUREAU_ADMIN).call("GET", query), 422, "invalid_filter")


@pytest.mark.parametrize(
    "query",
    [
        f"/safety-commitments?enterprise={HUGE}",
        f"/monitoring/points?enterprise={HUGE}",
        f"/monitoring/cameras?enterprise={HUGE}",
        f"/monitoring/alarms?enterprise={HUGE}",
    ],
)
def test_huge_typed_id_filters_are_422(park: SmallPark, api: Any, query: str) -> None:
    assert_error(api(Role.BUREAU_ADMIN).call("GET", query), 422, "validation_error")


def test_huge_ids_in_paths_and_bodies(park: SmallPark, api: Any) -> None:
    client = api(Role.BUREAU_ADMIN)
    assert_error(client.call("GET", f"/enterprises/{HUGE}"), 404, "not_found")
    assert_error(client.call("GET", f"/enterprises/{2**63}"), 404, "not_found")
    assert_error(client.call("GET", f"/enterprises/{2**63 - 1}"), 404, "not_found")
    unit = b'{"enterprise": %d, "code": "U9", "name": "x", "kind": "storage", "lon": 118.2, "lat": 39.2}'
    assert client.call("POST", "/units", raw=unit % 2**70).status_code in (400, 422)
    assert_error(client.call("POST", "/units", raw=unit % 2**63), 422, "validation_error")


@pytest.mark.parametrize("until", ["0001-01-01", "9999-12-31T23:59:59", "12"])
def test_audit_dates_outside_a_sane_range_are_422(park: SmallPark, api: Any, until: str) -> None:
    assert_error(api(Role.AUDITOR).call("GET", f"/audit?until={until}"), 422, "validation_error")
    assert api(Role.AUDITOR).call("GET", "/audit?until=2030-01-01").status_code == 200


def test_date_fields_refuse_numbers(park: SmallPark, api: Any) -> None:
    body = assert_error(
        api(Role.BUREAU_ADMIN).call(
            "POST", "/major-hazards/1/safety-assessment", {"assessed_on": 1_700_000_000, "agency": "某评价机构"}
        ),
        422,
    )
    assert body["details"][0]["loc"][-1] == "assessed_on"


@pytest.mark.parametrize("field", ["grid_cell_m", "scenarios", "weather_classes", "wind_rose", "name"])
def test_explicit_null_on_qra_studies_is_refused(park: SmallPark, api: Any, field: str) -> None:
    client = api(Role.BUREAU_ADMIN)
    body = {"name": "评价", field: None} if field != "name" else {"name": None}
    assert_error(client.call("POST", "/qra/studies", body), 422, "validation_error")
    created = client.call("POST", "/qra/studies", {"name": "评价", "fn_criterion": None})
    assert created.status_code == 201, created.content
    study = created.json()["id"]
    assert_error(client.call("PATCH", f"/qra/studies/{study}", {field: None}), 422, "validation_error")
    assert client.call("GET", f"/qra/studies/{study}").json()["name"] == "评价"


@pytest.mark.parametrize("categories", [{"a": 1}, [1, 2], ["", "x"], ["x" * 101], ["x"] * 51, "易燃"])
def test_ghs_categories_must_be_a_list_of_short_texts(park: SmallPark, api: Any, categories: Any) -> None:
    client = api(Role.BUREAU_ADMIN)
    assert_error(client.call("PATCH", f"/chemicals/{park.chlorine.pk}", {"ghs_categories": categories}), 422)
    assert Chemical.objects.get(pk=park.chlorine.pk).ghs_categories == ["加压气体"]


def test_ghs_categories_are_a_list_in_the_openapi_and_the_answer(park: SmallPark, api: Any, client: Client) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("ChemicalOut", "ChemicalCreate"):
        field = schemas[name]["properties"]["ghs_categories"]
        assert field["type"] == "array" and field["items"]["type"] == "string", field
    assert api(Role.INSPECTOR).call("GET", f"/chemicals/{park.chlorine.pk}").json()["ghs_categories"] == ["加压气体"]


def test_the_model_refuses_bad_categories_on_every_path(park: SmallPark) -> None:
    from django.core.exceptions import ValidationError

    park.chlorine.ghs_categories = {"not": "a list"}
    with pytest.raises(ValidationError):
        park.chlorine.full_clean()


def test_every_operation_documents_its_errors_with_the_error_schema(client: Client, db: None) -> None:
    openapi = client.get("/api/v1/openapi.json").json()
    assert set(openapi["components"]["schemas"]["Error"]["required"]) == {"code", "message", "details"}
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "422", "500"):
                documented = operation["responses"][status]["content"]["application/json"]["schema"]
                assert documented == {"$ref": "#/components/schemas/Error"}, (method, path, status)
            assert ("413" in operation["responses"]) == (method != "get"), (method, path)


def test_an_oversized_body_is_413_in_the_shape(park: SmallPark, api: Any, configure: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = assert_error(
        api(Role.BUREAU_ADMIN).call("POST", "/enterprises", raw=b'{"name": "' + b"x" * 2048 + b'"}'),
        413,
        "body_too_large",
    )
    assert body["details"] == {"limit_bytes": 1024}


def test_unknown_paths_and_methods_answer_in_the_shape(park: SmallPark, api: Any) -> None:
    client = api(Role.BUREAU_ADMIN)
    assert_error(client.call("GET", "/no-such-thing"), 404, "not_found")
    response = client.call("PUT", "/enterprises")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_an_unexpected_exception_is_a_logged_500_in_the_shape(
    park: SmallPark, api: Any, monkeypatch: Any, caplog: Any
) -> None:
    from chempark.park import selectors

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "registry_search", broken)
    client = api(Role.BUREAU_ADMIN)
    client.headers["X-Request-ID"] = "trace-42"
    with caplog.at_level(logging.ERROR):
        response = client.call("GET", "/enterprises")
    body = assert_error(response, 500, "server_error")
    assert body["details"] == {"request_id": "trace-42"} and "boom" not in response.content.decode()
    assert any("trace-42" in record.getMessage() and record.exc_info for record in caplog.records)


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE])
@pytest.mark.parametrize("kind", list(SPECS))
def test_every_export_opens_for_every_role(park: SmallPark, client: Client, role: Role, kind: str) -> None:
    client.force_login(park.users[role])
    response = client.get(f"/registry/{kind}/export.xlsx")
    assert response.status_code == 200
    title = load_workbook(io.BytesIO(response.content)).active.title
    assert "/" not in title and title


@pytest.mark.parametrize("value", ["abc", "+-5", "²", "1e999", "nan", HUGE])
def test_a_non_numeric_page_form_value_gives_the_form_back(park: SmallPark, client: Client, value: str) -> None:
    client.force_login(park.users[Role.ENTERPRISE])
    form = {
        "units_running": value,
        "units_under_maintenance": "0",
        "special_operations": "0",
        "hazards_under_control": "on",
        "principal_name": "张三",
        "commitment": "承诺",
    }
    response = client.post("/hazards/commitments/", form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "运行" in page and ("须为整数" in page or "不能大于" in page), page
