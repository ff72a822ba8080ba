"""The special-operation checks (pure): filings and permits matched by enterprise and number, the
GB 30871-2022 hot-work validity limits at their edges, and overlapping hot work at one place."""

from __future__ import annotations

import datetime as dt

from chempark.supervision.operation_checks import Problem, Window, check, over_limit

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def window(
    pk: int,
    number: str,
    hours: float,
    *,
    kind: str = "hot_work",
    grade: str = "first",
    place: str = "T01 罐区",
    start: float = 0,
    enterprise: int = 1,
) -> Window:
    starts = T0 + dt.timedelta(hours=start)
    return Window(pk, enterprise, number, kind, grade, place, starts, starts + dt.timedelta(hours=hours))


def problems(filings: list[Window], permits: list[Window]) -> set[tuple[Problem, int | None, int | None]]:
    return {(f.problem, f.filing_id, f.permit_id) for f in check(filings, permits)}


def test_matched_filing_and_permit_raise_nothing() -> None:
    assert problems([window(1, "DH-001", 8)], [window(9, "dh-001 ", 8)]) == set()


def test_a_filing_without_permit_and_a_permit_without_filing() -> None:
    found = problems([window(1, "DH-001", 4)], [window(9, "DH-002", 4)])
    assert found == {(Problem.FILING_WITHOUT_PERMIT, 1, None), (Problem.PERMIT_WITHOUT_FILING, None, 9)}


def test_the_same_number_of_another_enterprise_is_no_match() -> None:
    found = problems([window(1, "DH-001", 4)], [window(9, "DH-001", 4, enterprise=2)])
    assert (Problem.FILING_WITHOUT_PERMIT, 1, None) in found


def test_hot_work_limits_special_and_first_8_h_second_72_h() -> None:
    assert not over_limit(window(1, "a", 8, grade="special"))
    assert over_limit(window(1, "a", 8.5, grade="special"))
    assert not over_limit(window(1, "a", 8, grade="first"))
    assert over_limit(window(1, "a", 9, grade="first"))
    assert not over_limit(window(1, "a", 72, grade="second"))
    assert over_limit(window(1, "a", 73, grade="second"))
    assert not over_limit(window(1, "a", 200, kind="height", grade="second"))
    found = problems([window(1, "DH-001", 10)], [window(9, "DH-001", 10)])
    assert found == {(Problem.VALIDITY_OVER_LIMIT, 1, None), (Problem.VALIDITY_OVER_LIMIT, None, 9)}


def test_overlapping_hot_work_at_one_place() -> None:
    filings = [
        window(1, "DH-1", 4),
        window(2, "DH-2", 4, start=3, place="T01  罐区"),  # overlaps the first: same place, spaces aside
        window(3, "DH-3", 4, start=4),  # starts when the first ends: no overlap with it
        window(4, "DH-4", 4, start=1, place="T02 罐区"),  # another place
        window(5, "SX-5", 4, start=1, kind="confined_space", grade="none"),  # not hot work
    ]
    permits = [window(10 + f.id, f.permit_number, 4) for f in filings]
    overlaps = {(f.filing_id, f.detail) for f in check(filings, permits) if f.problem is Problem.OVERLAPPING_HOT_WORK}
    assert overlaps == {(2, "DH-1 / DH-2"), (3, "DH-2 / DH-3")}
