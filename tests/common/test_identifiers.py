"""USCC (GB 32100-2015) and CAS check characters."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chempark.common.identifiers import (
    USCC_ALPHABET,
    cas_check_digit,
    cas_problem,
    is_valid_cas,
    is_valid_uscc,
    normalise_cas,
    normalise_uscc,
    uscc_check_character,
    uscc_problem,
)

# Huawei Technologies Co., Ltd., as printed in the infobox of its zh.wikipedia.org article.
HUAWEI = "914403001922038216"


def test_standard_worked_example_check_character() -> None:
    # GB 32100-2015 worked example, prefix 91350100M000100Y4:
    # values  9 1 3 5 0 1 0 0 21 0 0 0 1 0 0 30 4
    # weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28  (3^(i-1) mod 31)
    # products sum to 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640; 1640 mod 31 = 28;
    # 31 - 28 = 3 -> character "3".
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert is_valid_uscc("91350100M000100Y43")
    # The standard's example of a wrong code ends in "Z" instead of "3".
    assert not is_valid_uscc("91350100M000100Y4Z")


def test_published_uscc_is_valid() -> None:
    assert is_valid_uscc(HUAWEI)
    assert uscc_problem(HUAWEI) is None


def test_remainder_zero_gives_check_character_zero() -> None:
    # "1" followed by sixteen "0": sum = 1*1 = 1 -> 31 - 1 = 30 -> "Y".
    assert uscc_check_character("1" + "0" * 16) == "Y"
    # All zeros: sum 0 -> (31 - 0) mod 31 = 0 -> "0", not an out-of-range index 31.
    assert uscc_check_character("0" * 17) == "0"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (HUAWEI[:-1] + "7", "check character"),
        (HUAWEI[:-1], "18 characters"),
        (HUAWEI + "6", "18 characters"),
        ("9144030019220382I6", "may only contain"),
        ("9144030019220382O6", "may only contain"),
        ("9144030019220382Z6", "may only contain"),
        ("9144030019220382S6", "may only contain"),
        ("9144030019220382V6", "may only contain"),
        ("91A403001922038216", "positions 3-8"),
    ],
)
def test_invalid_uscc_has_reason(value: str, fragment: str) -> None:
    problem = uscc_problem(value)
    assert problem is not None
    assert fragment in problem
    assert not is_valid_uscc(value)


def test_lower_case_letters_are_rejected_until_normalised() -> None:
    lowered = "91350100m000100y43"
    assert not is_valid_uscc(lowered)
    assert is_valid_uscc(normalise_uscc(lowered))
    # Full-width characters and surrounding spaces, as pasted from a Chinese form.
    assert normalise_uscc(" ９１４４０３００１９２２０３８２１６\u3000") == HUAWEI


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_every_prefix_gets_exactly_one_valid_check_character(prefix: str) -> None:
    valid = [char for char in USCC_ALPHABET if uscc_problem(prefix + char) is None]
    shape_ok = prefix[2:8].isdigit()
    assert valid == ([uscc_check_character(prefix)] if shape_ok else [])


@given(st.integers(min_value=0, max_value=16), st.sampled_from(USCC_ALPHABET))
def test_single_character_substitution_is_detected(position: int, replacement: str) -> None:
    if position in range(2, 8) and not replacement.isdigit():
        replacement = "0"
    mutated = HUAWEI[:position] + replacement + HUAWEI[position + 1 :]
    # Weights are non-zero mod 31 (a prime) so any single change moves the check character.
    assert is_valid_uscc(mutated) == (mutated == HUAWEI)


@pytest.mark.parametrize("cas", ["7782-50-5", "7664-41-7", "7446-09-5", "50-00-0", "1333-74-0"])
def test_known_cas_numbers_are_valid(cas: str) -> None:
    assert is_valid_cas(cas)


def test_chlorine_check_digit_by_hand() -> None:
    # 7782-50-5: digits 778250 from the right: 0*1 + 5*2 + 2*3 + 8*4 + 7*5 + 7*6 = 125 -> 5.
    assert cas_check_digit("778250") == 5
    assert not is_valid_cas("7782-50-6")
    problem = cas_problem("7782-50-6")
    assert problem is not None
    assert "expected 5" in problem


@pytest.mark.parametrize(
    "bad", ["7782505", "7782-5-05", "1-50-5", "12345678-50-5", "7782-50-5 ", "", "a-bc-d", "７７８２-50-5"]
)
def test_malformed_cas_is_rejected(bad: str) -> None:
    assert not is_valid_cas(bad)


def test_full_width_cas_normalises() -> None:
    assert normalise_cas(" ７７８２－５０－５ ") == "7782-50-5"


@given(st.integers(min_value=10, max_value=9_999_999), st.integers(min_value=0, max_value=99))
def test_exactly_one_check_digit_is_valid(first: int, second: int) -> None:
    body = f"{first}-{second:02d}"
    valid = [digit for digit in range(10) if is_valid_cas(f"{body}-{digit}")]
    assert len(valid) == 1
