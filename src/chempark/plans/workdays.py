"""Working days of the Chinese calendar (工作日), for deadlines counted in working days.

A plan must be filed within 20 working days of its publication (生产安全事故应急预案管理办法
art. 26). A working day is a weekday that is not a public holiday, or a weekend day that the State
Council's yearly arrangement makes a working day (调休上班日). The arrangement is published each
November for the next year, so the calendar is data: the bureau keeps it in a table, and the 2026
arrangement (国务院办公厅关于2026年部分节假日安排的通知) is shipped here as its first rows.

Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field

SATURDAY = 5


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# 2026 arrangement: holidays (放假) and make-up working days (调休上班), with the festival each belongs to.
CHINA_2026_HOLIDAYS: dict[dt.date, str] = {
    **dict.fromkeys(_days(dt.date(2026, 1, 1), dt.date(2026, 1, 3)), "元旦"),
    **dict.fromkeys(_days(dt.date(2026, 2, 15), dt.date(2026, 2, 23)), "春节"),
    **dict.fromkeys(_days(dt.date(2026, 4, 4), dt.date(2026, 4, 6)), "清明节"),
    **dict.fromkeys(_days(dt.date(2026, 5, 1), dt.date(2026, 5, 5)), "劳动节"),
    **dict.fromkeys(_days(dt.date(2026, 6, 19), dt.date(2026, 6, 21)), "端午节"),
    **dict.fromkeys(_days(dt.date(2026, 9, 25), dt.date(2026, 9, 27)), "中秋节"),
    **dict.fromkeys(_days(dt.date(2026, 10, 1), dt.date(2026, 10, 7)), "国庆节"),
}
CHINA_2026_WORKDAYS: dict[dt.date, str] = {
    dt.date(2026, 1, 4): "元旦",
    dt.date(2026, 2, 14): "春节",
    dt.date(2026, 2, 28): "春节",
    dt.date(2026, 5, 9): "劳动节",
    dt.date(2026, 9, 20): "国庆节",
    dt.date(2026, 10, 10): "国庆节",
}


@dataclass(frozen=True)
class WorkCalendar:
    """Weekends plus the given public holidays and make-up working days."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()) -> WorkCalendar:
        holiday_set, workday_set = frozenset(holidays), frozenset(workdays)
        both = holiday_set & workday_set
        if both:
            raise ValueError(f"{min(both).isoformat()} cannot be both a holiday and a working day")
        return cls(holiday_set, workday_set)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < SATURDAY


def add_working_days(start: dt.date, n: int, calendar: WorkCalendar) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted, as a deadline of
    "within 20 working days of publication" starts the day after). ``n`` = 0 gives ``start``."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, left = start, n
    while left:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has fewer days (31 Aug + 6 → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))
