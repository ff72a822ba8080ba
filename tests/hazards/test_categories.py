"""Table 2 categories derived from GHS classes (pure)."""

from __future__ import annotations

import pytest

from chempark.hazards.categories import derive_categories


@pytest.mark.parametrize(
    ("ghs", "boiling_point_k", "expected"),
    [
        (["易燃液体 类别3"], None, ("W5.4",)),
        (["易燃液体 类别2"], 350.0, ("W5.3",)),
        (["易燃液体 类别1"], None, ("W5.1",)),
        (["易燃气体 类别1", "加压气体"], None, ("W2",)),
        (["氧化性固体 类别3"], None, ("W9.2",)),
        (["氧化性液体 类别1"], None, ("W9.1",)),
        (["有机过氧化物 B型"], None, ("W7.1",)),
        (["自反应物质和混合物 D型"], None, ("W6.2",)),
        (["爆炸物 1.4项"], None, ("W1.3",)),
        (["爆炸物 1.3项"], None, ("W1.2",)),
        (["急性毒性-吸入 类别1"], 250.0, ("J1",)),  # a gas
        (["急性毒性-吸入 类别3"], 250.0, ("J3",)),
        (["急性毒性-吸入 类别2"], 300.0, ("J4",)),  # a liquid boiling at 27 °C
        (["急性毒性-经口 类别2"], 400.0, ("J5",)),
        (["急性毒性-经皮 类别1"], 400.0, ("J2",)),
        (["易燃液体 类别2", "急性毒性-经口 类别2"], 400.0, ("W5.3", "J5")),
        (["ＦＬＡＭ"], None, ()),
    ],
)
def test_derivation(ghs: list[str], boiling_point_k: float | None, expected: tuple[str, ...]) -> None:
    assert derive_categories(ghs, boiling_point_k).categories == expected


def test_classes_outside_table_2_and_toxicity_without_a_state_say_why() -> None:
    corrosive = derive_categories(["皮肤腐蚀/刺激 类别1A"], None)
    assert corrosive.categories == () and "no GHS class" in corrosive.note
    toxic = derive_categories(["急性毒性-吸入 类别2"], None)
    assert toxic.categories == () and "boiling point" in toxic.note


def test_a_solution_is_judged_as_a_liquid_whatever_the_pure_substance_boils_at() -> None:
    # Formaldehyde boils at 254 K (a gas: 类别3 → J3), but formalin is a liquid: 类别3 gives no J
    # category, 类别2 gives J5 and never J4, with or without a boiling point.
    assert derive_categories(["急性毒性-吸入 类别3"], 254.0).categories == ("J3",)
    assert derive_categories(["急性毒性-吸入 类别3", "致癌性 类别1B"], 254.0, solution=True).categories == ()
    assert derive_categories(["急性毒性-吸入 类别2"], 300.0, solution=True).categories == ("J5",)
    assert derive_categories(["急性毒性-吸入 类别1"], None, solution=True).categories == ("J2",)
