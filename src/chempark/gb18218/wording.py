"""The engine's notes in Chinese, for pages.

The engine and the identification record their reasons in English (the command line, the API and the
stored snapshots keep them so: they are stable keys of a kind). A page shows them as the standard's
Chinese reader says them: 「表1第12项」, not "Table 1 row 12". Phrases are replaced longest first;
what is left over (a chemical's name, a category code such as W2) stays as it is.
"""

from __future__ import annotations

import re
from typing import Final

PHRASES: Final[tuple[tuple[str, str], ...]] = (
    (
        "not in Table 1 and in no Table 2 category (confirmed by the bureau)",
        "不在表1中，也不属于表2任何类别（监管部门已确认）",
    ),
    ("no GHS class of the chemical maps to a Table 2 category", "该化学品的 GHS 分类不对应表2的任何类别"),
    (
        "acute toxicity needs the boiling point (gas, liquid or solid) to choose J1-J5",
        "急性毒性须有沸点（判断气体、液体或固体）才能确定 J1–J5",
    ),
    ("(category given with the holding)", "（按填报的类别）"),
    ("derived from GHS classes", "由 GHS 分类推定"),
    ("derived from GHS", "由 GHS 分类推定"),
    ("explicit", "填报"),
    ("not in Table 1", "不在表1中"),
    ("standard", "标准原文"),
    ("inferred", "推定"),
    ("uncertain", "待确认"),
)
_ROW: Final = re.compile(r"Table (\d) row (\d+)")
_CATEGORY_OF: Final = re.compile(r"category of 表1第(\d+)项")
_NO_CATEGORY: Final = re.compile(r"no Table 4 category for 表1第(\d+)项")
_TABLE: Final = re.compile(r"Table (\d)")


def in_chinese(note: str) -> str:
    """``note`` with the engine's English phrases and table references in Chinese."""
    text = note
    for english, chinese in PHRASES:
        text = text.replace(english, chinese)
    text = _ROW.sub(r"表\1第\2项", text)
    text = _CATEGORY_OF.sub(r"表1第\1项物质的类别", text)
    text = _NO_CATEGORY.sub(r"表4中无表1第\1项物质的类别", text)
    text = _TABLE.sub(r"表\1", text)
    return text.replace("; ", "；").replace(", ", "，")
