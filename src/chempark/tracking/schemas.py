"""Input and output schemas of the tracking API (the pages check their forms with the same ones)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator
from pydantic_core import PydanticCustomError

from chempark.common.geo import geometry_problem
from chempark.park.schemas import StrictInput
from chempark.tracking.models import FenceKind

Number = StrictFloat | StrictInt
MinuteOfDay = Annotated[StrictInt, Field(ge=0, le=1440)]


class FenceValues(StrictInput):
    name: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    kind: FenceKind
    geometry: dict[str, Any]
    width_m: Annotated[Number, Field(ge=2, le=500)] | None = None
    speed_limit_kmh: Annotated[Number, Field(ge=5, le=120)] | None = None
    capacity: Annotated[StrictInt, Field(ge=1, le=10_000)] | None = None
    windows: Annotated[list[tuple[MinuteOfDay, MinuteOfDay]], Field(max_length=12)] = []

    @model_validator(mode="after")
    def _consistent(self) -> FenceValues:
        allowed = ("LineString",) if self.kind == FenceKind.CORRIDOR else ("Polygon",)
        problem = geometry_problem(self.geometry, allowed)
        if problem:
            raise PydanticCustomError("geometry", "几何（geometry）：{problem}", {"problem": problem})
        if self.kind == FenceKind.CORRIDOR and self.width_m is None:
            raise PydanticCustomError("width", "指定路线须填写路线宽度（width_m）")
        if any(start >= end for start, end in self.windows):
            raise PydanticCustomError("windows", "通行时段（windows）的开始须早于结束")
        return self

    def model_fields_values(self) -> dict[str, Any]:
        data = self.model_dump()
        data["windows"] = [list(w) for w in self.windows]
        data["kind"] = self.kind.value
        return data


class PositionItem(StrictInput):
    """One fix pushed over HTTP by another platform."""

    terminal: Annotated[StrictStr, Field(pattern=r"^[0-9]{1,20}$")] | None = None
    plate: Annotated[StrictStr, Field(min_length=7, max_length=10)] | None = None
    time_ms: Annotated[StrictInt, Field(ge=946_684_800_000, le=4_102_444_800_000)]  # 2000–2100
    lon: Annotated[Number, Field(ge=-180, le=180)]
    lat: Annotated[Number, Field(ge=-90, le=90)]
    speed_kmh: Annotated[Number, Field(ge=0, le=400)] = 0
    heading: Annotated[StrictInt, Field(ge=0, le=359)] = 0
    altitude_m: Annotated[StrictInt, Field(ge=-500, le=9000)] = 0
    mileage_km: Annotated[Number, Field(ge=0)] | None = None
    valid: StrictBool = True

    @model_validator(mode="after")
    def _named(self) -> PositionItem:
        if (self.terminal is None) == (self.plate is None):
            raise PydanticCustomError("vehicle", "须给出终端号（terminal）或车牌号（plate）之一")
        return self


class PositionsIn(StrictInput):
    positions: Annotated[list[PositionItem], Field(min_length=1, max_length=5000)]


class StoreOut(StrictInput):
    stored: int
    rejected: dict[str, int]
    unknown: list[str]
    events: int


class FenceOut(StrictInput):
    id: int
    name: str
    kind: str
    kind_label: str
    geometry: dict[str, Any]
    width_m: float | None
    speed_limit_kmh: float | None
    capacity: int | None
    windows: list[list[int]]


class VehicleOut(StrictInput):
    terminal: str
    plate: str | None
    carrier: str | None
    time: str | None
    lon: float | None
    lat: float | None
    speed_kmh: float | None
    heading: int | None
    state: str
    state_label: str


class TrackPointOut(StrictInput):
    time_ms: int
    lon: float
    lat: float
    speed_kmh: float
    heading: int


class ViolationOut(StrictInput):
    id: int
    kind: str
    kind_label: str
    plate: str | None
    terminal: str | None
    fence: str | None
    started_at: str
    ended_at: str | None
    lon: float
    lat: float
    peak_kmh: float | None
    limit_kmh: float | None
    alarm: int | None
