"""Facts that other modules feed into the enterprise dynamic risk index (企业动态风险指数).

The command centre computes the index but must not know which modules are installed: dual
prevention counts each enterprise's open, major and overdue hidden dangers and its ongoing and
irregular special operations, and registers that count here in its ``AppConfig.ready``. A module
that is absent registers nothing, and the index then leaves its factors out rather than scoring
them 0 (an enterprise is not "clean" of hidden dangers because nobody records them).

A provider names the ``RiskInputs`` fields it fills and returns, for the enterprise ids it is
given (already cut to what the viewer may see), ``{enterprise_id: {field: count}}``; an enterprise
it does not mention has 0 of each field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Build = Callable[[Sequence[int], dt.datetime], Mapping[int, Mapping[str, int]]]


@dataclass(frozen=True)
class RiskFacts:
    name: str
    fields: tuple[str, ...]
    build: Build


_PROVIDERS: dict[str, RiskFacts] = {}


def register(provider: RiskFacts) -> None:
    _PROVIDERS[provider.name] = provider


def facts(enterprise_ids: Sequence[int], now: dt.datetime) -> dict[int, dict[str, int]]:
    """Every provider's counts for every enterprise: each provider's fields default to 0."""
    result: dict[int, dict[str, int]] = {pk: {} for pk in enterprise_ids}
    for provider in sorted(_PROVIDERS.values(), key=lambda p: p.name):
        counts = provider.build(enterprise_ids, now)
        for pk in enterprise_ids:
            own = counts.get(pk, {})
            for name in provider.fields:
                result[pk][name] = int(own.get(name, 0))
    return result
