"""Plate rules of GA 36-2018: ordinary, trailer and new-energy plates, letters I and O never used."""

from __future__ import annotations

import pytest

from chempark.common.plates import is_new_energy, is_valid_plate, normalise_plate, plate_problem


@pytest.mark.parametrize(
    "plate",
    ["苏A12345", "苏AB123C", "京N8P8F8", "苏A1234挂", "苏AD12345", "苏AFA1234", "苏A12345D", "粤B12345F"],
)
def test_accepts_real_plate_shapes(plate: str) -> None:
    assert plate_problem(plate) is None


@pytest.mark.parametrize(
    ("plate", "why"),
    [
        ("", "不能为空"),
        ("A12345", "省份简称"),
        ("X苏12345", "省份简称"),
        ("苏I12345", "格式"),  # I is never an authority letter
        ("苏A1234O", "格式"),  # nor O anywhere
        ("苏A1234", "格式"),  # too short
        ("苏A123456", "格式"),  # seven characters without D/F is no new-energy plate
        ("苏AX12345", "格式"),  # a small new-energy plate starts with D or F
        ("苏A12345X", "格式"),  # a large one ends with D or F
        ("苏AD1234Y", "格式"),  # and the small one ends with four digits
        ("苏A123挂", "格式"),
    ],
)
def test_refuses_with_a_reason(plate: str, why: str) -> None:
    problem = plate_problem(plate)
    assert problem is not None
    assert why in problem


def test_normalises_what_cameras_and_people_type() -> None:
    assert normalise_plate(" 苏ａ·１２３４５ ") == "苏A12345"
    assert normalise_plate("苏a-12345d") == "苏A12345D"


def test_new_energy_is_the_eight_character_plate() -> None:
    assert is_new_energy("苏AD12345")
    assert is_new_energy("苏A12345D")
    assert not is_new_energy("苏A12345")
    assert not is_valid_plate("苏A12345X")
