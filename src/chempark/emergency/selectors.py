"""Reads of the emergency module, with visibility applied in one place.

Simulation runs: the bureau, the duty officer and experts (``simulation.run``) see every run; an
enterprise user sees only the runs made by its own enterprise's users. QRA studies are the
bureau's (``qra.run``). A row outside the actor's view is "not found".
"""

from __future__ import annotations

from django.db.models import QuerySet

from chempark.core.actors import Actor
from chempark.core.errors import NotFound
from chempark.core.selectors import one_visible
from chempark.emergency.models import QraStudy, SimulationRun


def simulation_runs(actor: Actor, *, kind: str | None = None) -> QuerySet[SimulationRun]:
    actor.require("simulation.run")
    queryset = SimulationRun.objects.all()
    if actor.is_enterprise_scoped:
        queryset = queryset.filter(enterprise_id=actor.enterprise_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def simulation_run_get(actor: Actor, pk: int) -> SimulationRun:
    run = simulation_runs(actor).filter(pk=pk).first()
    if run is None:
        raise NotFound(f"模拟记录 {pk} 不存在。")
    return run


def qra_studies(actor: Actor) -> QuerySet[QraStudy]:
    actor.require("qra.run")
    return QraStudy.objects.select_related("park")


def qra_study_get(actor: Actor, pk: int, *, for_update: bool = False) -> QraStudy:
    return one_visible(qra_studies(actor), pk, "风险评价", for_update=for_update)
