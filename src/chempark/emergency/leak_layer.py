"""The one-map layer "估计泄漏源": where the gas is most likely leaking from, when two or more gas
detectors of an enterprise alarm at once.

Computed on every request from the live state (a handful of detectors; nothing is cached or
stored): per enterprise, the enabled gas detectors (可燃气体 %LEL, 有毒气体 ppm) with a current
reading; when at least two of them have an active high alarm, all of those readings (the quiet
detectors constrain the fit too) go to :func:`chempark.emergency.services.leak_source_fit`.

* **Units**: readings become g/m³ (:mod:`chempark.consequence.gas_units`) with the chemical of the
  tank the detector watches; a detector naming no chemical is read as methane (%LEL) or with the
  molar mass of air (ppm), and the popup says the rate is nominal.
* **Wind**: measured when the park's wind points have it — the most recent fresh reading (within
  the point's stale timeout) of a wind speed point and of a wind direction point, both needed
  (:func:`chempark.monitoring.selectors.wind_now`); otherwise the configured default
  (``CHEMPARK_DEFAULT_WIND_FROM_DEG`` 90, ``CHEMPARK_DEFAULT_WIND_SPEED_M_S`` 3). A measured speed
  under 1 m/s is raised to 1 m/s, the floor of the configured wind too: the Gaussian plume does not
  describe calm air. The stability class is always the configured one
  (``CHEMPARK_DEFAULT_STABILITY`` D): wind points do not give it. The popup and the feature's
  ``wind`` property say which wind was used (points and reading times, or configured).
* **Air pressure**: the standard atmosphere's at the park's altitude; it converts the readings
  (a ppm or %LEL is fewer grams per m³ in thinner air) and goes into the fit's zones. The
  feature's ``ambient_pressure_pa`` says which pressure was used.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.config import current
from chempark.consequence import accident, gas_units, simulations, toxic
from chempark.consequence.errors import ConsequenceInputError
from chempark.core.actors import Actor
from chempark.core.errors import InvalidInput
from chempark.core.map_layers import Feature, MapLayer
from chempark.emergency import model_warnings, selectors, services
from chempark.monitoring import selectors as monitoring
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import AlarmStatus, AlarmType, Point, PointKind

GAS_KINDS = (PointKind.GAS_LEL, PointKind.GAS_PPM)
ACTIVE = (AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK)
MIN_ALARMING = 2
MIN_MODEL_WIND_M_S = 1.0
# A fit is reused for this long when the readings or the wind have moved (same detectors, same
# alarms); the popup then says when it was computed.
REUSE_SECONDS = 30
# The weather that changes from one reading to the next (the rest is configuration).
MOVING_WEATHER = ("wind_speed_m_s", "wind_from_deg")
# How long a fit stays in the cache at all (the protective targets it counts may change).
CACHE_SECONDS = 300
logger = logging.getLogger(__name__)


def default_wind() -> accident.WeatherInput:
    """The assumed wind, when the park's wind points give none: from the settings, by default 90° 3 m/s D."""
    settings = current()
    return accident.WeatherInput(
        wind_speed_m_s=settings.default_wind_speed_m_s,
        wind_from_deg=settings.default_wind_from_deg,
        stability=settings.default_stability,
    )


@dataclass(frozen=True)
class WindUsed:
    """The wind an estimate is computed with, and where it comes from (``measured`` None: configured)."""

    met: accident.WeatherInput
    measured: monitoring.MeasuredWind | None = None

    @property
    def raised_to_floor(self) -> bool:
        return self.measured is not None and self.measured.speed_m_s < MIN_MODEL_WIND_M_S

    def as_properties(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": "configured" if self.measured is None else "measured",
            "speed_m_s": self.met.wind_speed_m_s,
            "from_deg": self.met.wind_from_deg,
            "stability": self.met.stability,
        }
        if self.measured is not None:
            speed, direction = self.measured.speed, self.measured.direction
            data.update(
                speed_point=speed.code,
                speed_at=speed.at.isoformat(),
                measured_speed_m_s=speed.value,
                direction_point=direction.code,
                direction_at=direction.at.isoformat(),
            )
        return data


def wind_for_park(actor: Actor, park_id: int, *, now_ms: int | None = None) -> WindUsed:
    """The park's measured wind when its wind points have a fresh reading of both speed and
    direction, otherwise the configured one."""
    configured = default_wind()
    measured = monitoring.wind_now(
        actor, park_id=park_id, now_ms=now_ms if now_ms is not None else datetime_to_ms(timezone.now())
    )
    if measured is None:
        return WindUsed(configured)
    met = dataclasses.replace(
        configured, wind_speed_m_s=max(measured.speed_m_s, MIN_MODEL_WIND_M_S), wind_from_deg=measured.from_deg
    )
    return WindUsed(met, measured)


@dataclass
class DetectorGroup:
    """The gas detectors of one enterprise with a current reading, and which of them alarm."""

    enterprise_id: int
    enterprise_name: str
    park_id: int
    points: list[Point] = field(default_factory=list)
    alarming: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class SourceEstimate:
    group: DetectorGroup
    fit: services.LeakSourceFit
    chemical_cas: str
    nominal_rate: bool
    wind: WindUsed
    conversions: list[str]
    # when the fit was computed: now, or up to REUSE_SECONDS ago when the readings have moved since
    computed_at: datetime

    @property
    def met(self) -> accident.WeatherInput:
        return self.wind.met


DETECTOR_FIELDS = (
    "id",
    "code",
    "kind",
    "lon",
    "lat",
    "enabled",
    "enterprise__name",
    "enterprise__park_id",
    "latest__value",
    "latest__online",
    "tank__chemical__cas",
)


def alarming_groups(actor: Actor) -> list[DetectorGroup]:
    """Per enterprise visible to the actor, its gas detectors with a reading, when at least two of
    them have an active high alarm. Only those enterprises' detectors are loaded: a park of 100,000
    points has tens of thousands of gas detectors, and loading them all took seconds."""
    alarms = monitoring.alarms_visible(actor).filter(
        status__in=ACTIVE, alarm_type=AlarmType.HIGH, point__kind__in=GAS_KINDS, point__enabled=True
    )
    per_enterprise: dict[int, set[int]] = {}
    for point_id, enterprise_id in alarms.order_by().values_list("point_id", "point__enterprise_id"):
        per_enterprise.setdefault(enterprise_id, set()).add(point_id)
    candidates = [e for e, ids in per_enterprise.items() if len(ids) >= MIN_ALARMING]
    if not candidates:
        return []
    alarming = set().union(*(per_enterprise[e] for e in candidates))
    groups: dict[int, DetectorGroup] = {}
    points = (
        monitoring.points_visible(actor)
        .filter(kind__in=GAS_KINDS, enabled=True, enterprise_id__in=candidates)
        # only the columns the fit and the popup use: five joined models per detector, a thousand
        # detectors, were most of the layer's time (the alarm state alone is a JSON document each)
        .select_related(None)
        .select_related("enterprise", "latest", "tank__chemical")
        .only(*DETECTOR_FIELDS)
        .order_by("enterprise_id", "code")
    )
    for point in points:
        latest = getattr(point, "latest", None)
        if latest is None or latest.value is None or not latest.online:
            continue
        group = groups.setdefault(
            point.enterprise_id, DetectorGroup(point.enterprise_id, point.enterprise.name, point.enterprise.park_id)
        )
        group.points.append(point)
        if point.pk in alarming:
            group.alarming.add(point.pk)
    return [g for g in groups.values() if len(g.alarming) >= MIN_ALARMING]


def _concentration(point: Point, cas: str, temperature_k: float, pressure_pa: float) -> tuple[float, str]:
    """A detector's latest value in g/m³ (at the air's temperature and pressure) and how it was converted."""
    value = max(0.0, float(point.latest.value or 0.0))
    if point.kind == PointKind.GAS_LEL:
        gas = cas or gas_units.REFERENCE_LEL_CAS
        lfl = gas_units.lower_flammability_limit(gas)
        molar_mass = toxic.molar_mass_g_mol(gas)
        how = f"%LEL × LFL {lfl:.3g} ({gas}), M {molar_mass:.4g} g/mol"
        return gas_units.lel_percent_to_g_m3(value, lfl, molar_mass, temperature_k, pressure_pa), how
    molar_mass = toxic.molar_mass_g_mol(cas) if cas else gas_units.NOMINAL_MOLAR_MASS_G_MOL
    how = f"ppm, M {molar_mass:.4g} g/mol" + ("" if cas else " (air, nominal)")
    return gas_units.ppm_to_g_m3(value, molar_mass, temperature_k, pressure_pa), how


def _fit(
    actor: Actor,
    group: DetectorGroup,
    readings: list[simulations.DetectorReading],
    met: accident.WeatherInput,
    cas: str,
) -> tuple[services.LeakSourceFit, datetime]:
    """The group's fit, from the cache when it was made for the same detectors, alarms, chemical
    and air: always when the readings and the wind are the same too (the fit is a function of
    them), and within ``REUSE_SECONDS`` of its computation when they have moved. A fit costs ~50 ms (seconds under
    load); a map refreshed by every dispatcher of a park with many alarming groups recomputed every
    one on each request (1,000 gas alarms: 40 groups, 9–38 s). A refused fit is kept the same way,
    so a diverging group is not retried on every request either."""
    scope = "all" if actor.enterprise_id is None else str(actor.enterprise_id)
    key = f"leak-source:{scope}:{group.enterprise_id}"
    # what must be the same for any reuse: the detectors, which of them alarm, the chemical, and
    # the air apart from the wind (altitude, pressure, temperature, stability: configuration)
    air = tuple((f.name, getattr(met, f.name)) for f in dataclasses.fields(met) if f.name not in MOVING_WEATHER)
    signature = (tuple(sorted(group.alarming)), tuple(p.pk for p in group.points), cas, air)
    # what may have moved within REUSE_SECONDS: the readings and the measured wind
    inputs = (
        tuple((r.lon, r.lat, r.concentration_g_m3) for r in readings),
        tuple(getattr(met, name) for name in MOVING_WEATHER),
    )
    now = timezone.now()
    cached = cache.get(key)
    if cached is not None:
        cached_signature, cached_inputs, computed_at, outcome = cached
        fresh = (now - computed_at).total_seconds() < REUSE_SECONDS
        if cached_signature == signature and (cached_inputs == inputs or fresh):
            if isinstance(outcome, str):
                raise InvalidInput(outcome)
            return outcome, computed_at
    try:
        fit = services.leak_source_fit(actor=actor, detectors=readings, met=met, chemical_cas=cas or None)
    except (ConsequenceInputError, InvalidInput) as exc:
        cache.set(key, (signature, inputs, now, str(exc)), CACHE_SECONDS)
        raise
    cache.set(key, (signature, inputs, now, fit), CACHE_SECONDS)
    return fit, now


def estimate_sources(actor: Actor) -> list[SourceEstimate]:
    """The estimated source of every group of two or more alarming gas detectors (computed now)."""
    if not (actor.can("simulation.run") and actor.can("monitoring.read")):
        return []
    winds: dict[int, tuple[WindUsed, accident.WeatherInput]] = {}
    found = []
    for group in alarming_groups(actor):
        if group.park_id not in winds:  # once per park, not per group (a query each)
            park_wind = wind_for_park(actor, group.park_id)
            winds[group.park_id] = (park_wind, selectors.at_park_altitude(actor, park_wind.met, group.park_id))
        wind, met = winds[group.park_id]
        named = Counter(
            p.tank.chemical.cas
            for p in group.points
            if p.tank is not None and p.tank.chemical is not None and p.tank.chemical.cas
        )
        cas = named.most_common(1)[0][0] if named else ""
        nominal = not named or any(p.tank is None or p.tank.chemical is None for p in group.points)
        readings, conversions = [], []
        try:
            for p in group.points:
                point_cas = p.tank.chemical.cas if p.tank is not None and p.tank.chemical is not None else ""
                concentration, how = _concentration(p, point_cas or "", met.ambient_temperature_k, met.pressure_pa)
                readings.append(
                    simulations.DetectorReading(p.lon, p.lat, concentration_g_m3=concentration, name=p.code)
                )
                conversions.append(f"{p.code}: {how}")
            fit, computed_at = _fit(actor, group, readings, met, cas)
        except (ConsequenceInputError, InvalidInput) as exc:
            # a group the model cannot use (no LFL known, wind out of range…) is left off the map
            # without hiding the other enterprises' estimates
            logger.warning("leak source of enterprise %s not estimated: %s", group.enterprise_id, exc)
            continue
        found.append(SourceEstimate(group, fit, cas, nominal, wind, conversions, computed_at))
    return found


def _simulation_link(estimate: SourceEstimate) -> str:
    rate_kg_s = float(estimate.fit.results["rate_g_s"]) / 1000.0
    query = {
        "lon": f"{estimate.fit.lon:.6f}",
        "lat": f"{estimate.fit.lat:.6f}",
        "kind": "continuous",
        "rate_kg_s": f"{rate_kg_s:.6g}",
        "height_m": "0",
        "wind_speed_m_s": f"{estimate.met.wind_speed_m_s:g}",
        "wind_from_deg": f"{estimate.met.wind_from_deg:g}",
        "stability": str(estimate.met.stability),
    }
    if estimate.chemical_cas:
        query["cas"] = estimate.chemical_cas
    return f"{reverse('emergency:simulation')}?{urlencode(query)}"


def _wind_source(wind: WindUsed) -> str:
    measured = wind.measured
    if measured is None:
        return str(format_html("{}", _("配置的假定风况：园区风速风向点位无新近读数")))
    text = format_html(
        "{}：{} {}，{} {}；{}",
        _("实测风况"),
        measured.speed.code,
        timezone.localtime(measured.speed.at).strftime("%H:%M:%S"),
        measured.direction.code,
        timezone.localtime(measured.direction.at).strftime("%H:%M:%S"),
        _("稳定度取配置值"),
    )
    if wind.raised_to_floor:
        text += format_html(
            "；{} {} m/s {} {} m/s",
            _("实测风速"),
            f"{measured.speed_m_s:g}",
            _("低于模型下限，按"),
            f"{MIN_MODEL_WIND_M_S:g}",
        )
    return str(text)


def _popup(estimate: SourceEstimate) -> str:
    results, met = estimate.fit.results, estimate.met
    lines = [format_html("{}：{}", _("企业"), estimate.group.enterprise_name)]
    rate = format_html("{}：{} g/s", _("估计泄漏速率"), results["rate_g_s"])
    if "rate_factor_1sigma" in results:
        rate += format_html(" ×/÷ {}（1σ）", results["rate_factor_1sigma"])
    if estimate.nominal_rate:
        rate += format_html("（{}）", _("部分探测器未关联化学品，速率为名义值"))
    lines.append(rate)
    if "standard_error_east_m" in results:
        lines.append(
            format_html(
                "{}：东西 ±{} m，南北 ±{} m（1σ）",
                _("位置不确定度"),
                results["standard_error_east_m"],
                results["standard_error_north_m"],
            )
        )
    by_pk = {p.pk: p for p in estimate.group.points}
    used = ", ".join(f"{p.code}{'*' if p.pk in estimate.group.alarming else ''}" for p in by_pk.values())
    lines.append(format_html("{}：{}（* {}）", _("使用的探测器"), used, _("报警中")))
    lines.append(
        format_html(
            "{}：{}° {} m/s {}（{}）",
            _("风"),
            f"{met.wind_from_deg:g}",
            f"{met.wind_speed_m_s:g}",
            met.stability,
            _wind_source(estimate.wind),
        )
    )
    lines.append(format_html("{}：{}", _("估计时间"), timezone.localtime(estimate.computed_at).strftime("%H:%M:%S")))
    if results.get("ill_posed"):
        lines.append(format_html("<b>{}</b>", _("病态问题（结果不可靠）")))
    translated = {str(d.get("message", "")) for d in estimate.fit.warning_details}
    lines.extend(format_html("{}", model_warnings.localized_warning(d)) for d in estimate.fit.warning_details)
    lines.extend(format_html("{}", w) for w in estimate.fit.warnings if w not in translated)
    body = format_html_join("", "<br>{}", ((line,) for line in lines))
    link = format_html(
        '<br><a href="{}" data-testid="leak-source-simulate">{} ›</a>',
        _simulation_link(estimate),
        _("在事故模拟中打开"),
    )
    return str(format_html("<b>{}</b>{}{}", _("估计泄漏源"), body, link))


def zone_colour(index: int) -> str:
    """The colour token of the index-th threat zone, innermost (red) first; the stylesheet defines four."""
    return f"--zone-{min(int(index), 3)}"


def build(actor: Actor) -> list[Feature]:
    """The layer's features: each estimated source point, then its threat zones (outermost first)."""
    features: list[Feature] = []
    for estimate in estimate_sources(actor):
        fit = estimate.fit
        popup = _popup(estimate)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [fit.lon, fit.lat]},
                "properties": {
                    "id": estimate.group.enterprise_id,
                    "name": estimate.group.enterprise_name,
                    "kind": "source",
                    "rate_g_s": fit.results["rate_g_s"],
                    "ill_posed": fit.results["ill_posed"],
                    "chemical_cas": estimate.chemical_cas,
                    "detectors": [p.code for p in estimate.group.points],
                    "wind": estimate.wind.as_properties(),
                    "ambient_pressure_pa": fit.results["ambient_pressure_pa"],
                    "fillColor": "--map-leak-source",
                    "popup": popup,
                },
            }
        )
        zone_features: list[dict[str, Any]] = [
            f for f in fit.results.get("geojson", {}).get("features", []) if f.get("geometry")
        ]
        for zone in reversed(zone_features):
            colour = zone_colour(zone["properties"].get("index", 0))
            features.append(
                {
                    "type": "Feature",
                    "geometry": zone["geometry"],
                    "properties": {
                        "id": estimate.group.enterprise_id,
                        "name": zone["properties"].get("label", ""),
                        "kind": "zone",
                        "color": colour,
                        "fillColor": colour,
                        "popup": str(
                            format_html("<b>{}</b><br>{}", _("估计泄漏源影响区域"), zone["properties"].get("label", ""))
                        ),
                    },
                }
            )
    return features


LAYER = MapLayer(
    "leak_source",
    gettext_lazy("估计泄漏源"),
    70,
    build,
    capability="simulation.run",
    style={"point": "circle", "radius": 9, "color": "--map-outline", "weight": 2, "fillOpacity": 0.45},
    legend=(("--map-leak-source", gettext_lazy("估计泄漏源（≥2 个气体探测器报警）")),),
)
