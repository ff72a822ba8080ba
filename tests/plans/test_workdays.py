"""Working days across weekends, public holidays and make-up working days, and the plan and drill
due dates built on them."""

from __future__ import annotations

import datetime as dt

import pytest

from chempark.plans.schedule import (
    DrillFacts,
    FilingStatus,
    PlanFacts,
    PlanKind,
    drill_obligations,
    evaluation_due,
    filing_due,
    filing_status,
)
from chempark.plans.workdays import (
    CHINA_2026_HOLIDAYS,
    CHINA_2026_WORKDAYS,
    WorkCalendar,
    add_months,
    add_working_days,
    add_years,
)

D = dt.date
PLAIN = WorkCalendar()
# A hand-made arrangement: a holiday Monday 2 March 2026 and Tuesday 3 March; Saturday 7 March worked.
HAND = WorkCalendar.of(holidays=[D(2026, 3, 2), D(2026, 3, 3)], workdays=[D(2026, 3, 7)])
CHINA = WorkCalendar.of(CHINA_2026_HOLIDAYS, CHINA_2026_WORKDAYS)


def test_weekends_are_skipped() -> None:
    friday = D(2026, 3, 13)
    assert add_working_days(friday, 1, PLAIN) == D(2026, 3, 16)  # Monday
    assert add_working_days(friday, 5, PLAIN) == D(2026, 3, 20)
    assert add_working_days(D(2026, 3, 14), 1, PLAIN) == D(2026, 3, 16)  # from a Saturday
    assert add_working_days(friday, 0, PLAIN) == friday


def test_holidays_are_skipped_and_make_up_days_count() -> None:
    friday = D(2026, 2, 27)
    # Mon 2 and Tue 3 are holidays: Wed 4, Thu 5, Fri 6, then Saturday 7 is a working day.
    assert add_working_days(friday, 1, HAND) == D(2026, 3, 4)
    assert add_working_days(friday, 4, HAND) == D(2026, 3, 7)
    assert add_working_days(friday, 5, HAND) == D(2026, 3, 9)
    assert HAND.is_working_day(D(2026, 3, 7)) and not HAND.is_working_day(D(2026, 3, 8))


def test_a_day_cannot_be_both() -> None:
    with pytest.raises(ValueError, match="2026-03-02"):
        WorkCalendar.of(holidays=[D(2026, 3, 2)], workdays=[D(2026, 3, 2)])
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 3, 2), -1, PLAIN)


def test_2026_spring_festival_filing_deadline() -> None:
    """Published Friday 13 February 2026: Saturday 14 Feb is worked (1), 15–23 Feb is the holiday,
    then 24, 25, 26, 27 Feb (5), Saturday 28 Feb worked (6), 2–6 March (11), 9–13 (16), 16–19 March (20)."""
    published = D(2026, 2, 13)
    assert filing_due(published, CHINA) == D(2026, 3, 19)
    assert filing_due(published, PLAIN) == D(2026, 3, 13)


def test_2026_national_day_counts_sunday_20_september_and_saturday_10_october() -> None:
    # From Friday 18 Sep: Sun 20 (1), 21–25 Sep minus Fri 25 (holiday) → 21..24 (5), 28–30 (8),
    # 1–7 Oct holiday, 8, 9 (10), Sat 10 (11), 12–16 (16), 19–22 (20).
    assert filing_due(D(2026, 9, 18), CHINA) == D(2026, 10, 22)


def test_filing_status() -> None:
    published = D(2026, 2, 13)
    assert filing_status(None, None, D(2026, 3, 1), CHINA) is FilingStatus.NOT_PUBLISHED
    assert filing_status(published, None, D(2026, 3, 19), CHINA) is FilingStatus.PENDING
    assert filing_status(published, None, D(2026, 3, 20), CHINA) is FilingStatus.OVERDUE
    assert filing_status(published, D(2026, 4, 1), D(2026, 5, 1), CHINA) is FilingStatus.FILED


def test_evaluation_every_three_years() -> None:
    assert evaluation_due(D(2024, 2, 29), None) == D(2027, 2, 28)
    assert evaluation_due(D(2023, 5, 10), D(2025, 1, 8)) == D(2028, 1, 8)
    assert evaluation_due(None, None) is None


def test_calendar_arithmetic() -> None:
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert add_months(D(2026, 11, 15), 12) == D(2027, 11, 15)
    assert add_years(D(2028, 2, 29), 1) == D(2029, 2, 28)


def test_drill_compliance() -> None:
    plans = [
        PlanFacts(1, PlanKind.COMPREHENSIVE, D(2025, 1, 10)),
        PlanFacts(2, PlanKind.ON_SITE, D(2025, 1, 10)),
        PlanFacts(3, PlanKind.ON_SITE, D(2026, 1, 5)),
        PlanFacts(4, PlanKind.ON_SITE, None),  # a draft creates no duty
    ]
    drills = [
        DrillFacts(PlanKind.SPECIFIC, None, D(2025, 9, 30)),
        DrillFacts(PlanKind.ON_SITE, 2, D(2025, 12, 31)),
        DrillFacts(PlanKind.ON_SITE, 3, D(2026, 9, 1)),  # later than today: not yet done
    ]
    today = D(2026, 6, 30)
    yearly, site2, site3 = drill_obligations(plans, drills, today)
    assert (yearly.plan_id, yearly.last_drill, yearly.due, yearly.overdue) == (
        None,
        D(2025, 9, 30),
        D(2026, 9, 30),
        False,
    )
    assert (site2.plan_id, site2.due, site2.overdue) == (2, D(2026, 6, 30), False)  # due today: still in time
    assert (site3.plan_id, site3.last_drill, site3.due, site3.overdue) == (3, None, D(2026, 7, 5), False)
    later = drill_obligations(plans, drills, D(2026, 7, 1))
    assert [o.overdue for o in later] == [False, True, False]
    assert [o.overdue for o in drill_obligations(plans, drills, D(2026, 10, 1))] == [
        True,
        True,
        False,
    ]  # plan 3 drilled on 1 Sep
    assert drill_obligations([], drills, today) == []
