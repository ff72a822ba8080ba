"""Identification and grading of one unit under GB 18218-2018."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.gb18218.engine import (
    GB18218InputError,
    Holding,
    identify,
    level_for,
    lookup_substance,
    to_json,
    validate_cas,
)

D = Decimal


def test_published_example_sulphur_dioxide() -> None:
    # SO2 200 t, Q 20 t (Table 1 row 4), beta 2 (Table 3), 60 people -> alpha 1.5.
    # S = 200/20 = 10; R = 1.5 * 2 * 10 = 30 -> 三级.
    result = identify([Holding(D(200), cas="7446-09-5")], population_500m=60)
    assert result.s == D(10)
    assert result.is_major
    assert result.alpha == D("1.5")
    assert result.r == D(30)
    assert result.level == 3
    (line,) = result.lines
    assert (line.critical_q_t, line.q_source) == (D(20), "Table 1 row 4")
    assert (line.beta, line.beta_source) == (D(2), "Table 3 二氧化硫")


@pytest.mark.parametrize(
    ("quantity", "level"),
    [
        # Chlorine: Q 5 t, beta 4; 10 people -> alpha 1.0; R = 4 * q / 5 = 0.8 q.
        ("12.5", 3),  # R = 10 exactly -> 三级
        ("12.4999", 4),  # R = 9.99992
        ("62.5", 2),  # R = 50 exactly -> 二级
        ("62.4999", 3),
        ("125", 1),  # R = 100 exactly -> 一级
        ("124.9999", 2),
    ],
)
def test_boundaries_go_to_the_higher_level(quantity: str, level: int) -> None:
    result = identify([Holding(D(quantity), name="液氯")], population_500m=10)
    assert result.r == D("0.8") * D(quantity)
    assert result.level == level


def test_non_terminating_ratios_still_land_on_the_boundary() -> None:
    # 异氰酸甲酯 0.25 t / 0.75 t = 1/3 and 碳酰氯 0.2 t / 0.3 t = 2/3: S = 1 exactly -> major.
    # R = 0.5 * (20 * 1/3 + 20 * 2/3) = 10 exactly -> 三级 (rounded decimals would give 9.99...).
    result = identify([Holding(D("0.25"), cas="624-83-9"), Holding(D("0.2"), cas="75-44-5")], 0)
    assert result.s == D(1)
    assert result.is_major
    assert result.r == D(10)
    assert result.level == 3


def test_same_substance_is_summed_into_one_line() -> None:
    # Three 0.1 t holdings of phosgene (name, alias, CAS): q = 0.3 t = Q -> S = 1.
    holdings = [
        Holding(D("0.1"), name="碳酰氯"),
        Holding(D("0.1"), name="光气"),
        Holding(D("0.1"), cas="75-44-5"),
    ]
    result = identify(holdings, 0)
    assert len(result.lines) == 1
    assert result.lines[0].q_t == D("0.3")
    assert result.s == D(1)


def test_below_one_is_not_graded() -> None:
    # 甲醇 100 t / 500 t = 0.2.
    result = identify([Holding(D(100), name="甲醇")], 500)
    assert result.s == D("0.2")
    assert not result.is_major
    assert result.r is None
    assert result.level is None


def test_table1_wins_over_a_declared_category_but_the_category_sets_beta() -> None:
    # 甲醇 is Table 1 row 65 (Q 500) even if declared W5.1 (Table 2 Q 10); beta 1.5 from Table 4 W5.1.
    # S = 1000/500 = 2; R = 0.5 * 1.5 * 2 = 1.5.
    result = identify([Holding(D(1000), name="甲醇", categories=("W5.1",))], 0)
    line = result.lines[0]
    assert (line.critical_q_t, line.q_source) == (D(500), "Table 1 row 65")
    assert line.beta == D("1.5")
    assert result.r == D("1.5")


def test_table1_row_without_table3_uses_its_recorded_category() -> None:
    # 氢 row 51: Q 5, category W2 -> beta 1.5. q 10 -> S 2; 0 people alpha 0.5 -> R = 1.5.
    line = identify([Holding(D(10), name="氢气")], 0).lines[0]
    assert line.beta == D("1.5")
    assert line.beta_source.startswith("Table 4 W2")


def test_several_table2_hazards_use_the_lowest_q_and_the_largest_beta() -> None:
    # W2: Q 10, beta 1.5; J3: Q 50, beta 2. Q = 10; q 20 -> S 2; R = 1.0 * 2 * 2 = 4 with 5 people.
    result = identify([Holding(D(20), name="某混合气", categories=("J3", "W2"))], 5)
    line = result.lines[0]
    assert (line.critical_q_t, line.q_source) == (D(10), "Table 2 W2")
    assert (line.beta, line.beta_source) == (D(2), "Table 4 J3")
    assert result.r == D(4)


def test_mixed_unit_sums_table1_and_table2_lines() -> None:
    # 氨 5 t / 10 = 0.5 (beta 2); 稀释剂 W5.3 600 t / 1000 = 0.6 (beta 1). S = 1.1.
    # 120 people -> alpha 2; R = 2 * (2 * 0.5 + 1 * 0.6) = 3.2 -> 四级.
    result = identify([Holding(D(5), name="液氨"), Holding(D(600), name="稀释剂", categories=("W5.3",))], 120)
    assert result.s == D("1.1")
    assert result.r == D("3.2")
    assert result.level == 4


def test_carbon_monoxide_is_found_through_table3_as_row_13() -> None:
    row = lookup_substance(cas="630-08-0")
    assert row is not None
    assert row.row == 13


@pytest.mark.parametrize(
    ("query", "row_number"),
    [
        ({"name": " 液 氯 "}, 12),
        ({"name": "ＴＤＩ"}, 23),
        ({"name": "tdi"}, 23),
        ({"cas": "７７８２－５０－５"}, 12),
        ({"cas": "9004-70-0", "name": "硝化纤维素（含水≥25%）"}, 41),
        ({"name": "天然气"}, 49),
    ],
)
def test_lookup_by_name_alias_or_cas(query: dict[str, str], row_number: int) -> None:
    row = lookup_substance(**query)
    assert row is not None
    assert row.row == row_number


def test_lookup_of_an_unlisted_substance_is_none() -> None:
    assert lookup_substance(name="硫酸") is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"cas": "9004-70-0"}, "ambiguous_substance"),
        ({"cas": "7782-50-5", "name": "氨"}, "cas_name_conflict"),
        ({"cas": "7782-50-6"}, "invalid_cas"),
    ],
)
def test_lookup_errors(query: dict[str, str], code: str) -> None:
    with pytest.raises(GB18218InputError) as raised:
        lookup_substance(**query)
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("holding", "code", "field"),
    [
        (Holding(D(1), name="未知物"), "unknown_substance", "category"),
        (Holding(D(-1), name="氯"), "invalid_quantity", "quantity_t"),
        (Holding(D("NaN"), name="氯"), "invalid_quantity", "quantity_t"),
        (Holding(D(1), name="x", categories=("W12",)), "unknown_category", "category"),
        (Holding(D(1)), "unknown_substance", "cas"),
    ],
)
def test_bad_holdings_name_index_and_field(holding: Holding, code: str, field: str) -> None:
    with pytest.raises(GB18218InputError) as raised:
        identify([Holding(D(1), name="氯"), holding], 0)
    assert (raised.value.code, raised.value.holding_index, raised.value.field) == (code, 1, field)
    assert raised.value.message.startswith("holdings[1]")


def test_conflicting_categories_for_one_substance_are_refused() -> None:
    with pytest.raises(GB18218InputError, match="same category"):
        identify([Holding(D(1), name="甲醇"), Holding(D(1), name="甲醇", categories=("W5.1",))], 0)


@pytest.mark.parametrize("population", [-1, True, 1.5])
def test_bad_population(population: object) -> None:
    with pytest.raises(GB18218InputError) as raised:
        identify([Holding(D(1), name="氯")], population)  # type: ignore[arg-type]  # deliberately outside the declared type: the test checks the refusal
    assert raised.value.code == "invalid_population"


def test_empty_unit_is_refused() -> None:
    with pytest.raises(GB18218InputError) as raised:
        identify([], 0)
    assert raised.value.code == "no_holdings"


def test_to_json_shape_and_number_rendering() -> None:
    # S = 10, R = 30 are whole: written as integers; alpha 1.5 as 1.5.
    document = to_json(identify([Holding(D(200), cas="7446-09-5")], 60))
    assert list(document) == ["S", "is_major", "R", "level", "alpha", "lines"]
    assert document["R"] == 30
    assert isinstance(document["R"], int)
    assert document["alpha"] == 1.5
    # 1 t phosgene / 0.3 t = 3.333... -> six places.
    lines = to_json(identify([Holding(D(1), name="光气")], 0))["lines"]
    assert isinstance(lines, list)
    assert lines[0]["ratio"] == 3.333333


def test_validate_cas_accepts_full_width_forms() -> None:
    assert validate_cas("７７８２-５０-５")
    assert not validate_cas("7782-50-6")


def test_level_for_thresholds() -> None:
    assert [level_for(D(v)) for v in ("100", "99.99", "50", "49.99", "10", "9.99", "0")] == [
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]


SUBSTANCES = [
    {"name": "氯"},
    {"name": "甲醇"},
    {"name": "氢"},
    {"name": "光气"},
    {"name": "混合物A", "categories": ("W5.3",)},
    {"name": "混合物B", "categories": ("J1", "W2")},
]
quantities = st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False, allow_infinity=False)
unit = st.lists(st.tuples(st.sampled_from(range(len(SUBSTANCES))), quantities), min_size=1, max_size=5)


def _holdings(items: list[tuple[int, Decimal]]) -> list[Holding]:
    return [Holding(quantity, **SUBSTANCES[index]) for index, quantity in items]  # type: ignore[arg-type]  # deliberately outside the declared type: the test checks the refusal


@settings(max_examples=60, deadline=None)
@given(unit, st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=4), quantities)
def test_r_never_decreases_when_a_quantity_grows(
    items: list[tuple[int, Decimal]], people: int, position: int, extra: Decimal
) -> None:
    position %= len(items)
    grown = list(items)
    grown[position] = (items[position][0], items[position][1] + extra)
    before, after = identify(_holdings(items), people), identify(_holdings(grown), people)
    assert after.s >= before.s
    if before.is_major:
        assert after.r is not None
        assert before.r is not None
        assert after.r >= before.r
        assert after.level is not None
        assert before.level is not None
        assert after.level <= before.level


@settings(max_examples=60, deadline=None)
@given(unit, st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=300))
def test_r_never_decreases_when_the_population_grows(items: list[tuple[int, Decimal]], people: int, more: int) -> None:
    before, after = identify(_holdings(items), people), identify(_holdings(items), people + more)
    assert after.alpha >= before.alpha
    if before.r is not None:
        assert after.r is not None
        assert after.r >= before.r


@settings(max_examples=60, deadline=None)
@given(unit, st.integers(min_value=0, max_value=300))
def test_only_s_at_least_one_is_graded(items: list[tuple[int, Decimal]], people: int) -> None:
    result = identify(_holdings(items), people)
    assert result.is_major == (result.s >= 1)
    assert (result.r is None) == (result.level is None) == (not result.is_major)
    if len(result.lines) == 1:
        assert result.s == result.lines[0].ratio


def test_a_concentration_row_takes_only_holdings_above_its_limit() -> None:
    # Row 8 is 甲醛(含量>90%), Q 5: 95 % is that row; formalin (37 %) is not and needs its category;
    # an unknown fraction takes the named row (the lower Q).
    assert identify([Holding(D(10), cas="50-00-0", mass_fraction=D("0.95"))], 0).lines[0].q_source == "Table 1 row 8"
    assert identify([Holding(D(10), cas="50-00-0")], 0).lines[0].q_source == "Table 1 row 8"
    with pytest.raises(GB18218InputError) as refused:
        identify([Holding(D(10), cas="50-00-0", mass_fraction=D("0.37"))], 0)
    assert refused.value.code == "unknown_substance"
    formalin = identify([Holding(D(100), cas="50-00-0", mass_fraction=D("0.37"), categories=("W5.4",))], 0)
    assert (formalin.lines[0].q_source, formalin.s) == ("Table 2 W5.4", D("0.02"))
    # the limit itself is outside the row: "含量>90%"
    assert (
        identify([Holding(D(10), cas="50-00-0", mass_fraction=D("0.90"), categories=("J5",))], 0).lines[0].q_source
        == "Table 2 J5"
    )


@pytest.mark.parametrize("fraction", [D(0), D("-0.1"), D("1.01"), D("NaN")])
def test_a_mass_fraction_outside_zero_to_one_is_refused(fraction: D) -> None:
    with pytest.raises(GB18218InputError) as refused:
        identify([Holding(D(10), name="甲醇", mass_fraction=fraction)], 0)
    assert (refused.value.code, refused.value.field) == ("invalid_mass_fraction", "mass_fraction")
