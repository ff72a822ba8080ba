"""API schemas of the emergency module: strict input (unknown fields, strings for numbers, NaN and
booleans as numbers are refused, like the registry's schemas) and the output shapes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StrictInt, StrictStr, model_validator

from chempark.core.bounds import StrictRowId
from chempark.park.schemas import FiniteFloat, StrictInput

Stability = Literal["A", "B", "C", "D", "E", "F"]
Level = Literal["AEGL-1", "AEGL-2", "AEGL-3", "ERPG-1", "ERPG-2", "ERPG-3", "PAC-1", "PAC-2", "PAC-3"]
Lon = Annotated[FiniteFloat, Field(ge=-180, le=180)]
Lat = Annotated[FiniteFloat, Field(ge=-89, le=89)]
Positive = Annotated[FiniteFloat, Field(gt=0)]
NonNegative = Annotated[FiniteFloat, Field(ge=0)]
Text = Annotated[StrictStr, Field(max_length=200)]
Probability = Annotated[FiniteFloat, Field(ge=0, le=1)]
# The ranges of a tank hole's inputs, shared with the release an incident reports (one tank-hole
# model, one set of limits)
HoleDiameterMm = Annotated[FiniteFloat, Field(gt=0, le=2000)]
StorageTemperatureK = Annotated[FiniteFloat, Field(gt=150, lt=600)]
# absolute; 100 MPa is above any storage vessel (hydrogen at a filling station: 90 MPa), and an
# unbounded pressure overflowed the zone's geometry
StoragePressurePa = Annotated[FiniteFloat, Field(gt=0, le=1e8)]
LiquidHeadM = Annotated[FiniteFloat, Field(ge=0, le=100)]
HeatCapacityRatio = Annotated[FiniteFloat, Field(gt=1, le=1.7)]


class WeatherIn(StrictInput):
    """Wind at ``wind_height_m`` and the direction it blows FROM (° clockwise from north); the
    Pasquill class, or day/night with insolation (day) or cloud cover in oktas (night)."""

    wind_speed_m_s: Annotated[FiniteFloat, Field(gt=0, le=40)]
    wind_from_deg: Annotated[FiniteFloat, Field(ge=0, le=360)]
    stability: Stability | None = None
    daytime: StrictBool | None = None
    insolation: Literal["strong", "moderate", "slight"] | None = None
    cloud_cover_oktas: Annotated[StrictInt, Field(ge=0, le=8)] | None = None
    wind_height_m: Annotated[FiniteFloat, Field(gt=0, le=200)] = 10.0
    ambient_temperature_k: Annotated[FiniteFloat, Field(ge=220, le=330)] = 293.15

    @model_validator(mode="after")
    def _stability_given(self) -> WeatherIn:
        if self.stability is None and self.daytime is None:
            raise ValueError("give stability (A-F), or daytime with insolation (day) or cloud_cover_oktas (night)")
        return self


class ReleaseIn(StrictInput):
    """``continuous`` (rate_kg_s), ``instantaneous`` (mass_kg) or ``tank_hole`` (hole_diameter_mm
    below the liquid or, with phase "gas", in the vapour space)."""

    kind: Literal["continuous", "instantaneous", "tank_hole"]
    rate_kg_s: Positive | None = None
    mass_kg: Positive | None = None
    hole_diameter_mm: HoleDiameterMm | None = None
    phase: Literal["liquid", "gas"] = "liquid"
    storage_temperature_k: StorageTemperatureK | None = None
    storage_pressure_pa: StoragePressurePa | None = None
    liquid_head_m: LiquidHeadM = 0.0
    heat_capacity_ratio: HeatCapacityRatio = 1.3
    inventory_kg: Positive | None = None
    height_m: Annotated[FiniteFloat, Field(ge=0, le=300)] = 1.0

    @model_validator(mode="after")
    def _amount_given(self) -> ReleaseIn:
        needed = {"continuous": "rate_kg_s", "instantaneous": "mass_kg", "tank_hole": "hole_diameter_mm"}[self.kind]
        if getattr(self, needed) is None:
            raise ValueError(f"a {self.kind} release needs {needed}")
        return self


class ThresholdIn(StrictInput):
    label: Annotated[StrictStr, Field(min_length=1, max_length=60)]
    ppm: Positive | None = None
    concentration_g_m3: Positive | None = None

    @model_validator(mode="after")
    def _one_value(self) -> ThresholdIn:
        if (self.ppm is None) == (self.concentration_g_m3 is None):
            raise ValueError("give exactly one of ppm or concentration_g_m3")
        return self


class SourceIn(StrictInput):
    lon: Lon
    lat: Lat


class AccidentIn(StrictInput):
    """Accident simulation request. The source is ``source`` (lon/lat), ``unit_id`` or ``tank_id``;
    a tank also supplies its chemical when ``chemical_cas`` is left out."""

    chemical_cas: Annotated[StrictStr, Field(max_length=12)] | None = None
    source: SourceIn | None = None
    unit_id: StrictRowId | None = None
    tank_id: StrictRowId | None = None
    release: ReleaseIn
    weather: WeatherIn
    thresholds: Annotated[list[ThresholdIn], Field(max_length=6)] | None = None
    levels: Annotated[list[Level], Field(min_length=1, max_length=6)] | None = None
    duration_min: Annotated[FiniteFloat, Field(gt=0, le=480)] = 60.0
    title: Text = ""
    origin: Literal["page", "api", "alarm", "incident"] = "api"
    alarm_id: StrictInt | None = None


class FireScenarioIn(StrictInput):
    """A fire or explosion: ``pool_fire`` (``pool_diameter_m``, or ``spill_mass_kg`` with
    ``bund_area_m2``; a tank gives its inventory and bund), ``jet_fire`` (``rate_kg_s``,
    ``orientation``, ``height_m``), ``fireball`` (``mass_kg``, default the tank's inventory;
    ``vessel_pressure_pa``), ``vce_tnt`` (cloud ``mass_kg``, ``yield_factor``),
    ``vce_multi_energy`` (``congested_volume_m3``, ``strength`` 1–10)."""

    kind: Literal["pool_fire", "jet_fire", "fireball", "vce_tnt", "vce_multi_energy"]
    pool_diameter_m: Positive | None = None
    spill_mass_kg: Positive | None = None
    bund_area_m2: Positive | None = None
    rate_kg_s: Positive | None = None
    orientation: Literal["vertical", "horizontal"] = "vertical"
    height_m: Annotated[FiniteFloat, Field(ge=0, le=300)] = 0.0
    mass_kg: Positive | None = None
    vessel_pressure_pa: Positive | None = None
    yield_factor: Annotated[FiniteFloat, Field(gt=0, le=1)] = 0.03
    strength: Annotated[StrictInt, Field(ge=1, le=10)] = 7
    congested_volume_m3: Positive | None = None


class FireAccidentIn(StrictInput):
    """Fire or explosion simulation request: the scenario, the source (``source``, ``unit_id`` or
    ``tank_id``; a tank also supplies its chemical) and the weather (wind tilts a pool flame)."""

    chemical_cas: Annotated[StrictStr, Field(max_length=12)] | None = None
    scenario: FireScenarioIn
    source: SourceIn | None = None
    unit_id: StrictInt | None = None
    tank_id: StrictInt | None = None
    weather: WeatherIn
    title: Text = ""
    origin: Literal["page", "api", "alarm", "incident"] = "api"
    alarm_id: StrictInt | None = None


class PopulatedAreaPatch(StrictInput):
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)] | None = None
    kind: Literal["village", "residential", "other"] | None = None
    geometry: dict[str, Any] | None = None
    population: Annotated[StrictInt, Field(ge=0, le=10_000_000)] | None = None
    source: Text | None = None


class PopulatedAreaIn(PopulatedAreaPatch):
    """A village or residential area of the population layer: a GeoJSON (Multi)Polygon and its head count."""

    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    geometry: dict[str, Any]
    population: Annotated[StrictInt, Field(ge=0, le=10_000_000)]
    park: StrictInt | None = None


class PopulatedAreaOut(Schema):
    id: int
    park: int = Field(alias="park_id")
    name: str
    kind: str
    geometry: dict[str, Any]
    population: int
    source: str
    updated_at: dt.datetime


class DetectorIn(StrictInput):
    lon: Lon
    lat: Lat
    concentration_g_m3: NonNegative | None = None
    ppm: NonNegative | None = None
    name: Annotated[StrictStr, Field(max_length=100)] = ""

    @model_validator(mode="after")
    def _one_value(self) -> DetectorIn:
        if (self.ppm is None) == (self.concentration_g_m3 is None):
            raise ValueError("give exactly one of ppm or concentration_g_m3")
        return self


class LeakSourceIn(StrictInput):
    """Gas-detector readings (zeros allowed) and the wind; the chemical converts ppm and, with
    tabulated AEGL levels, gives the estimated source's threat zones."""

    detectors: Annotated[list[DetectorIn], Field(min_length=2, max_length=200)]
    weather: WeatherIn
    chemical_cas: Annotated[StrictStr, Field(max_length=12)] | None = None
    release_height_m: Annotated[FiniteFloat, Field(ge=0, le=300)] = 0.0
    detector_height_m: Annotated[FiniteFloat, Field(ge=0, le=100)] = 1.5
    title: Text = ""
    origin: Literal["page", "api", "alarm", "incident"] = "api"


class SimulationSummaryOut(Schema):
    id: int
    kind: str
    scenario: str
    alarm_id: int | None
    origin: str
    title: str
    created_at: dt.datetime
    chemical_cas: str
    chemical_name: str
    source_lon: float
    source_lat: float
    affected_targets: int
    affected_people: int


class SimulationOut(SimulationSummaryOut):
    inputs: dict[str, Any]
    results: dict[str, Any]
    warnings: list[str]


# --- QRA -------------------------------------------------------------------------------------------


class ScenarioIn(StrictInput):
    """One loss-of-containment scenario: position, frequency (with its source) and its outcome —
    ``toxic`` (rate, exposure) or ``flammable`` (the event tree of
    ``consequence.qra_rows.flammable_outcomes``: release kind, direct fire and its size,
    ignition probabilities). Which fields each kind needs is checked when the study is built."""

    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    lon: Lon
    lat: Lat
    cas: Annotated[StrictStr, Field(min_length=1, max_length=12)]
    substance: Text = ""
    equipment: Text = ""
    hole_size_class: Text = ""
    frequency_per_year: Annotated[FiniteFloat, Field(ge=0, le=1)]
    frequency_source: Annotated[StrictStr, Field(max_length=500)] = ""
    outcome: Literal["toxic", "flammable"] = "toxic"
    rate_kg_s: Positive | None = None
    exposure_min: Annotated[FiniteFloat, Field(gt=0, le=60)] | None = None
    release_kind: Literal["continuous", "instantaneous"] | None = None
    mass_kg: Positive | None = None
    airborne_rate_kg_s: NonNegative | None = None
    direct_fire: Literal["jet_fire", "pool_fire", "fireball"] | None = None
    pool_diameter_m: Annotated[FiniteFloat, Field(gt=0, le=500)] | None = None
    fireball_mass_kg: Positive | None = None
    cloud_mass_kg: NonNegative | None = None
    explosion_mass_kg: Positive | None = None
    ignition_category: Text | None = None
    ignition_source: Annotated[StrictStr, Field(max_length=500)] | None = None
    p_direct_ignition: Probability | None = None
    p_delayed_ignition: Probability | None = None
    p_delayed_source: Annotated[StrictStr, Field(max_length=500)] | None = None
    explosion_fraction: Probability | None = None
    toxic: StrictBool | None = None
    height_m: Annotated[FiniteFloat, Field(ge=0, le=300)] = 1.0
    tank_id: StrictRowId | None = None
    unit_id: StrictRowId | None = None
    notes: Annotated[StrictStr, Field(max_length=1000)] = ""


class WeatherClassIn(StrictInput):
    name: Annotated[StrictStr, Field(min_length=1, max_length=20)]
    stability: Stability
    wind_speed_m_s: Annotated[FiniteFloat, Field(ge=1, le=40)]
    probability: Annotated[FiniteFloat, Field(ge=0, le=1)]


class RiskLimitIn(StrictInput):
    category: Annotated[StrictStr, Field(min_length=1, max_length=40)]
    description_zh: Text = ""
    new_per_year: Annotated[FiniteFloat, Field(gt=0, le=1)]
    existing_per_year: Annotated[FiniteFloat, Field(gt=0, le=1)]
    confidence: Text = ""


class FnCriterionIn(StrictInput):
    """F-N lines F = C/N^a: above the intolerable line is not acceptable, below the negligible line
    broadly acceptable. GB 36894's own lines are not built in: give them here with their source."""

    name: Text
    intolerable_constant: Annotated[FiniteFloat, Field(gt=0, le=1)]
    intolerable_slope: Annotated[FiniteFloat, Field(gt=0, le=4)]
    negligible_constant: Annotated[FiniteFloat, Field(gt=0, le=1)] | None = None
    negligible_slope: Annotated[FiniteFloat, Field(gt=0, le=4)] | None = None
    source: Annotated[StrictStr, Field(max_length=500)] = ""
    confidence: Text = ""


Rose = Annotated[list[Annotated[FiniteFloat, Field(ge=0, le=1)]], Field(min_length=16, max_length=16)]


class QraStudyPatch(StrictInput):
    """Every field may be left out; only ``fn_criterion`` (no criterion) and a new study's ``park``
    (the only park) may be given as null — a null grid or scenario list is refused, not stored."""

    name: Annotated[StrictStr, Field(min_length=1, max_length=200)] | None = None
    installation_status: Literal["new", "existing"] | None = None
    grid_cell_m: Annotated[FiniteFloat, Field(ge=10, le=1000)] | None = None
    grid_margin_m: Annotated[FiniteFloat, Field(ge=0, le=20000)] | None = None
    scenarios: Annotated[list[ScenarioIn], Field(min_length=1, max_length=2000)] | None = None
    weather_classes: Annotated[list[WeatherClassIn], Field(min_length=1, max_length=12)] | None = None
    wind_rose: Rose | None = None
    risk_limits: Annotated[list[RiskLimitIn], Field(min_length=1, max_length=20)] | None = None
    fn_criterion: FnCriterionIn | None = None

    @model_validator(mode="after")
    def _refuse_nulls(self) -> QraStudyPatch:
        nulls = sorted(
            name
            for name in self.model_fields_set
            if getattr(self, name) is None and name not in ("fn_criterion", "park")
        )
        if nulls:
            raise ValueError(f"不能为 null：{', '.join(nulls)}")
        return self


class QraStudyCreate(QraStudyPatch):
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    park: StrictRowId | None = None


class QraStudySummaryOut(Schema):
    id: int
    name: str
    park: int = Field(alias="park_id")
    installation_status: str
    status: str
    progress: float
    created_at: dt.datetime
    finished_at: dt.datetime | None


class QraStudyOut(QraStudySummaryOut):
    grid_cell_m: float
    grid_margin_m: float
    scenarios: list[dict[str, Any]]
    weather_classes: list[dict[str, Any]]
    wind_rose: list[float]
    risk_limits: list[dict[str, Any]]
    fn_criterion: dict[str, Any] | None
    error: str
    notes: list[dict[str, Any] | str]  # {code, subject, message}; plain text in studies made before the codes
    results: dict[str, Any] | None
