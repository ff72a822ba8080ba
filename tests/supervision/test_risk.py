"""Risk grading: the matrix and LEC bands at their edges, factors off the method's scale refused by
name; risk points through the API (level computed, not given) and the four-colour layer colouring an
enterprise and the area around it by the highest level."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chempark.core.map_layers import get
from chempark.core.roles import Role
from chempark.supervision.models import RiskPoint
from chempark.supervision.risk import InvalidRating, lec, matrix
from tests.conftest import SmallPark
from tests.supervision.conftest import days_from_today


@pytest.mark.parametrize(
    ("likelihood", "severity", "r", "level"),
    [(5, 4, 20, 1), (4, 4, 16, 2), (3, 5, 15, 2), (3, 4, 12, 3), (3, 3, 9, 3), (2, 4, 8, 4), (1, 1, 1, 4)],
)
def test_matrix_bands(likelihood: int, severity: int, r: int, level: int) -> None:
    assert matrix(likelihood, severity) == (Decimal(r), level)


@pytest.mark.parametrize(
    ("likelihood", "e", "c", "d", "level"),
    [
        ("10", "6", "40", "2400", 1),
        ("1", "6", "100", "600", 1),
        ("3", "6", "15", "270", 2),
        ("1", "2", "100", "200", 2),
        ("3", "3", "15", "135", 3),
        ("1", "6", "15", "90", 3),
        ("1", "6", "7", "42", 4),
        ("0.5", "1", "1", "0.5", 4),
    ],
)
def test_lec_bands(likelihood: str, e: str, c: str, d: str, level: int) -> None:
    assert lec(Decimal(likelihood), Decimal(e), Decimal(c)) == (Decimal(d), level)


def test_factors_off_the_scale_are_refused_by_name() -> None:
    with pytest.raises(InvalidRating) as refused:
        matrix(6, 1)
    assert refused.value.field == "likelihood"
    with pytest.raises(InvalidRating) as refused:
        lec(Decimal(1), Decimal(4), Decimal(7))
    assert refused.value.field == "exposure"


def body(park: SmallPark, **extra: Any) -> dict[str, Any]:
    return {
        "enterprise": park.enterprise_a.pk,
        "name": "液氯储罐区",
        "kind": "unit",
        "method": "matrix",
        "factors": {"likelihood": 4, "severity": 5},
        "control_measures": "紧急切断、气体检测报警、双人巡检",
        "responsible": "李工",
        "assessed_on": days_from_today(-1).isoformat(),
        **extra,
    }


def test_risk_points_through_the_api_and_the_four_colour_layer(park: SmallPark, api: Any) -> None:
    company = api(Role.ENTERPRISE)
    made = company.call("POST", "/risk-points", body(park))
    assert made.status_code == 201 and made.json()["level"] == 1 and made.json()["score"] == "20"
    lec_point = body(park, method="lec", factors={"likelihood": 1, "exposure": 6, "consequence": 7})
    assert company.call("POST", "/risk-points", lec_point).json()["level"] == 4
    bad = company.call("POST", "/risk-points", body(park, factors={"likelihood": 9, "severity": 1}))
    assert bad.status_code == 422 and "likelihood" in bad.json()["details"]
    assert company.call("POST", "/risk-points", body(park, enterprise=park.enterprise_b.pk)).status_code == 403
    assert RiskPoint.objects.count() == 2
    layer = get("risk_map")
    assert layer is not None
    features = layer.build(park.actor(Role.INSPECTOR))
    colours = {(f["geometry"]["type"], f["properties"]["name"]): f["properties"]["fillColor"] for f in features}
    assert colours == {("Polygon", park.area.name): "--level-1", ("Point", park.enterprise_a.name): "--level-1"}
    assert {f["properties"]["name"] for f in layer.build(park.actor(Role.ENTERPRISE))} >= {park.enterprise_a.name}


def test_a_matrix_factor_must_be_whole(park: SmallPark, api: Any) -> None:
    answer = api(Role.INSPECTOR).call("POST", "/risk-points", body(park, factors={"likelihood": "4.5", "severity": 5}))
    assert answer.status_code == 422 and "likelihood" in answer.json()["details"]
    assert not RiskPoint.objects.exists()
