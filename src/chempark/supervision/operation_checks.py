"""Consistency checks of special-operation filings (报备) and work permits (作业票) under
GB 30871-2022 (pure, no Django).

The park platform receives both from the enterprises and checks them against each other, as the
guide's 特殊作业管理 and the platform assessments ask: a filing without a permit (有报备无作业票), a
permit without a filing (有作业票无报备), a permit valid longer than the standard allows (hot work
特级/一级 8 h, 二级 72 h; GB 30871-2022 5.1), and hot work overlapping in time at the same place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

HOT_WORK = "hot_work"
HOT_WORK_LIMITS = {"special": dt.timedelta(hours=8), "first": dt.timedelta(hours=8), "second": dt.timedelta(hours=72)}
"""Longest validity of a hot-work permit by grade (特级, 一级: 8 h; 二级: 72 h)."""


class Problem(StrEnum):
    FILING_WITHOUT_PERMIT = "filing_without_permit"
    PERMIT_WITHOUT_FILING = "permit_without_filing"
    VALIDITY_OVER_LIMIT = "validity_over_limit"
    OVERLAPPING_HOT_WORK = "overlapping_hot_work"


@dataclass(frozen=True)
class Window:
    """A filing or a permit as the checks see it: whose, which number, what, where and when."""

    id: int
    enterprise_id: int
    permit_number: str
    kind: str
    grade: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class Finding:
    problem: Problem
    filing_id: int | None
    permit_id: int | None
    detail: str


def _key(window: Window) -> tuple[int, str]:
    return window.enterprise_id, window.permit_number.strip().upper()


def _place(window: Window) -> tuple[int, str]:
    return window.enterprise_id, "".join(window.place.split()).lower()


def validity_limit(kind: str, grade: str) -> dt.timedelta | None:
    """The longest validity the standard allows for this kind and grade (None: not limited here)."""
    return HOT_WORK_LIMITS.get(grade) if kind == HOT_WORK else None


def over_limit(window: Window) -> bool:
    limit = validity_limit(window.kind, window.grade)
    return limit is not None and window.ends_at - window.starts_at > limit


def check(filings: Sequence[Window], permits: Sequence[Window]) -> list[Finding]:
    """Every problem found among ``filings`` and ``permits`` (matched by enterprise and permit number)."""
    findings: list[Finding] = []
    permit_by_key = {_key(p): p for p in permits}
    filing_keys = {_key(f) for f in filings}
    for filing in filings:
        if _key(filing) not in permit_by_key:
            findings.append(Finding(Problem.FILING_WITHOUT_PERMIT, filing.id, None, filing.permit_number))
        if over_limit(filing):
            findings.append(Finding(Problem.VALIDITY_OVER_LIMIT, filing.id, None, _hours(filing)))
    for permit in permits:
        if _key(permit) not in filing_keys:
            findings.append(Finding(Problem.PERMIT_WITHOUT_FILING, None, permit.id, permit.permit_number))
        if over_limit(permit):
            findings.append(Finding(Problem.VALIDITY_OVER_LIMIT, None, permit.id, _hours(permit)))
    for first, second in _overlaps(f for f in filings if f.kind == HOT_WORK):
        findings.append(
            Finding(Problem.OVERLAPPING_HOT_WORK, second.id, None, f"{first.permit_number} / {second.permit_number}")
        )
    return findings


def _hours(window: Window) -> str:
    return f"{window.permit_number} · {(window.ends_at - window.starts_at).total_seconds() / 3600:g} h"


def _overlaps(windows: Iterable[Window]) -> list[tuple[Window, Window]]:
    """Pairs of windows at the same place whose times overlap (touching ends do not)."""
    by_place: dict[tuple[int, str], list[Window]] = {}
    for window in windows:
        by_place.setdefault(_place(window), []).append(window)
    pairs = []
    for group in by_place.values():
        group.sort(key=lambda w: (w.starts_at, w.id))
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if second.starts_at >= first.ends_at:
                    break
                pairs.append((first, second))
    return pairs
