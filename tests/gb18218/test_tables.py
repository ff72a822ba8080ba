"""The GB 18218-2018 tables as loaded from the package's CSV files."""

from decimal import Decimal

import pytest

from chempark.common.identifiers import is_valid_cas
from chempark.gb18218.tables import (
    NO_CATEGORY,
    TABLE_VERSION,
    alpha_for_population,
    table1,
    table2,
    table3,
    table4,
    table5,
)


def test_table1_has_the_standards_85_rows_in_order() -> None:
    assert [row.row for row in table1()] == list(range(1, 86))


def test_every_table1_cas_number_has_a_correct_check_digit() -> None:
    numbers = [cas for row in table1() for cas in row.lookup_cas_numbers]
    # Rows 13, 45 and 74 print "—"; rows 49 and 52 print several numbers.
    assert len(numbers) > 80
    assert [cas for cas in numbers if not is_valid_cas(cas)] == []


def test_rows_without_a_cas_number_are_the_ones_the_standard_leaves_blank() -> None:
    assert [row.row for row in table1() if not row.cas_numbers] == [13, 45, 74]


@pytest.mark.parametrize(
    ("row_number", "name", "critical_q_t"),
    [(1, "氨", "10"), (6, "碳酰氯", "0.3"), (12, "氯", "5"), (30, "异氰酸甲酯", "0.75"), (85, "钠", "10")],
)
def test_spot_rows_match_the_printed_table(row_number: int, name: str, critical_q_t: str) -> None:
    row = table1()[row_number - 1]
    assert (row.name, row.critical_q_t) == (name, Decimal(critical_q_t))


def test_multi_cas_rows_keep_each_number() -> None:
    assert table1()[48].cas_numbers == ("74-82-8", "8006-14-2")
    assert table1()[51].cas_numbers == ("68476-85-7", "74-98-6", "106-97-8")


def test_every_table1_row_has_a_beta_source() -> None:
    gases = table3()
    for row in table1():
        if row.row in gases:
            assert row.beta_category == "", row.row
        else:
            assert row.beta_category == NO_CATEGORY or row.beta_category in table4(), row.row
        assert row.beta_basis, row.row
        assert row.beta_confidence in {"standard", "inferred", "uncertain"}, row.row


def test_table3_lists_14_gases_each_pointing_at_its_table1_row() -> None:
    gases = table3()
    assert len(gases) == 14
    for gas in gases.values():
        assert gas.cas in table1()[gas.table1_row - 1].lookup_cas_numbers, gas.gas
    assert gases[12].beta == Decimal(4)  # 氯
    assert gases[6].beta == Decimal(20)  # 碳酰氯


def test_table2_and_table4_cover_the_same_24_categories() -> None:
    assert len(table2()) == 24
    assert set(table2()) == set(table4())
    assert table2()["W5.3"].critical_q_t == Decimal(1000)
    assert table4()["W2"] == Decimal("1.5")


@pytest.mark.parametrize(
    ("people", "alpha"),
    [
        (0, "0.5"),
        (1, "1.0"),
        (29, "1.0"),
        (30, "1.2"),
        (49, "1.2"),
        (50, "1.5"),
        (99, "1.5"),
        (100, "2.0"),
        (100_000, "2.0"),
    ],
)
def test_alpha_bands(people: int, alpha: str) -> None:
    assert alpha_for_population(people) == Decimal(alpha)


def test_population_bands_do_not_overlap() -> None:
    for people in range(200):
        assert sum(band.contains(people) for band in table5()) == 1


def test_negative_population_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        alpha_for_population(-1)


def test_table_version_names_the_standard() -> None:
    assert TABLE_VERSION == "GB 18218-2018"
