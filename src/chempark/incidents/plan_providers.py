"""The extension point through which an emergency plans module offers the plans that match an
incident (by enterprise, chemical and incident type) to the decision support panel.

A plans app registers a provider in its ``AppConfig.ready()``; the incident page lists what every
provider returns. Without one, the panel says that no plan module is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chempark.core.actors import Actor


@dataclass(frozen=True)
class IncidentFacts:
    enterprise_id: int | None
    chemical_cas: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class PlanMatch:
    title: str
    url: str
    reason: str


PlanProvider = Callable[[Actor, IncidentFacts], list[PlanMatch]]
_PROVIDERS: list[PlanProvider] = []


def register_plan_provider(provider: PlanProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def providers() -> list[PlanProvider]:
    return list(_PROVIDERS)


def matching_plans(actor: Actor, facts: IncidentFacts) -> list[PlanMatch]:
    return [match for provider in _PROVIDERS for match in provider(actor, facts)]
