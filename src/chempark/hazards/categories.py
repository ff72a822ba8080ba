"""GB 18218-2018 Table 2 categories derived from a chemical's GHS classes (pure, no Django).

A chemical not listed in Table 1 needs a Table 2 category before its quantity can count. The
catalogue records GHS classes as the 危险化学品目录 prints them ("易燃液体 类别2",
"急性毒性-吸入 类别1"); this module maps the classes whose Table 2 category follows from the class
alone, and says why when it cannot:

* flammable liquids: 类别1 → W5.1, 类别2 → W5.3, 类别3 → W5.4 (W5.1 for 类别2/3 kept above the
  boiling point and W5.2 for special process conditions depend on the plant: set them by hand);
* flammable gases 类别1/2 → W2, aerosols → W3, oxidising gases → W4, explosives by division,
  self-reactive substances and organic peroxides by type, pyrophoric → W8, oxidising solids and
  liquids 类别1 → W9.1, 类别2/3 → W9.2, flammable solids 类别1 → W10, water-reactive → W11;
* acute toxicity depends on the physical state: gas (boiling point ≤ 20 °C) 类别1 → J1, 类别2/3 → J3;
  liquid with boiling point ≤ 35 °C, inhalation 类别2/3 → J4; other liquids and solids 类别1 → J2,
  类别2 → J5. Without a boiling point, acute toxicity is not derived. A solution (formalin: a gas
  dissolved in water) is a liquid whatever the pure substance's boiling point, so it takes the
  liquid rules and never J4 (the boiling point of the pure substance says nothing of the solution's).

A chemical whose explicit ``gb18218_categories`` are set uses those instead (see the registry
docs). Classes that Table 2 does not cover (corrosion, carcinogenicity, gases under pressure) give
no category, and a chemical with none at all is reported as unclassified, never silently dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

GAS_MAX_BOILING_POINT_K = 293.15
"""At or below 20 °C the substance is taken as a gas (GHS: wholly gaseous at 20 °C and 101.3 kPa)."""
J4_MAX_BOILING_POINT_K = 308.15
"""Table 2 J4: liquids with a boiling point ≤ 35 °C."""

_CATEGORY = re.compile(r"类别\s*([0-9]+)")
_TYPE = re.compile(r"([A-G])\s*型")
_DIVISION = re.compile(r"1\.([1-6])\s*项")


@dataclass(frozen=True)
class Derivation:
    """The derived Table 2 codes and, when there are none, why."""

    categories: tuple[str, ...]
    note: str


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _number(text: str) -> int | None:
    match = _CATEGORY.search(text)
    return int(match.group(1)) if match else None


def _class_codes(ghs_class: str, boiling_point_k: float | None, solution: bool) -> tuple[str, ...]:  # noqa: PLR0911, PLR0912
    text = _fold(ghs_class)
    number = _number(text)
    type_match = _TYPE.search(text)
    kind = type_match.group(1) if type_match else None
    if text.startswith("易燃液体"):
        return {1: ("W5.1",), 2: ("W5.3",), 3: ("W5.4",)}.get(number or 0, ())
    if text.startswith("易燃气体"):
        return ("W2",) if number in (1, 2) else ()
    if text.startswith("气溶胶"):
        return ("W3",) if number in (1, 2) else ()
    if text.startswith("氧化性气体"):
        return ("W4",) if number == 1 else ()
    if text.startswith(("氧化性液体", "氧化性固体")):
        return {1: ("W9.1",), 2: ("W9.2",), 3: ("W9.2",)}.get(number or 0, ())
    if text.startswith(("自燃液体", "自燃固体")):
        return ("W8",) if number == 1 else ()
    if text.startswith("易燃固体"):
        return ("W10",) if number == 1 else ()
    if text.startswith("遇水放出易燃气体"):
        return ("W11",) if number in (1, 2) else ()
    if text.startswith("自反应物质"):
        return ("W6.1",) if kind in ("A", "B") else (("W6.2",) if kind in ("C", "D", "E") else ())
    if text.startswith("有机过氧化物"):
        return ("W7.1",) if kind in ("A", "B") else (("W7.2",) if kind in ("C", "D", "E", "F") else ())
    if text.startswith("爆炸物"):
        if "不稳定" in text:
            return ("W1.1",)
        division = _DIVISION.search(text)
        if division is None:
            return ()
        return {"1": ("W1.1",), "4": ("W1.3",)}.get(division.group(1), ("W1.2",))
    if text.startswith("急性毒性") and number is not None and solution:
        return _LIQUID_OR_SOLID_TOXICITY.get(number, ())
    if text.startswith("急性毒性") and number is not None and boiling_point_k is not None:
        return _acute_toxicity(text, number, boiling_point_k)
    return ()


_LIQUID_OR_SOLID_TOXICITY = {1: ("J2",), 2: ("J5",)}


def _acute_toxicity(text: str, number: int, boiling_point_k: float) -> tuple[str, ...]:
    if boiling_point_k <= GAS_MAX_BOILING_POINT_K:
        return {1: ("J1",), 2: ("J3",), 3: ("J3",)}.get(number, ())
    inhalation = "吸入" in text
    if inhalation and number in (2, 3) and boiling_point_k <= J4_MAX_BOILING_POINT_K:
        return ("J4",)
    return _LIQUID_OR_SOLID_TOXICITY.get(number, ())


def derive_categories(
    ghs_classes: Iterable[str], boiling_point_k: float | None, *, solution: bool = False
) -> Derivation:
    """Table 2 codes implied by ``ghs_classes`` (each once, in order of first appearance);
    ``solution``: the holding is a solution of the chemical, hence a liquid."""
    codes: list[str] = []
    toxic_without_state = False
    for ghs_class in ghs_classes:
        found = _class_codes(ghs_class, boiling_point_k, solution)
        if not found and _fold(ghs_class).startswith("急性毒性") and boiling_point_k is None and not solution:
            toxic_without_state = True
        codes.extend(code for code in found if code not in codes)
    if codes:
        return Derivation(tuple(codes), "derived from GHS classes")
    if toxic_without_state:
        return Derivation((), "acute toxicity needs the boiling point (gas, liquid or solid) to choose J1-J5")
    return Derivation((), "no GHS class of the chemical maps to a Table 2 category")
