"""The points list filters by enterprise (for the bureau) and point kind, and refuses a bad filter in words."""

from __future__ import annotations

from typing import Any

from chempark.core.roles import Role
from tests.conftest import SmallPark


def test_point_list_offers_enterprise_and_kind_filters(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    html = client.get(f"/monitoring/points/?kind=gas_ppm&enterprise={park.enterprise_a.pk}").content.decode()
    assert 'name="enterprise"' in html and '<option value="gas_ppm" selected>有毒气体 (ppm)</option>' in html
    assert client.get("/monitoring/points/?kind=nonsense").status_code == 422
    assert client.get("/monitoring/points/?enterprise=abc").status_code == 422
    client.force_login(park.users[Role.ENTERPRISE])
    assert 'name="enterprise"' not in client.get("/monitoring/points/").content.decode()
