"""Writes of the emergency module: accident simulation (事故模拟), leak-source estimation and QRA
studies. Pages, the API, and later the alarm and incident pages all call these.

Each service checks the actor's capability (and, through the registry selectors, the enterprise
scope of a unit or tank it names), runs the pure models of :mod:`chempark.consequence`, stores the
run with its inputs and results and appends the audit row in the same transaction. Bad input
raises :class:`~chempark.core.errors.InvalidInput` (HTTP 422) with the model's reason, and nothing
is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.consequence import accident, fire_accidents, qra_platform, qra_rows, qra_tank_scenarios, simulations
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.simulations import DetectorReading, ThresholdSpec
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, InvalidInput
from chempark.core.jobs.queue import job_active_for, job_enqueue
from chempark.emergency import model_warnings, selectors
from chempark.emergency.models import (
    AccidentScenario,
    PopulatedArea,
    QraStatus,
    QraStudy,
    SimulationKind,
    SimulationOrigin,
    SimulationRun,
)
from chempark.emergency.selectors import qra_study_get
from chempark.emergency.tank_release import PRESSURISED_TANKS, tank_hole_release
from chempark.monitoring import selectors as monitoring
from chempark.monitoring.models import Alarm
from chempark.park.models import Chemical, Park, Tank
from chempark.park.selectors import registry_get, registry_visible


@contextmanager
def model_errors() -> Iterator[None]:
    """Turn a model's input error into a 422 with its reason."""
    try:
        yield
    except ConsequenceInputError as exc:
        known = model_warnings.toxic_refusal(str(exc))
        if known is None:
            raise InvalidInput(
                f"输入超出模型适用范围或不合法：{exc}", code=ErrorCode.INVALID_MODEL_INPUT, details={"reason": str(exc)}
            ) from exc
        raise InvalidInput(
            known[1], code=ErrorCode.INVALID_MODEL_INPUT, details={"reason": str(exc), "model": known[0]}
        ) from exc


def _chemical(actor: Actor, cas: str) -> Chemical:
    chemical: Chemical | None = registry_visible(actor, "chemical").filter(cas=cas.strip()).first()
    if chemical is None:
        raise InvalidInput(
            f"危险化学品目录中没有 CAS 号为 {cas} 的化学品。",
            code=ErrorCode.UNKNOWN_CHEMICAL,
            details={"chemical_cas": ["unknown"]},
        )
    return chemical


def _molar_mass(chemical: Chemical) -> float:
    with model_errors():
        return simulations.molar_mass_g_mol(chemical.cas or "", chemical.molar_mass_g_mol)


def _targets(actor: Actor) -> list[accident.TargetInput]:
    return [
        accident.TargetInput(t.pk, t.name, t.kind, t.geometry, t.population)
        for t in registry_visible(actor, "protectivetarget")
    ]


def _people(actor: Actor) -> list[accident.TargetInput]:
    """Everyone a simulation counts: the protective targets, the enterprises' employees at their
    sites (an enterprise without a head count is left out) and the population layer's areas."""
    enterprises = registry_visible(actor, "enterprise").filter(employees__gt=0)
    return [
        *_targets(actor),
        *(
            accident.TargetInput(
                e.pk,
                e.name,
                "enterprise",
                {"type": "Point", "coordinates": [e.lon, e.lat]},
                e.employees or 0,
                group="enterprise",
            )
            for e in enterprises
        ),
        *(
            accident.TargetInput(a.pk, a.name, a.kind, a.geometry, a.population, group="population")
            for a in selectors.populated_areas(actor)
        ),
    ]


def _alarm(actor: Actor, alarm_id: int | None) -> Alarm | None:
    """The alarm a run is started from, as the actor sees it (404 otherwise)."""
    return None if alarm_id is None else monitoring.alarm_get(actor, alarm_id)


def accident_simulate(
    *,
    actor: Actor,
    release: accident.ReleaseInput,
    met: accident.WeatherInput,
    chemical_cas: str | None = None,
    source_lon: float | None = None,
    source_lat: float | None = None,
    unit_id: int | None = None,
    tank_id: int | None = None,
    thresholds: Sequence[ThresholdSpec] | None = None,
    levels: Sequence[str] | None = None,
    duration_min: float = 60.0,
    origin: str = SimulationOrigin.API,
    title: str = "",
    alarm_id: int | None = None,
) -> SimulationRun:
    """Simulate a toxic release and store the run: zones (GeoJSON, WGS84, oriented by the wind) and
    the protective targets inside each zone with their people.

    The source is a point (``source_lon``/``source_lat``), a unit or a tank of the registry (its
    position; a tank also gives its chemical and, for a hole, its inventory and whether it is
    pressurised). Thresholds default to the chemical's AEGL-3/2/1 at ``duration_min``. The air
    pressure is the standard atmosphere's at the park's altitude (the tank's or unit's park, else
    the first); the results say which pressure was used.
    """
    actor.require("simulation.run")
    alarm = _alarm(actor, alarm_id)
    inputs: dict[str, Any] = {
        "release": asdict(release),
        "weather": asdict(met),
        "duration_min": duration_min,
        "levels": list(levels or []),
        "thresholds": [asdict(t) for t in thresholds or []],
    }
    lon, lat = source_lon, source_lat
    tank: Tank | None = None
    park_id: int | None = None
    if tank_id is not None:
        tank = registry_get(actor, "tank", tank_id)
        lon, lat = lon if lon is not None else tank.unit.lon, lat if lat is not None else tank.unit.lat
        park_id = tank.unit.enterprise.park_id
        if chemical_cas is None and tank.chemical is not None:
            chemical_cas = tank.chemical.cas
    elif unit_id is not None:
        unit = registry_get(actor, "unit", unit_id)
        lon, lat = lon if lon is not None else unit.lon, lat if lat is not None else unit.lat
        park_id = unit.enterprise.park_id
        inputs.update(unit_id=unit.pk, unit=str(unit))
    met = selectors.at_park_altitude(actor, met, park_id)
    if tank is not None:
        release = tank_hole_release(actor, tank, release, met)
        inputs.update(tank_id=tank.pk, tank=str(tank), unit_id=tank.unit_id, release=asdict(release))
    if lon is None or lat is None:
        raise InvalidInput(
            "请给出泄漏源位置（经纬度，或单元、储罐）。",
            code=ErrorCode.MISSING_SOURCE,
            details={"source": ["required"]},
        )
    if not chemical_cas:
        raise InvalidInput(
            "请给出化学品（CAS 号）。", code=ErrorCode.MISSING_CHEMICAL, details={"chemical_cas": ["required"]}
        )
    chemical = _chemical(actor, chemical_cas)
    cas = chemical.cas or ""
    with model_errors():
        simulation = simulations.simulate_accident(
            cas=cas,
            molar_mass=_molar_mass(chemical),
            source_lon=lon,
            source_lat=lat,
            release=release,
            met=met,
            thresholds=thresholds,
            levels=levels,
            duration_min=duration_min,
            targets=_people(actor),
        )
    return _store_accident(
        actor,
        simulation,
        scenario=AccidentScenario.TOXIC,
        origin=origin,
        alarm=alarm,
        title=title[:200] or f"{chemical.name_zh} 泄漏",
        chemical=chemical,
        lon=lon,
        lat=lat,
        inputs=inputs,
    )


def _store_accident(
    actor: Actor,
    simulation: simulations.AccidentSimulation,
    *,
    scenario: str,
    origin: str,
    alarm: Alarm | None,
    title: str,
    chemical: Chemical,
    lon: float,
    lat: float,
    inputs: dict[str, Any],
) -> SimulationRun:
    """Store an accident run (toxic, fire or explosion) with its audit row, in one transaction."""
    cas = chemical.cas or ""
    return _record_run(
        actor,
        simulation.affected,
        fields={
            "kind": SimulationKind.ACCIDENT,
            "scenario": scenario,
            "alarm": alarm,
            "origin": origin,
            "title": title,
            "chemical_cas": cas,
            "chemical_name": chemical.name_zh,
            "source_lon": lon,
            "source_lat": lat,
            "inputs": inputs,
            "results": simulation.results,
            "warnings": simulation.warnings,
        },
        summary={"scenario": scenario, "chemical_cas": cas, "source": [lon, lat], "alarm": alarm.pk if alarm else None},
    )


def _record_run(
    actor: Actor,
    affected: Sequence[accident.AffectedTarget],
    *,
    fields: dict[str, Any],
    summary: dict[str, Any],
) -> SimulationRun:
    """Save a simulation run of any kind — who ran it, in whose scope, how many targets and people it
    reaches — and its audit row (the run's kind and ``summary``), in one transaction."""
    with transaction.atomic():
        run = SimulationRun.objects.create(
            **fields,
            created_by_id=actor.user_id,
            enterprise_id=actor.enterprise_id if actor.is_enterprise_scoped else None,
            affected_targets=len(affected),
            affected_people=sum(t.people_affected for t in affected),
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="simulation_run",
            object_id=run.pk,
            after={
                "kind": run.kind,
                **summary,
                "affected_targets": run.affected_targets,
                "affected_people": run.affected_people,
            },
        )
    return run


def fire_accident_simulate(
    *,
    actor: Actor,
    scenario: fire_accidents.FireScenario,
    met: accident.WeatherInput,
    source_lon: float | None = None,
    source_lat: float | None = None,
    unit_id: int | None = None,
    tank_id: int | None = None,
    origin: str = SimulationOrigin.API,
    title: str = "",
    alarm_id: int | None = None,
) -> SimulationRun:
    """Simulate a pool fire, jet fire, fireball or vapour-cloud explosion and store the run: zones
    of heat radiation or overpressure and the people inside each.

    A tank gives its position, its chemical (when ``scenario.fuel_cas`` is empty), its design
    maximum as the spill of a pool fire or the fuel of a fireball (when not given) and its bund.
    A scenario a model refuses is a 422 naming the model and what is missing; nothing is stored.
    The air pressure is the park's, as for :func:`accident_simulate`."""
    actor.require("simulation.run")
    alarm = _alarm(actor, alarm_id)
    lon, lat = source_lon, source_lat
    inputs: dict[str, Any] = {"weather": asdict(met)}
    park_id: int | None = None
    if tank_id is not None:
        tank: Tank = registry_get(actor, "tank", tank_id)
        lon, lat = lon if lon is not None else tank.unit.lon, lat if lat is not None else tank.unit.lat
        park_id = tank.unit.enterprise.park_id
        if not scenario.fuel_cas and tank.chemical is not None:
            scenario = replace(scenario, fuel_cas=tank.chemical.cas or "")
        inventory_kg = float(tank.design_max_t) * 1000.0
        if scenario.kind == "pool_fire" and scenario.pool_diameter_m is None and scenario.spill_mass_kg is None:
            scenario = replace(scenario, spill_mass_kg=inventory_kg)
        if scenario.kind == "pool_fire" and scenario.bund_area_m2 is None and tank.bund_area_m2 is not None:
            scenario = replace(scenario, bund_area_m2=float(tank.bund_area_m2))
        if scenario.kind == "fireball" and scenario.mass_kg is None:
            scenario = replace(scenario, mass_kg=inventory_kg)
        inputs.update(tank_id=tank.pk, tank=str(tank), unit_id=tank.unit_id)
    elif unit_id is not None:
        unit = registry_get(actor, "unit", unit_id)
        lon, lat = lon if lon is not None else unit.lon, lat if lat is not None else unit.lat
        park_id = unit.enterprise.park_id
        inputs.update(unit_id=unit.pk, unit=str(unit))
    met = selectors.at_park_altitude(actor, met, park_id)
    if lon is None or lat is None:
        raise InvalidInput(
            "请给出事故位置（经纬度，或单元、储罐）。", code=ErrorCode.MISSING_SOURCE, details={"source": ["required"]}
        )
    if not scenario.fuel_cas:
        raise InvalidInput(
            "请给出化学品（CAS 号）。", code=ErrorCode.MISSING_CHEMICAL, details={"chemical_cas": ["required"]}
        )
    chemical = _chemical(actor, scenario.fuel_cas)
    scenario = replace(scenario, fuel_cas=chemical.cas or "")
    inputs["scenario"] = asdict(scenario)
    try:
        simulation = simulations.simulate_fire_accident(
            scenario=scenario, source_lon=lon, source_lat=lat, met=met, targets=_people(actor)
        )
    except fire_accidents.ScenarioRefused as exc:
        raise InvalidInput(
            model_warnings.fire_refusal(exc.code, exc.model, exc.params),
            code=ErrorCode.INVALID_MODEL_INPUT,
            details={"model": exc.model, "reason": exc.code, "params": exc.params, "message": str(exc)},
        ) from exc
    label = AccidentScenario(scenario.kind).label
    return _store_accident(
        actor,
        simulation,
        scenario=scenario.kind,
        origin=origin,
        alarm=alarm,
        title=title[:200] or f"{chemical.name_zh} {label}",
        chemical=chemical,
        lon=lon,
        lat=lat,
        inputs=inputs,
    )


def populated_area_save(*, actor: Actor, values: dict[str, Any], pk: int | None = None) -> PopulatedArea:
    """Create (``pk`` None) or change an area of the population layer (bureau: ``park.write``).
    The geometry must be a valid GeoJSON Polygon or MultiPolygon."""
    actor.require("park.write")
    geometry = values.get("geometry")
    if geometry is not None:
        _check_area_geometry(geometry)
    with transaction.atomic():
        if pk is None:
            park = (
                registry_get(actor, "park", values.pop("park"))
                if values.get("park")
                else (registry_visible(actor, "park").order_by("id").first())
            )
            if park is None:
                raise InvalidInput("系统中还没有园区。", code=ErrorCode.NO_PARK)
            values.pop("park", None)
            area, before = PopulatedArea(park=park), None
        else:
            area = selectors.populated_area_get(actor, pk, for_update=True)
            before = {key: getattr(area, key) for key in values}
        for key, value in values.items():
            setattr(area, key, value)
        if PopulatedArea.objects.filter(park_id=area.park_id, name=area.name).exclude(pk=area.pk).exists():
            raise Conflict(
                f"已有名为“{area.name}”的人口区域。", code=ErrorCode.CONFLICT, details={"name": ["duplicate"]}
            )
        area.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if pk is None else AuditAction.UPDATE,
            object_type="populated_area",
            object_id=area.pk,
            before=before,
            after={key: getattr(area, key) for key in ("name", "kind", "population", "geometry")},
        )
    return area


def _check_area_geometry(geometry: Any) -> None:
    from shapely.geometry import shape

    try:
        geom = shape(geometry)
        valid = geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid and geom.area > 0
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        valid = False
    if not valid:
        raise InvalidInput(
            "范围须为有效的 GeoJSON 多边形（Polygon 或 MultiPolygon，经纬度）。",
            code=ErrorCode.VALIDATION_ERROR,
            details={"geometry": ["invalid"]},
        )


@dataclass(frozen=True)
class LeakSourceFit:
    """What a leak-source estimate found: results (JSON-ready), warnings and the affected targets,
    with the catalogue chemical it was made for."""

    lon: float
    lat: float
    results: dict[str, Any]
    warnings: list[str]
    affected: list[accident.AffectedTarget]
    chemical: Chemical | None
    # the zone model's warnings with their stable codes, for a page to show in its own language
    warning_details: list[dict[str, Any]] = field(default_factory=list)


def leak_source_fit(
    *,
    actor: Actor,
    detectors: Sequence[DetectorReading],
    met: accident.WeatherInput,
    chemical_cas: str | None = None,
    release_height_m: float = 0.0,
    detector_height_m: float = 1.5,
) -> LeakSourceFit:
    """The estimate of :func:`leak_source_estimate` without storing it (the one-map computes it on
    every request from the live alarms; nothing is written). ``met`` is the weather at the site,
    its altitude included (:func:`chempark.emergency.selectors.at_park_altitude`)."""
    actor.require("simulation.run")
    chemical = _chemical(actor, chemical_cas) if chemical_cas else None
    molar_mass = _molar_mass(chemical) if chemical is not None else None
    if molar_mass is None and any(d.ppm is not None for d in detectors):
        raise InvalidInput("读数以 ppm 给出时需要化学品（CAS 号）。", code=ErrorCode.MISSING_CHEMICAL)
    with model_errors():
        estimate = simulations.estimate_leak_source(
            detectors=detectors,
            met=met,
            cas=chemical.cas if chemical is not None else None,
            molar_mass=molar_mass,
            release_height_m=release_height_m,
            detector_height_m=detector_height_m,
            targets=_targets(actor) if chemical is not None else [],
        )
    return LeakSourceFit(
        estimate.lon,
        estimate.lat,
        estimate.results,
        estimate.warnings,
        estimate.affected,
        chemical,
        estimate.warning_details,
    )


def leak_source_estimate(
    *,
    actor: Actor,
    detectors: Sequence[DetectorReading],
    met: accident.WeatherInput,
    chemical_cas: str | None = None,
    release_height_m: float = 0.0,
    detector_height_m: float = 1.5,
    origin: str = SimulationOrigin.API,
    title: str = "",
) -> SimulationRun:
    """Estimate the most likely leak position and rate from gas-detector readings and the wind
    (log least squares on the Gaussian plume, :mod:`chempark.consequence.leak_source`), with its
    linearised uncertainty, and — when the chemical has tabulated AEGL levels — the threat zones of
    a continuous release of the estimated rate at the estimated position; the run is stored. The
    air pressure is the standard atmosphere's at the park's altitude."""
    inputs = {
        "detectors": [asdict(d) for d in detectors],
        "weather": asdict(met),
        "chemical_cas": chemical_cas,
        "release_height_m": release_height_m,
        "detector_height_m": detector_height_m,
    }
    met = selectors.at_park_altitude(actor, met)
    fit = leak_source_fit(
        actor=actor,
        detectors=detectors,
        met=met,
        chemical_cas=chemical_cas,
        release_height_m=release_height_m,
        detector_height_m=detector_height_m,
    )
    chemical, results = fit.chemical, fit.results
    return _record_run(
        actor,
        fit.affected,
        fields={
            "kind": SimulationKind.LEAK_SOURCE,
            "origin": origin,
            "title": title[:200] or "泄漏源反演",
            "chemical_cas": chemical.cas or "" if chemical else "",
            "chemical_name": chemical.name_zh if chemical else "",
            "source_lon": fit.lon,
            "source_lat": fit.lat,
            "inputs": inputs,
            "results": results,
            "warnings": fit.warnings,
        },
        summary={"source": [fit.lon, fit.lat], "rate_g_s": results["rate_g_s"], "ill_posed": results["ill_posed"]},
    )


# --- QRA studies -----------------------------------------------------------------------------------


def default_scenarios(actor: Actor) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Default scenarios from every visible tank holding a chemical, and why some tanks have none
    (``{code, subject, message}``: the page shows its own text for the code)."""
    notes: list[qra_tank_scenarios.Skip] = []
    tank_inputs: list[qra_tank_scenarios.TankInput] = []
    tanks = registry_visible(actor, "tank").select_related("unit", "chemical").filter(chemical__isnull=False)
    for tank in tanks.order_by("unit__enterprise_id", "unit_id", "code"):
        chemical = tank.chemical
        if not chemical.cas:
            notes.append(qra_tank_scenarios.Skip("no_cas", str(tank), "chemical without CAS"))
            continue
        tank_inputs.append(
            qra_tank_scenarios.TankInput(
                tank.pk,
                tank.unit_id,
                f"{tank.unit.enterprise.name} {tank.name}",
                tank.unit.lon,
                tank.unit.lat,
                chemical.cas,
                chemical.name_zh,
                float(tank.design_max_t) * 1000.0,
                tank.kind in PRESSURISED_TANKS,
                bund_area_m2=None if tank.bund_area_m2 is None else float(tank.bund_area_m2),
                volume_m3=float(tank.volume_m3) if tank.volume_m3 else None,
                refrigerated=tank.kind == "cryogenic",
            )
        )
    with model_errors():
        rows, skipped = qra_tank_scenarios.default_study_scenarios(tank_inputs)
    return rows, [asdict(note) for note in sorted({*notes, *skipped}, key=str)]


STUDY_FIELDS = (
    "name",
    "installation_status",
    "grid_cell_m",
    "grid_margin_m",
    "scenarios",
    "weather_classes",
    "wind_rose",
    "risk_limits",
    "fn_criterion",
)


def _check_study_inputs(study: QraStudy) -> None:
    """Build the engine inputs once, so a bad study is refused before it is stored or started."""
    with model_errors():
        qra_platform.check_study(
            boundary=study.park.boundary,
            grid_cell_m=study.grid_cell_m,
            grid_margin_m=study.grid_margin_m,
            wind_rose=study.wind_rose,
            scenario_rows=study.scenarios,
            weather_rows=study.weather_classes,
            limit_rows=study.risk_limits,
            fn_row=study.fn_criterion,
        )


def qra_study_create(
    *,
    actor: Actor,
    name: str,
    park_id: int | None = None,
    values: dict[str, Any] | None = None,
) -> QraStudy:
    """A new QRA study of the park, with default scenarios from the registry's tanks, the placeholder
    weather and wind rose, and the packaged GB 36894 table — every one editable before running."""
    actor.require("qra.run")
    park: Park | None = (
        registry_get(actor, "park", park_id)
        if park_id is not None
        else registry_visible(actor, "park").order_by("id").first()
    )
    if park is None:
        raise InvalidInput("系统中还没有园区。", code=ErrorCode.NO_PARK)
    values = dict(values or {})
    unknown = sorted(set(values) - set(STUDY_FIELDS))
    if unknown:
        raise InvalidInput(f"未知字段：{', '.join(unknown)}", code=ErrorCode.UNKNOWN_FIELD)
    notes: list[dict[str, str]] = []
    if "scenarios" not in values:
        values["scenarios"], notes = default_scenarios(actor)
    study = QraStudy(
        name=name,
        park=park,
        created_by_id=actor.user_id,
        notes=notes,
        weather_classes=[dict(w) for w in qra_rows.DEFAULT_WEATHER_CLASSES],
        wind_rose=list(qra_rows.DEFAULT_WIND_ROSE),
        risk_limits=qra_rows.default_limits_rows(),
    )
    for key, value in values.items():
        setattr(study, key, value)
    _check_study_inputs(study)
    with transaction.atomic():
        study.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="qra_study",
            object_id=study.pk,
            after={"name": study.name, "scenarios": len(study.scenarios)},
        )
    return study


def qra_study_update(*, actor: Actor, pk: int, values: dict[str, Any]) -> QraStudy:
    """Edit a study's inputs; its results are cleared (they no longer match). Not while it runs."""
    actor.require("qra.run")
    unknown = sorted(set(values) - set(STUDY_FIELDS))
    if unknown:
        raise InvalidInput(f"未知字段：{', '.join(unknown)}", code=ErrorCode.UNKNOWN_FIELD)
    with transaction.atomic():
        study = qra_study_get(actor, pk, for_update=True)
        if qra_running(study):
            raise Conflict("计算进行中，不能修改。", code=ErrorCode.QRA_RUNNING)
        before = {key: getattr(study, key) for key in values}
        for key, value in values.items():
            setattr(study, key, value)
        _check_study_inputs(study)
        study.status, study.progress, study.results, study.error = QraStatus.DRAFT, 0.0, None, ""
        study.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="qra_study",
            object_id=study.pk,
            before=before,
            after=values,
        )
    return study


QRA_JOB = "emergency.qra_run"


def qra_running(study: QraStudy) -> bool:
    """Queued or running with a live job; a study left "running" by a process that no longer exists
    (no active job) may be edited and started again."""
    return study.status in (QraStatus.QUEUED, QraStatus.RUNNING) and job_active_for("qra_study", study.pk)


def qra_start(*, actor: Actor, pk: int) -> QraStudy:
    """Queue the study for the job worker (``chempark worker`` runs :func:`qra_run`); progress is
    stored on the study so a page can poll it."""
    actor.require("qra.run")
    with transaction.atomic():
        study = qra_study_get(actor, pk, for_update=True)
        if qra_running(study):
            raise Conflict("该研究正在计算。", code=ErrorCode.QRA_RUNNING)
        _check_study_inputs(study)
        study.status, study.progress, study.error, study.results = QraStatus.QUEUED, 0.0, "", None
        study.started_at, study.finished_at = timezone.now(), None
        study.save()
        # The protective targets as this actor sees them now, so the run does not depend on who runs it.
        job_enqueue(
            kind=QRA_JOB,
            arguments={"study_id": study.pk, "targets": [asdict(t) for t in _targets(actor)]},
            enqueued_by_id=actor.user_id,
            object_type="qra_study",
            object_id=study.pk,
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="qra_study",
            object_id=study.pk,
            after={"status": "queued"},
        )
    return study


def qra_run(
    study_id: int, targets: Sequence[accident.TargetInput], *, on_progress: Callable[[float], None] | None = None
) -> None:
    """Run a queued study, recording progress (every 2 %) and the results or the error."""
    study = QraStudy.objects.select_related("park").get(pk=study_id)
    QraStudy.objects.filter(pk=study_id).update(status=QraStatus.RUNNING, progress=0.0)
    last = [0.0]

    def progress(fraction: float) -> None:
        if fraction - last[0] >= 0.02 or fraction >= 1.0:
            last[0] = fraction
            QraStudy.objects.filter(pk=study_id).update(progress=min(fraction, 1.0))
            if on_progress is not None:
                on_progress(min(fraction, 1.0))

    try:
        origin = qra_platform.park_origin(study.park.boundary)
        results = qra_platform.run_study(
            scenario_rows=study.scenarios,
            weather_rows=study.weather_classes,
            wind_rose=study.wind_rose,
            limit_rows=study.risk_limits,
            fn_row=study.fn_criterion,
            targets=targets,
            origin_lon=origin[0],
            origin_lat=origin[1],
            installation_status=study.installation_status,
            cell_m=study.grid_cell_m,
            margin_m=study.grid_margin_m,
            on_progress=progress,
            skipped=study.notes,
            altitude_m=float(study.park.altitude_m),
        )
    except (ConsequenceInputError, ValueError, FloatingPointError) as exc:
        QraStudy.objects.filter(pk=study_id).update(status=QraStatus.FAILED, error=str(exc), finished_at=timezone.now())
        return
    QraStudy.objects.filter(pk=study_id).update(
        status=QraStatus.SUCCEEDED, progress=1.0, results=results, finished_at=timezone.now()
    )
