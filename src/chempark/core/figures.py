"""Platform figures: numbers of a year the platform itself can tell (enterprises connected to
monitoring, training person-times, drills held...), so a performance indicator bound to one fills
itself instead of being typed in.

Apps register the figures they can compute in their ``AppConfig.ready`` with a code, a Chinese name,
the definition shown next to the value, and a function of the year. Codes that performance targets
commonly name but no module computes yet are declared here as *known*: such a figure is unavailable
(``None``), never zero, until a module registers it. The registry knows no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    definition: str
    unit: str = ""
    compute: Callable[[int], Decimal | None] | None = None

    @property
    def available(self) -> bool:
        return self.compute is not None

    def value(self, year: int) -> Decimal | None:
        """The figure for ``year``; None while no module computes it, or when the year has no data to
        compute it from (a rate without any case)."""
        return None if self.compute is None else self.compute(year)


# Named by performance targets, computed by modules still to come (drills, inspections, acceptance,
# fire equipment). Their definitions say what the module will count.
_KNOWN: dict[str, Figure] = {
    figure.code: figure
    for figure in (
        Figure("drills_held", "全年开展应急演练次数", "本年度开展并记录的应急演练次数（应急演练模块）。", "次"),
        Figure("inspections_held", "开展执法检查次数", "本年度完成的执法检查次数（执法检查模块）。", "次"),
        Figure("acceptance_pass_rate", "验收合格率", "本年度验收合格的项目数 ÷ 验收项目数（验收模块）。", "%"),
        Figure("fire_equipment_use_rate", "消防器材使用率", "在用消防器材数 ÷ 登记消防器材数（消防器材模块）。", "%"),
    )
}
_REGISTERED: dict[str, Figure] = {}


def register(figure: Figure) -> None:
    """Make ``figure`` available; a module registering a known code supersedes its placeholder."""
    if figure.compute is None:
        raise ValueError(f"figure {figure.code} has no function")
    _REGISTERED[figure.code] = figure


def get(code: str) -> Figure | None:
    """The figure with ``code`` (registered, or known but unavailable), None for an unknown code."""
    return _REGISTERED.get(code) or _KNOWN.get(code)


def all_figures() -> list[Figure]:
    """Every figure, registered ones first, then the known ones not yet available, by name."""
    known = [figure for code, figure in _KNOWN.items() if code not in _REGISTERED]
    return sorted(_REGISTERED.values(), key=lambda f: f.name) + sorted(known, key=lambda f: f.name)


def by_name(name: str) -> Figure | None:
    """The figure named ``name`` (as an indicator's level-3 name would write it), if any."""
    wanted = name.replace("（%）", "").replace("(%)", "").strip()
    return next((figure for figure in all_figures() if figure.name == wanted), None)
