"""Chinese motor-vehicle number plates (GA 36-2018), as a gate camera or a person writes them.

A plate is the province's one-character abbreviation, the issuing authority's letter, then:

* ordinary plates: five letters or digits (苏A12345, 苏AB123C);
* trailers: four letters or digits and 挂 (苏A1234挂);
* new-energy plates, six characters: a small vehicle's begins with D (battery) or F (other new
  energy) and ends with four digits (苏AD12345), a large vehicle's has five digits and ends with D
  or F (苏A12345D) — hazmat trucks are large vehicles.

The letters I and O are never used (they read as 1 and 0). Plate recognition and forms often give
full-width characters or lower case, so the plate is normalised first.
"""

from __future__ import annotations

import re
import unicodedata

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
"""The 31 provincial abbreviations of the mainland's plates."""

_LETTER = "A-HJ-NP-Z"
_ALNUM = f"[{_LETTER}0-9]"
_HEAD = f"[{PROVINCES}][{_LETTER}]"
_PLATE = re.compile(
    rf"{_HEAD}(?:{_ALNUM}{{5}}|{_ALNUM}{{4}}挂|[DF]{_ALNUM}[0-9]{{4}}|[0-9]{{5}}[DF])",
)


def normalise_plate(value: str) -> str:
    """ASCII letters and digits in upper case, no spaces or separators (苏A·12345 → 苏A12345)."""
    folded = unicodedata.normalize("NFKC", value).upper()
    return "".join(char for char in folded if not char.isspace() and char not in "·.-")


def plate_problem(value: str) -> str | None:
    """Why ``value`` (already normalised) is not a plate, in Chinese; None when it is one."""
    if not value:
        return "车牌号不能为空。"
    if value[0] not in PROVINCES:
        return f"车牌号须以省份简称开头（如“苏”），而不是“{value[0]}”。"
    if _PLATE.fullmatch(value) is None:
        return "车牌号格式不正确：应如 苏A12345、新能源 苏AD12345 / 苏A12345D 或挂车 苏A1234挂。"
    return None


def is_valid_plate(value: str) -> bool:
    return plate_problem(value) is None


def is_new_energy(value: str) -> bool:
    """An eight-character plate is a new-energy plate (green plate)."""
    return is_valid_plate(value) and len(value) == 8
