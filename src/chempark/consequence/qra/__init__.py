"""Quantitative risk assessment of a chemical park: individual risk, societal risk, GB 36894.

Entry point: :func:`run_qra`. Build :class:`ReleaseScenario` objects whose outcomes carry
lethality functions from :mod:`chempark.consequence.qra.lethality` (or your own), a list of
:class:`WeatherClass` and a 16-sector :class:`WindRose`, and a :class:`Grid`.
"""

from chempark.consequence.qra.assessment import (
    CONTOUR_AT_GRID_EDGE,
    STANDARD_CONTOUR_LEVELS_PER_YEAR,
    QraResult,
    run_qra,
)
from chempark.consequence.qra.criteria import (
    NL_GROUP_RISK_ORIENTATION,
    FnCriterion,
    IndividualRiskLimit,
    TargetCheck,
    check_individual_risk,
    gb36894_limits,
    load_individual_risk_limits,
)
from chempark.consequence.qra.engine import Grid, fn_curve, individual_risk_grid, point_risk_and_events
from chempark.consequence.qra.model import (
    COMPASS_16,
    Outcome,
    ProtectiveTarget,
    ReleaseScenario,
    WeatherClass,
    WindRose,
    direct_ignition_probability,
    flammable_outcome_tree,
    release_frequency,
)

__all__ = [
    "COMPASS_16",
    "CONTOUR_AT_GRID_EDGE",
    "NL_GROUP_RISK_ORIENTATION",
    "STANDARD_CONTOUR_LEVELS_PER_YEAR",
    "FnCriterion",
    "Grid",
    "IndividualRiskLimit",
    "Outcome",
    "ProtectiveTarget",
    "QraResult",
    "ReleaseScenario",
    "TargetCheck",
    "WeatherClass",
    "WindRose",
    "check_individual_risk",
    "direct_ignition_probability",
    "flammable_outcome_tree",
    "fn_curve",
    "gb36894_limits",
    "individual_risk_grid",
    "load_individual_risk_limits",
    "point_risk_and_events",
    "release_frequency",
    "run_qra",
]
