"""API schemas of the vehicles module (registry schemas are generated from the specs in ``api``)."""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictStr

from chempark.core.bounds import StrictRowId
from chempark.park.schemas import ExactDecimal


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class ReservationIn(StrictIn):
    enterprise: StrictRowId | None = Field(
        None, description="destination enterprise; an enterprise user's own by default"
    )
    vehicle: StrictRowId
    driver: StrictRowId
    escort: StrictRowId
    chemical: StrictRowId = Field(description="the cargo, from the chemical catalogue")
    un_number: Annotated[StrictStr, Field(max_length=4)] = Field("", description="default: the chemical's")
    quantity_t: ExactDecimal
    date: dt.date
    routes: Annotated[list[StrictRowId], Field(max_length=20)] = Field(
        [], description="designated route corridors (ids of tracking fences of kind corridor); none: every corridor"
    )


class ReservationOut(Schema):
    id: int
    enterprise: int = Field(validation_alias="enterprise_id")
    vehicle: int = Field(validation_alias="vehicle_id")
    plate: str = Field(validation_alias="vehicle.plate")
    driver: int = Field(validation_alias="driver_id")
    escort: int = Field(validation_alias="escort_id")
    chemical: int = Field(validation_alias="chemical_id")
    un_number: str
    quantity_t: ExactDecimal
    date: dt.date
    status: str
    reason: str
    requested_at: dt.datetime
    routes: list[int]

    @staticmethod
    def resolve_routes(obj: Any) -> list[int]:
        return sorted(fence.pk for fence in obj.routes.all())


class TransitionIn(StrictIn):
    action: Literal["approve", "refuse", "cancel"]
    reason: Annotated[StrictStr, Field(max_length=300)] = ""


class ReservationFilters(Schema):
    status: Literal["", "requested", "approved", "refused", "cancelled", "used", "expired"] = ""
    date: dt.date | None = None
    q: str = ""


class GateEventIn(StrictIn):
    gate: Annotated[StrictStr, Field(min_length=1, max_length=32)] = Field(description="the gate's code")
    plate: Annotated[StrictStr, Field(min_length=1, max_length=20)]
    direction: Literal["in", "out"]
    time: dt.datetime = Field(description="when the plate was read (ISO 8601 with offset)")
    photo: Annotated[StrictStr, Field(max_length=8_000_000)] | None = Field(
        None, description="optional snapshot, base64 JPEG or PNG, at most CHEMPARK_SNAPSHOT_MAX_BYTES decoded"
    )


class GateAnswerOut(Schema):
    decision: Literal["allow", "deny"]
    reason: str | None = Field(
        description="why it was denied (or noted): unknown_plate, blacklisted, "
        "non_hazmat_gate, already_inside, no_reservation, papers_expired, not_inside"
    )
    message: str
    event: int
    duplicate: bool
    reservation: int | None
    visit: int | None


class AccessEventIn(StrictIn):
    gate: Annotated[StrictStr, Field(min_length=1, max_length=32)] = Field(description="the door's code")
    badge: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    direction: Literal["in", "out"]
    time: dt.datetime


class AccessAnswerOut(Schema):
    decision: Literal["allow", "deny"]
    reason: str | None = Field(description="unknown_badge or no_certificate when denied")
    message: str
    event: int
    duplicate: bool
    inside: int = Field(description="people in the door's area after this event")


class VisitOut(Schema):
    id: int
    plate: str = Field(validation_alias="vehicle.plate")
    vehicle: int = Field(validation_alias="vehicle_id")
    reservation: int | None = Field(validation_alias="reservation_id")
    entered_at: dt.datetime
    exited_at: dt.datetime | None
    gate: str = Field(validation_alias="entry.gate.code")


class GateEventOut(Schema):
    id: int
    gate: str = Field(validation_alias="gate.code")
    plate: str
    direction: str
    at: dt.datetime
    decision: str
    reason: str
    message: str
    vehicle: int | None = Field(validation_alias="vehicle_id")
    reservation: int | None = Field(validation_alias="reservation_id")


class HeadcountOut(Schema):
    area: int
    name: str
    enterprise: int
    inside: int
    limit: int | None
    over_limit: bool


class RosterOut(Schema):
    worker: int
    name: str
    badge: str
    post: str
    entered_at: dt.datetime
