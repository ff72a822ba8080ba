"""CAP 1.2: written messages validate against the OASIS schema and read back to the same alert;
areas are checked; an update and a cancellation reference the original."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import pytest

from chempark.plans import cap

CST = dt.timezone(dt.timedelta(hours=8))
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[118.17, 39.18], [118.24, 39.18], [118.24, 39.23], [118.17, 39.23], [118.17, 39.18]]],
}


def alert(**changes: Any) -> cap.Alert:
    base = cap.Alert(
        identifier="chempark-warning-1-1",
        sender="yjj.chempark",
        sent=dt.datetime(2026, 3, 5, 14, 30, 5, tzinfo=CST),
        msg_type="Alert",
        event="液氯泄漏",
        urgency="Immediate",
        severity="Severe",
        certainty="Observed",
        headline="园区东区液氯泄漏，请立即就地避险",
        area_desc="化工园区东区及下风向 1 公里",
        polygons=cap.polygons_from_geojson(SQUARE),
        categories=("CBRNE", "Safety"),
        response_types=("Shelter",),
        sender_name="某区应急管理局",
        description="东区某企业液氯储罐泄漏 & 扩散中 <下风向>",
        instruction="关闭门窗，停止通风，留在室内等待通知。",
        expires=dt.datetime(2026, 3, 5, 20, 0, tzinfo=CST),
    )
    return replace(base, **changes)


def test_alert_validates_and_parses_back() -> None:
    original = alert()
    document = cap.to_xml(original)
    assert cap.validate(document) == []
    assert cap.parse(document) == original
    assert b"<sent>2026-03-05T14:30:05+08:00</sent>" in document


def test_update_and_cancel_reference_the_original() -> None:
    original = alert()
    ref = cap.Reference(original.sender, original.identifier, original.sent)
    for kind in ("Update", "Cancel"):
        later = alert(identifier=f"chempark-warning-1-{kind}", msg_type=kind, references=(ref,))
        document = cap.to_xml(later)
        assert cap.validate(document) == []
        back = cap.parse(document)
        assert back == later and back.references == (ref,)
        assert b"<references>yjj.chempark,chempark-warning-1-1,2026-03-05T14:30:05+08:00</references>" in document
    with pytest.raises(cap.CapError) as refused:
        cap.to_xml(alert(msg_type="Update"))
    assert refused.value.field == "references"


def test_schema_catches_a_broken_document() -> None:
    document = cap.to_xml(alert()).replace(b"<urgency>Immediate</urgency>", b"<urgency>Soon</urgency>")
    problems = cap.validate(document)
    assert problems and "urgency" in problems[0]
    assert cap.validate(b"<alert") and cap.validate(b"<alert xmlns='urn:other'/>")


def test_polygon_text_is_lat_lon_and_closed() -> None:
    rings = cap.polygons_from_geojson(SQUARE)
    assert rings[0][0] == (39.18, 118.17) and rings[0][0] == rings[0][-1]
    assert b"<polygon>39.18,118.17 39.18,118.24 39.23,118.24 39.23,118.17 39.18,118.17</polygon>" in cap.to_xml(alert())
    assert cap.geojson_of(rings) == SQUARE


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {"type": "Point", "coordinates": [118.2, 39.2]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[118.1, 39.1], [118.2, 39.2]]]},
        # a bow tie: the ring crosses itself
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [200, 1], [0, 0]]]},
    ],
)
def test_bad_areas_are_refused(geometry: object) -> None:
    with pytest.raises(cap.CapError) as refused:
        cap.polygons_from_geojson(geometry)
    assert refused.value.field == "area"
    assert (
        re.search("[a-z]{3}", str(refused.value).replace("GeoJSON Polygon", "").replace("MultiPolygon", "")) is None
    ), "the reason is read on a Chinese page"


def test_no_area_and_bad_identifiers_are_refused() -> None:
    for changes, name in (
        ({"polygons": ()}, "area"),
        ({"identifier": "a b"}, "identifier"),
        ({"incidents": ("incident 7",)}, "incidents"),
        ({"severity": "Big"}, "severity"),
    ):
        with pytest.raises(cap.CapError) as refused:
            cap.to_xml(alert(**changes))
        assert refused.value.field == name


def test_the_incidents_an_alert_is_about_are_named_and_read_back() -> None:
    document = cap.to_xml(alert(incidents=("yjj.chempark-incident-7", "yjj.chempark-incident-9")))
    assert cap.validate(document) == []
    assert b"<incidents>yjj.chempark-incident-7 yjj.chempark-incident-9</incidents>" in document
    assert cap.parse(document).incidents == ("yjj.chempark-incident-7", "yjj.chempark-incident-9")
    assert b"<incidents>" not in cap.to_xml(alert()) and cap.parse(cap.to_xml(alert())).incidents == ()
