"""The threat zone of an incident: the 事故模拟 models of :mod:`chempark.consequence` run for the
incident's chemical at its position with the park's measured wind (or the configured one, as the
leak-source layer does), counting the protective targets and populated areas inside.

What leaks, and how fast, is rarely known when the call comes in, so the zone is first a screening
estimate for a reference release, :data:`REFERENCE_RELEASE` (a continuous 1 kg/s gas release at
1 m, a pipe or valve failure), with AEGL-3/2/1 (60 min) zones. When the scene reports more, the
dispatcher enters the release (:class:`Release`: a rate with the quantity that can leak, a mass
released at once, or a hole in a tank or pipe through 事故模拟's own hole model, the registry tank
filling in what it knows by 事故模拟's rule) and the zone is computed again for it, keeping the source
term the models computed; the record keeps the release, so a later
recomputation for a turned wind keeps it too. A duty officer who knows still more runs 事故模拟 and
links the run (an incident made from a run takes that run's zones instead).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from django.utils import timezone

from chempark.common.geo import representative_point
from chempark.consequence import accident, simulations
from chempark.consequence.errors import ConsequenceInputError
from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode, InvalidInput
from chempark.emergency import leak_layer, model_warnings, tank_release
from chempark.emergency import selectors as emergency
from chempark.park.models import Chemical
from chempark.park.selectors import registry_get, registry_visible

REFERENCE_RELEASE = accident.ReleaseInput(kind="continuous", rate_kg_s=1.0, phase="gas", height_m=1.0)
REFERENCE_TEXT = "参考泄漏：气相连续泄漏 1 kg/s，高度 1 m，AEGL 60 分钟"


TANK_HOLE_FIELDS = (
    "tank_id",
    "hole_diameter_mm",
    "phase",
    "storage_temperature_k",
    "storage_pressure_pa",
    "liquid_head_m",
    "duration_min",
)


@dataclass(frozen=True)
class Release:
    """A release the dispatcher knows of: gas ``continuous`` at ``rate_kg_s`` (for as long as
    ``quantity_kg`` lasts, when given), gas ``instantaneous`` (``quantity_kg`` at once), or a
    ``tank_hole`` of ``hole_diameter_mm`` — 事故模拟's hole model (liquid outflow with flashing, or
    vapour-space gas flow), in the registry tank ``tank_id`` when one is named, for ``quantity_kg``
    or ``duration_min`` of outflow."""

    kind: str
    rate_kg_s: float | None = None
    quantity_kg: float | None = None
    height_m: float = 1.0
    tank_id: int | None = None
    hole_diameter_mm: float | None = None
    phase: str = "liquid"
    storage_temperature_k: float | None = None
    storage_pressure_pa: float | None = None
    liquid_head_m: float = 0.0
    duration_min: float | None = None

    def model_input(self) -> accident.ReleaseInput:
        """The consequence models' release, before a tank fills in what it knows."""
        if self.kind == "instantaneous":
            return accident.ReleaseInput(
                kind="instantaneous", mass_kg=self.quantity_kg, phase="gas", height_m=self.height_m
            )
        if self.kind == "tank_hole":
            return accident.ReleaseInput(
                kind="tank_hole",
                hole_diameter_mm=self.hole_diameter_mm,
                phase="gas" if self.phase == "gas" else "liquid",
                storage_temperature_k=self.storage_temperature_k,
                storage_pressure_pa=self.storage_pressure_pa,
                liquid_head_m=self.liquid_head_m,
                inventory_kg=self.quantity_kg,
                height_m=self.height_m,
            )
        return accident.ReleaseInput(
            kind="continuous",
            rate_kg_s=self.rate_kg_s,
            inventory_kg=self.quantity_kg,
            phase="gas",
            height_m=self.height_m,
        )

    def record(self) -> dict[str, Any]:
        """What the zone record keeps of the dispatcher's input (the fields of its kind)."""
        values = asdict(self)
        if self.kind != "tank_hole":
            return {key: value for key, value in values.items() if key not in TANK_HOLE_FIELDS}
        return {key: value for key, value in values.items() if key != "rate_kg_s"}

    def text(self) -> str:
        if self.kind == "instantaneous":
            what = f"气相瞬时泄漏 {self.quantity_kg:g} kg"
        elif self.kind == "tank_hole":
            where = "气相空间" if self.phase == "gas" else "液面以下"
            what = f"储罐孔洞泄漏，孔径 {self.hole_diameter_mm:g} mm，{where}"
        else:
            what = f"气相连续泄漏 {self.rate_kg_s:g} kg/s"
            if self.quantity_kg is not None:
                what += f"（可泄漏量 {self.quantity_kg:g} kg）"
        return f"现场报告泄漏：{what}，高度 {self.height_m:g} m，AEGL 60 分钟"

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Release | None:
        values = record.get("release_input")
        return cls(**values) if isinstance(values, dict) else None


def release_from_input(values: dict[str, Any]) -> Release:
    """The dispatcher's release, checked: a continuous one needs its rate, an instantaneous one its
    quantity, a tank hole its diameter and at most one of quantity and duration; the numbers'
    ranges are the schema's (事故模拟's for a hole)."""
    kind = values["kind"]
    if kind == "continuous" and values.get("rate_kg_s") is None:
        raise InvalidInput("连续泄漏须填写泄漏速率（kg/s）。", details={"rate_kg_s": ["required"]})
    if kind == "instantaneous" and values.get("quantity_kg") is None:
        raise InvalidInput("瞬时泄漏须填写泄漏量（kg）。", details={"quantity_kg": ["required"]})
    if kind == "tank_hole":
        if values.get("hole_diameter_mm") is None:
            raise InvalidInput("储罐孔洞泄漏须填写孔径（mm）。", details={"hole_diameter_mm": ["required"]})
        if values.get("quantity_kg") is not None and values.get("duration_min") is not None:
            raise InvalidInput(
                "可泄漏量与泄漏持续时间只能填写一项。", details={"quantity_kg": ["or"], "duration_min": ["or"]}
            )
    floats = {key: float(value) for key, value in values.items() if isinstance(value, int | float) and key != "tank_id"}
    kept = {**values, **floats}
    if kind != "continuous":
        kept["rate_kg_s"] = None
    if kind != "tank_hole":
        kept = {key: value for key, value in kept.items() if key not in TANK_HOLE_FIELDS}
    return Release(**kept)


def model_refusal(exc: ConsequenceInputError) -> InvalidInput:
    """The models' refusal of a reported release, in the words 事故模拟 uses for it."""
    known = model_warnings.toxic_refusal(str(exc))
    if known is None:
        return InvalidInput(f"无法按该泄漏计算威胁区：{exc}", details={"release": [str(exc)]})
    return InvalidInput(
        f"无法按该泄漏计算威胁区：{known[1]}",
        code=ErrorCode.INVALID_MODEL_INPUT,
        details={"release": [str(exc)], "model": known[0]},
    )


DURATION_MIN = 60.0
EVACUATION_ZONE = 1
"""Index of the zone to evacuate (AEGL-2: irreversible effects); the routes avoid the zone inside it
(AEGL-3, index 0) and every road crossing it."""


def _targets(actor: Actor) -> list[accident.TargetInput]:
    return [
        *(
            accident.TargetInput(t.pk, t.name, t.kind, t.geometry, t.population)
            for t in registry_visible(actor, "protectivetarget")
        ),
        *(
            accident.TargetInput(a.pk, a.name, a.kind, a.geometry, a.population, group="population")
            for a in emergency.populated_areas(actor)
        ),
    ]


def _wind(actor: Actor) -> tuple[accident.WeatherInput, str]:
    park = registry_visible(actor, "park").order_by("id").first()
    if park is None or not actor.can("monitoring.read"):
        used = leak_layer.WindUsed(leak_layer.default_wind())
    else:
        used = leak_layer.wind_for_park(actor, park.pk)
    met = emergency.at_park_altitude(actor, used.met, park.pk if park is not None else None)
    where = "园区气象站实测" if used.measured is not None else "配置的假定风况"
    return met, f"{where}：风从 {met.wind_from_deg:.0f}° 吹来，{met.wind_speed_m_s:.1f} m/s，稳定度 {met.stability}"


def from_results(results: dict[str, Any], *, wind_from_deg: float, wind_text: str, chemical: str) -> dict[str, Any]:
    """The zone record an incident keeps, from a simulation's results."""
    geo = results.get("geojson") or {"type": "FeatureCollection", "features": []}
    targets_by_key = {}
    for item in results.get("affected_targets", []):
        targets_by_key[(item.get("group", "target"), item["id"])] = item
    return {
        "chemical": chemical,
        "wind_from_deg": wind_from_deg,
        "wind": wind_text,
        "geojson": geo,
        "zones": [
            {"label": z["label"], "reach_m": z.get("reach_m"), "people": z.get("people", {}).get("total", 0)}
            for z in results.get("zones", [])
        ],
        "affected": list(targets_by_key.values()),
        "computed_at": timezone.now().isoformat(),
    }


def _tank_hole(
    actor: Actor, release: Release, met: accident.WeatherInput, chemical: Chemical, molar_mass: float
) -> tuple[accident.ReleaseInput, str]:
    """The hole as 事故模拟 computes it: the registry tank fills in its measured temperature, its
    design maximum and its vent (:mod:`chempark.emergency.tank_release`, the same rule); a duration
    of outflow becomes the quantity that leaks in it (capped at the tank's inventory). Returns the
    model's release and the tank's name ("" without one)."""
    model = release.model_input()
    tank_name = ""
    if release.tank_id is not None:
        tank = registry_get(actor, "tank", release.tank_id)
        if tank.chemical_id is not None and tank.chemical_id != chemical.pk:
            raise InvalidInput(
                f"储罐“{tank}”的储存介质是{tank.chemical.name_zh}，不是本事件的{chemical.name_zh}：请选择储存该化学品的储罐。",
                details={"tank_id": ["other chemical"]},
            )
        model = tank_release.tank_hole_release(actor, tank, model, met)
        tank_name = str(tank)
    if release.duration_min is not None:
        outflow = accident.resolve_source_term(
            chemical.cas or "",
            replace(model, inventory_kg=None),
            molar_mass,
            met.ambient_temperature_k,
            ambient_pressure_pa=met.pressure_pa,
        )
        leaked = (outflow.outflow_kg_s or outflow.rate_kg_s) * release.duration_min * 60.0
        model = replace(model, inventory_kg=leaked if model.inventory_kg is None else min(leaked, model.inventory_kg))
    return model, tank_name


def _source_term(results: dict[str, Any], model: accident.ReleaseInput, tank_name: str) -> dict[str, Any]:
    """What the zone record keeps of the source term the models computed, with the inputs as they
    were used (the tank's figures filled in), so the page can say what was assumed."""
    term = results["source_term"]
    params = {note["code"]: note.get("params", {}) for note in term.get("note_details", [])}
    outflow = params.get("source_liquid_outflow", {}).get("rate_kg_s")
    flash = params.get("source_flash_fraction", {})
    return {
        "continuous": term["continuous"],
        "rate_kg_s": term["rate_kg_s"],
        "mass_kg": term["mass_kg"],
        "duration_s": term["duration_s"],
        "outflow_kg_s": outflow,
        "flash_fraction": flash.get("flash"),
        "airborne_fraction": flash.get("airborne"),
        "note_details": term.get("note_details", []),
        "dispersion": results.get("dispersion"),
        "inputs": {**asdict(model), "tank": tank_name},
    }


def compute(
    actor: Actor, *, lon: float, lat: float, chemical: Chemical | None, release: Release | None = None
) -> dict[str, Any]:
    """The zone record for a release of ``chemical`` at (lon, lat) — the reference release unless
    ``release`` is given; without a chemical the models have nothing to compute and the record says
    why. A release the models refuse raises :class:`ConsequenceInputError` (the caller answers 422),
    a tank that does not fit :class:`InvalidInput`."""
    if chemical is None or not chemical.cas:
        return {"reason": "未指定带 CAS 号的化学品，无法计算毒气扩散威胁区。"}
    met, wind_text = _wind(actor)
    tank_name = ""
    try:
        molar_mass = simulations.molar_mass_g_mol(chemical.cas, chemical.molar_mass_g_mol)
        model = REFERENCE_RELEASE if release is None else release.model_input()
        if release is not None and release.kind == "tank_hole":
            model, tank_name = _tank_hole(actor, release, met, chemical, molar_mass)
        simulation = simulations.simulate_accident(
            cas=chemical.cas,
            molar_mass=molar_mass,
            source_lon=lon,
            source_lat=lat,
            release=model,
            met=met,
            thresholds=None,
            levels=None,
            duration_min=DURATION_MIN,
            targets=_targets(actor),
        )
    except ConsequenceInputError as exc:
        if release is not None:
            raise
        return {"reason": f"{chemical.name_zh} 无法计算威胁区：{exc}"}
    record = from_results(
        simulation.results, wind_from_deg=met.wind_from_deg, wind_text=wind_text, chemical=chemical.name_zh
    )
    positions = {(t.group, t.id): representative_point(t.geometry) for t in _targets(actor)}
    for item in record["affected"]:
        item["lon"], item["lat"] = positions.get((item.get("group", "target"), item["id"]), (lon, lat))
    record["release"] = REFERENCE_TEXT if release is None else release.text()
    if release is not None:
        record["release_input"] = release.record()
        record["source_term"] = _source_term(simulation.results, model, tank_name)
        if release.kind == "tank_hole":
            term = record["source_term"]
            record["release"] += f"；计算进入大气速率 {term['rate_kg_s']:.3g} kg/s" + (
                f"，持续 {term['duration_s'] / 60:.3g} min" if term["duration_s"] else ""
            )
    return record


def zone_polygon(zone: dict[str, Any], index: int) -> dict[str, Any] | None:
    """The geometry of zone ``index`` (0 = AEGL-3), or of the widest there is."""
    features = zone.get("geojson", {}).get("features", [])
    if not features:
        return None
    geometry: dict[str, Any] = features[min(index, len(features) - 1)]["geometry"]
    return geometry


def people_in_zone(zone: dict[str, Any], index: int = EVACUATION_ZONE) -> int:
    zones = zone.get("zones", [])
    if not zones:
        return 0
    return int(zones[min(index, len(zones) - 1)]["people"] or 0)
