"""Reads of the emergency module, with visibility applied in one place.

Simulation runs: the bureau, the duty officer and experts (``simulation.run``) see every run; an
enterprise user sees only the runs made by its own enterprise's users. QRA studies are the
bureau's (``qra.run``). A row outside the actor's view is "not found".
"""

from __future__ import annotations

from django.db.models import QuerySet

from chempark.core.actors import Actor
from chempark.core.selectors import one_visible, visible_to
from chempark.emergency.models import QraStudy, SimulationRun


def simulation_runs(actor: Actor, *, kind: str | None = None) -> QuerySet[SimulationRun]:
    actor.require("simulation.run")
    queryset = visible_to(actor, SimulationRun.objects.all())
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def simulation_run_get(actor: Actor, pk: int) -> SimulationRun:
    return one_visible(simulation_runs(actor), pk, "模拟记录")


def qra_studies(actor: Actor) -> QuerySet[QraStudy]:
    actor.require("qra.run")
    return QraStudy.objects.select_related("park")


def qra_study_get(actor: Actor, pk: int, *, for_update: bool = False) -> QraStudy:
    return one_visible(qra_studies(actor), pk, "风险评价", for_update=for_update)
