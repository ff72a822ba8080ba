"""REST endpoints of the emergency module: accident simulation, leak-source estimation, QRA studies."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from chempark.consequence import accident, fire_accidents, simulations
from chempark.core.api import Page, actor_of
from chempark.core.errors import Conflict, ErrorCode
from chempark.emergency import reports, selectors, services
from chempark.emergency.models import QraStatus
from chempark.emergency.schemas import (
    AccidentIn,
    FireAccidentIn,
    LeakSourceIn,
    PopulatedAreaIn,
    PopulatedAreaOut,
    PopulatedAreaPatch,
    QraStudyCreate,
    QraStudyOut,
    QraStudyPatch,
    QraStudySummaryOut,
    SimulationOut,
    SimulationSummaryOut,
    WeatherIn,
)
from chempark.park.selectors import registry_visible

router = Router(tags=["emergency"])


def weather_input(weather: WeatherIn) -> accident.WeatherInput:
    return accident.WeatherInput(**weather.model_dump())


def accident_kwargs(payload: AccidentIn) -> dict[str, Any]:
    """The service's keyword arguments from the request (shared with the page)."""
    return {
        "release": accident.ReleaseInput(**payload.release.model_dump()),
        "met": weather_input(payload.weather),
        "chemical_cas": payload.chemical_cas,
        "source_lon": payload.source.lon if payload.source else None,
        "source_lat": payload.source.lat if payload.source else None,
        "unit_id": payload.unit_id,
        "tank_id": payload.tank_id,
        "thresholds": [simulations.ThresholdSpec(**t.model_dump()) for t in payload.thresholds or []] or None,
        "levels": payload.levels,
        "duration_min": payload.duration_min,
        "origin": payload.origin,
        "title": payload.title,
        "alarm_id": payload.alarm_id,
    }


def fire_kwargs(payload: FireAccidentIn) -> dict[str, Any]:
    """The fire service's keyword arguments from the request (shared with the page)."""
    return {
        "scenario": fire_accidents.FireScenario(fuel_cas=payload.chemical_cas or "", **payload.scenario.model_dump()),
        "met": weather_input(payload.weather),
        "source_lon": payload.source.lon if payload.source else None,
        "source_lat": payload.source.lat if payload.source else None,
        "unit_id": payload.unit_id,
        "tank_id": payload.tank_id,
        "origin": payload.origin,
        "title": payload.title,
        "alarm_id": payload.alarm_id,
    }


@router.post(
    "/simulations/accident",
    response={201: SimulationOut},
    operation_id="simulate_accident",
    summary="Accident simulation: threat zones and the protective targets inside them",
)
def simulate_accident(request: HttpRequest, payload: AccidentIn) -> Any:
    return Status(201, services.accident_simulate(actor=actor_of(request), **accident_kwargs(payload)))


@router.post(
    "/simulations/fire",
    response={201: SimulationOut},
    operation_id="simulate_fire",
    summary="Fire or explosion simulation: heat-radiation or overpressure zones and the people inside them",
)
def simulate_fire(request: HttpRequest, payload: FireAccidentIn) -> Any:
    return Status(201, services.fire_accident_simulate(actor=actor_of(request), **fire_kwargs(payload)))


@router.get(
    "/populated-areas",
    response=list[PopulatedAreaOut],
    operation_id="list_populated_areas",
    summary="The population layer: villages and residential areas with their head counts",
)
@paginate(Page)
def list_populated_areas(request: HttpRequest) -> Any:
    return selectors.populated_areas(actor_of(request))


@router.post(
    "/populated-areas",
    response={201: PopulatedAreaOut},
    operation_id="create_populated_area",
    summary="Add a populated area (bureau)",
)
def create_populated_area(request: HttpRequest, payload: PopulatedAreaIn) -> Any:
    values = payload.model_dump(exclude_unset=True)
    return Status(201, services.populated_area_save(actor=actor_of(request), values=values))


@router.patch(
    "/populated-areas/{id:pk}",
    response=PopulatedAreaOut,
    operation_id="update_populated_area",
    summary="Change a populated area (bureau)",
)
def update_populated_area(request: HttpRequest, pk: int, payload: PopulatedAreaPatch) -> Any:
    return services.populated_area_save(actor=actor_of(request), pk=pk, values=payload.model_dump(exclude_unset=True))


@router.post(
    "/simulations/leak-source",
    response={201: SimulationOut},
    operation_id="estimate_leak_source",
    summary="Leak-source estimate from gas-detector readings and the wind, with its zone",
)
def estimate_leak_source(request: HttpRequest, payload: LeakSourceIn) -> Any:
    run = services.leak_source_estimate(
        actor=actor_of(request),
        detectors=[simulations.DetectorReading(**d.model_dump()) for d in payload.detectors],
        met=weather_input(payload.weather),
        chemical_cas=payload.chemical_cas,
        release_height_m=payload.release_height_m,
        detector_height_m=payload.detector_height_m,
        origin=payload.origin,
        title=payload.title,
    )
    return Status(201, run)


class SimulationFilters(Schema):
    kind: str | None = None


@router.get(
    "/simulations",
    response=list[SimulationSummaryOut],
    operation_id="list_simulations",
    summary="Stored simulation runs, newest first",
)
@paginate(Page)
def list_simulations(request: HttpRequest, filters: Query[SimulationFilters]) -> Any:
    return selectors.simulation_runs(actor_of(request), kind=filters.kind)


@router.get(
    "/simulations/{id:pk}",
    response=SimulationOut,
    operation_id="get_simulation",
    summary="One simulation run with its inputs and results",
)
def get_simulation(request: HttpRequest, pk: int) -> Any:
    return selectors.simulation_run_get(actor_of(request), pk)


@router.get("/qra/studies", response=list[QraStudySummaryOut], operation_id="list_qra_studies", summary="QRA studies")
@paginate(Page)
def list_qra_studies(request: HttpRequest) -> Any:
    return selectors.qra_studies(actor_of(request))


@router.post(
    "/qra/studies",
    response={201: QraStudyOut},
    operation_id="create_qra_study",
    summary="Create a QRA study (default scenarios from the registry's tanks unless given)",
)
def create_qra_study(request: HttpRequest, payload: QraStudyCreate) -> Any:
    values = payload.model_dump(exclude_unset=True)
    name, park = values.pop("name"), values.pop("park", None)
    return Status(201, services.qra_study_create(actor=actor_of(request), name=name, park_id=park, values=values))


@router.get(
    "/qra/studies/{id:pk}",
    response=QraStudyOut,
    operation_id="get_qra_study",
    summary="A QRA study with its inputs, status, progress and results",
)
def get_qra_study(request: HttpRequest, pk: int) -> Any:
    return selectors.qra_study_get(actor_of(request), pk)


@router.patch(
    "/qra/studies/{id:pk}",
    response=QraStudyOut,
    operation_id="update_qra_study",
    summary="Edit a QRA study's inputs (clears its results)",
)
def update_qra_study(request: HttpRequest, pk: int, payload: QraStudyPatch) -> Any:
    values = payload.model_dump(exclude_unset=True)
    return services.qra_study_update(actor=actor_of(request), pk=pk, values=values)


@router.post(
    "/qra/studies/{id:pk}/run",
    response={202: QraStudyOut},
    operation_id="run_qra_study",
    summary="Start the QRA in the background; poll the study for progress",
)
def run_qra_study(request: HttpRequest, pk: int) -> Any:
    return Status(202, services.qra_start(actor=actor_of(request), pk=pk))


@router.get(
    "/qra/studies/{id:pk}/report",
    operation_id="qra_study_report",
    summary="周边防护目标风险评估 report of a finished study (PDF)",
)
def qra_study_report(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.qra_study_get(actor_of(request), pk)
    if study.status != QraStatus.SUCCEEDED:
        raise Conflict("该研究尚未完成计算，没有报告。", code=ErrorCode.QRA_NOT_FINISHED)
    actor = actor_of(request)
    targets = registry_visible(actor, "protectivetarget").filter(park_id=study.park_id)
    response = HttpResponse(reports.qra_report_pdf(study, list(targets)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="qra-{study.pk}.pdf"'
    return response
