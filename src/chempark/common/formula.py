"""Chemical formulas as chemists write them: HCl, NH₃, NaOH, SO₂.

The catalogue stores Hill-order formulas (carbon, hydrogen, then alphabetical; without carbon all
alphabetical), which suit searching and organic compounds but read oddly for the inorganic ones
(ClH, H3N, HNaO, O2S). Pages show the conventional formula of the common inorganic ones, every other
formula as stored, with subscript digits.
"""

from __future__ import annotations

from typing import Final

CONVENTIONAL: Final[dict[str, str]] = {
    "ClH": "HCl",
    "FH": "HF",
    "BrH": "HBr",
    "CHN": "HCN",
    "H3N": "NH3",
    "HNaO": "NaOH",
    "HKO": "KOH",
    "O2S": "SO2",
    "O3S": "SO3",
    "H2O4S": "H2SO4",
    "HNO3": "HNO3",
    "H4N2O3": "NH4NO3",
    "NO2": "NO2",
    "CO": "CO",
    "CO2": "CO2",
    "CCl2O": "COCl2",
    "H2S": "H2S",
    "ClNaO": "NaClO",
    "Cl3P": "PCl3",
    "Cl2OS": "SOCl2",
    "H2O2": "H2O2",
}
_SUBSCRIPTS: Final = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def display_formula(hill: str) -> str:
    """The formula to show for a stored Hill-order ``hill``: conventional order where chemists use
    another, digits as subscripts."""
    formula = hill.strip()
    return CONVENTIONAL.get(formula, formula).translate(_SUBSCRIPTS)
