"""Readable numbers on pages: conventional formulas with subscripts, °C not K, rates as percentages."""

from __future__ import annotations

from typing import Any

from chempark.common.formula import display_formula
from chempark.core.roles import Role
from chempark.core.templatetags.chempark_tags import percent, warning_label
from tests.conftest import SmallPark


def test_formulas_in_conventional_notation() -> None:
    assert [display_formula(f) for f in ("ClH", "H3N", "HNaO", "O2S", "Cl2", "C2H4O")] == [
        "HCl",
        "NH₃",
        "NaOH",
        "SO₂",
        "Cl₂",
        "C₂H₄O",
    ]


def test_rates_and_warning_levels_in_words() -> None:
    assert (percent(0.99523, 2), percent(1.0), percent(None)) == ("99.52 %", "100.0 %", "—")
    assert (warning_label("red"), warning_label("blue")) == ("红色预警", "蓝色预警")


def test_chemical_list_shows_celsius_and_formula(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    html = client.get("/registry/chemical/").content.decode()
    assert "沸点 (°C)" in html and "(K)" not in html
    assert "-34.0" in html and "Cl₂" in html, "chlorine boils at 239.1 K = -34.0 °C"


def test_chemical_page_shows_where_it_is_held(park: SmallPark, client: Any) -> None:
    client.force_login(park.users[Role.ENTERPRISE])
    html = client.get(f"/registry/chemical/{park.chlorine.pk}/").content.decode()
    assert "危化品存量（1）" in html, "only the reader's own enterprise's holding"
    assert park.unit_a.name in html
