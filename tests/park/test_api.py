"""The registry API: list shape, search, filters, sort, pagination, and the one error shape for every
kind of bad input — each refused request leaves the database exactly as it was."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.park.demo import demo_uscc
from chempark.park.models import Enterprise, Inventory
from tests.conftest import SmallPark


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["message"]
    if code is not None:
        assert body["code"] == code
    return body


def state() -> tuple[int, int, list[tuple[Any, ...]]]:
    return (
        Enterprise.objects.count(),
        AuditEvent.objects.exclude(action="token_issue").count(),
        list(Enterprise.objects.order_by("id").values_list("name", "uscc", "lon", "status")),
    )


def enterprise_payload(park: SmallPark, **changes: Any) -> dict[str, Any]:
    return {
        "park": park.park.pk,
        "name": "新建化工有限公司",
        "uscc": demo_uscc(50),
        "kind": "production",
        "lon": 118.21,
        "lat": 39.21,
        **changes,
    }


def test_list_has_items_and_count_and_paginates(park: SmallPark, api: Any) -> None:
    client = api(Role.INSPECTOR)
    body = client.call("GET", "/units?limit=1&offset=0").json()
    assert body["count"] == 2 and len(body["items"]) == 1
    second = client.call("GET", "/units?limit=1&offset=1").json()["items"][0]
    assert second["id"] != body["items"][0]["id"]


def test_search_filter_and_sort(park: SmallPark, api: Any) -> None:
    client = api(Role.INSPECTOR)
    assert [e["name"] for e in client.call("GET", "/enterprises?q=乙化工").json()["items"]] == ["乙化工有限公司"]
    by_uscc = client.call("GET", f"/enterprises?q={park.enterprise_a.uscc}").json()["items"]
    assert [e["id"] for e in by_uscc] == [park.enterprise_a.pk]
    names = [e["name"] for e in client.call("GET", "/enterprises?sort=-name").json()["items"]]
    assert names == sorted(names, reverse=True)
    units = client.call("GET", f"/units?enterprise={park.enterprise_b.pk}").json()["items"]
    assert [u["id"] for u in units] == [park.unit_b.pk]
    tanks = client.call("GET", f"/tanks?enterprise={park.enterprise_b.pk}").json()["items"]
    assert [t["id"] for t in tanks] == [park.tank_b.pk]


def test_create_read_update_delete_with_audit(park: SmallPark, api: Any) -> None:
    client = api(Role.INSPECTOR)
    created = client.call("POST", "/enterprises", enterprise_payload(park))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.call("GET", f"/enterprises/{pk}").json()["uscc"] == demo_uscc(50)
    updated = client.call("PATCH", f"/enterprises/{pk}", {"status": "suspended", "employees": 42})
    assert updated.status_code == 200 and updated.json()["status"] == "suspended"
    event = AuditEvent.objects.filter(object_type="enterprise", object_id=str(pk), action="update").get()
    assert event.before["status"] == "operating" and event.after["status"] == "suspended"
    assert event.actor_username == "inspector" and event.request_id
    assert client.call("DELETE", f"/enterprises/{pk}").status_code == 204
    assert AuditEvent.objects.filter(object_id=str(pk), action="delete").get().before["name"] == "新建化工有限公司"
    assert_error(client.call("GET", f"/enterprises/{pk}"), 404, "not_found")


def test_decimal_quantities_are_exact(park: SmallPark, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    response = client.call("PATCH", f"/inventories/{park.inventory_a.pk}", {"current_t": "12.3456"})
    assert response.status_code == 200
    park.inventory_a.refresh_from_db()
    assert park.inventory_a.current_t == Decimal("12.3456")
    assert client.call("PATCH", f"/inventories/{park.inventory_a.pk}", {"current_t": 0.1}).status_code == 200
    park.inventory_a.refresh_from_db()
    assert park.inventory_a.current_t == Decimal("0.1")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"uscc": "91130209MA00000500"}, "uscc"),  # wrong check character
        ({"uscc": "91130209MA0000050"}, "uscc"),  # 17 characters
        ({"uscc": "91130209MA000005OI"}, "uscc"),  # letters I and O are not in the alphabet
        ({"lon": 181.0}, "lon"),
        ({"kind": "factory"}, "kind"),
    ],
)
def test_invalid_values_are_refused_and_change_nothing(
    park: SmallPark, api: Any, changes: dict[str, Any], field: str
) -> None:
    client = api(Role.INSPECTOR)
    before = state()
    body = assert_error(client.call("POST", "/enterprises", enterprise_payload(park, **changes)), 422)
    assert field in str(body["details"])
    assert state() == before


def test_invalid_cas_is_refused(park: SmallPark, api: Any) -> None:
    client = api(Role.INSPECTOR)
    payload = {"name_zh": "某物质", "cas": "7782-50-6"}
    body = assert_error(client.call("POST", "/chemicals", payload), 422, "validation_error")
    assert "cas" in body["details"]
    assert_error(client.call("PATCH", f"/chemicals/{park.chlorine.pk}", {"cas": "67-56-2"}), 422)
    park.chlorine.refresh_from_db()
    assert park.chlorine.cas == "7782-50-5"


def test_chemical_properties_are_filled_from_cas(park: SmallPark, api: Any) -> None:
    body = api(Role.INSPECTOR).call("POST", "/chemicals", {"name_zh": "甲醇", "cas": "67-56-1"}).json()
    assert body["formula"] == "CH4O"
    assert body["molar_mass_g_mol"] == pytest.approx(32.04, abs=0.01)
    assert body["boiling_point_k"] == pytest.approx(337.6, abs=1.0)


@pytest.mark.parametrize("raw", [b"{not json", b'{"name": "x",}', b'{"lon": NaN}', b"\xff\xfe", b'{"a": Infinity}'])
def test_malformed_json(park: SmallPark, api: Any, raw: bytes) -> None:
    before = state()
    assert_error(api(Role.INSPECTOR).call("POST", "/enterprises", raw=raw), 400, "malformed_json")
    assert state() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"lon": "118.2"},  # a string where a number belongs
        {"lon": True},  # a boolean is not a number
        {"employees": 1.5},
        {"employees": -3},
        {"name": 42},
        {"colour": "red"},  # unknown field
    ],
)
def test_wrong_types_are_422(park: SmallPark, api: Any, changes: dict[str, Any]) -> None:
    before = state()
    assert_error(
        api(Role.INSPECTOR).call("POST", "/enterprises", enterprise_payload(park, **changes)), 422, "validation_error"
    )
    assert state() == before


def test_body_that_is_not_an_object(park: SmallPark, api: Any) -> None:
    assert_error(api(Role.INSPECTOR).call("POST", "/enterprises", [1, 2]), 422)


def test_unknown_ids(park: SmallPark, api: Any) -> None:
    client = api(Role.INSPECTOR)
    assert_error(client.call("GET", "/enterprises/999999"), 404, "not_found")
    assert_error(client.call("PATCH", "/units/999999", {"name": "x"}), 404, "not_found")
    assert_error(client.call("DELETE", "/tanks/999999"), 404, "not_found")
    before = Inventory.objects.count()
    body = assert_error(
        client.call(
            "POST", "/inventories", {"unit": 999999, "chemical": park.chlorine.pk, "design_max_t": 1, "current_t": 1}
        ),
        422,
    )
    assert "unit" in body["details"]
    assert Inventory.objects.count() == before
    assert_error(client.call("GET", "/no-such-thing"), 404, "not_found")


def test_constraint_violations(park: SmallPark, api: Any) -> None:
    client = api(Role.INSPECTOR)
    # the same unit code twice in one enterprise
    duplicate = {
        "enterprise": park.enterprise_a.pk,
        "code": "U01",
        "name": "x",
        "kind": "storage",
        "lon": 118.2,
        "lat": 39.2,
    }
    assert_error(client.call("POST", "/units", duplicate), 422)
    # current quantity above the design maximum
    assert_error(client.call("PATCH", f"/inventories/{park.inventory_a.pk}", {"current_t": 41}), 422)
    # an invalid polygon (self-intersecting bow-tie)
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[118.1, 39.1], [118.2, 39.2], [118.2, 39.1], [118.1, 39.2], [118.1, 39.1]]],
    }
    body = assert_error(client.call("PATCH", f"/areas/{park.area.pk}", {"geometry": bowtie}), 422)
    assert "geometry" in body["details"]


def test_delete_of_referenced_row_is_409(park: SmallPark, api: Any) -> None:
    body = assert_error(api(Role.INSPECTOR).call("DELETE", f"/units/{park.unit_a.pk}"), 409, "in_use")
    assert "引用" in body["message"]


def test_bad_filter_and_sort_are_422(park: SmallPark, api: Any) -> None:
    client = api(Role.INSPECTOR)
    assert_error(client.call("GET", "/enterprises?sort=password"), 422, "invalid_sort")
    assert_error(client.call("GET", "/enterprises?kind=factory"), 422, "invalid_filter")
    assert_error(client.call("GET", "/units?enterprise=abc"), 422, "invalid_filter")


def test_unauthenticated_and_bad_token(park: SmallPark, api: Any) -> None:
    assert_error(api(None).call("GET", "/enterprises"), 401, "unauthenticated")
    client = api(None)
    client.headers = {"Authorization": "Bearer cp_not_a_real_token"}
    assert_error(client.call("GET", "/enterprises"), 401, "unauthenticated")


def test_openapi_is_served(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/enterprises" in schema["paths"]
    kinds = schema["components"]["schemas"]["EnterpriseCreate"]["properties"]["kind"]
    assert set(kinds["enum"]) == {"production", "storage", "use", "operation", "other"}


def tank_state(park: SmallPark) -> tuple[int, int, list[tuple[Any, ...]]]:
    from chempark.park.models import Tank

    return (
        Tank.objects.count(),
        AuditEvent.objects.exclude(action="token_issue").count(),
        list(Tank.objects.order_by("id").values_list("code", "volume_m3", "bund_area_m2")),
    )


def test_bund_area_is_stored_and_read_back(park: SmallPark, api: Any) -> None:
    client = api(Role.INSPECTOR)
    payload = {
        "unit": park.unit_a.pk,
        "code": "T02",
        "name": "甲醇储罐",
        "kind": "fixed_roof",
        "design_max_t": 40,
        "bund_area_m2": 120.5,
    }
    created = client.call("POST", "/tanks", payload)
    assert created.status_code == 201, created.content
    assert Decimal(str(created.json()["bund_area_m2"])) == Decimal("120.5")
    pk = created.json()["id"]
    patched = client.call("PATCH", f"/tanks/{pk}", {"bund_area_m2": "80"}).json()
    assert Decimal(str(patched["bund_area_m2"])) == Decimal("80")
    cleared = client.call("PATCH", f"/tanks/{pk}", {"bund_area_m2": None}).json()
    assert cleared["bund_area_m2"] is None
    assert client.call("GET", f"/tanks/{park.tank_a.pk}").json()["bund_area_m2"] is None  # none given: no bund


@pytest.mark.parametrize(
    ("bund", "code"),
    [
        (-10, "validation_error"),  # negative
        (0, "validation_error"),  # zero: a bund has an area
        ("0.00", "validation_error"),
        ("大约一百", "validation_error"),  # a string that is no number
        ("", "validation_error"),
        (True, "validation_error"),  # a boolean is not a number
        (1e400, "malformed_json"),  # Infinity is not JSON
    ],
)
def test_bad_bund_area_is_refused_and_changes_nothing(park: SmallPark, api: Any, bund: Any, code: str) -> None:
    client = api(Role.INSPECTOR)
    before = tank_state(park)
    payload = {
        "unit": park.unit_a.pk,
        "code": "T02",
        "name": "甲醇储罐",
        "kind": "fixed_roof",
        "design_max_t": 40,
        "bund_area_m2": bund,
    }
    status = 400 if code == "malformed_json" else 422
    raw = b'{"bund_area_m2": Infinity}' if code == "malformed_json" else None
    body = assert_error(client.call("POST", "/tanks", payload, raw=raw), status, code)
    if code == "validation_error":
        assert "bund_area_m2" in str(body["details"])
        assert_error(client.call("PATCH", f"/tanks/{park.tank_a.pk}", {"bund_area_m2": bund}), 422, code)
    assert tank_state(park) == before


def park_state() -> tuple[int, list[tuple[Any, ...]]]:
    from chempark.park.models import Park

    return (
        AuditEvent.objects.exclude(action="token_issue").count(),
        list(Park.objects.order_by("id").values_list("name", "altitude_m")),
    )


def test_a_park_has_an_altitude_at_sea_level_unless_given(park: SmallPark, api: Any) -> None:
    client = api(Role.BUREAU_ADMIN)
    assert client.call("GET", f"/parks/{park.park.pk}").json()["altitude_m"] == 0.0
    response = client.call("PATCH", f"/parks/{park.park.pk}", {"altitude_m": 2000})
    assert response.status_code == 200, response.content
    assert response.json()["altitude_m"] == 2000.0
    created = client.call("POST", "/parks", {"name": "高原园区", "boundary": park.park.boundary, "altitude_m": -420.5})
    assert created.status_code == 201, created.content
    assert created.json()["altitude_m"] == -420.5


@pytest.mark.parametrize("altitude", [-500.1, 6000.5, 8848, "2000", True, None])
def test_an_altitude_out_of_range_is_refused_and_changes_nothing(park: SmallPark, api: Any, altitude: Any) -> None:
    client = api(Role.BUREAU_ADMIN)
    before = park_state()
    body = assert_error(
        client.call("PATCH", f"/parks/{park.park.pk}", {"altitude_m": altitude}), 422, "validation_error"
    )
    assert "altitude_m" in str(body["details"])
    assert park_state() == before


def test_an_inventory_above_its_design_maximum_is_refused_in_words(park: SmallPark, api: Any) -> None:
    response = api(Role.BUREAU_ADMIN).call("PATCH", f"/inventories/{park.inventory_a.pk}", {"current_t": "41"})
    body = response.json()
    assert response.status_code == 422 and body["code"] == "validation_error"
    assert "当前存量不能大于设计最大量" in str(body["details"])
    assert "inventory_current_within_design" not in str(body)
    assert str(park.inventory_a) == f"{park.unit_a} · {park.chlorine}"
