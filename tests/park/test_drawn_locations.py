"""Locations drawn on a map, checked at the edge: the registry's geometry fields render the drawing
field (hidden GeoJSON, map, coordinate text), a longitude/latitude pair gets a marker map, and what
the drawing posts is refused in Chinese, naming the field, when the polygon crosses itself or the
place lies far outside the park; nothing is changed then."""

from __future__ import annotations

import json
from typing import Any

from chempark.core.roles import Role
from chempark.park.models import ProtectiveTarget
from tests.conftest import SmallPark

BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[118.2, 39.2], [118.21, 39.21], [118.21, 39.2], [118.2, 39.21], [118.2, 39.2]]],
}
NEAR = {"type": "Polygon", "coordinates": [[[118.25, 39.2], [118.26, 39.2], [118.26, 39.21], [118.25, 39.2]]]}


def _target_form(park: SmallPark, geometry: Any) -> dict[str, Any]:
    return {
        "park": park.park.pk,
        "name": "新建村",
        "kind": park.target.kind,
        "geometry": json.dumps(geometry),
        "population": "300",
        "address": "",
    }


def test_the_target_form_draws_its_geometry(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    body = client.get(f"/registry/protectivetarget/{park.target.pk}/edit/").content.decode()
    assert 'type="hidden" name="geometry" id="id_geometry"' in body
    assert 'data-types="Point Polygon MultiPolygon"' in body
    assert 'id="id_geometry-map"' in body and 'id="id_geometry-coords"' in body
    assert "vendor/leaflet-geoman/leaflet-geoman.min.js" in body and "chempark/map.js" in body
    assert "GeoJSON" not in body.split('id="id_geometry"')[1].split("</form>")[0]  # no English in the field's texts


def test_a_drawn_target_is_saved_as_drawn(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    response = client.post("/registry/protectivetarget/new/", _target_form(park, NEAR))
    assert response.status_code == 302
    assert ProtectiveTarget.objects.get(name="新建村").geometry == NEAR


def test_a_self_intersecting_polygon_is_refused_naming_the_field(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    before = ProtectiveTarget.objects.count()
    response = client.post("/registry/protectivetarget/new/", _target_form(park, BOW_TIE))
    assert response.status_code == 422
    body = response.content.decode()
    assert "位置/范围：几何对象无效：多边形的边自相交（约在经度 118.205000、纬度 39.205000 处）" in body
    assert ProtectiveTarget.objects.count() == before


def test_a_target_far_outside_the_park_is_refused(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    far = {"type": "Point", "coordinates": [116.4, 39.9]}  # Beijing, 160 km away
    response = client.post("/registry/protectivetarget/new/", _target_form(park, far))
    assert response.status_code == 422
    assert "位置/范围：位置在园区边界以外" in response.content.decode()
    assert not ProtectiveTarget.objects.filter(name="新建村").exists()


def test_an_enterprise_gets_a_marker_map_and_swapped_coordinates_are_refused(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    url = f"/registry/enterprise/{park.enterprise_a.pk}/edit/"
    body = client.get(url).content.decode()
    assert 'data-point-field data-lon="id_lon" data-lat="id_lat"' in body
    data = {
        "park": park.park.pk,
        "name": park.enterprise_a.name,
        "uscc": park.enterprise_a.uscc,
        "kind": "production",
        "industry": "",
        "address": "",
        "lon": "39.2",
        "lat": "88.2",  # latitude and longitude swapped and mistyped
        "legal_representative": "",
        "safety_contact": "",
        "safety_phone": "",
        "employees": "100",
        "status": "operating",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "纬度：位置在园区边界以外" in response.content.decode()
    park.enterprise_a.refresh_from_db()
    assert park.enterprise_a.lat != 88.2
