"""A page address with an id no database row can have is "not found", not a server error."""

from __future__ import annotations

from typing import Any

import pytest

from chempark.core.roles import Role
from tests.conftest import SmallPark

HUGE = "9" * 25  # past every integer column


@pytest.mark.parametrize(
    "path",
    [
        f"/hazards/{HUGE}/",
        f"/monitoring/alarms/{HUGE}/",
        f"/monitoring/points/{HUGE}/",
        f"/registry/enterprise/{HUGE}/",
        f"/emergency/qra/{HUGE}/",
        "/hazards/9223372036854775808/",
    ],
)
def test_an_id_past_the_database_range_is_not_found(park: SmallPark, client: Any, path: str) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    assert client.get(path).status_code == 404
