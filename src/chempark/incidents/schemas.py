"""API input and output schemas of emergency command, strict like the registry's: numbers are not
strings, choices are enums, unknown fields are refused; the pages check their forms with them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StrictInt, StrictStr

from chempark.core.bounds import Date, StrictRowId
from chempark.emergency.schemas import HoleDiameterMm, LiquidHeadM, StoragePressurePa, StorageTemperatureK
from chempark.incidents.models import Availability, EquipmentType, IncidentKind, OwnerKind, ResourceKind
from chempark.park.schemas import ExactDecimal, FiniteFloat, StrictInput

Lon = Annotated[FiniteFloat | StrictInt, Field(ge=-180, le=180)]
Lat = Annotated[FiniteFloat | StrictInt, Field(ge=-90, le=90)]
Count = Annotated[StrictInt, Field(ge=0, le=100_000)]


Text16 = Annotated[StrictStr, Field(max_length=16)]
Text40 = Annotated[StrictStr, Field(max_length=40)]
Text100 = Annotated[StrictStr, Field(max_length=100)]
Text200 = Annotated[StrictStr, Field(max_length=200)]
Text500 = Annotated[StrictStr, Field(max_length=500)]
Text4000 = Annotated[StrictStr, Field(max_length=4000)]
Text8000 = Annotated[StrictStr, Field(max_length=8000)]


class ResourceIn(StrictInput):
    kind: Literal[tuple(ResourceKind.values)]  # type: ignore[valid-type]  # choices from the model
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    # None: the bureau's entry, or for an enterprise user its enterprise's
    owner_kind: Literal[tuple(OwnerKind.values)] | None = None  # type: ignore[valid-type]  # model choices
    enterprise: StrictRowId | None = None
    team: StrictRowId | None = None
    warehouse: StrictRowId | None = None
    lon: Lon | None = None
    lat: Lat | None = None
    availability: Literal[tuple(Availability.values)] = Availability.AVAILABLE.value  # type: ignore[valid-type]  # model choices
    contact: Text100 = ""
    phone: Text40 = ""
    members: Count | None = None
    specialty: Text200 = ""
    chemicals: list[StrictRowId] | None = None
    equipment_type: Literal[("", *EquipmentType.values)] = ""  # type: ignore[valid-type]  # model choices
    last_inspected_on: Date | None = None
    quantity: ExactDecimal | None = None
    min_stock: ExactDecimal | None = None
    unit_of_measure: Text16 = ""
    expires_on: Date | None = None
    capacity: Count | None = None
    signage: StrictBool = False
    notes: Text500 = ""


class ResourceOut(Schema):
    id: int
    kind: str
    name: str
    owner_kind: str
    enterprise: int | None
    team: int | None
    warehouse: int | None
    lon: float | None
    lat: float | None
    availability: str
    contact: str
    phone: str
    members: int | None
    specialty: str
    chemicals: list[int]
    equipment_type: str
    last_inspected_on: dt.date | None
    quantity: str | None
    min_stock: str | None
    unit_of_measure: str
    expires_on: dt.date | None
    capacity: int | None
    signage: bool
    notes: str


class RoadSegmentIn(StrictInput):
    speed_kmh: Annotated[FiniteFloat | StrictInt, Field(gt=0, le=200)]
    blocked: StrictBool = False
    blocked_reason: Text200 = ""


class RoadSegmentOut(Schema):
    id: int
    name: str
    a: list[float]
    b: list[float]
    length_m: float
    speed_kmh: float
    blocked: bool
    blocked_reason: str


class RouteOut(Schema):
    length_m: float
    travel_s: float
    eta_min: float
    line: list[list[float]]


class IncidentIn(StrictInput):
    title: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    kind: Literal[tuple(IncidentKind.values)]  # type: ignore[valid-type]  # model choices
    lon: Lon | None = None
    lat: Lat | None = None
    enterprise: StrictRowId | None = None
    unit: StrictRowId | None = None
    chemicals: list[StrictRowId] = Field(default_factory=list, max_length=20)
    deaths: Count = 0
    injured: Count = 0
    description: Text4000 = ""
    reporter: Text100 = ""
    reporter_phone: Text40 = ""


class IncidentPatch(StrictInput):
    level: Annotated[StrictInt, Field(ge=1, le=4)] | None = None
    deaths: Count | None = None
    injured: Count | None = None


class NoteIn(StrictInput):
    text: StrictStr


class CloseIn(StrictInput):
    summary: Text4000


class DispatchIn(StrictInput):
    resource: StrictRowId
    note: Text500 = ""


class DispatchOut(Schema):
    id: int
    incident: int
    resource: int
    resource_name: str
    state: str
    eta_min: float | None
    dispatched_at: dt.datetime
    updated_at: dt.datetime
    allowed: list[str]


class InvestigationIn(StrictInput):
    lead: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    opened_on: Date
    extended_to: Date | None = None
    submitted_on: Date | None = None
    findings: Text8000 = ""


class InvestigationOut(Schema):
    lead: str
    opened_on: dt.date
    due_on: dt.date
    extended_to: dt.date | None
    submitted_on: dt.date | None
    findings: str


class EventOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    text: str


class IncidentOut(Schema):
    id: int
    title: str
    kind: str
    source: str
    status: str
    reported_at: dt.datetime
    lon: float
    lat: float
    enterprise: int | None
    unit: int | None
    chemicals: list[int]
    deaths: int
    injured: int
    description: str
    alarm: int | None
    simulation: int | None
    suggested_level: int
    level: int | None
    people_in_zone: int
    closed_at: dt.datetime | None
    summary: str


class PositionIn(StrictInput):
    lon: Lon
    lat: Lat
    at: dt.datetime | None = None


class PositionOut(Schema):
    resource: int
    lon: float
    lat: float
    at: dt.datetime


class ReleaseIn(StrictInput):
    """A release reported from the scene, for the threat zone: gas ``continuous`` at ``rate_kg_s`` (as
    long as ``quantity_kg`` lasts, when given) or ``instantaneous`` (``quantity_kg`` at once); or a
    ``tank_hole`` — 事故模拟's hole model with its ranges: ``hole_diameter_mm``, ``phase`` (``liquid``
    below the liquid, the default, or ``gas`` in the vapour space), the registry tank ``tank_id`` (its
    measured temperature, design maximum and vent), ``storage_temperature_k``,
    ``storage_pressure_pa`` (absolute), ``liquid_head_m``, and how much leaks: ``quantity_kg`` or
    ``duration_min`` of outflow."""

    kind: Literal["continuous", "instantaneous", "tank_hole"]
    rate_kg_s: Annotated[FiniteFloat | StrictInt, Field(gt=0, le=10_000)] | None = None
    quantity_kg: Annotated[FiniteFloat | StrictInt, Field(gt=0, le=10_000_000)] | None = None
    height_m: Annotated[FiniteFloat | StrictInt, Field(ge=0, le=200)] = 1.0
    tank_id: StrictRowId | None = None
    hole_diameter_mm: HoleDiameterMm | None = None
    phase: Literal["liquid", "gas"] = "liquid"
    storage_temperature_k: StorageTemperatureK | None = None
    storage_pressure_pa: StoragePressurePa | None = None
    liquid_head_m: LiquidHeadM = 0.0
    duration_min: Annotated[FiniteFloat | StrictInt, Field(gt=0, le=1440)] | None = None


ResponseType = Literal["Shelter", "Evacuate", "Prepare", "Avoid", "Monitor"]
Urgency = Literal["Immediate", "Expected", "Future", "Past", "Unknown"]
Severity = Literal["Extreme", "Severe", "Moderate", "Minor", "Unknown"]
Certainty = Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"]


class IncidentWarningIn(StrictInput):
    """A public warning for the incident's threat zone (CAP 1.2 values). ``zone`` picks the zone:
    0 = AEGL-3, 1 = AEGL-2, 2 = AEGL-1 (the default is the widest there is). Empty texts are filled
    from the incident; ``publish`` false keeps it as a draft to review first."""

    zone: Annotated[StrictInt, Field(ge=0, le=9)] | None = None
    response_type: ResponseType = "Shelter"
    urgency: Urgency = "Immediate"
    severity: Severity = "Severe"
    certainty: Certainty = "Likely"
    event: Text100 = ""
    headline: Text200 = ""
    area_desc: Text200 = ""
    instruction: Text4000 = ""
    description: Text4000 = ""
    publish: StrictBool = True


class WarningCancelIn(StrictInput):
    note: Text500 = ""


class IncidentWarningOut(Schema):
    id: int
    headline: str
    status: str
    status_label: str
    url: str
    last_message: str
    last_message_url: str
    actions: list[str]
