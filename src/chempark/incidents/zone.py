"""The threat zone of an incident: the 事故模拟 models of :mod:`chempark.consequence` run for the
incident's chemical at its position with the park's measured wind (or the configured one, as the
leak-source layer does), counting the protective targets and populated areas inside.

What leaks, and how fast, is rarely known when the call comes in, so the zone is first a screening
estimate for a reference release, :data:`REFERENCE_RELEASE` (a continuous 1 kg/s gas release at
1 m, a pipe or valve failure), with AEGL-3/2/1 (60 min) zones. When the scene reports more, the
dispatcher enters the release (:class:`Release`: a rate with the quantity that can leak, or a mass
released at once) and the zone is computed again for it; the record keeps the release, so a later
recomputation for a turned wind keeps it too. A duty officer who knows still more runs 事故模拟 and
links the run (an incident made from a run takes that run's zones instead).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone

from chempark.common.geo import representative_point
from chempark.consequence import accident, simulations
from chempark.consequence.errors import ConsequenceInputError
from chempark.core.actors import Actor
from chempark.emergency import leak_layer
from chempark.emergency import selectors as emergency
from chempark.park.models import Chemical
from chempark.park.selectors import registry_visible

REFERENCE_RELEASE = accident.ReleaseInput(kind="continuous", rate_kg_s=1.0, phase="gas", height_m=1.0)
REFERENCE_TEXT = "参考泄漏：气相连续泄漏 1 kg/s，高度 1 m，AEGL 60 分钟"


@dataclass(frozen=True)
class Release:
    """A gas release the dispatcher knows of: ``continuous`` at ``rate_kg_s`` (for as long as
    ``quantity_kg`` lasts, when given) or ``instantaneous`` (``quantity_kg`` at once)."""

    kind: str
    rate_kg_s: float | None = None
    quantity_kg: float | None = None
    height_m: float = 1.0

    def model_input(self) -> accident.ReleaseInput:
        if self.kind == "instantaneous":
            return accident.ReleaseInput(
                kind="instantaneous", mass_kg=self.quantity_kg, phase="gas", height_m=self.height_m
            )
        return accident.ReleaseInput(
            kind="continuous",
            rate_kg_s=self.rate_kg_s,
            inventory_kg=self.quantity_kg,
            phase="gas",
            height_m=self.height_m,
        )

    def text(self) -> str:
        if self.kind == "instantaneous":
            what = f"气相瞬时泄漏 {self.quantity_kg:g} kg"
        else:
            what = f"气相连续泄漏 {self.rate_kg_s:g} kg/s"
            if self.quantity_kg is not None:
                what += f"（可泄漏量 {self.quantity_kg:g} kg）"
        return f"现场报告泄漏：{what}，高度 {self.height_m:g} m，AEGL 60 分钟"

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Release | None:
        values = record.get("release_input")
        return cls(**values) if isinstance(values, dict) else None


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


def compute(
    actor: Actor, *, lon: float, lat: float, chemical: Chemical | None, release: Release | None = None
) -> dict[str, Any]:
    """The zone record for a release of ``chemical`` at (lon, lat) — the reference release unless
    ``release`` is given; without a chemical the models have nothing to compute and the record says
    why. A release the models refuse raises :class:`ConsequenceInputError` (the caller answers 422)."""
    if chemical is None or not chemical.cas:
        return {"reason": "未指定带 CAS 号的化学品，无法计算毒气扩散威胁区。"}
    met, wind_text = _wind(actor)
    try:
        molar_mass = simulations.molar_mass_g_mol(chemical.cas, chemical.molar_mass_g_mol)
        simulation = simulations.simulate_accident(
            cas=chemical.cas,
            molar_mass=molar_mass,
            source_lon=lon,
            source_lat=lat,
            release=REFERENCE_RELEASE if release is None else release.model_input(),
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
        record["release_input"] = asdict(release)
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
