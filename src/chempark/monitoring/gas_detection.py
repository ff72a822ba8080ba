"""Which gas detectors a holding needs and where their alarms are set (GB/T 50493-2019, pure).

GB/T 50493-2019 石油化工可燃气体和有毒气体检测报警设计标准 §5.5 (测量范围及报警值设定), as
quoted by instrument makers (cdbihui.com/st443066/article_2801896.html, dlaikesi.com/news/13.html):

* combustible gas: first alarm ≤ 25 %LEL, second alarm ≤ 50 %LEL;
* toxic gas: first alarm ≤ 100 % OEL, second alarm ≤ 200 % OEL (5 % / 10 % of IDLH only where no
  detector can measure that low).

Where a toxic gas can leak a toxic-gas detector (ppm) is needed, where a flammable one can a
combustible-gas detector (%LEL); a substance that is both (ammonia, hydrogen sulphide, ethylene
oxide) gets both. The OEL is the most protective limit of GBZ 2.1 (MAC where one is set, else
PC-TWA), so that the alarm is within 100 % of every published limit;
``data/occupational_exposure_limits.csv`` lists them with their sources. mg/m³ become ppm at 20 °C
and 101.325 kPa, the reference state of GBZ 2.1's sampling (:mod:`chempark.consequence.gas_units`).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from chempark.consequence import source
from chempark.consequence.gas_units import ppm_to_g_m3

COMBUSTIBLE_FIRST_ALARM_LEL = 20.0  # %LEL, within GB/T 50493's 25 %LEL
COMBUSTIBLE_SECOND_ALARM_LEL = 40.0  # %LEL, within 50 %LEL
_NICE_RANGES_PPM = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0)


@dataclass(frozen=True)
class ToxicAlarm:
    """A toxic-gas detector's settings for one substance, in ppm."""

    oel_ppm: float
    first_alarm_ppm: float
    second_alarm_ppm: float
    range_max_ppm: float


@cache
def _oels_mg_m3() -> dict[str, float]:
    text = (
        resources.files("chempark.monitoring.data")
        .joinpath("occupational_exposure_limits.csv")
        .read_text(encoding="utf-8")
    )
    return {row["cas"]: float(row["oel_mg_m3"]) for row in csv.DictReader(text.splitlines())}


def _round_down(value: float, digits: int = 2) -> float:
    """``value`` rounded down to ``digits`` significant digits: a set point never above its limit."""
    scale = 10 ** (digits - 1 - math.floor(math.log10(value)))
    return float(math.floor(value * scale + 1e-9) / scale)


def toxic_alarm(cas: str) -> ToxicAlarm | None:
    """The ppm detector settings for ``cas``, or None when it is not a tabulated toxic gas."""
    oel = _oels_mg_m3().get(cas)
    if oel is None:
        return None
    oel_ppm = oel / 1000.0 / ppm_to_g_m3(1.0, source.molar_mass_g_mol(cas))
    second = _round_down(2 * oel_ppm)
    # A range of at least three times the second alarm, so the reading at it is on scale.
    range_max = next(r for r in _NICE_RANGES_PPM if r >= 3 * second) if 3 * second <= 1000 else 1000.0
    return ToxicAlarm(
        oel_ppm=oel_ppm, first_alarm_ppm=_round_down(oel_ppm), second_alarm_ppm=second, range_max_ppm=range_max
    )


def is_flammable(ghs_classes: list[str] | tuple[str, ...]) -> bool:
    """Whether a combustible-gas detector is needed: a flammable gas or liquid."""
    return any(text.replace(" ", "").startswith(("易燃气体", "易燃液体")) for text in ghs_classes)
